// Names from outside (a pack's project name, an annotator's name, a file name) may hold Unicode bidi controls:
// a U+202E (right-to-left override) in a name reverses the rest of the app's sentence it is shown in. Shown
// names are isolated: their own controls removed, the name wrapped in first-strong isolates (FSI ... PDI), so
// its direction stays inside it. Stored values are never changed.

const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g;

/** `text` without bidi embedding, override, isolate and mark controls. */
export function stripBidiControls(text: string): string {
  return text.replace(BIDI_CONTROLS, '');
}

/** A name for display inside the app's own text (also where markup cannot go: <option>, title, a template). */
export function isolateName(text: string): string {
  return `\u2068${stripBidiControls(text)}\u2069`;
}
