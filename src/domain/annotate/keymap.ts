// The annotation keys. Keys are matched by KeyboardEvent.code (the physical key), not by the character it
// types, so Caps Lock, Shift and non-QWERTY layouts (AZERTY, Dvorak, Cyrillic) give the same commands. The keymap
// can be changed by the annotator; it is stored as JSON and read back with parseKeymap.
import { HyperError } from '../errors';

export const KEY_ACTIONS = [
  'overall-1',
  'overall-2',
  'overall-3',
  'overall-4',
  'overall-5',
  'confidence-absolutely',
  'confidence-fairly',
  'confidence-not',
  'submit',
  'skip',
  'flag',
  'undo',
  'next',
  'previous',
  'diff',
  'reveal',
  'guidelines',
  'help',
] as const;
export type KeyAction = (typeof KEY_ACTIONS)[number];

/** Per action, the KeyboardEvent.code values that trigger it. */
export type Keymap = Record<KeyAction, readonly string[]>;

export const DEFAULT_KEYMAP: Keymap = {
  'overall-1': ['Digit1', 'Numpad1'],
  'overall-2': ['Digit2', 'Numpad2'],
  'overall-3': ['Digit3', 'Numpad3'],
  'overall-4': ['Digit4', 'Numpad4'],
  'overall-5': ['Digit5', 'Numpad5'],
  'confidence-absolutely': ['KeyQ'],
  'confidence-fairly': ['KeyW'],
  'confidence-not': ['KeyE'],
  submit: ['Enter', 'NumpadEnter'],
  skip: ['KeyS'],
  flag: ['KeyF'],
  undo: ['KeyU'],
  next: ['KeyN', 'ArrowRight'],
  previous: ['KeyP', 'ArrowLeft'],
  diff: ['KeyD'],
  reveal: ['KeyR'],
  guidelines: ['KeyG'],
  help: ['Slash'],
};

export const KEY_ACTION_TEXT: Record<KeyAction, string> = {
  'overall-1': 'overall: left clearly better',
  'overall-2': 'overall: left slightly better',
  'overall-3': 'overall: tie',
  'overall-4': 'overall: right slightly better',
  'overall-5': 'overall: right clearly better',
  'confidence-absolutely': 'confidence: absolutely confident',
  'confidence-fairly': 'confidence: fairly confident',
  'confidence-not': 'confidence: not confident',
  submit: 'submit (Ctrl+Enter inside a text field)',
  skip: 'skip (with the reason typed in "Skip reason")',
  flag: 'flag / unflag',
  undo: 'undo the last change (also Ctrl+Z)',
  next: 'next item',
  previous: 'previous item',
  diff: 'show the differences between the responses',
  reveal: 'reveal the LM label (after submitting)',
  guidelines: 'guidelines',
  help: 'this help',
};

/** Codes that never become annotation keys: they move focus, close things, or belong to the browser. */
const RESERVED = new Set([
  'Escape',
  'Tab',
  'Space',
  'ShiftLeft',
  'ShiftRight',
  'ControlLeft',
  'ControlRight',
  'AltLeft',
  'AltRight',
  'MetaLeft',
  'MetaRight',
  'CapsLock',
  'F5',
  'F11',
  'F12',
]);

/** The action of a key press (its code), or null. Presses with Ctrl, Alt or Meta are never actions. */
export function actionOf(
  keymap: Keymap,
  code: string,
  mods: { ctrlKey?: boolean; altKey?: boolean; metaKey?: boolean } = {},
): KeyAction | null {
  if (mods.ctrlKey || mods.altKey || mods.metaKey) return null;
  for (const action of KEY_ACTIONS) if (keymap[action].includes(code)) return action;
  return null;
}

/** Whether a code can be bound (not Escape, Tab, a modifier, ...). */
export function bindable(code: string): boolean {
  return code !== '' && !RESERVED.has(code);
}

/** The keymap with `code` bound to `action` (and to nothing else). */
export function rebind(keymap: Keymap, action: KeyAction, code: string): Keymap {
  if (!bindable(code)) throw new KeymapError(`${keyLabel(code)} cannot be an annotation key`);
  const out = {} as Record<KeyAction, readonly string[]>;
  for (const a of KEY_ACTIONS) out[a] = a === action ? [code] : keymap[a].filter((c) => c !== code);
  return out;
}

export class KeymapError extends HyperError<'bad-keymap'> {
  constructor(message: string) {
    super('bad-keymap', message);
  }
}

/** Reads a stored keymap; actions it lacks keep their default keys. Throws KeymapError naming what is wrong. */
export function parseKeymap(text: string): Keymap {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new KeymapError(`the keymap is not JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    throw new KeymapError('the keymap must be a JSON object of action -> key codes');
  const out: Record<string, readonly string[]> = { ...DEFAULT_KEYMAP };
  const seen = new Map<string, string>();
  for (const [action, codes] of Object.entries(raw as Record<string, unknown>)) {
    if (!(KEY_ACTIONS as readonly string[]).includes(action))
      throw new KeymapError(`unknown action "${action}" (known: ${KEY_ACTIONS.join(', ')})`);
    if (!Array.isArray(codes) || codes.some((c) => typeof c !== 'string' || !bindable(c)))
      throw new KeymapError(`"${action}" must list key codes such as "KeyS" or "Digit1"`);
    out[action] = codes as string[];
  }
  for (const action of KEY_ACTIONS) {
    for (const code of out[action]!) {
      const other = seen.get(code);
      if (other) throw new KeymapError(`${keyLabel(code)} is bound to both "${other}" and "${action}"`);
      seen.set(code, action);
    }
  }
  return out as Keymap;
}

const NAMED: Record<string, string> = {
  Slash: '?',
  ArrowRight: '→',
  ArrowLeft: '←',
  ArrowUp: '↑',
  ArrowDown: '↓',
  Enter: 'Enter',
  NumpadEnter: 'Enter (keypad)',
  Space: 'Space',
};

/** How a code is shown in the help: the character it types on a US layout ("KeyS" -> "s", "Digit1" -> "1"). */
export function keyLabel(code: string): string {
  if (NAMED[code]) return NAMED[code]!;
  let m = /^Key([A-Z])$/.exec(code);
  if (m) return m[1]!.toLowerCase();
  m = /^Digit(\d)$/.exec(code);
  if (m) return m[1]!;
  m = /^Numpad(\d)$/.exec(code);
  if (m) return `${m[1]} (keypad)`;
  return code;
}
