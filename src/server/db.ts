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
}

export interface PairsTable {
  dataset_id: number;
  idx: number;
  pair_id: string;
  prompt: string;
  response_a: string;
  response_b: string;
  lm_label: string | null;
}

export interface PlansTable {
  id: Generated<number>;
  dataset_id: number;
  /** Annotators per routed item. */
  overlap: number;
  /** How long an item handed out but not submitted stays with its annotator. */
  lease_seconds: number;
  created_at: Generated<Date>;
}

export interface PlanItemsTable {
  plan_id: number;
  /** Routing order. */
  position: number;
  idx: number;
}

export interface AssignmentsTable {
  plan_id: number;
  idx: number;
  annotator_id: number;
  leased_until: Date;
  submitted_at: Date | null;
  annotation: unknown;
  idempotency_key: string | null;
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
}

export type ServerDb = Kysely<Schema>;

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

/** Opens the database (creating an embedded one when its directory is empty). Migrate it before use. */
export async function openServerDb(target: DatabaseTarget): Promise<ServerDb> {
  if (target.kind === 'embedded') {
    const lite = await PGlite.create(target.dataDir ?? 'memory://');
    return new Kysely<Schema>({ dialect: new PostgresDialect({ pool: pglitePool(lite) as never }) });
  }
  const pool = new pg.Pool({
    connectionString: target.url,
    max: 10,
    ...(target.schema ? { options: `-c search_path=${target.schema}` } : {}),
  });
  return new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
}
