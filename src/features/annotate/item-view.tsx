import { useState } from 'react';
import { Markdown } from '../../components/markdown';
import { TextDiff } from '../../components/text-diff';
import type { InstanceRow } from '../../storage/db';

/** Characters shown before "Show all": a hostile or broken 200k-character output stalls the browser's layout. */
export const SHOWN_CHARS = 20_000;

/**
 * Runs of 80+ characters without whitespace get a zero-width break opportunity every 40: with only
 * overflow-wrap to break them, Chromium's layout of a long unbroken run grows much faster than its length.
 */
export function breakLongRuns(s: string): string {
  return s.replace(/\S{80,}/g, (run) => run.replace(/(.{40})/gsu, '$1\u200b'));
}

/** How much of a text to show at first: less when it holds a long run without whitespace (slow to lay out). */
export function shownChars(text: string): number {
  return /\S{1000}/.test(text) ? 2_000 : SHOWN_CHARS;
}

function Clipped({ text, what }: { text: string; what: string }) {
  const [all, setAll] = useState(false);
  const limit = shownChars(text);
  if (all || text.length <= limit) return <Markdown text={breakLongRuns(text)} />;
  return (
    <>
      <Markdown text={breakLongRuns(text.slice(0, limit))} />
      <p className="mt-2 rounded bg-amber-50 p-2 text-xs text-amber-900">
        {what} is {text.length.toLocaleString('en-US')} characters long; the first {limit.toLocaleString('en-US')} are shown.{' '}
        <button type="button" className="underline" onClick={() => setAll(true)}>Show all</button>
      </p>
    </>
  );
}

/** The prompt and the two responses (side by side, stacked on narrow screens); each response scrolls on its own. */
export function ItemView({ item, swapped, showDiff }: { item: InstanceRow; swapped: boolean; showDiff: boolean }) {
  const left = swapped ? item.responseB : item.responseA;
  const right = swapped ? item.responseA : item.responseB;
  const limit = Math.min(shownChars(left), shownChars(right));
  const clipped = left.length > limit || right.length > limit;
  return (
    <div className="space-y-3">
      <section aria-label="Prompt" className="max-h-64 overflow-auto rounded-lg border border-slate-200 bg-white p-3">
        <h3 className="mb-1 text-xs font-semibold uppercase text-slate-500">Prompt</h3>
        {item.messages && item.messages.length > 1 ? (
          <ol className="space-y-2">
            {item.messages.map((m, i) => (
              <li key={i}>
                <span className="text-xs font-semibold text-slate-500">{m.role}</span>
                <Clipped text={m.content} what="This turn" />
              </li>
            ))}
          </ol>
        ) : (
          <Clipped text={item.prompt} what="The prompt" />
        )}
      </section>
      {showDiff ? (
        <section aria-label="Differences between the responses" className="max-h-[60vh] overflow-auto rounded-lg border border-slate-200 bg-white p-3">
          <h3 className="mb-1 text-xs font-semibold uppercase text-slate-500">Left → Right</h3>
          {clipped && <p className="mb-1 text-xs text-amber-800">Compared on the first {limit.toLocaleString('en-US')} characters of each response.</p>}
          <TextDiff a={breakLongRuns(left.slice(0, limit))} b={breakLongRuns(right.slice(0, limit))} aLabel="Left" bLabel="Right" />
        </section>
      ) : (
        <div className="grid gap-3 md:grid-cols-2">
          <section aria-label="Left response" className="max-h-[60vh] min-w-0 overflow-auto rounded-lg border border-slate-200 bg-white p-3">
            <h3 className="mb-1 text-xs font-semibold uppercase text-slate-500">Left response</h3>
            <Clipped text={left} what="This response" />
          </section>
          <section aria-label="Right response" className="max-h-[60vh] min-w-0 overflow-auto rounded-lg border border-slate-200 bg-white p-3">
            <h3 className="mb-1 text-xs font-semibold uppercase text-slate-500">Right response</h3>
            <Clipped text={right} what="This response" />
          </section>
        </div>
      )}
    </div>
  );
}
