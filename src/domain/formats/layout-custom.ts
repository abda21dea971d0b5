// Files no recogniser knows, read through the user's column mapping.
import { ImportError } from '../errors';
import { completeRecord, RowFields, type LabelCell } from './record-builder';
import type { ColumnMapping, MapOptions, MapResult, RawRow, Layout } from './types';

export const customLayout: Layout = {
  id: 'custom',
  score() {
    return 0; // never chosen automatically
  },
  map(row: RawRow, options: MapOptions): MapResult {
    const mapping = requireMapping(options.mapping);
    const f = new RowFields(row);
    const warnings: string[] = [];
    const prompt = joinPromptColumns(f, mapping.prompt, warnings);
    if (prompt !== undefined && typeof prompt === 'object') return prompt;
    const votes: LabelCell[] = (mapping.humanLabels ?? []).map((column) => ({
      column,
      value: f.take(column),
      ...(mapping.humanReading ? { reading: mapping.humanReading } : {}),
    }));
    const lm: LabelCell | undefined = mapping.lmLabel
      ? { column: mapping.lmLabel, value: f.take(mapping.lmLabel), ...(mapping.lmReading ? { reading: mapping.lmReading } : {}) }
      : undefined;
    return completeRecord(
      f,
      {
        id: mapping.id ? f.take(mapping.id) : undefined,
        prompt,
        responseA: f.take(mapping.responseA),
        responseB: f.take(mapping.responseB),
        modelA: mapping.modelA ? f.take(mapping.modelA) : undefined,
        modelB: mapping.modelB ? f.take(mapping.modelB) : undefined,
        lm,
        lmJudge: lm ? mapping.lmJudge : undefined,
        humanVotes: votes,
        warnings,
      },
      options,
    );
  },
};

/** The mapping, or ImportError 'bad-mapping' when it is missing or lacks the prompt or a response column. */
export function requireMapping(mapping: ColumnMapping | undefined): ColumnMapping {
  if (!mapping) throw new ImportError('bad-mapping', 'No column mapping was given: choose the prompt and response columns.');
  if (mapping.prompt.length === 0) throw new ImportError('bad-mapping', 'The column mapping names no prompt column.');
  if (!mapping.responseA || !mapping.responseB)
    throw new ImportError('bad-mapping', 'The column mapping needs a column for response A and one for response B.');
  return mapping;
}

/** Checks a mapping against the file's columns; throws ImportError 'bad-mapping' naming the first unknown column. */
export function checkMappingColumns(mapping: ColumnMapping | undefined, columns: readonly string[]): ColumnMapping {
  const m = requireMapping(mapping);
  const known = new Set(columns);
  const named: Array<[string, string | undefined]> = [
    ['id', m.id],
    ...m.prompt.map((c): [string, string] => ['prompt', c]),
    ['response A', m.responseA],
    ['response B', m.responseB],
    ['model A', m.modelA],
    ['model B', m.modelB],
    ['LM label', m.lmLabel],
    ...(m.humanLabels ?? []).map((c): [string, string] => ['human label', c]),
  ];
  for (const [role, column] of named) {
    if (column !== undefined && !known.has(column)) {
      throw new ImportError('bad-mapping', `The ${role} column "${column}" is not in the file.`);
    }
  }
  const used = new Map<string, string>();
  for (const [role, column] of named) {
    if (column === undefined) continue;
    const before = used.get(column);
    // One column in two roles (both responses, a response and a label) is a mistake; only votes share a role.
    if (before !== undefined && !(before === 'human label' && role === 'human label')) {
      throw new ImportError('bad-mapping', `The column "${column}" is mapped twice (as ${before} and as ${role}).`);
    }
    used.set(column, role);
  }
  return m;
}

// Prompt parts joined with a blank line; empty parts are skipped, numbers and booleans become text.
function joinPromptColumns(
  f: RowFields,
  columns: readonly string[],
  warnings: string[],
): string | undefined | { ok: false; reason: string } {
  const parts: string[] = [];
  for (const column of columns) {
    const value = f.take(column);
    if (value === undefined || value === null) continue;
    if (typeof value === 'string') {
      if (value.trim() !== '') parts.push(value);
      continue;
    }
    if (typeof value === 'number' || typeof value === 'boolean') {
      warnings.push(`${column} is a ${typeof value}, imported as the text "${String(value)}"`);
      parts.push(String(value));
      continue;
    }
    return { ok: false, reason: `${column} is ${Array.isArray(value) ? 'an array' : 'an object'}, expected text` };
  }
  return parts.length === 0 ? undefined : parts.join('\n\n');
}
