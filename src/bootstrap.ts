import type { Config } from './config.ts';
import { openDatabase, pgliteDirFor, type Database } from './db/database.ts';
import { migrateToLatest } from './db/migrate.ts';

/** Opens the configured database and brings its schema up to date; throws with the failing migration's name. */
export async function openAndMigrate(config: Config): Promise<Database> {
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    pgliteDir: config.databaseUrl ? undefined : pgliteDirFor(config.dataDir),
    poolSize: config.dbPoolSize,
  });
  const outcome = await migrateToLatest(database.db);
  if (outcome.error) {
    await database.close();
    throw new Error(`migration failed: ${outcome.error}`);
  }
  return database;
}
