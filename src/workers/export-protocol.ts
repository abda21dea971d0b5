// Messages of the export worker: preview the merge (summary only), or merge and write a zip.
import type { ExportFormat, ExportManifest } from '../domain/export';
import type { CalibrationReport } from '../domain/judge';
import type { MergeOptions, MergeSummary } from '../domain/merge';

export interface ExportSpec {
  projectId: string;
  datasetId: string;
  /** The plan to follow; null exports the LM labels only. */
  planId: string | null;
  options: MergeOptions;
  appVersion: string;
}

export type ExportRequest =
  /** A whole project as one backup zip (see storage/backup-repo.ts). */
  | { type: 'backup'; id: number; projectId: string; appVersion: string }
  | ({ type: 'summary'; id: number } & ExportSpec)
  /** How far the dataset's LM judge agrees with people (pairs with judge signals and a human label). */
  | { type: 'calibration'; id: number; projectId: string; datasetId: string }
  /** The dataset's pairs and a locked plan's queue to the project's team server (hyper serve), in batches. */
  | ({
      type: 'publish';
      id: number;
      name: string;
      guidelines: string;
      /** Annotators per routed item, and how long an item handed out stays with its annotator. */
      overlap: number;
      leaseSeconds: number;
    } & Omit<ExportSpec, 'options'>)
  | ({
      type: 'export';
      id: number;
      format: ExportFormat;
      compress: boolean;
      /** CSV: apostrophe before formula-like cells (default true). */ csvGuardFormulas?: boolean;
    } & ExportSpec);

export interface ExportResults {
  /** null when no pair carries judge signals (the dataset was not judged with hyper judge). */
  calibration: {
    report: CalibrationReport;
    judged: number;
    /** Each judge against people, when several judges answered on the dataset (the report is the combined label's). */
    judges: { judge: string; n: number; accuracy: number | null; kappa: number | null; positionBiasRate: number | null }[];
  } | null;
  backup: { zip: Blob; fileName: string; pairs: number; annotations: number };
  summary: MergeSummary;
  export: { zip: Blob; fileName: string; manifest: ExportManifest; summary: MergeSummary };
  publish: { datasetId: number; planId: number; pairs: number; items: number };
}
