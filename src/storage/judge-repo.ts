// The LM judge's answers and labels in IndexedDB. Answers are kept by their key, so a rerun, a reload or another
// tab never pays for one twice; labels are kept per pair beside the dataset (the file's own LM label wins).
import type { JudgeAnswer, JudgeStore } from '../domain/judge/run';
import type { HyperDb, JudgeLabelRow } from './db';
import type { Preference } from '../domain/labels';
import { annotatorMajorities } from '../domain/annotation';
import { forEachInstanceChunk } from './instances-repo';
import { combineJudges, summarizeJudges, type EnsembleSettings, type JudgeSummary } from '../domain/judge/combine';

const ensembleKey = (datasetId: string) => `judge-ensemble:${datasetId}`;

/** How a dataset's judges make its LM label (set when a judge first runs on it, changed on the Tags page). */
export async function getEnsemble(db: HyperDb, datasetId: string): Promise<EnsembleSettings | undefined> {
  return (await db.meta.get(ensembleKey(datasetId)))?.value as EnsembleSettings | undefined;
}

/**
 * Every pair's LM label and signals from all the judges' stored answers on the dataset, with `settings` (which are
 * kept for the next run); the judges' summaries beside. Sends nothing anywhere: it only reads stored answers.
 */
export async function recombineJudges(
  db: HyperDb,
  datasetId: string,
  /** The settings, or how to choose them from the stored answers and the dataset's stored settings. */
  choose: EnsembleSettings | ((answers: readonly JudgeAnswer[], stored: EnsembleSettings | undefined) => EnsembleSettings),
): Promise<{ rows: JudgeLabelRow[]; judges: JudgeSummary[] }> {
  const ids = new Map<number, string>();
  await forEachInstanceChunk(db, datasetId, 2000, (rows) => {
    for (const r of rows) ids.set(r.idx, r.id);
  });
  const answers = await listJudgeAnswers(db, datasetId);
  const settings = typeof choose === 'function' ? choose(answers, await getEnsemble(db, datasetId)) : choose;
  const combined = combineJudges(answers, ids, settings);
  const now = Date.now();
  const rows: JudgeLabelRow[] = combined.map((c) => ({
    datasetId,
    idx: c.idx,
    label: c.label,
    signals: c.signals,
    judge: c.judge,
    ...(Object.keys(c.perJudge).length > 1 ? { perJudge: c.perJudge } : {}),
    createdAt: now,
  }));
  await db.transaction('rw', db.judgeLabels, db.meta, async () => {
    await db.judgeLabels.where('[datasetId+idx]').between([datasetId, -Infinity], [datasetId, Infinity]).delete();
    await db.judgeLabels.bulkPut(rows);
    await db.meta.put({ key: ensembleKey(datasetId), value: settings });
  });
  return { rows, judges: summarizeJudges(answers, combined, settings.primary) };
}

/** The judges that answered on a dataset, and the settings that make its label. */
export async function judgesOf(db: HyperDb, datasetId: string): Promise<{ judges: JudgeSummary[]; settings: EnsembleSettings | null }> {
  const settings = (await getEnsemble(db, datasetId)) ?? null;
  const answers = await listJudgeAnswers(db, datasetId);
  if (answers.length === 0) return { judges: [], settings };
  const ids = new Map<number, string>();
  await forEachInstanceChunk(db, datasetId, 2000, (rows) => {
    for (const r of rows) ids.set(r.idx, r.id);
  });
  const primary = settings?.primary ?? null;
  const combined = combineJudges(answers, ids, settings ?? { primary: '', ensemble: 'primary', policy: 'tie' });
  return { judges: summarizeJudges(answers, combined, primary), settings };
}

/** The judge's answer store for a dataset's run (JudgeStore of domain/judge/run.ts). */
export function judgeStoreOn(db: HyperDb, datasetId: string): JudgeStore {
  return {
    async get(key) {
      const mine = await db.judgeAnswers.get(`${datasetId}|${key}`);
      if (mine) return mine;
      // The same question asked for another dataset (a copy, a re-import): its answer is taken, not paid for again.
      const other = await db.judgeAnswers.where('key').equals(key).first();
      if (!other) return undefined;
      await db.judgeAnswers.put({ ...other, id: `${datasetId}|${key}`, datasetId });
      return other;
    },
    async put(answer: JudgeAnswer) {
      await db.judgeAnswers.put({ ...answer, id: `${datasetId}|${answer.key}`, datasetId });
    },
  };
}

export async function listJudgeAnswers(db: HyperDb, datasetId: string): Promise<JudgeAnswer[]> {
  return db.judgeAnswers.where('datasetId').equals(datasetId).toArray();
}

/** Judge labels of instances [from, to), by idx. */
export async function readJudgeLabels(db: HyperDb, datasetId: string, from: number, to: number): Promise<Map<number, JudgeLabelRow>> {
  const rows = await db.judgeLabels.where('[datasetId+idx]').between([datasetId, from], [datasetId, to], true, false).toArray();
  return new Map(rows.map((r) => [r.idx, r]));
}

/** Pairs of a dataset with any annotation (a draft or a submitted label, by anyone, under any plan). */
export async function startedPairs(db: HyperDb, datasetId: string): Promise<number[]> {
  const idx = new Set<number>();
  await db.annotations
    .where('datasetId')
    .equals(datasetId)
    .each((a) => void idx.add(a.idx));
  return [...idx].sort((a, b) => a - b);
}

/**
 * The pairs of a dataset people labelled, with the judge's label beside: the file's human label, else the majority
 * of the submitted annotations (latest per annotator); the file's LM label, else a judge run's.
 */
export async function humanLabels(db: HyperDb, datasetId: string): Promise<{ idx: number; human: Preference; judge: Preference | null }[]> {
  const people = annotatorMajorities(await db.annotations.where('datasetId').equals(datasetId).toArray(), datasetId);
  const judged = new Map(
    (await db.judgeLabels.where('[datasetId+idx]').between([datasetId, -Infinity], [datasetId, Infinity]).toArray()).map((l) => [
      l.idx,
      l.label,
    ]),
  );
  const out: { idx: number; human: Preference; judge: Preference | null }[] = [];
  await forEachInstanceChunk(db, datasetId, 2000, (rows) => {
    for (const r of rows) {
      const human = r.human?.value ?? people.get(r.idx);
      if (human) out.push({ idx: r.idx, human, judge: r.lm?.value ?? judged.get(r.idx) ?? null });
    }
  });
  return out;
}
