/// <reference lib="webworker" />
// Thin adapter: builds simulated candidates' tag counts (candidateCountRows) over a tag index sent once.
import { buildTagIndex, candidateCountRows, type TagIndex } from '../domain/routing';
import { generalError } from '../domain/errors';
import { serveWorker, withTransfer } from './worker-host';
import type { CandidatesRequest, CandidatesResults } from './candidates-protocol';

let current: { key: string; index: TagIndex } | null = null;

serveWorker<CandidatesRequest, CandidatesResults>(self, {
  index: async (req) => {
    current = { key: req.key, index: buildTagIndex(req.bits, req.n) };
    return null;
  },
  counts: async (req) => {
    if (!current || current.key !== req.key) throw generalError('not-prepared', 'The candidates worker holds another tag index.');
    const rows = candidateCountRows(current.index, req.seed, req.from, req.to, req.budgets);
    return withTransfer(rows, [rows.buffer]);
  },
});
