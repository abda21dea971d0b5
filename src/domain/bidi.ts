// Names from outside (a pack's project name, an annotator's name, a file name) may hold Unicode bidi controls:
// a U+202E (right-to-left override) in a name reverses the rest of the app's sentence it is shown in. Shown
// names lose their own controls, and in markup sit in a <bdi> (components/name.tsx), so that a right-to-left
// name stays inside itself. Stored values are never changed.

const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g;

/** `text` without bidi embedding, override, isolate and mark controls. */
export function stripBidiControls(text: string): string {
  return text.replace(BIDI_CONTROLS, '');
}
