// The server's schema history, run at start (`hyper serve`) by Kysely's migrator, the same on PGlite and on a
// PostgreSQL server. Never edit a released migration: add the next one. Tests run them from empty and from the
// previous version with data in it.
import { Migrator, sql, type Kysely, type Migration, type MigrationResultSet } from 'kysely';

const MIGRATIONS: Record<string, Migration> = {
  '0001-users-sessions': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('users')
        .addColumn('id', 'serial', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('lead', 'annotator')`))
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      await db.schema
        .createTable('sessions')
        .addColumn('id_hash', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
        .execute();
    },
  },
  '0002-sign-in-tokens-audit': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('sign_in_tokens')
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('purpose', 'text', (c) => c.notNull().check(sql`purpose in ('lead', 'invite')`))
        .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
        .addColumn('used_at', 'timestamptz')
        .addColumn('revoked_at', 'timestamptz')
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      await db.schema
        .createTable('audit_log')
        .addColumn('id', 'bigserial', (c) => c.primaryKey())
        .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('detail', 'jsonb')
        .execute();
    },
  },
  '0003-invite-ids': {
    // Invites are listed and revoked by a public id (the token itself is shown once, and stored only as a hash).
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('sign_in_tokens')
        .addColumn('id', 'bigserial', (c) => c.unique())
        .execute();
      await db.schema
        .alterTable('sign_in_tokens')
        .addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
        .execute();
    },
  },
  '0004-datasets-plans-assignments': {
    // What the lead publishes (a dataset's pairs and a locked plan's routed queue) and who labels what.
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('datasets')
        .addColumn('id', 'serial', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      await db.schema
        .createTable('pairs')
        .addColumn('dataset_id', 'integer', (c) => c.notNull().references('datasets.id').onDelete('cascade'))
        .addColumn('idx', 'integer', (c) => c.notNull())
        .addColumn('pair_id', 'text', (c) => c.notNull())
        .addColumn('prompt', 'text', (c) => c.notNull())
        .addColumn('response_a', 'text', (c) => c.notNull())
        .addColumn('response_b', 'text', (c) => c.notNull())
        // The LM label: kept for the lead's merge, never sent to an annotator.
        .addColumn('lm_label', 'text')
        .addPrimaryKeyConstraint('pairs_pk', ['dataset_id', 'idx'])
        .execute();
      await db.schema
        .createTable('plans')
        .addColumn('id', 'serial', (c) => c.primaryKey())
        .addColumn('dataset_id', 'integer', (c) => c.notNull().references('datasets.id').onDelete('cascade'))
        .addColumn('overlap', 'integer', (c) => c.notNull().check(sql`overlap between 1 and 20`))
        .addColumn('lease_seconds', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      await db.schema
        .createTable('plan_items')
        .addColumn('plan_id', 'integer', (c) => c.notNull().references('plans.id').onDelete('cascade'))
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('idx', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('plan_items_pk', ['plan_id', 'position'])
        .addUniqueConstraint('plan_items_idx', ['plan_id', 'idx'])
        .execute();
      await db.schema
        .createTable('assignments')
        .addColumn('plan_id', 'integer', (c) => c.notNull().references('plans.id').onDelete('cascade'))
        .addColumn('idx', 'integer', (c) => c.notNull())
        .addColumn('annotator_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('leased_until', 'timestamptz', (c) => c.notNull())
        .addColumn('submitted_at', 'timestamptz')
        .addColumn('annotation', 'jsonb')
        .addColumn('idempotency_key', 'text')
        .addPrimaryKeyConstraint('assignments_pk', ['plan_id', 'idx', 'annotator_id'])
        .execute();
    },
  },
  '0005-projects-records-conflicts': {
    // A published dataset is a project: its guidelines, its annotators (an invite names the project), its pairs as
    // the workbench's records (the server's merge and export read them as the workbench does) and its plans' files.
    // A submission carries the device it came from; a second device's submission is kept apart as a conflict.
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('datasets')
        .addColumn('guidelines', 'text', (c) => c.notNull().defaultTo(''))
        .execute();
      await db.schema.alterTable('pairs').addColumn('record', 'jsonb').execute();
      await db.schema.alterTable('plans').addColumn('plan_file', 'jsonb').execute();
      await db.schema
        .alterTable('plans')
        .addColumn('name', 'text', (c) => c.notNull().defaultTo(''))
        .execute();
      await db.schema
        .alterTable('users')
        .addColumn('project_id', 'integer', (c) => c.references('datasets.id').onDelete('cascade'))
        .execute();
      await db.schema.alterTable('assignments').addColumn('device_id', 'text').execute();
      await db.schema
        .createTable('conflicts')
        .addColumn('id', 'bigserial', (c) => c.primaryKey())
        .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('plan_id', 'integer', (c) => c.notNull().references('plans.id').onDelete('cascade'))
        .addColumn('idx', 'integer', (c) => c.notNull())
        .addColumn('annotator_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('device_id', 'text')
        .addColumn('annotation', 'jsonb', (c) => c.notNull())
        .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
        .execute();
    },
  },
  '0006-queue-indexes': {
    // Handing out and counting stay cheap as a plan fills: an item that has all its labels is marked done (the
    // search for the next item skips done ones through an index), and an annotator's own work is found by index.
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('plan_items')
        .addColumn('done', 'boolean', (c) => c.notNull().defaultTo(false))
        .execute();
      await sql`update plan_items pi set done = true from plans p
        where p.id = pi.plan_id and (select count(*) from assignments a
          where a.plan_id = pi.plan_id and a.idx = pi.idx and a.submitted_at is not null) >= p.overlap`.execute(db);
      await db.schema.createIndex('plan_items_open').on('plan_items').columns(['plan_id', 'done', 'position']).execute();
      await db.schema.createIndex('assignments_annotator').on('assignments').columns(['plan_id', 'annotator_id']).execute();
    },
  },
};

export const MIGRATION_NAMES = Object.keys(MIGRATIONS);

function migrator(db: Kysely<unknown>): Migrator {
  return new Migrator({ db, provider: { getMigrations: async () => MIGRATIONS }, migrationTableName: 'hyper_migrations' });
}

/** Runs every migration not yet run (or up to `to`, a migration name); throws with the failing one named. */
export async function migrate<T>(db: Kysely<T>, to?: string): Promise<string[]> {
  const m = migrator(db as unknown as Kysely<unknown>);
  const r: MigrationResultSet = to ? await m.migrateTo(to) : await m.migrateToLatest();
  if (r.error) {
    const failed = r.results?.find((x) => x.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`database migration ${failed} failed: ${r.error instanceof Error ? r.error.message : String(r.error)}`);
  }
  return (r.results ?? []).filter((x) => x.status === 'Success').map((x) => x.migrationName);
}
