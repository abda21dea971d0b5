// A small, strict argument parser: unknown flags and missing values are errors with a clear message.
import { HyperError } from '../domain/errors';

export class UsageError extends HyperError<'usage'> {
  constructor(message: string) {
    super('usage', message);
  }
}

export interface FlagSpec {
  name: string;
  value: boolean;
  required?: boolean;
  /** An old name: using it is an error that gives the new one. */
  renamedTo?: string;
}

/** Parses `--flag value` / `--flag=value` / `--switch` against a spec. */
export function parseArgs(argv: readonly string[], spec: readonly FlagSpec[]): Record<string, string | true> {
  const out: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument "${arg}"`);
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    const flag = spec.find((f) => f.name === name);
    if (!flag) throw new UsageError(`unknown option --${name}`);
    if (flag.renamedTo) throw new UsageError(`--${name} is now called --${flag.renamedTo}`);
    if (!flag.value) {
      out[name] = true;
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined || (inline === undefined && value.startsWith('--'))) throw new UsageError(`--${name} needs a value`);
    out[name] = value;
  }
  for (const f of spec) if (f.required && out[f.name] === undefined && !out.help) throw new UsageError(`--${f.name} is required`);
  return out;
}
