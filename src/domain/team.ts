// What the team server (hyper serve) and the browser say to each other: the shapes of its API's answers, shared
// by the server that writes them and the app that reads them.

/** An item as an annotator is handed it: the pair, never its LM label. */
export interface QueueItem {
  idx: number;
  /** The item's place in the plan's routing order. */
  position: number;
  id: string;
  prompt: string;
  responseA: string;
  responseB: string;
  /** A conversational prompt's turns, when the record has them. */
  messages?: unknown[];
  leasedUntil: string;
}

/** The lead's view of a plan on the server: counts, per annotator, and agreement between annotators. */
export interface PlanProgress {
  planId: number;
  items: number;
  overlap: number;
  /** Labels still wanted: items × overlap − submitted (never below 0 per item). */
  remaining: number;
  submitted: number;
  /** Items with `overlap` submitted labels. */
  complete: number;
  /** Items handed out and not submitted, their leases running. */
  held: number;
  conflicts: number;
  annotators: { name: string; submitted: number; held: number }[];
  agreement: {
    /** Items with two or more labels. */
    items: number;
    alpha: number | null;
    pairs: { first: string; second: string; n: number; kappa: number | null }[];
  };
  at: string;
}
