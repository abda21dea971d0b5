// The IndexedDB schema. This module and the repositories beside it are the only code that touches Dexie.
import Dexie, { type Table } from 'dexie';
import type { Annotation } from '../domain/annotation';
import type { PairRecord } from '../domain/instance';
import { searchBlockOf, type SearchBlock } from '../domain/dataset-query';
import type { ColumnMapping, MapOptions, LayoutId, TableFormat } from '../domain/formats/types';
import type { ImportReport } from '../domain/formats/report';
import type { TagSet } from '../domain/tags/tag-set';
import type { RoutingPlan } from '../domain/routing/plan';
import type { JudgeAnswer } from '../domain/judge/run';
import type { PerJudgeLabel } from '../domain/judge/combine';
import type { StoredSignals } from '../domain/judge/rows';
import type { Preference } from '../domain/labels';

export interface ProjectRow {
  id: string;
  name: string;
  /** The built-in demo project: its data was written for the project, not imported by a user. */
  isDemo: boolean;
  createdAt: number;
  updatedAt: number;
  /** Annotation guidelines (Markdown). */
  guidelines: string;
  /** Set on a project made by opening an annotation pack: where its items came from. */
  pack?: PackOrigin;
  /** Set on an annotator's project of a team server's plan (storage/team-repo.ts). */
  team?: TeamOrigin;
  /**
   * The plan the lead picked for Annotate and Export, when it is not the newest one. Unset: the newest locked
   * plan is in use. Locking a new plan clears it.
   */
  activePlanId?: string;
}

/** What the annotator's browser knows of the team server's project and plan it works on. */
export interface TeamOrigin {
  /** The server's origin (http://host:port). */
  server: string;
  /** The signed-in annotator (their name is the annotations' annotator). */
  userId: number;
  annotator: string;
  serverProjectId: number;
  serverProjectName: string;
  serverPlanId: number;
}

/** An opened annotation pack: maps the local dataset and plan back to the lead's project. */
export interface PackOrigin {
  packId: string;
  annotator: string;
  sourceProjectId: string;
  sourceProjectName: string;
  sourcePlanId: string;
  sourceDatasetId: string;
  /** Local instance position -> the lead's instance position and id. */
  items: { idx: number; instanceId: string }[];
  /** The lead's dataset and its orientation, when the pack said (results carry it back). */
  sourceDataset?: import('../domain/merge/annotations-file').AnnotatedDataset;
}

/** Where an annotator stands in a project: their queue order and current position. */
export interface AnnotatorStateRow {
  /** `${projectId}|${annotator}` */
  id: string;
  projectId: string;
  annotator: string;
  planId: string;
  order: 'gain' | 'shuffled';
  seed: number;
  /** Position in the queue. */
  position: number;
  updatedAt: number;
}

export type DatasetStatus = 'importing' | 'ready';

/** What was imported and how: enough to explain and reproduce the import. */
export interface DatasetRow {
  id: string;
  projectId: string;
  name: string;
  fileName: string;
  format: TableFormat;
  compressed: boolean;
  shape: LayoutId;
  options: MapOptions;
  mapping?: ColumnMapping;
  rowCount: number;
  /** SHA-256 of the file's bytes as read (before decompression), hex. */
  contentHash: string;
  /** The validation report; the rejected/warning lists are capped at REPORT_LIST_CAP entries when stored. */
  report: ImportReport;
  /** Rows are written in chunks; a dataset still 'importing' after a crash is incomplete and is removed at start-up. */
  status: DatasetStatus;
  createdAt: number;
}

export type InstanceRow = PairRecord & { datasetId: string; idx: number };

/**
 * Pairs are stored in blocks of INSTANCE_BLOCK consecutive positions, one IndexedDB record a block: Chromium
 * pays per record (a 100k-pair import wrote 100k records in ~7 s, 391 blocks in under 1 s), and every reader
 * (features, export, search, the table) reads ranges. `rows` are in position order; a block is full except
 * possibly the dataset's last.
 */
export interface InstanceBlockRow {
  datasetId: string;
  block: number;
  rows: InstanceRow[];
}

export const INSTANCE_BLOCK = 256;

/** The search form of one instance block (see SearchBlock), written with it, so a first search only reads. */
export type SearchBlockRow = SearchBlock & { datasetId: string; block: number };

/** One cached analyzer answer (descriptive dimension of one prompt), keyed by the analyzer's cache key. */
export interface AnalyzerCacheRow {
  key: string;
  dimension: string;
  answer: unknown;
  createdAt: number;
}

/** Descriptive tags an analyzer run produced for one instance (file tags, where present, take precedence). */
export interface AnalyzerTagsRow {
  datasetId: string;
  idx: number;
  tags: import('../domain/instance').DescriptiveTags;
  model: string;
  createdAt: number;
}

/** An LM judge's answer (domain/judge/run.ts), stored as it arrives: a rerun or a reload never asks it again. */
export interface JudgeAnswerRow extends JudgeAnswer {
  /** `${datasetId}|${key}`: the same question about two datasets' identical pairs is one answer in each. */
  id: string;
  datasetId: string;
}

/** A pair's LM label and signals from a judge run (the file's own LM label, when it has one, wins). */
export interface JudgeLabelRow {
  datasetId: string;
  idx: number;
  label: Preference | null;
  signals: StoredSignals;
  /** "model (template id)", or "majority of N judges (…)". */
  judge: string;
  /** Each judge's own label of the pair, when several judges answered (domain/judge/combine.ts). */
  perJudge?: Record<string, PerJudgeLabel>;
  createdAt: number;
}

/** Semantic scores computed with a user-loaded encoder, one column per score (NaN where not computed). */
export interface SemanticScoresRow {
  datasetId: string;
  columns: Record<'cosine_sim' | 'bertscore' | 'bertscore_length', Float64Array>;
  /** SHA-256 of the model and tokenizer files used. */
  modelHash: string;
  createdAt: number;
}

/** A PPM the project can route with: built-in (from public/ppm) or uploaded by the user. */
export interface PpmRow {
  /** SHA-256 of the model bytes (content-addressed: the same file is stored once). */
  hash: string;
  name: string;
  bytes: Uint8Array;
  builtIn: boolean;
  addedAt: number;
}

/**
 * A locked routing plan: the domain's plan value (domain/routing/plan.ts) with its project, dataset, version and
 * the PPM it was made with. Locked plans are never changed, only superseded by a newer version.
 */
export interface PlanRow extends RoutingPlan {
  id: string;
  projectId: string;
  datasetId: string;
  version: number;
  ppmHash: string;
  ppmName: string;
  /** The PPM's contract as read at lock time (plans locked before it was recorded lack it). */
  ppm?: { kind: string; output: string; source: string; missingInData: string[] };
  backend: string;
  featureSetCreatedAt: number;
  createdAt: number;
  supersededBy?: string;
}

/** An item the team server handed to this browser's annotator, kept so that work goes on offline. */
export interface TeamItemRow {
  /** `${server}|${planId}|${idx}` */
  id: string;
  /** The server's origin (http://host:port). */
  server: string;
  planId: number;
  idx: number;
  /** The local pair (and queue place) it became. */
  localIdx: number;
  /** Its place in the plan's routing order. */
  position: number;
  pairId: string;
  prompt: string;
  responseA: string;
  responseB: string;
  messages?: unknown[];
  leasedUntil: string;
  receivedAt: number;
}

/**
 * A change waiting to reach the team server, or what became of it: every submission is written here first (with
 * its idempotency key) and sent from here, so nothing is lost offline and a retry is stored once.
 */
export interface OutboxRow {
  /** The idempotency key. */
  key: string;
  server: string;
  planId: number;
  idx: number;
  kind: 'submit' | 'release';
  /** The local annotation sent (submit). */
  annotation?: import('../domain/annotation').Annotation;
  state: 'pending' | 'sent' | 'conflict' | 'taken' | 'refused';
  /** What the server said, when it did not take it. */
  message?: string;
  /** On a conflict: the label stored from the annotator's other device. */
  current?: { annotation: unknown; submittedAt: string };
  createdAt: number;
  sentAt?: number;
  tries: number;
}

export interface MetaRow {
  key: string;
  value: unknown;
}

export const REPORT_LIST_CAP = 2000;
export const DB_NAME = 'hyper-workbench';

/**
 * Schema history. Never edit a released version: add a new one with an upgrade that migrates the data.
 * v1: projects, datasets, instances keyed [datasetId+idx], meta.
 * v2: projects gain `updatedAt` and `guidelines`; datasets get a [projectId+createdAt] index for ordered listing.
 * v3: featureSets (one per dataset: raw score columns and the tag bit matrix), analyzerCache (answers by
 *     prompt and dimension), analyzerTags (descriptive tags per instance from an analyzer run) and
 *     semanticScores (cosine/BERTScore columns from a user-loaded encoder), ppms (model bytes by hash) and
 *     plans (locked routing plans, versioned per project).
 * v4: annotations and annotatorStates.
 * v5: judgeAnswers (every LM judge answer by its key: model, template, pair, order, sample) and judgeLabels (a
 *     pair's label and signals from a judge run).
 * v6: teamItems (items a team server handed to this browser) and outbox (changes waiting for that server).
 * v7: instanceBlocks (pairs in blocks of INSTANCE_BLOCK positions) and searchBlocks (their search form),
 *     filled from instances.
 * v8: instances removed.
 */
export class HyperDb extends Dexie {
  projects!: Table<ProjectRow, string>;
  datasets!: Table<DatasetRow, string>;
  instanceBlocks!: Table<InstanceBlockRow, [string, number]>;
  searchBlocks!: Table<SearchBlockRow, [string, number]>;
  meta!: Table<MetaRow, string>;
  featureSets!: Table<TagSet, string>;
  analyzerCache!: Table<AnalyzerCacheRow, [string, string]>;
  analyzerTags!: Table<AnalyzerTagsRow, [string, number]>;
  judgeAnswers!: Table<JudgeAnswerRow, string>;
  judgeLabels!: Table<JudgeLabelRow, [string, number]>;
  semanticScores!: Table<SemanticScoresRow, string>;
  ppms!: Table<PpmRow, string>;
  plans!: Table<PlanRow, string>;
  annotations!: Table<Annotation, string>;
  annotatorStates!: Table<AnnotatorStateRow, string>;
  teamItems!: Table<TeamItemRow, string>;
  outbox!: Table<OutboxRow, string>;

  constructor(name: string = DB_NAME, options?: ConstructorParameters<typeof Dexie>[1]) {
    super(name, options);
    this.version(1).stores({
      projects: 'id, name, createdAt',
      datasets: 'id, projectId, status, createdAt',
      instances: '[datasetId+idx]',
      meta: 'key',
    });
    this.version(2)
      .stores({
        projects: 'id, name, createdAt, updatedAt',
        datasets: 'id, projectId, status, createdAt, [projectId+createdAt]',
      })
      .upgrade(async (tx) => {
        await tx
          .table('projects')
          .toCollection()
          .modify((p: Partial<ProjectRow> & { createdAt: number }) => {
            p.updatedAt ??= p.createdAt;
            p.guidelines ??= '';
            p.isDemo ??= false;
          });
      });
    this.version(3).stores({
      featureSets: 'datasetId',
      analyzerCache: '[key+dimension]',
      analyzerTags: '[datasetId+idx]',
      semanticScores: 'datasetId',
      ppms: 'hash',
      plans: 'id, [projectId+version], datasetId',
    });
    this.version(4).stores({
      annotations: 'id, [planId+annotator], [projectId+annotator], projectId, datasetId',
      annotatorStates: 'id, projectId',
    });
    this.version(5).stores({
      judgeAnswers: 'id, datasetId, key',
      judgeLabels: '[datasetId+idx]',
    });
    this.version(6).stores({
      teamItems: 'id, [server+planId]',
      outbox: 'key, [server+planId], state',
    });
    this.version(7)
      .stores({ instanceBlocks: '[datasetId+block]', searchBlocks: '[datasetId+block]' })
      .upgrade(async (tx) => {
        // Page through the old per-pair records in key order (dataset, then position), so blocks fill in turn.
        const old = tx.table<InstanceRow, [string, number]>('instances');
        const blocks = tx.table<InstanceBlockRow, [string, number]>('instanceBlocks');
        const search = tx.table<SearchBlockRow, [string, number]>('searchBlocks');
        const put = async (full: InstanceBlockRow[]) => {
          await blocks.bulkPut(full);
          await search.bulkPut(full.map((b) => ({ ...searchBlockOf(b.rows), datasetId: b.datasetId, block: b.block })));
        };
        let after: [string, number] | null = null;
        let open: InstanceBlockRow | null = null;
        for (;;) {
          const page: InstanceRow[] = await (after ? old.where(':id').above(after) : old.toCollection()).limit(4096).toArray();
          if (page.length === 0) break;
          const full: InstanceBlockRow[] = [];
          for (const r of page) {
            const block = Math.floor(r.idx / INSTANCE_BLOCK);
            if (!open || open.datasetId !== r.datasetId || open.block !== block) {
              if (open) full.push(open);
              open = { datasetId: r.datasetId, block, rows: [] };
            }
            open.rows.push(r);
          }
          await put(full);
          const last = page[page.length - 1]!;
          after = [last.datasetId, last.idx];
        }
        if (open) await put([open]);
      });
    this.version(8).stores({ instances: null });
  }
}

let shared: HyperDb | null = null;

/** The app's database (one connection per thread). */
export function openDb(): HyperDb {
  shared ??= new HyperDb();
  return shared;
}
