// Messages of the candidates worker: a second thread that builds half of the simulated candidates for the
// routing worker (strategies.ts CandidateHelper).

export type CandidatesRequest =
  /** The routable pairs' tag bits (n x TAG_WORDS words); the worker builds its own tag index from them. */
  | { type: 'index'; id: number; key: string; bits: Uint32Array; n: number }
  | { type: 'counts'; id: number; key: string; seed: number; from: number; to: number; budgets: Uint32Array };

export interface CandidatesResults {
  index: null;
  counts: Float32Array;
}
