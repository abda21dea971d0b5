import { coverageText, tagsOf } from '../domain/tags/tag-set';
import { SCORE_NAMES } from '../domain/instance';
import { parseArgs } from './args';
import { writeOutputFile } from './outputs';
import { computeTagSet, datasetOptions, readDataset } from './tags-from-file';

export const TAGS_HELP = `hyper tags: compute the 90 HyPER tags of every pair in a file

Usage:
  npx hyper tags --input FILE --output OUT.jsonl [options]

("hyper features", the command's first name, does the same.)

Reads any file the app imports (JSONL, JSON, CSV, TSV, Parquet, optionally .gz; the same layouts) and writes
one JSON line per pair: {"id", "scores": {...}, "tags": [...]}. Scores: prompt_len, len_shorter, len_longer,
token_len_diff (Llama-2 token counts), rouge (ROUGE-1 F of A vs B), entity_sim, and cosine_sim, bertscore,
bertscore_length when the file has those columns. Tags are the paper's feature strings; length scores are
binned on their percentile rank over the file, the others on their value.

Options:
  --input FILE       the dataset file (required)
  --output FILE      where to write the JSONL (required)
  --layout NAME      force a layout: pairs, hyper-multipref, trl-string, trl-conversational, arena,
                     anthropic-hh, custom (default: recognised from the columns)
  --mapping FILE     a JSON column mapping (required for --layout custom), e.g.
                     {"prompt": ["instruction", "input"], "responseA": "response1", "responseB": "response2"}
  --side-seed N      seed of the coin that places TRL/HH chosen responses on A or B (default 1)
  --help             this text
`;

/** Runs `hyper tags` (also called as `hyper features`); returns the process exit code. */
export async function tagsCommand(argv: readonly string[], log: (s: string) => void): Promise<number> {
  const args = parseArgs(argv, [
    { name: 'input', value: true, required: true },
    { name: 'output', value: true, required: true },
    { name: 'layout', value: true },
    { name: 'mapping', value: true },
    { name: 'side-seed', value: true },
    { name: 'seed', value: true, renamedTo: 'side-seed' },
    { name: 'help', value: false },
  ]);
  if (args.help) {
    log(TAGS_HELP);
    return 0;
  }
  const input = String(args.input);
  const started = performance.now();
  const { records } = await readDataset(input, datasetOptions(args, '--side-seed'), log);
  const fs = await computeTagSet(records, input, started);
  const lines: string[] = [];
  records.forEach((rec, i) => {
    const scores: Record<string, number> = {};
    for (const s of SCORE_NAMES) {
      const v = fs.columns[s][i]!;
      if (!Number.isNaN(v)) scores[s] = v;
    }
    lines.push(JSON.stringify({ id: rec.id, scores, tags: tagsOf(fs.tagBits, i) }));
  });
  await writeOutputFile(String(args.output), lines.length ? `${lines.join('\n')}\n` : '');
  log(
    `wrote ${records.length} pairs to ${String(args.output)}: ${coverageText(fs.coverage)}, ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  for (const c of fs.coverage.filter((c) => !c.available && c.tag.endsWith('min_val=0.0|max_val=0.33')))
    log(`  unavailable: ${c.tag.split('::')[0]}: ${c.reason}`);
  if (fs.withDescriptive === 0) log('  unavailable: the 63 descriptive tags (no analyzer columns in the file)');
  return 0;
}
