// Small synchronous UI state of the Route area (zustand): the slider and the choices around it.
import { create } from 'zustand';
import type { BudgetKind } from '../../domain/routing';
import { DEFAULT_HYBRID_WEIGHT, type StrategyName } from '../../domain/routing';
import type { BackendChoice } from '../../workers/routing-protocol';

interface RouteSettings {
  ppmHash: string | undefined;
  strategy: StrategyName;
  candidates: number;
  seed: number;
  refine: boolean;
  /** hybrid: the share of the PPM gain's rank in the score (the judge risk gets the rest). */
  weight: number;
  /** risk, hybrid: learn where the judge errs from the human labels made so far. */
  adaptive: boolean;
  budgetCount: number | undefined;
  /** How the user last set the budget (recorded in the plan). */
  budgetKind: BudgetKind;
  backend: BackendChoice;
  costHuman: number;
  costLm: number;
  set(patch: Partial<Omit<RouteSettings, 'set'>>): void;
}

export const useRouteSettings = create<RouteSettings>((set) => ({
  ppmHash: undefined,
  strategy: 'simulated',
  candidates: 500,
  seed: 1,
  refine: false,
  weight: DEFAULT_HYBRID_WEIGHT,
  adaptive: false,
  budgetCount: undefined,
  budgetKind: 'fraction',
  backend: 'auto',
  costHuman: 1,
  costLm: 0.01,
  set: (patch) => set(patch),
}));
