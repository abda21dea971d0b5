// What travels with every export: a JSON manifest that says how the file was made (enough to make it again)
// and a dataset card (README.md) with the same numbers in prose.
import { PREFERENCES } from '../labels';
import type { MergeSummary } from '../merge/merge';
import { aggregationText } from '../merge/options';
import type { PlanFile } from '../routing/plan-file';
import { datasetsLoadCall, FORMAT_INFO, type ExportFormat } from './formats';
import type { TextFixes } from './text-fixes';
import type { WriterStats } from './writers';

export const MANIFEST_FORMAT = 'hyper-export-manifest';
export const MANIFEST_VERSION = 1;

export interface ExportContext {
  /** The app's name and version (from package.json, passed in). */
  app: { name: string; version: string };
  dataset: { name: string; sha256?: string };
  /** The routing plan the merge followed; null when there was none (everything LM-labelled). */
  plan: Pick<
    PlanFile,
    'strategy' | 'seed' | 'budget' | 'predicted' | 'predictedAllLm' | 'predictedAllHuman' | 'candidates' | 'ppm' | 'createdAt' | 'human'
  > | null;
  format: ExportFormat;
  /** ISO time of the export (passed in, so the manifest is reproducible in tests). */
  createdAt: string;
  /** The command line, for exports made by the CLI. */
  command?: string;
  /** The data file's name inside the export. */
  dataFile: string;
}

export interface ExportManifest {
  format: typeof MANIFEST_FORMAT;
  version: typeof MANIFEST_VERSION;
  producedBy: { app: string; version: string; command?: string };
  createdAt: string;
  dataset: { name: string; sha256: string | null; instances: number };
  routing: {
    strategy: string;
    seed: number | null;
    candidates: number | null;
    budget: PlanFile['budget'];
    routed: number;
    predicted: number;
    predictedAllLm: number;
    predictedAllHuman: number;
    ppm: { name: string; sha256: string; kind: string; output: string };
    planCreatedAt: string;
  } | null;
  merge: {
    options: { aggregate: string; unlabelled: string; ties: string; fileHuman: string; planId: string | null; degenerate: string };
    counts: Omit<MergeSummary, 'options'>;
  };
  export: {
    format: ExportFormat;
    file: string;
    rows: number;
    bytes: number;
    sha256: string | null;
    /** Ties kept by the merge that the format could not express (TRL), left out of the file. */
    skippedTies: number;
    /** What had to change in text to write it (see text-fixes.ts); all zero for JSON lines. */
    textFixes: TextFixes;
    loadWith: string;
  };
}

export function buildManifest(ctx: ExportContext, summary: MergeSummary, stats: WriterStats, fileSha256?: string): ExportManifest {
  const { options, ...counts } = summary;
  const p = ctx.plan;
  return {
    format: MANIFEST_FORMAT,
    version: MANIFEST_VERSION,
    producedBy: { app: ctx.app.name, version: ctx.app.version, ...(ctx.command ? { command: ctx.command } : {}) },
    createdAt: ctx.createdAt,
    dataset: { name: ctx.dataset.name, sha256: ctx.dataset.sha256 ?? null, instances: summary.instances },
    routing: p
      ? {
          strategy: p.strategy,
          seed: p.seed,
          candidates: p.candidates,
          budget: p.budget,
          routed: p.human.length,
          predicted: p.predicted,
          predictedAllLm: p.predictedAllLm,
          predictedAllHuman: p.predictedAllHuman,
          ppm: { name: p.ppm.name, sha256: p.ppm.sha256, kind: p.ppm.kind, output: p.ppm.output },
          planCreatedAt: p.createdAt,
        }
      : null,
    merge: {
      options: {
        aggregate: aggregationText(options.aggregate),
        unlabelled: options.unlabelled,
        ties: options.ties,
        fileHuman: options.fileHuman,
        planId: options.planId ?? null,
        degenerate: options.degenerate,
      },
      counts,
    },
    export: {
      format: ctx.format,
      file: ctx.dataFile,
      rows: stats.rows,
      bytes: stats.bytes,
      sha256: fileSha256 ?? null,
      skippedTies: stats.skippedTies,
      textFixes: { ...stats.textFixes },
      loadWith: datasetsLoadCall(ctx.format, ctx.dataFile),
    },
  };
}

const pct = (x: number, of: number) => (of === 0 ? '–' : `${((100 * x) / of).toFixed(1)}%`);
const num = (x: number) => x.toLocaleString('en-US');

/** The dataset card: a README.md in Hugging Face's card layout (YAML header naming the data file). */
export function renderDatasetCard(m: ExportManifest): string {
  const c = m.merge.counts;
  const o = m.merge.options;
  const r = m.routing;
  const info = FORMAT_INFO[m.export.format];
  const lines: string[] = [
    '---',
    'configs:',
    '- config_name: default',
    '  data_files:',
    '  - split: train',
    `    path: ${JSON.stringify(m.export.file)}`,
    'tags:',
    '- preference',
    '- hybrid-preferences',
    '---',
    '',
    `# ${m.dataset.name}: hybrid preferences`,
    '',
    `A preference dataset whose labels mix human judgements and an LM judge's. ${num(m.export.rows)} pairs in ` +
      `\`${m.export.file}\` (${info.title}). Made with ${m.producedBy.app} ${m.producedBy.version} on ${m.createdAt}.`,
    '',
    '## How the labels were chosen',
    '',
  ];
  if (r) {
    lines.push(
      `A routing plan picked the pairs that people would label, following HyPER (Miranda et al., 2024, arXiv 2410.19133): ` +
        `strategy \`${r.strategy}\`${r.seed === null ? '' : ` with seed ${r.seed}`}${r.candidates === null ? '' : ` over ${num(r.candidates)} candidates`}, ` +
        `a budget of ${num(r.budget.count)} pairs (${r.budget.kind} ${r.budget.value}), and the performance prediction model ` +
        `\`${r.ppm.name}\` (${r.ppm.kind}, sha256 \`${r.ppm.sha256.slice(0, 12)}…\`). The model predicted ${r.predicted.toFixed(4)} for this mix, ` +
        `against ${r.predictedAllLm.toFixed(4)} with LM labels only and ${r.predictedAllHuman.toFixed(4)} with human labels only ` +
        `(its output: ${r.ppm.output}).`,
      '',
    );
  } else {
    lines.push("No routing plan was used: every label is the LM judge's.", '');
  }
  lines.push(
    `A pair people labelled takes its human label: ${describeAggregate(o.aggregate)}. ` +
      (o.planId === null
        ? 'Annotations made under every routing plan of the project count, so labels made before a re-route stay in the dataset. '
        : `Only annotations made under plan \`${o.planId}\` count. `) +
      (o.fileHuman === 'use' ? 'Where nobody annotated a routed pair, the human label that came with the dataset stands in. ' : '') +
      (o.unlabelled === 'lm'
        ? 'A routed pair without a human label keeps the LM label. '
        : 'A routed pair without a human label is left out. ') +
      'Every other pair takes the LM label. ' +
      (o.ties === 'drop' ? 'Pairs whose final label is a tie are dropped, whichever source gave it. ' : 'Ties are kept. ') +
      (o.degenerate === 'drop'
        ? 'Pairs with an empty response or two identical responses carry no preference and are left out.'
        : 'Pairs with an empty response or two identical responses were kept on request.') +
      (m.export.skippedTies > 0
        ? ` The TRL format cannot express a tie, so ${num(m.export.skippedTies)} kept ties are not in this file.`
        : ''),
    '',
    '## Numbers',
    '',
    '| | pairs |',
    '| --- | ---: |',
    `| in the source dataset | ${num(c.instances)} |`,
    `| routed to humans | ${num(c.routed)} |`,
    `| routed and labelled by humans | ${num(c.routedLabelled)} |`,
    `| not routed by this plan, labelled by humans under another | ${num(c.humanOutsidePlan)} |`,
    `| routed without a human label | ${num(c.routedUnlabelled)} (LM label used for ${num(c.routedUnlabelledToLm)}) |`,
    `| in the merged dataset | ${num(c.output)} |`,
    `| with a human label | ${num(c.bySource.human)} (${pct(c.bySource.human, c.output)}) |`,
    `| with an LM label | ${num(c.bySource.lm)} (${pct(c.bySource.lm, c.output)}) |`,
    `| ties dropped (human / LM) | ${num(c.tiesDropped.human)} / ${num(c.tiesDropped.lm)} |`,
    `| ties kept | ${num(c.tiesKept)} |`,
    `| left out: routed but unlabelled | ${num(c.omitted.unlabelled)} |`,
    `| left out: no label at all | ${num(c.omitted.noLabel)} |`,
    `| left out: an empty response / identical responses | ${num(c.omitted.degenerate.empty)} / ${num(c.omitted.degenerate.identical)} |`,
    `| rows in \`${m.export.file}\` | ${num(m.export.rows)} |`,
    '',
    `Winners in the merged dataset: A ${num(c.winners.A)}, B ${num(c.winners.B)}, tie ${num(c.winners.tie)}.`,
    '',
    c.agreement.compared === 0
      ? 'Human–LM agreement: no routed pair had both a human and an LM label.'
      : `Human–LM agreement on the ${num(c.agreement.compared)} routed pairs that have both labels (A, B or tie): ` +
          `${num(c.agreement.agree)} agree, ${pct(c.agreement.agree, c.agreement.compared)}.`,
    '',
    `Annotations: ${num(c.annotations.given - c.annotations.carried)} made` +
      (c.annotations.carried > 0
        ? ` (the project also holds ${num(c.annotations.carried)} copies carried into a newer plan, counted once)`
        : '') +
      `, ${num(c.annotations.counted)} counted (submitted, latest per annotator and pair), ${num(c.annotations.used)} used` +
      (c.annotations.notRouted > 0 ? `, ${num(c.annotations.notRouted)} of them on pairs this plan does not route` : '') +
      (c.annotations.otherPlan > 0 ? `; ${num(c.annotations.otherPlan)} made under other plans were left out` : '') +
      '.',
    '',
    ...textFixNotes(m.export.textFixes),
    '## Loading',
    '',
    '```python',
    'from datasets import load_dataset',
    `ds = ${m.export.loadWith}`,
    '```',
    '',
  );
  if (m.export.format === 'trl' || m.export.format === 'trl-conversational') {
    lines.push(
      "Columns `prompt`, `chosen` (the preferred response) and `rejected`, as TRL's reward and DPO trainers expect; `id` is the pair's id in the source dataset.",
      '',
    );
  } else {
    lines.push(
      `Each row is one pair: \`label\` is the final preference (${PREFERENCES.join(', ')}; A is \`response_a\`), \`winner\` its side, ` +
        '`label_source` human or lm, `routed` and `gain` what the plan decided, `pref_human` the human label in effect and `human_votes` ' +
        "the annotations it came from, `pref_lm` the LM label, `annotations` every annotation in full, `hyper_tags` the pair's HyPER tags." +
        (m.export.format === 'full' ? '' : ' Nested fields are JSON text.'),
      '',
    );
  }
  lines.push(
    '## Provenance',
    '',
    `Source dataset \`${m.dataset.name}\`${m.dataset.sha256 ? ` (sha256 \`${m.dataset.sha256}\`)` : ''}. The prompts and responses are the source's; ` +
      "its license and terms apply to this file. The export's manifest (JSON) holds every number above and the options used.",
    '',
  );
  return lines.join('\n');
}

function describeAggregate(text: string): string {
  if (text === 'majority') return 'the majority over its annotators, counting only which side won (no majority is a tie)';
  if (text === 'mean-strength') return "the mean of its annotators' signed preference strengths, rounded half away from zero";
  return `the label of annotator \`${text.slice('annotator:'.length)}\``;
}

/** Card paragraphs for what the writer changed in text (none when nothing changed). */
function textFixNotes(f: TextFixes): string[] {
  const notes: string[] = [];
  if (f.formulaGuarded > 0) {
    notes.push(
      `${num(f.formulaGuarded)} text cells started with =, +, -, @, a tab or a carriage return, which spreadsheets run as formulas; they are ` +
        'written with a leading apostrophe. Strip it before training, or train from the JSON lines or Parquet export, which change nothing.',
    );
  }
  if (f.nulReplaced > 0) notes.push(`${num(f.nulReplaced)} text cells held NUL characters; they are written as U+FFFD.`);
  if (f.loneSurrogates > 0)
    notes.push(`${num(f.loneSurrogates)} text cells held broken text (an unpaired UTF-16 surrogate), written as U+FFFD.`);
  return notes.flatMap((n) => [n, '']);
}
