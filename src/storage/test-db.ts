// For the storage tests: a fresh, uniquely named database per test, closed and deleted after each.
import Dexie from 'dexie';
import { afterEach } from 'vitest';
import { HyperDb } from './db';

/**
 * Returns a function that opens a new empty database (or, given a name, that database), deleted after the test;
 * call once at the top of a test file.
 */
export function freshDatabases(prefix: string): (name?: string) => HyperDb {
  let counter = 0;
  const dbs: Dexie[] = [];
  afterEach(async () => {
    for (const db of dbs.splice(0)) {
      db.close();
      await Dexie.delete(db.name);
    }
  });
  return (name) => {
    const db = new HyperDb(name ?? `${prefix}-${++counter}`);
    dbs.push(db);
    return db;
  };
}
