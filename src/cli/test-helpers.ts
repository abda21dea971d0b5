// Shared by the CLI tests: capture what a command writes to stdout and stderr.
import { afterEach, vi } from 'vitest';

export function capture(): { out: () => string; err: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true));
  return { out: () => out.join(''), err: () => err.join('') };
}

/** Call at the top level of a test file that uses capture(). */
export function restoreOutputAfterEach(): void {
  afterEach(() => vi.restoreAllMocks());
}
