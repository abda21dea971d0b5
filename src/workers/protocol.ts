// One message protocol for every worker: requests carry an id and a `type`; responses carry the id and a
// `status`. Progress is a message; errors are values with a code, never thrown across the boundary.
import { HyperError } from '../domain/errors';

/** Every step a worker job reports, by key, with the words the page shows for it. */
export const PHASE_TEXT = {
  reading: 'Reading file',
  checking: 'Checking rows',
  storing: 'Storing rows',
  indexing: 'Indexing for search',
  'reading-backup': 'Reading the backup',
  'writing-project': 'Writing the project',
  'starting-workers': 'Starting workers',
  scoring: 'Scoring pairs',
  assembling: 'Assembling the tags',
  analyzing: 'Asking the analyzer',
  judging: 'Asking the LM judge',
  'estimating-cost': 'Counting the tokens of the prompts',
  'combining-judges': "Combining the judges' verdicts",
  encoding: 'Encoding pairs',
  'reading-tags': 'Reading the tags',
  'starting-ppm': 'Starting the PPM',
  'tag-gains': 'Gain per tag',
  merging: 'Merging',
  exporting: 'Exporting',
  'backing-up': 'Backing up',
  'reading-pairs': 'Reading the pairs',
  'writing-candidates': 'Writing candidates',
  'hashing-ngrams': 'Hashing n-grams for the proxy',
  'training-proxy': 'Training proxy reward models',
  'fitting-linear-cv': 'Fitting linear (cross-validation)',
  'fitting-linear-final': 'Fitting linear (final model)',
  'fitting-quadratic-cv': 'Fitting quadratic (cross-validation)',
  'fitting-quadratic-final': 'Fitting quadratic (final model)',
  counting: 'Counting',
  publishing: 'Publishing to the server',
} as const satisfies Record<string, string>;
export type ProgressPhase = keyof typeof PHASE_TEXT;

export interface JobProgress {
  phase: ProgressPhase;
  done: number;
  total: number;
  /** Extra counters a job reports (e.g. cached, failed, estimated cost). */
  detail?: Record<string, number | null>;
}

export interface WorkerErrorValue {
  code: string;
  message: string;
}

export type CancelRequest = { type: 'cancel'; id: number; target: number };

export type WorkerResponse<Result> =
  | { id: number; status: 'progress'; progress: JobProgress }
  | { id: number; status: 'done'; result: Result }
  | { id: number; status: 'error'; error: WorkerErrorValue };

export class WorkerJobError extends HyperError<string> {
  override readonly name = 'WorkerJobError';
}

export function isCancelled(e: unknown): boolean {
  return e instanceof WorkerJobError && e.code === 'cancelled';
}

export const QUOTA_MESSAGE =
  "The browser refused to store more data: the disk or this site's storage is full. What was being written was not kept. Free disk space, or delete a project you have backed up, and try again.";

/**
 * Whether an error is, or wraps, a storage-full failure. IndexedDB libraries wrap it: Dexie reports an aborted
 * transaction ("The transaction was aborted") whose `inner` is the QuotaExceededError, and bulk operations
 * list it in `failures`.
 */
export function isQuotaError(e: unknown, depth = 0): boolean {
  if (!e || typeof e !== 'object' || depth > 5) return false;
  const x = e as { name?: unknown; inner?: unknown; cause?: unknown; failures?: unknown };
  if (x.name === 'QuotaExceededError') return true;
  if (isQuotaError(x.inner, depth + 1) || isQuotaError(x.cause, depth + 1)) return true;
  const failures = Array.isArray(x.failures) ? x.failures : x.failures && typeof x.failures === 'object' ? Object.values(x.failures) : [];
  return failures.some((f) => isQuotaError(f, depth + 1));
}

/** Turns anything thrown inside a worker into a transferable error value. */
export function toErrorValue(e: unknown): WorkerErrorValue {
  if (isQuotaError(e)) return { code: 'quota', message: QUOTA_MESSAGE };
  if (e && typeof e === 'object' && 'code' in e && typeof (e as { code: unknown }).code === 'string' && e instanceof Error) {
    return { code: (e as { code: string }).code, message: e.message };
  }
  if (e instanceof Error) return { code: 'internal', message: e.message };
  return { code: 'internal', message: String(e) };
}
