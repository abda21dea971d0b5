// The team server's database: one schema and one set of migrations (migrations.ts) over either an embedded
// PostgreSQL (PGlite, files in a data directory; the default, so `hyper serve` works out of the box) or a PostgreSQL
// server (node-postgres). Queries go through Kysely: typed, and the same SQL on both, since PGlite is PostgreSQL.
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, type Generated } from 'kysely';
import pg from 'pg';

export interface UsersTable {
  id: Generated<number>;
  name: string;
  role: 'lead' | 'annotator';
  created_at: Generated<Date>;
  /** An annotator's project (the published dataset they were invited to); null for the lead. */
  project_id: number | null;
}

export interface SessionsTable {
  /** SHA-256 of the session secret (the cookie holds the secret; the database never does). */
  id_hash: string;
  user_id: number;
  created_at: Generated<Date>;
  expires_at: Date;
}

export interface SignInTokensTable {
  /** Public id (lists and revocation); bigint comes back as text. */
  id: Generated<string>;
  /** SHA-256 of the one-time token. */
  token_hash: string;
  /** The lead who made an invite. */
  created_by: number | null;
  user_id: number;
  purpose: 'lead' | 'invite';
  expires_at: Date;
  used_at: Date | null;
  revoked_at: Date | null;
  created_at: Generated<Date>;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: Generated<Date>;
  user_id: number | null;
  action: string;
  detail: unknown;
}

export interface DatasetsTable {
  id: Generated<number>;
  name: string;
  created_by: number | null;
  created_at: Generated<Date>;
  /** The annotation guidelines (Markdown) annotators of this project read. */
  guidelines: Generated<string>;
}

export interface PairsTable {
  dataset_id: number;
  idx: number;
  pair_id: string;
  prompt: string;
  response_a: string;
  response_b: string;
  lm_label: string | null;
  /** The workbench's record of the pair (PairRecord), read by the server's merge and export. */
  record: unknown;
}

export interface PlansTable {
  id: Generated<number>;
  dataset_id: number;
  /** Annotators per routed item. */
  overlap: number;
  /** How long an item handed out but not submitted stays with its annotator. */
  lease_seconds: number;
  created_at: Generated<Date>;
  /** The locked plan's file (PlanFile) as the workbench wrote it; the merge reads its routed list. */
  plan_file: unknown;
  name: Generated<string>;
}

export interface PlanItemsTable {
  plan_id: number;
  /** Routing order. */
  position: number;
  idx: number;
  /** Every label the overlap asks for is in (the search for the next item skips it). */
  done: Generated<boolean>;
}

export interface AssignmentsTable {
  plan_id: number;
  idx: number;
  annotator_id: number;
  leased_until: Date;
  submitted_at: Date | null;
  annotation: unknown;
  idempotency_key: string | null;
  /** The annotator's device that submitted (another device's submission is a conflict). */
  device_id: string | null;
}

/** A submission refused because another device of the annotator had submitted the item: kept, never lost. */
export interface ConflictsTable {
  id: Generated<string>;
  at: Generated<Date>;
  plan_id: number;
  idx: number;
  annotator_id: number;
  device_id: string | null;
  annotation: unknown;
  idempotency_key: string;
}

export interface Schema {
  users: UsersTable;
  sessions: SessionsTable;
  sign_in_tokens: SignInTokensTable;
  audit_log: AuditLogTable;
  datasets: DatasetsTable;
  pairs: PairsTable;
  plans: PlansTable;
  plan_items: PlanItemsTable;
  assignments: AssignmentsTable;
  conflicts: ConflictsTable;
}

export type ServerDb = Kysely<Schema>;

/** A jsonb value as a JS value (node-postgres and PGlite parse it; a string is parsed here for safety). */
export function asRecord(v: unknown): unknown {
  if (typeof v === 'string') {
    try {
      return JSON.parse(v);
    } catch {
      return null;
    }
  }
  return v ?? null;
}

/** Where the data lives: an embedded PGlite in a directory (or in memory), or a PostgreSQL URL. */
export type DatabaseTarget = { kind: 'embedded'; dataDir: string | null } | { kind: 'postgres'; url: string; schema?: string };

/**
 * node-postgres' pool interface over one PGlite instance: one connection at a time (PGlite is single-connection),
 * so a transaction holds it until it is released.
 */
function pglitePool(db: PGlite) {
  let tail: Promise<void> = Promise.resolve();
  const client = {
    async query(sql: string, parameters?: readonly unknown[]) {
      const r = await db.query(sql, parameters as unknown[]);
      const command = /^\s*(\w+)/.exec(sql)?.[1]?.toUpperCase() ?? 'SELECT';
      return { command, rowCount: r.affectedRows ?? r.rows.length, rows: r.rows };
    },
  };
  return {
    connect: () =>
      new Promise<typeof client & { release(): void }>((resolve) => {
        tail = tail.then(
          () =>
            new Promise<void>((done) => {
              resolve({ ...client, release: () => done() });
            }),
        );
      }),
    end: () => db.close(),
  };
}

/**
 * Listens on a notification channel of the database (LISTEN): `onMessage` gets each payload, and '*' after the
 * listening connection was lost and made again (notifications sent meanwhile are gone: read everything again).
 * Resolves with a function that stops listening.
 */
export type ListenFn = (channel: string, onMessage: (payload: string) => void) => Promise<() => Promise<void>>;

const listeners = new WeakMap<ServerDb, ListenFn>();

/** The LISTEN of a database opened by openServerDb. */
export function listenerOf(db: ServerDb): ListenFn {
  const l = listeners.get(db);
  if (!l) throw new Error('this database was not opened by openServerDb: it cannot LISTEN');
  return l;
}

/** A LISTEN connection of its own to a PostgreSQL server, made again (with a growing pause) when it is lost. */
function postgresListen(config: pg.ClientConfig): ListenFn {
  return async (channel, onMessage) => {
    let stopped = false;
    let client: pg.Client | null = null;
    let pause = 250;
    const connect = async (again: boolean): Promise<void> => {
      while (!stopped) {
        const c = new pg.Client(config);
        try {
          c.on('error', () => undefined);
          await c.connect();
          await c.query(`LISTEN ${channel}`);
          c.on('notification', (m) => onMessage(m.payload ?? ''));
          c.once('end', () => {
            if (!stopped) void connect(true);
          });
          client = c;
          pause = 250;
          if (again) onMessage('*');
          return;
        } catch {
          await c.end().catch(() => undefined);
          await new Promise((r) => setTimeout(r, pause));
          pause = Math.min(pause * 2, 5000);
        }
      }
    };
    await connect(false);
    return async () => {
      stopped = true;
      await client?.end().catch(() => undefined);
    };
  };
}

/** Opens the database (creating an embedded one when its directory is empty). Migrate it before use. */
export async function openServerDb(target: DatabaseTarget): Promise<ServerDb> {
  if (target.kind === 'embedded') {
    const lite = await PGlite.create(target.dataDir ?? 'memory://');
    const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool: pglitePool(lite) as never }) });
    listeners.set(db, async (channel, onMessage) => {
      const stop = await lite.listen(channel, (payload) => onMessage(payload));
      return async () => {
        if (!lite.closed) await stop();
      };
    });
    return db;
  }
  const config: pg.ClientConfig = {
    connectionString: target.url,
    ...(target.schema ? { options: `-c search_path=${target.schema}` } : {}),
  };
  const pool = new pg.Pool({ ...config, max: 10 });
  // A lost connection (the database restarted) is dropped from the pool and fails the query it was running,
  // never the process: an idle client's error reaches the pool, a checked-out one's its own listener.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  listeners.set(db, postgresListen(config));
  return db;
}
