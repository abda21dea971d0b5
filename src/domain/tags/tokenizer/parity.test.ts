// Parity with the reference pipeline's token counts (SentencePiece, Llama-2 vocabulary, no BOS) on the shared
// pairs: ../shared/data/parity/lexical-reference.jsonl joined by id with ../shared/data/pairs/*.jsonl.
// Skips itself where ../shared is not checked out.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { countTokens } from './index';

const PAIRS_DIR = path.resolve(process.cwd(), '../shared/data/pairs');
const REFERENCE = path.resolve(process.cwd(), '../shared/data/parity/lexical-reference.jsonl');

const readJsonl = (file: string): Array<Record<string, unknown>> =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe.skipIf(!existsSync(REFERENCE) || !existsSync(PAIRS_DIR))('llama tokenizer: parity with the reference counts', () => {
  it('equals the reference on >= 99.5% of texts and is within 1 token on every text', () => {
    const pairs = new Map<string, Record<string, unknown>>();
    for (const file of readdirSync(PAIRS_DIR).filter((f) => f.endsWith('.jsonl'))) {
      for (const row of readJsonl(path.join(PAIRS_DIR, file))) pairs.set(String(row.id), row);
    }
    const fields = [
      ['prompt', 'prompt_tokens'],
      ['response_a', 'a_tokens'],
      ['response_b', 'b_tokens'],
    ] as const;
    let texts = 0;
    let equal = 0;
    let maxDiff = 0;
    const missing: string[] = [];
    const worst: string[] = [];
    for (const ref of readJsonl(REFERENCE)) {
      const pair = pairs.get(String(ref.id));
      if (!pair) {
        missing.push(String(ref.id));
        continue;
      }
      for (const [textField, countField] of fields) {
        const text = pair[textField];
        const expected = ref[countField];
        const got = countTokens(typeof text === 'string' ? text : String(text ?? ''));
        texts++;
        if (got === expected) equal++;
        else if (worst.length < 5) worst.push(`${String(ref.id)}.${textField}: ${got} vs ${String(expected)}`);
        maxDiff = Math.max(maxDiff, Math.abs(got - Number(expected)));
      }
    }
    const agreement = equal / texts;
    console.log(
      `llama tokenizer parity: ${equal}/${texts} texts equal (${(100 * agreement).toFixed(2)}%), max |diff| ${maxDiff}` +
        (worst.length ? `; e.g. ${worst.join(', ')}` : ''),
    );
    expect(missing).toEqual([]);
    expect(texts).toBeGreaterThan(0);
    expect(agreement).toBeGreaterThanOrEqual(0.995);
    expect(maxDiff).toBeLessThanOrEqual(1);
  });
});
