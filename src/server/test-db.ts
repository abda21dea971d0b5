// The databases the server's tests run on: an in-memory PGlite, and this machine's PostgreSQL when it is up
// (127.0.0.1:5432, database `test`), in a schema of the test's own that is dropped after.
import pg from 'pg';
import { openServerDb, type ServerDb } from './db';

export const PG_URL = 'postgres://postgres@127.0.0.1:5432/test';

export async function postgresUp(): Promise<boolean> {
  const c = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 1500 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

/** A fresh database of the kind with `connections` handles on it (PGlite has one); `drop` closes and removes it. */
export async function freshDb(kind: 'pglite' | 'postgres', connections = 1): Promise<{ dbs: ServerDb[]; drop: () => Promise<void> }> {
  if (kind === 'pglite') {
    const db = await openServerDb({ kind: 'embedded', dataDir: null });
    return { dbs: [db], drop: () => db.destroy() };
  }
  const schema = `hyper_test_${process.pid}_${Math.floor(Math.random() * 1e9)}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  const dbs: ServerDb[] = [];
  for (let i = 0; i < connections; i++) dbs.push(await openServerDb({ kind: 'postgres', url: PG_URL, schema }));
  return {
    dbs,
    drop: async () => {
      for (const db of dbs) await db.destroy();
      await admin.query(`drop schema ${schema} cascade`);
      await admin.end();
    },
  };
}
