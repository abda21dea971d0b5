// State of the PPM-lab area (zustand): the settings, and this session's candidates, PROXY results and fits. It
// lives as long as the page, so going to Route and back keeps a run; another dataset starts clean.
import { create } from 'zustand';
import type { FitResult, PpmFitKind } from '../../domain/ppm-lab';
import type { ProxyRun } from '../../workers/ppm-lab-client';
import type { CandidateTable, LabRunSettings, PoolSummary } from '../../workers/ppm-lab-protocol';

export interface GeneratedRun {
  settings: LabRunSettings;
  table: CandidateTable;
  pool: PoolSummary;
  zip: Blob;
  fileName: string;
  bytes: number;
  ms: number;
}

export interface SessionProxyRun extends ProxyRun {
  settings: LabRunSettings;
}

export interface FitOutcome {
  fits: FitResult[];
  models: Uint8Array[];
  score: string;
  /** Where the scores came from, in words. */
  from: string;
  proxy: boolean;
  ms: number;
}

export interface LabFile {
  name: string;
  text: string;
}

interface LabState {
  k: number;
  budgetMode: 'random' | 'list';
  budgetText: string;
  includeExtremes: boolean;
  seed: number;
  /** 0 = no cap. */
  cap: number;
  goldShare: number;
  epochs: number;
  fitSource: 'proxy' | 'file';
  fitKind: PpmFitKind | 'both';
  folds: number;
  fitSeed: number;
  results: LabFile | null;
  counts: LabFile | null;
  score: string;
  meaning: string;
  /** The dataset the session's results belong to. */
  datasetId: string | null;
  run: GeneratedRun | null;
  proxy: SessionProxyRun | null;
  fit: FitOutcome | null;
  set(patch: Partial<Omit<LabState, 'set' | 'forDataset'>>): void;
  /** Drops the session's results when the area shows another dataset. */
  forDataset(datasetId: string): void;
}

export const useLabStore = create<LabState>((set, get) => ({
  k: 200,
  budgetMode: 'random',
  budgetText: '0.1, 0.25, 0.5, 0.75',
  includeExtremes: true,
  seed: 1,
  cap: 7000,
  goldShare: 0.2,
  epochs: 4,
  fitSource: 'proxy',
  fitKind: 'both',
  folds: 5,
  fitSeed: 1,
  results: null,
  counts: null,
  score: '',
  meaning: '',
  datasetId: null,
  run: null,
  proxy: null,
  fit: null,
  set: (patch) => set(patch),
  forDataset: (datasetId) => {
    if (get().datasetId !== datasetId) set({ datasetId, run: null, proxy: null, fit: null, results: null, counts: null, score: '' });
  },
}));

/** Two settings give the same candidates. */
export function sameRun(a: LabRunSettings, b: LabRunSettings): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
