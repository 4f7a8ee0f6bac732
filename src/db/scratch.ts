import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database, type Engine } from './database.ts';
import { migrateToLatest } from './migrate.ts';

export interface ScratchOptions {
  /** For postgres: a URL of the cluster; a new database is created in it. */
  postgresUrl?: string | undefined;
  poolSize?: number;
  /** A PGlite data-directory dump to start from (tests keep one migrated image). */
  pgliteLoad?: Blob | undefined;
}

/**
 * A fresh, migrated, empty database on `engine` for tests and benchmarks: in-memory PGlite, or a new database in
 * the given PostgreSQL cluster that is dropped on close.
 */
export async function openScratchDatabase(engine: Engine, opts: ScratchOptions = {}): Promise<Database> {
  if (engine === 'pglite') {
    const d = await openDatabase({ pgliteLoad: opts.pgliteLoad });
    const r = await migrateToLatest(d.db);
    if (r.error) throw new Error(r.error);
    return d;
  }
  const base = opts.postgresUrl;
  if (!base) throw new Error('openScratchDatabase: postgres needs postgresUrl');
  const name = `yw_scratch_${randomBytes(6).toString('hex')}`;
  const admin = async (q: string) => {
    const c = new pg.Client({ connectionString: base });
    await c.connect();
    try {
      await c.query(q);
    } finally {
      await c.end();
    }
  };
  await admin(`create database ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString(), poolSize: opts.poolSize ?? 10 });
  const r = await migrateToLatest(database.db);
  if (r.error) throw new Error(r.error);
  return {
    ...database,
    async close() {
      await database.close();
      await admin(`drop database if exists ${name} with (force)`);
    },
  };
}
