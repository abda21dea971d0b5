// The list of built-in PPMs shipped under public/ppm/ (index.json, written by scripts/build-ppms.mjs).
import { PPM_KINDS, type PpmKind } from './contract';

export interface PpmIndexEntry {
  /** Stable id (e.g. "paper-prior"). */
  id: string;
  /** Name shown to people. */
  name: string;
  /** File name next to index.json. */
  file: string;
  /** Lowercase hex SHA-256 of the file's bytes. */
  sha256: string;
  /** File size in bytes. */
  bytes: number;
  kind: PpmKind;
  /** What the output means (same text as the model's hyper.ppm.output). */
  output: string;
  /** Where the model came from (same text as the model's hyper.ppm.source). */
  source: string;
  /** Number of input features. */
  features: number;
}

export interface PpmIndex {
  version: 1;
  models: PpmIndexEntry[];
}

/** Parses and checks index.json; throws Error naming the first bad field. */
export function parsePpmIndex(jsonText: string): PpmIndex {
  let raw: unknown;
  try {
    raw = JSON.parse(jsonText);
  } catch (e) {
    throw new Error(`PPM index: not valid JSON (${(e as Error).message})`);
  }
  const o = raw as { version?: unknown; models?: unknown };
  if (typeof raw !== 'object' || raw === null || o.version !== 1 || !Array.isArray(o.models)) {
    throw new Error('PPM index: expected {"version": 1, "models": [...]}');
  }
  const ids = new Set<string>();
  const models = o.models.map((m: unknown, i: number): PpmIndexEntry => {
    const e = (m ?? {}) as Record<string, unknown>;
    const str = (k: string): string => {
      const v = e[k];
      if (typeof v !== 'string' || v === '') throw new Error(`PPM index: models[${i}].${k} must be a non-empty string`);
      return v;
    };
    const int = (k: string): number => {
      const v = e[k];
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0)
        throw new Error(`PPM index: models[${i}].${k} must be a non-negative integer`);
      return v;
    };
    const id = str('id');
    if (ids.has(id)) throw new Error(`PPM index: id "${id}" appears twice`);
    ids.add(id);
    const file = str('file');
    if (file.includes('/') || file.includes('\\') || file.startsWith('.'))
      throw new Error(`PPM index: models[${i}].file "${file}" must be a plain file name`);
    const sha256 = str('sha256');
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`PPM index: models[${i}].sha256 must be 64 lowercase hex digits`);
    const kind = str('kind');
    if (!(PPM_KINDS as readonly string[]).includes(kind))
      throw new Error(`PPM index: models[${i}].kind "${kind}" is not one of ${PPM_KINDS.join(', ')}`);
    return {
      id,
      name: str('name'),
      file,
      sha256,
      bytes: int('bytes'),
      kind: kind as PpmKind,
      output: str('output'),
      source: str('source'),
      features: int('features'),
    };
  });
  return { version: 1, models };
}
