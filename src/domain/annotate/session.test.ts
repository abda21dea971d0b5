// The annotator session against an in-memory store with the same revision rule as IndexedDB's: keys typed ahead,
// undo across a submit, a revision conflict between two tabs, a resume after reload, a failed save.
import { describe, expect, it } from 'vitest';
import type { Annotation } from '../annotation';
import { actionOf, DEFAULT_KEYMAP, keyLabel, KeymapError, parseKeymap, rebind } from './keymap';
import { AnnotatorSession, type SaveResult, type SessionStore } from './session';

/** Stored annotations by id, saved only when the expected revision matches (as saveAnnotation does). */
class MemoryStore {
  readonly rows = new Map<string, Annotation>();
  position = -1;
  saves = 0;
  failNext = false;
  /** While set, open() waits for it (an item that is slow to read). */
  gate: Promise<void> | null = null;
  time = 1_000;
  tick = 0;

  forTab(): SessionStore {
    return {
      open: async (idx) => {
        if (this.gate) await this.gate;
        return { instanceId: `pair-${idx}`, saved: [...this.rows.values()].find((a) => a.idx === idx) };
      },
      save: async (row, expectedRev): Promise<SaveResult> => {
        await Promise.resolve();
        if (this.failNext) {
          this.failNext = false;
          throw Object.assign(new Error('QuotaExceededError: the disk is full'), { code: 'quota' });
        }
        const current = this.rows.get(row.id);
        if ((current?.rev ?? 0) !== expectedRev) return { ok: false, current };
        const stored = { ...row, rev: expectedRev + 1 };
        this.rows.set(row.id, stored);
        this.saves++;
        return { ok: true, row: stored };
      },
      savePosition: (p) => (this.position = p),
      now: () => ++this.time,
      clock: () => this.tick,
    };
  }

  of(idx: number): Annotation | undefined {
    return [...this.rows.values()].find((a) => a.idx === idx);
  }
}

const QUEUE = Uint32Array.of(7, 3, 9, 1);

function session(store: MemoryStore, annotator = 'ana') {
  return new AnnotatorSession({
    projectId: 'p',
    datasetId: 'd',
    planId: 'plan',
    annotator,
    swappedOf: (idx) => idx === 3,
    store: store.forTab(),
  });
}

function gate(store: MemoryStore): () => void {
  let open!: () => void;
  store.gate = new Promise<void>((r) => (open = r));
  return () => {
    store.gate = null;
    open();
  };
}

describe('annotator session', () => {
  it("a page key typed among moves runs on the item the moves lead to, once it is open (the LM label's reveal)", async () => {
    const store = new MemoryStore();
    const s = session(store);
    s.start(QUEUE, 0);
    await s.settled();
    const release = gate(store);
    const seen: (string | undefined)[] = [];
    s.dispatch({ type: 'move', delta: 1 });
    s.dispatch({ type: 'move', delta: 1 });
    s.dispatch({ type: 'with-item', run: (d) => seen.push(d?.instanceId) });
    s.dispatch({ type: 'move', delta: -1 });
    s.dispatch({ type: 'with-item', run: (d) => seen.push(d?.instanceId) });
    // Nothing has run while the items are still opening.
    expect(seen).toEqual([]);
    release();
    await s.settled();
    expect(seen).toEqual([`pair-${QUEUE[2]}`, `pair-${QUEUE[1]}`]);
  });

  it('keys typed before the queue and the item are there wait, and land on the items they were typed for', async () => {
    const store = new MemoryStore();
    const s = session(store);
    const release = gate(store);
    // Typed before the session even knows its queue: overall, confidence, submit; then the same for the next item.
    s.dispatch({ type: 'overall', shown: 'A>B' });
    s.dispatch({ type: 'confidence', value: 'fairly-confident' });
    s.dispatch({ type: 'submit' });
    s.dispatch({ type: 'overall', shown: 'A>>B' });
    s.dispatch({ type: 'confidence', value: 'absolutely-confident' });
    s.dispatch({ type: 'submit' });
    expect(s.getState().waiting).toBe(6);
    s.start(QUEUE, 0);
    expect(s.getState().draft).toBeNull();
    expect(store.saves).toBe(0);
    release();
    await s.settled();
    expect(store.of(7)).toMatchObject({ overall: 'A>B', confidence: 'fairly-confident', status: 'submitted', instanceId: 'pair-7' });
    // Pair 3 is shown swapped: "left clearly better" is B>>A in the dataset's orientation.
    expect(store.of(3)).toMatchObject({ overall: 'B>>A', confidence: 'absolutely-confident', status: 'submitted', swapped: true });
    expect(s.getState()).toMatchObject({ position: 2, idx: 9, waiting: 0, message: null });
    expect(store.position).toBe(2);
  });

  it('a key typed while a submit is being saved goes to the next item, never to the submitted one', async () => {
    const store = new MemoryStore();
    const s = session(store);
    s.start(QUEUE, 0);
    await s.settled();
    s.dispatch({ type: 'overall', shown: 'B>A' });
    s.dispatch({ type: 'confidence', value: 'not-confident' });
    const release = gate(store);
    s.dispatch({ type: 'submit' });
    s.dispatch({ type: 'overall', shown: 'A=B' });
    await new Promise((r) => setTimeout(r, 5));
    expect(s.getState().idx).toBe(3);
    expect(s.getState().draft).toBeNull();
    release();
    await s.settled();
    expect(store.of(7)).toMatchObject({ overall: 'B>A', status: 'submitted' });
    expect(store.of(3)).toMatchObject({ overall: 'A=B', status: 'draft' });
  });

  it('a queue that grows at its end (team mode) keeps the item, the keys in flight, and moves on from a finished last item', async () => {
    const store = new MemoryStore();
    const s = session(store);
    const first = Uint32Array.of(7, 3);
    s.start(first, 1);
    await s.settled();
    // Keys for item 3 are in flight when the server's next items arrive.
    const release = gate(store);
    s.dispatch({ type: 'overall', shown: 'A>B' });
    s.dispatch({ type: 'confidence', value: 'fairly-confident' });
    s.start(Uint32Array.of(7, 3, 9), 1);
    release();
    await s.settled();
    expect(s.getState()).toMatchObject({ position: 1, idx: 3 });
    expect(store.of(3)).toMatchObject({ overall: 'B>A', status: 'draft' });
    // The grown queue has item 9 after it: submitting moves on to it.
    s.dispatch({ type: 'submit' });
    await s.settled();
    expect(s.getState()).toMatchObject({ position: 2, idx: 9 });
    const longer = Uint32Array.of(7, 3, 9, 1);
    s.dispatch({ type: 'overall', shown: 'A>B' });
    s.dispatch({ type: 'confidence', value: 'fairly-confident' });
    s.dispatch({ type: 'submit' });
    await s.settled();
    // Submitting the last item stays on it; when more arrive, the session moves to the first new one.
    expect(s.getState().position).toBe(2);
    s.start(longer, 2);
    await s.settled();
    expect(s.getState()).toMatchObject({ position: 3, idx: 1 });
    expect(store.of(9)?.status).toBe('submitted');
  });

  it('submit without a preference says what is missing and stays', async () => {
    const store = new MemoryStore();
    const s = session(store);
    s.start(QUEUE, 0);
    s.dispatch({ type: 'overall', shown: 'A>B' });
    s.dispatch({ type: 'submit' });
    await s.settled();
    expect(s.getState().message).toBe('To submit, choose your confidence.');
    expect(s.getState().position).toBe(0);
    expect(store.of(7)?.status).toBe('draft');
  });

  it('undo after a submit goes back to that item and makes it a draft again, with its choices', async () => {
    const store = new MemoryStore();
    const s = session(store);
    s.start(QUEUE, 0);
    s.dispatch({ type: 'overall', shown: 'A>B' });
    s.dispatch({ type: 'confidence', value: 'fairly-confident' });
    s.dispatch({ type: 'submit' });
    await s.settled();
    expect(s.getState().position).toBe(1);
    expect(s.getState().canUndo).toBe(true);
    s.dispatch({ type: 'undo' });
    await s.settled();
    expect(s.getState().position).toBe(0);
    expect(s.getState().draft).toMatchObject({ idx: 7, status: 'draft', overall: 'A>B', confidence: 'fairly-confident' });
    expect(store.of(7)).toMatchObject({ status: 'draft', overall: 'A>B' });
    // Two more undos take the confidence and then the preference back; the item is as it started.
    s.dispatch({ type: 'undo' });
    s.dispatch({ type: 'undo' });
    await s.settled();
    expect(store.of(7)?.overall).toBeUndefined();
    expect(store.of(7)?.confidence).toBeUndefined();
    expect(s.getState().canUndo).toBe(false);
    // Submitting again works on the revision undo left (no conflict with itself).
    s.dispatch({ type: 'overall', shown: 'B>>A' });
    s.dispatch({ type: 'confidence', value: 'not-confident' });
    s.dispatch({ type: 'submit' });
    await s.settled();
    expect(s.getState().conflict).toBeNull();
    expect(store.of(7)).toMatchObject({ overall: 'B>>A', status: 'submitted' });
  });

  it('a change made in another tab is never overwritten: the conflict is shown, and either version can be kept', async () => {
    const store = new MemoryStore();
    const tab1 = session(store);
    const tab2 = session(store);
    tab1.start(QUEUE, 0);
    tab2.start(QUEUE, 0);
    await Promise.all([tab1.settled(), tab2.settled()]);
    tab1.dispatch({ type: 'overall', shown: 'A>B' });
    await tab1.settled();
    tab2.dispatch({ type: 'overall', shown: 'B>>A' });
    await tab2.settled();
    expect(store.of(7)).toMatchObject({ overall: 'A>B', rev: 1 });
    expect(tab2.getState().conflict?.current).toMatchObject({ overall: 'A>B', rev: 1 });
    // While in conflict, further changes are not made.
    tab2.dispatch({ type: 'confidence', value: 'fairly-confident' });
    await tab2.settled();
    expect(store.of(7)?.confidence).toBeUndefined();
    tab2.dispatch({ type: 'load-saved' });
    await tab2.settled();
    expect(tab2.getState()).toMatchObject({ conflict: null, canUndo: false });
    expect(tab2.getState().draft).toMatchObject({ overall: 'A>B' });
    // From the loaded version, tab 2 saves on top of tab 1's revision.
    tab2.dispatch({ type: 'confidence', value: 'fairly-confident' });
    await tab2.settled();
    expect(store.of(7)).toMatchObject({ overall: 'A>B', confidence: 'fairly-confident', rev: 2 });
    // Tab 1 now holds an old revision; "keep mine" writes its version over the newer one on purpose.
    tab1.dispatch({ type: 'overall', shown: 'A=B' });
    await tab1.settled();
    expect(tab1.getState().conflict?.current?.rev).toBe(2);
    tab1.dispatch({ type: 'keep-mine' });
    await tab1.settled();
    expect(store.of(7)).toMatchObject({ overall: 'A=B', rev: 3 });
    expect(tab1.getState().conflict).toBeNull();
  });

  it('after a reload the annotator resumes where they were, with what they saved, and goes on saving', async () => {
    const store = new MemoryStore();
    const before = session(store);
    before.start(QUEUE, 0);
    before.dispatch({ type: 'overall', shown: 'A>B' });
    before.dispatch({ type: 'confidence', value: 'fairly-confident' });
    before.dispatch({ type: 'submit' });
    before.dispatch({ type: 'overall', shown: 'B>A' });
    await before.settled();
    before.dispose();
    await new Promise((r) => setTimeout(r, 0));
    const after = session(store);
    after.start(QUEUE, store.position);
    await after.settled();
    expect(after.getState()).toMatchObject({ position: 1, idx: 3, conflict: null });
    // Pair 3 is shown swapped: "right slightly better" was stored as A>B.
    expect(after.getState().draft).toMatchObject({ overall: 'A>B', status: 'draft' });
    after.dispatch({ type: 'confidence', value: 'absolutely-confident' });
    after.dispatch({ type: 'submit' });
    after.dispatch({ type: 'move', delta: -2 });
    await after.settled();
    expect(store.of(3)).toMatchObject({ overall: 'A>B', confidence: 'absolutely-confident', status: 'submitted' });
    expect(after.getState().draft).toMatchObject({ idx: 7, status: 'submitted', overall: 'A>B' });
    // A submitted item takes no new preference until "edit again".
    after.dispatch({ type: 'overall', shown: 'A=B' });
    after.dispatch({ type: 'patch', patch: { status: 'draft' } });
    after.dispatch({ type: 'overall', shown: 'A=B' });
    await after.settled();
    expect(store.of(7)).toMatchObject({ overall: 'A=B', status: 'draft' });
  });

  it('a submit that cannot be saved stays on the item, drops the keys typed for the next one, and says so', async () => {
    const store = new MemoryStore();
    const s = session(store);
    s.start(QUEUE, 0);
    s.dispatch({ type: 'overall', shown: 'A>B' });
    s.dispatch({ type: 'confidence', value: 'fairly-confident' });
    await s.settled();
    store.failNext = true;
    s.dispatch({ type: 'submit' });
    s.dispatch({ type: 'overall', shown: 'B>>A' });
    await s.settled();
    expect(s.getState().position).toBe(0);
    expect(s.getState().message).toMatch(/^Not saved, so you are still on this item/);
    expect(String(s.getState().error)).toContain('disk is full');
    expect(store.of(7)).toMatchObject({ overall: 'A>B', status: 'draft' });
    expect(store.of(3)).toBeUndefined();
    // Trying again once the disk has room works.
    s.dispatch({ type: 'submit' });
    await s.settled();
    expect(store.of(7)?.status).toBe('submitted');
    expect(s.getState()).toMatchObject({ position: 1, error: null });
  });

  it('counts active time only while visible, and saves it when the page is hidden or the item left', async () => {
    const store = new MemoryStore();
    const s = session(store);
    s.start(QUEUE, 0);
    await s.settled();
    s.dispatch({ type: 'overall', shown: 'A>B' });
    await s.settled();
    store.tick += 4_000;
    s.setVisible(false);
    await s.settled();
    expect(store.of(7)?.activeMs).toBe(4_000);
    store.tick += 60_000;
    s.setVisible(true);
    store.tick += 1_000;
    s.dispatch({ type: 'move', delta: 1 });
    await s.settled();
    expect(store.of(7)?.activeMs).toBe(5_000);
  });

  it('flags with the reason given and unflags; skip records its reason and moves on', async () => {
    const store = new MemoryStore();
    const s = session(store);
    s.start(QUEUE, 0);
    s.dispatch({ type: 'flag', reason: 'offensive prompt' });
    await s.settled();
    expect(store.of(7)?.flag).toBe('offensive prompt');
    s.dispatch({ type: 'flag', reason: 'ignored' });
    await s.settled();
    expect(store.of(7)?.flag).toBeUndefined();
    s.dispatch({ type: 'skip', reason: 'cannot judge code' });
    await s.settled();
    expect(store.of(7)).toMatchObject({ status: 'skipped', skipReason: 'cannot judge code' });
    expect(s.getState().position).toBe(1);
  });
});

describe('keymap', () => {
  it('matches the physical key: Caps Lock, Shift and other layouts give the same action', () => {
    // AZERTY types "a" on the key QWERTY calls Q; Caps Lock makes "S"; the code is the same either way.
    expect(actionOf(DEFAULT_KEYMAP, 'KeyQ')).toBe('confidence-absolutely');
    expect(actionOf(DEFAULT_KEYMAP, 'KeyS')).toBe('skip');
    expect(actionOf(DEFAULT_KEYMAP, 'Digit5')).toBe('overall-5');
    expect(actionOf(DEFAULT_KEYMAP, 'Numpad1')).toBe('overall-1');
    expect(actionOf(DEFAULT_KEYMAP, 'KeyS', { ctrlKey: true })).toBeNull();
    expect(actionOf(DEFAULT_KEYMAP, 'KeyZ')).toBeNull();
  });

  it('can be changed: a key moves to the new action and leaves the old one; reserved keys are refused', () => {
    const m = rebind(DEFAULT_KEYMAP, 'skip', 'KeyN');
    expect(actionOf(m, 'KeyN')).toBe('skip');
    expect(actionOf(m, 'KeyS')).toBeNull();
    expect(m.next).toEqual(['ArrowRight']);
    expect(() => rebind(DEFAULT_KEYMAP, 'skip', 'Escape')).toThrow(KeymapError);
    expect(parseKeymap(JSON.stringify(m))).toEqual(m);
    expect(keyLabel('KeyS')).toBe('s');
    expect(keyLabel('Slash')).toBe('?');
  });

  it('a stored keymap that is wrong is refused with what is wrong', () => {
    expect(() => parseKeymap('{')).toThrow(/not JSON/);
    expect(() => parseKeymap('{"jump": ["KeyJ"]}')).toThrow(/unknown action "jump"/);
    expect(() => parseKeymap('{"skip": "KeyS"}')).toThrow(/"skip" must list key codes/);
    expect(() => parseKeymap('{"skip": ["KeyF"]}')).toThrow(/f is bound to both "skip" and "flag"/);
  });
});
