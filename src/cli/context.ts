import { openAndMigrate } from '../bootstrap.ts';
import { loadConfig } from '../config.ts';
import { createLogger, stderrDestination } from '../lib/log.ts';
import { createServices, type Services } from '../services.ts';

/** Runs `fn` with the platform's services on the configured database, then seals the audit trail and closes. */
export async function withServices<T>(fn: (services: Services) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const database = await openAndMigrate(config);
  // The modules' background failures (a search snapshot not written…) go to stderr: stdout is the command's output.
  const log = createLogger({ level: config.env === 'test' ? 'silent' : config.logLevel }, stderrDestination());
  const services = await createServices(config, database, log);
  try {
    return await fn(services);
  } finally {
    // A search index snapshot being written in the background (after a build) is finished before the database closes.
    await services.search.snapshotSettled();
    await services.audit.seal(database.db).catch(() => 0);
    await database.close();
  }
}
