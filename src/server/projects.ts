// What the server knows of a project (a published dataset) and its plans, read for the people allowed to see it:
// the lead sees every project; an annotator only the one they were invited to, and of it only their own work.
// Progress, agreement and the export run the workbench's own domain code (agreement report, Merger, exportZip)
// over the annotations the server holds, so the server's numbers and files are the workbench's.
import { sql } from 'kysely';
import { alphaOf, pairwiseKappa, ratingsFromAnnotations } from '../domain/agreement';
import { annotationId, type Annotation } from '../domain/annotation';
import { createFormatWriter, dataFileName, exportZip, webDeflateRaw, type ExportFormat, type ExportManifest } from '../domain/export';
import type { PairRecord } from '../domain/instance';
import type { Preference } from '../domain/labels';
import { Merger } from '../domain/merge/merge';
import { checkAnnotation } from '../domain/merge/annotations-file';
import type { PlanFileHuman } from '../domain/routing/plan-file';
import type { PlanProgress } from '../domain/team';
import type { SignedIn } from './auth';
import { asRecord, type ServerDb } from './db';

export interface VisiblePlan {
  id: number;
  datasetId: number;
  name: string;
  overlap: number;
  leaseSeconds: number;
  planFile: unknown;
}

/** The plan if `user` may work on it (the lead: any; an annotator: their project's), else null. */
export async function planFor(db: ServerDb, user: SignedIn, planId: number): Promise<VisiblePlan | null> {
  if (!Number.isSafeInteger(planId)) return null;
  const row = await db
    .selectFrom('plans')
    .select(['id', 'dataset_id', 'name', 'overlap', 'lease_seconds', 'plan_file'])
    .where('id', '=', planId)
    .executeTakeFirst();
  if (!row) return null;
  if (user.role !== 'lead' && user.projectId !== row.dataset_id) return null;
  return {
    id: row.id,
    datasetId: row.dataset_id,
    name: row.name,
    overlap: row.overlap,
    leaseSeconds: row.lease_seconds,
    planFile: asRecord(row.plan_file),
  };
}

export interface ProjectSummary {
  id: number;
  name: string;
  guidelines: string;
  pairs: number;
  plans: { id: number; name: string; overlap: number; items: number; createdAt: string }[];
}

/** The projects `user` may see: all of them for the lead, their own for an annotator. */
export async function listProjects(db: ServerDb, user: SignedIn): Promise<ProjectSummary[]> {
  const projects = await db
    .selectFrom('datasets as d')
    .select(['d.id', 'd.name', 'd.guidelines'])
    .select((eb) =>
      eb
        .selectFrom('pairs')
        .select(sql<number>`count(*)::int`.as('n'))
        .whereRef('pairs.dataset_id', '=', 'd.id')
        .as('pairs'),
    )
    .$if(user.role !== 'lead', (q) => q.where('d.id', '=', user.projectId ?? -1))
    .orderBy('d.id')
    .execute();
  if (projects.length === 0) return [];
  const plans = await db
    .selectFrom('plans as p')
    .select(['p.id', 'p.dataset_id', 'p.name', 'p.overlap', 'p.created_at'])
    .select((eb) =>
      eb
        .selectFrom('plan_items')
        .select(sql<number>`count(*)::int`.as('n'))
        .whereRef('plan_items.plan_id', '=', 'p.id')
        .as('items'),
    )
    .where(
      'p.dataset_id',
      'in',
      projects.map((p) => p.id),
    )
    .orderBy('p.id')
    .execute();
  return projects.map((p) => ({
    id: p.id,
    name: p.name,
    guidelines: p.guidelines,
    pairs: p.pairs ?? 0,
    plans: plans
      .filter((x) => x.dataset_id === p.id)
      .map((x) => ({ id: x.id, name: x.name, overlap: x.overlap, items: x.items ?? 0, createdAt: new Date(x.created_at).toISOString() })),
  }));
}

/**
 * An annotation as the server stores it: what the annotator's browser sent, checked as an annotations file's entry
 * is, with who, what and where set by the server (never taken from the client). A string says what is wrong.
 */
export function serverAnnotation(
  sent: unknown,
  where: { planId: number; idx: number; instanceId: string; annotator: string },
): Annotation | string {
  if (sent === null || typeof sent !== 'object' || Array.isArray(sent)) return '"annotation" must be an object';
  const planId = String(where.planId);
  const checked = checkAnnotation(
    {
      ...(sent as Record<string, unknown>),
      id: annotationId(planId, where.idx, where.annotator),
      planId,
      projectId: '',
      datasetId: '',
      idx: where.idx,
      instanceId: where.instanceId,
      annotator: where.annotator,
      origin: 'server',
      carriedFrom: undefined,
    },
    'server',
  );
  if (typeof checked === 'string') return checked;
  if (checked.status !== 'submitted') return '"annotation.status" must be "submitted" (drafts stay in the browser)';
  return checked;
}

/** The plan's submitted annotations as the workbench's Annotation records (annotator = their name). */
export async function planAnnotations(db: ServerDb, planId: number): Promise<Annotation[]> {
  const rows = await db
    .selectFrom('assignments as a')
    .innerJoin('users as u', 'u.id', 'a.annotator_id')
    .innerJoin('plans as p', 'p.id', 'a.plan_id')
    .innerJoin('pairs as r', (j) => j.onRef('r.dataset_id', '=', 'p.dataset_id').onRef('r.idx', '=', 'a.idx'))
    .select(['a.idx', 'a.annotation', 'u.name', 'r.pair_id'])
    .where('a.plan_id', '=', planId)
    .where('a.submitted_at', 'is not', null)
    .orderBy('a.idx')
    .orderBy('u.name')
    .execute();
  const out: Annotation[] = [];
  for (const r of rows) {
    const a = serverAnnotation(asRecord(r.annotation), { planId, idx: r.idx, instanceId: r.pair_id, annotator: r.name });
    // Stored labels were checked when they came in; one that no longer reads is an error to see, not to drop.
    if (typeof a === 'string') throw new Error(`stored label of pair ${r.idx} by ${r.name} does not read: ${a}`);
    out.push(a);
  }
  return out;
}

/** The lead's view of a plan: counts, per annotator, and agreement between annotators (the Review's statistics). */
export async function planProgress(db: ServerDb, plan: VisiblePlan): Promise<PlanProgress> {
  const items = await db
    .selectFrom('plan_items')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('plan_id', '=', plan.id)
    .executeTakeFirstOrThrow();
  const per = await db
    .selectFrom('users as u')
    .leftJoin('assignments as a', (j) => j.onRef('a.annotator_id', '=', 'u.id').on('a.plan_id', '=', plan.id))
    .select([
      'u.name',
      sql<number>`count(a.submitted_at)::int`.as('submitted'),
      sql<number>`count(*) filter (where a.submitted_at is null and a.leased_until > now())::int`.as('held'),
    ])
    .where((eb) => eb.or([eb('u.project_id', '=', plan.datasetId), eb('a.plan_id', '=', plan.id)]))
    .groupBy('u.name')
    .orderBy('u.name')
    .execute();
  const perItem = await db
    .selectFrom('assignments')
    .select(['idx', sql<number>`count(*)::int`.as('n')])
    .where('plan_id', '=', plan.id)
    .where('submitted_at', 'is not', null)
    .groupBy('idx')
    .execute();
  const conflicts = await db
    .selectFrom('conflicts')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('plan_id', '=', plan.id)
    .executeTakeFirstOrThrow();
  const ratings = ratingsFromAnnotations(await planAnnotations(db, plan.id));
  const alpha = ratings.length ? alphaOf(ratings) : null;
  const submitted = perItem.reduce((s, r) => s + r.n, 0);
  const remaining = items.n * plan.overlap - perItem.reduce((s, r) => s + Math.min(r.n, plan.overlap), 0);
  return {
    planId: plan.id,
    items: items.n,
    overlap: plan.overlap,
    remaining,
    submitted,
    complete: perItem.filter((r) => r.n >= plan.overlap).length,
    held: per.reduce((s, r) => s + r.held, 0),
    conflicts: conflicts.n,
    annotators: per.map((r) => ({ name: r.name, submitted: r.submitted, held: r.held })),
    agreement: {
      items: perItem.filter((r) => r.n >= 2).length,
      alpha: alpha?.alpha ?? null,
      pairs: pairwiseKappa(ratings).map((p) => ({ first: p.first, second: p.second, n: p.result.n, kappa: p.result.kappa })),
    },
    at: new Date().toISOString(),
  };
}

/** The annotator's submitted labels in the plan. */
export async function doneBy(db: ServerDb, planId: number, annotator: number): Promise<number> {
  const done = await db
    .selectFrom('assignments')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('plan_id', '=', planId)
    .where('annotator_id', '=', annotator)
    .where('submitted_at', 'is not', null)
    .executeTakeFirstOrThrow();
  return done.n;
}

/**
 * Labels the plan still wants (items × overlap − labels in; no item ever has more than its overlap), for every
 * annotator's event stream: two counts, once per plan and change, whoever is watching.
 */
export async function planRemaining(db: ServerDb, plan: VisiblePlan): Promise<{ remaining: number }> {
  const r = await db
    .selectFrom('plan_items')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('plan_id', '=', plan.id)
    .executeTakeFirstOrThrow();
  const labels = await db
    .selectFrom('assignments')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('plan_id', '=', plan.id)
    .where('submitted_at', 'is not', null)
    .executeTakeFirstOrThrow();
  return { remaining: Math.max(0, r.n * plan.overlap - labels.n) };
}

/** The published records of a dataset in order, in chunks (the record the workbench sent, else one built from the columns). */
export async function* datasetRecords(db: ServerDb, datasetId: number, chunk = 1000): AsyncGenerator<PairRecord[]> {
  for (let from = 0; ; from += chunk) {
    const rows = await db
      .selectFrom('pairs')
      .select(['idx', 'pair_id', 'prompt', 'response_a', 'response_b', 'lm_label', 'record'])
      .where('dataset_id', '=', datasetId)
      .where('idx', '>=', from)
      .where('idx', '<', from + chunk)
      .orderBy('idx')
      .execute();
    if (rows.length === 0) return;
    yield rows.map((r): PairRecord => {
      const rec = asRecord(r.record) as PairRecord | null;
      if (rec && typeof rec === 'object') return rec;
      const built: PairRecord = {
        id: r.pair_id,
        sourceRow: r.idx + 1,
        prompt: r.prompt,
        responseA: r.response_a,
        responseB: r.response_b,
        extra: {},
      };
      if (r.lm_label) built.lm = { value: r.lm_label as Preference, original: r.lm_label };
      return built;
    });
  }
}

/**
 * The plan's hybrid dataset as the workbench's export zip (data file, manifest, dataset card), through the same
 * Merger and writers the workbench runs, over the server's records and annotations.
 */
export async function exportPlan(
  db: ServerDb,
  plan: VisiblePlan,
  format: ExportFormat,
  zipSink: (b: Uint8Array) => void | Promise<void>,
  app: { name: string; version: string },
): Promise<ExportManifest> {
  const dataset = await db.selectFrom('datasets').select(['name']).where('id', '=', plan.datasetId).executeTakeFirstOrThrow();
  const n = await db
    .selectFrom('pairs')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('dataset_id', '=', plan.datasetId)
    .executeTakeFirstOrThrow();
  const file = plan.planFile as { human?: PlanFileHuman[] } | null;
  const human =
    file?.human ??
    (
      await db
        .selectFrom('plan_items as pi')
        .innerJoin('pairs as r', (j) => j.on('r.dataset_id', '=', plan.datasetId).onRef('r.idx', '=', 'pi.idx'))
        .select(['pi.idx', 'r.pair_id'])
        .where('pi.plan_id', '=', plan.id)
        .orderBy('pi.position')
        .execute()
    ).map((r) => ({ idx: r.idx, id: r.pair_id, gain: 0 }));
  const merger = new Merger({ plan: { human, dataset: { n: n.n } }, annotations: await planAnnotations(db, plan.id) });
  const base =
    dataset.name
      .replace(/[^\w.-]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, 60) || 'dataset';
  const { manifest } = await exportZip({
    chunks: datasetRecords(db, plan.datasetId),
    merger,
    writer: createFormatWriter(format, { csvGuardFormulas: true }),
    zipSink,
    deflate: webDeflateRaw,
    context: {
      app,
      dataset: { name: dataset.name },
      plan: (file as never) ?? null,
      format,
      createdAt: new Date().toISOString(),
      dataFile: dataFileName(base, format),
    },
  });
  return manifest;
}
