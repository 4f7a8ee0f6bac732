import type { FastifyInstance } from 'fastify';
import { createApp } from './app.ts';
import { openAndMigrate } from './bootstrap.ts';
import type { Config } from './config.ts';
import { openDatabase, pgliteDirFor, type Database } from './db/database.ts';
import { createLogger, type Logger } from './lib/log.ts';
import { seedDemo, type SeedReport } from './modules/demo/demo.seed.ts';
import { loadModules, SINGLE_PROCESS, type StartRole } from './modules/registry.ts';
import { createServices, type Services } from './services.ts';

export interface Running {
  app: FastifyInstance;
  url: string;
  stop(): Promise<void>;
}

type Log = (line: string) => void;
const stdout: Log = (l) => process.stdout.write(l + '\n');

/** Starts every module's background work for `role`, adding each stop function to `stops` as soon as it exists. */
async function startModules(services: Services, role: StartRole, stops: (() => Promise<void>)[]): Promise<void> {
  // Every process re-reads the added holiday years each minute (a year added through another process reaches it).
  stops.push(services.calendar.start(undefined, (err) => services.log.warn({ err }, 'holiday calendar refresh failed')));
  // Once per installation: expired sessions are deleted at start and every hour.
  if (role.installation) stops.push(services.identity.startSessionPurge(3_600_000, (err) => services.log.warn({ err }, 'expired session purge failed')));
  for (const m of await loadModules()) {
    const stop = m.start?.(services, role);
    if (stop) stops.push(stop);
  }
}

/** Seeds the demo city when the configuration asks for it; its report when this call created it. */
async function seedIfDemo(config: Config, services: Services): Promise<SeedReport | undefined> {
  if (!config.demo) return undefined;
  const report = await seedDemo(services);
  return report.created ? report : undefined;
}

/** Starts the audit sealer and seals what is pending; returns the final step: stop the sealer, seal once more. */
async function startSealing(services: Services, database: Database, config: Config, onError: (err: unknown) => void): Promise<() => Promise<void>> {
  const stopSealer = services.audit.startSealer(database.db, config.auditSealMs, onError);
  try {
    await services.audit.seal(database.db);
  } catch (err) {
    await stopSealer();
    throw err;
  }
  return async () => {
    await stopSealer();
    await services.audit.seal(database.db).catch(() => 0);
  };
}

/** What a process has started so far; `stopOnce` undoes it (filled in as start-up goes on). */
interface Steps {
  app?: FastifyInstance;
  stops: (() => Promise<void>)[];
  seal?: () => Promise<void>;
}

/**
 * A process's stop function, run once: closes the server (requests in flight finish), stops the modules' work, seals
 * (the process that seals) and closes the database.
 */
function stopOnce(database: Database, steps: Steps): () => Promise<void> {
  let stopping: Promise<void> | undefined;
  return () =>
    (stopping ??= (async () => {
      // Every step runs even when an earlier one fails (the database is closed whatever happens); the first error is
      // rethrown at the end.
      let failure: unknown;
      const run = async (step: (() => Promise<unknown>) | undefined) => {
        try {
          await step?.();
        } catch (err) {
          failure ??= err;
        }
      };
      await run(steps.app && (() => steps.app!.close()));
      for (const s of steps.stops) await run(s);
      await run(steps.seal);
      await run(() => database.close());
      if (failure !== undefined) throw failure;
    })());
}

/**
 * Runs `start` (which records what it opens in `steps`); when it fails, undoes what was started — the modules' timers,
 * the sealer, the app, the database (a PGlite directory is free again, nothing keeps the process alive) — and rethrows
 * with a message that says what went wrong (a port in use names the port).
 */
async function startOrUndo<T>(database: Database, config: Config, start: (steps: Steps, stop: () => Promise<void>) => Promise<T>): Promise<T> {
  const steps: Steps = { stops: [] };
  const stop = stopOnce(database, steps);
  try {
    return await start(steps, stop);
  } catch (err) {
    await stop().catch(() => undefined);
    throw startupError(err, config);
  }
}

/** A start-up failure as the operator should read it. */
export function startupError(err: unknown, config: Pick<Config, 'host' | 'port'>): Error {
  const e = err as NodeJS.ErrnoException;
  const where = `${config.host}:${config.port}`;
  if (e?.code === 'EADDRINUSE') return Object.assign(new Error(`cannot listen on ${where}: the port is already in use (EADDRINUSE); stop the other process or choose another PORT`, { cause: err }), { code: e.code });
  if (e?.code === 'EACCES') return Object.assign(new Error(`cannot listen on ${where}: permission denied (EACCES); ports below 1024 need privileges, choose another PORT`, { cause: err }), { code: e.code });
  return err instanceof Error ? err : new Error(String(err));
}

/**
 * One process does everything (the embedded database, tests, YIWANG_WORKERS=1): opens the database, migrates, seeds
 * the demo city when asked, starts the audit sealer and every module's background work, and listens.
 * SIGINT/SIGTERM close the server, let requests finish, seal the audit trail and close the database.
 * `log` gets the plain start-up lines (the demo accounts, the ready line); `logger`, when given, is the process's
 * logger (services.log and the request log, also in tests: the e2e helper keeps its lines, test/helpers/e2e.ts),
 * by default one on standard output at the configured level, silent in tests.
 */
export async function startServer(config: Config, log: Log = stdout, logger?: Logger): Promise<Running> {
  const t0 = Date.now();
  const database = await openAndMigrate(config);
  return startOrUndo(database, config, async (steps, stop) => {
    const services = await createServices(config, database, logger);
    const demo = await seedIfDemo(config, services);
    if (demo) {
      log('Demo data created for the sample city A市. Demo-only accounts (never use in production):');
      for (const a of demo.accounts) log(`  ${a.role.padEnd(12)} ${a.account.padEnd(14)} ${a.password}`);
    }
    const app = await createApp(services, { logger: config.env !== 'test' || logger !== undefined });
    steps.app = app;
    steps.seal = await startSealing(services, database, config, (err) => app.log.error({ err }, 'audit sealing failed'));
    await startModules(services, SINGLE_PROCESS, steps.stops);
    const url = await app.listen({ port: config.port, host: config.host });
    log(`yiwang ready on ${url.replace('0.0.0.0', 'localhost')} (${database.engine}${config.databaseUrl ? '' : ` in ${config.dataDir}`}) in ${Date.now() - t0} ms`);
    return { app, url, stop };
  });
}

export interface Installation {
  services: Services;
  database: Database;
  /** The demo city's accounts when this start created it (YIWANG_DEMO on a new database). */
  demo?: SeedReport;
  /** Stops the background work, seals the audit trail (once, after the workers have stopped) and closes the database. */
  stop(): Promise<void>;
}

/**
 * The cluster primary's part (src/cluster.ts): migrates and seeds once, before any worker starts, then runs the
 * once-per-installation work — the audit sealer and the modules' start() with `{installation: true, serving: false}`
 * (demo seeding, source polling, escalation, mail). It serves no HTTP and builds no search index. `log` is the
 * primary's logger for the modules (services.log).
 */
export async function startInstallation(config: Config, log: Logger): Promise<Installation> {
  const database = await openAndMigrate(config);
  return startOrUndo(database, config, async (steps, stop) => {
    const services = await createServices(config, database, log);
    const demo = await seedIfDemo(config, services);
    steps.seal = await startSealing(services, database, config, (err) => log.error({ err }, 'audit sealing failed'));
    await startModules(services, { installation: true, serving: false }, steps.stops);
    return { services, database, stop, ...(demo ? { demo } : {}) };
  });
}

/** Response header naming the worker that answered (cluster mode only): its number, 1, 2, … in start order. */
export const WORKER_HEADER = 'x-yiwang-worker';

/**
 * A cluster worker (src/cluster.ts): opens the database the primary has already migrated (workers never migrate or
 * seed), builds the services and the app, warms its own state (the modules' start() with
 * `{installation: false, serving: true}`: its search index, its classifier) and listens on the shared port.
 * Stopping closes the server (requests in flight finish), the per-process work and the database; the primary seals.
 * `log`: the worker's logger (by default one at the configured level naming the worker, silent in tests).
 */
export async function startWorker(config: Config, worker: number, log?: Logger): Promise<Running> {
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    pgliteDir: config.databaseUrl ? undefined : pgliteDirFor(config.dataDir),
    poolSize: config.dbPoolSize,
  });
  return startOrUndo(database, config, async (steps, stop) => {
    // Every line this worker logs names it: the request log and the modules' lines come from this one logger.
    const services = await createServices(config, database, log ?? createLogger({ level: config.env === 'test' ? 'silent' : config.logLevel, worker }));
    const app = await createApp(services, { logger: config.env !== 'test' || log !== undefined });
    steps.app = app;
    const id = String(worker);
    app.addHook('onRequest', (_req, reply, done) => {
      reply.header(WORKER_HEADER, id);
      done();
    });
    await startModules(services, { installation: false, serving: true }, steps.stops);
    const url = await app.listen({ port: config.port, host: config.host });
    return { app, url, stop };
  });
}
