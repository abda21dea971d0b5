// Types of team-load.mjs for the TypeScript tests that use it.
export interface Who {
  name: string;
  cookie: string;
}
export interface Acked {
  idx: number;
  key: string;
  stored: 'now' | 'before';
}
export interface TeamServer {
  child: import('node:child_process').ChildProcess;
  base: string;
  /** The lead's one-time sign-in link. */
  link: string;
  dataDir: string;
  log(): string;
  /** Stops it (SIGTERM: cleanly; SIGKILL: as a crash) and resolves with its exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}
export function startServer(opts?: { dataDir?: string; database?: string; port?: number }): Promise<TeamServer>;
export function signIn(base: string, link: string): Promise<string>;
export function api(base: string, cookie: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }>;
export function uniquePairs(
  n: number,
  seed?: number,
): { idx: number; id: string; prompt: string; responseA: string; responseB: string; lm: string }[];
export function publish(
  base: string,
  leadCookie: string,
  opts: { pairs: unknown[]; items: number; overlap: number; leaseSeconds?: number; name?: string },
): Promise<{ datasetId: number; planId: number }>;
export function annotators(base: string, leadCookie: string, projectId: number, n: number, prefix?: string): Promise<Who[]>;
export function annotate(opts: {
  bases: string[];
  who: Who;
  planId: number;
  until: number;
  retryMs?: number;
  labelOf?: (idx: number) => string;
}): Promise<{ name: string; acked: Acked[]; latencies: number[]; retries: number }>;
export function percentile(values: number[], p: number): number | null;
