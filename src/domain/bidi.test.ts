import { describe, expect, it } from 'vitest';
import { stripBidiControls } from './bidi';

describe('bidi isolation of names', () => {
  it('removes embedding, override, isolate and mark controls', () => {
    expect(stripBidiControls('ana\u202e evil\u202c')).toBe('ana evil');
    expect(stripBidiControls('\u2067x\u2069\u200f')).toBe('x');
    expect(stripBidiControls('\u202eabc')).toBe('abc');
    // Right-to-left letters stay; only the controls go.
    expect(stripBidiControls('שלום')).toBe('שלום');
  });
});
