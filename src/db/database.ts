import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PGliteDialect, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { DB } from './types.ts';

export type Engine = 'pglite' | 'postgres';

export interface Database {
  readonly db: Kysely<DB>;
  readonly engine: Engine;
  close(): Promise<void>;
}

// int8 (bigserial ids, counts) as JS numbers on both engines; ids stay far below 2^53.
pg.types.setTypeParser(20, (v) => Number(v));
// numeric as number (scores, money in yuan with two decimals).
pg.types.setTypeParser(1700, (v) => Number(v));
// date as the plain 'YYYY-MM-DD' string on both engines: a Chinese calendar day, never shifted by a time zone.
pg.types.setTypeParser(1082, (v) => v);

export interface OpenOptions {
  /** postgres:// URL; absent means embedded PGlite. */
  databaseUrl?: string | undefined;
  /** Directory for PGlite's files; absent means in memory. */
  pgliteDir?: string | undefined;
  /** A dump of a PGlite data directory to start from (tests use one migrated template). */
  pgliteLoad?: Blob | undefined;
  poolSize?: number;
}

/** Opens the database the configuration points at. Only this file chooses a dialect. */
export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: opts.poolSize ?? 10 });
    pool.on('error', () => {
      // An idle client lost its connection; the pool replaces it. Queries in flight get their own error.
    });
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    return { db, engine: 'postgres', close: () => db.destroy() };
  }
  if (opts.pgliteDir) mkdirSync(opts.pgliteDir, { recursive: true });
  const pglite = await PGlite.create({
    ...(opts.pgliteDir ? { dataDir: opts.pgliteDir } : {}),
    ...(opts.pgliteLoad ? { loadDataDir: opts.pgliteLoad } : {}),
    parsers: { 1082: (v: string) => v, 1700: (v: string) => Number(v) },
  });
  const db = new Kysely<DB>({ dialect: new PGliteDialect({ pglite }) });
  return {
    db,
    engine: 'pglite',
    close: async () => {
      await db.destroy();
      if (!pglite.closed) await pglite.close();
    },
  };
}

/** The PGlite directory inside the data directory. */
export function pgliteDirFor(dataDir: string): string {
  return join(dataDir, 'pglite');
}
