// One message protocol for every worker: requests carry an id and a `type`; responses carry the id and a
// `status`. Progress is a message; errors are values with a code, never thrown across the boundary.

export interface JobProgress {
  phase: string;
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

/** A request type union `R` and a map from each request type to its result type. */
export type RequestOf<R extends { type: string }> = R & { id: number };

export class WorkerJobError extends Error {
  override readonly name = 'WorkerJobError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function isCancelled(e: unknown): boolean {
  return e instanceof WorkerJobError && e.code === 'cancelled';
}

/** Turns anything thrown inside a worker into a transferable error value. */
export function toErrorValue(e: unknown): WorkerErrorValue {
  if (e && typeof e === 'object' && 'code' in e && typeof (e as { code: unknown }).code === 'string' && e instanceof Error) {
    return { code: (e as { code: string }).code, message: e.message };
  }
  if (e instanceof DOMException && e.name === 'QuotaExceededError') {
    return { code: 'quota', message: 'The browser refused to store more data (storage quota exceeded). Free space or delete a project.' };
  }
  if (e instanceof Error) return { code: 'internal', message: e.message };
  return { code: 'internal', message: String(e) };
}
