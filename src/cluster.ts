import cluster, { type Worker } from 'node:cluster';
import { sql, type Kysely } from 'kysely';
import type { DestinationStream } from 'pino';
import type { Config } from './config.ts';
import type { DB } from './db/types.ts';
import { createLogger, stdoutDestination, type Logger } from './lib/log.ts';
import { startInstallation, startWorker, type Running } from './server.ts';

/**
 * `yiwang start` on PostgreSQL with several HTTP worker processes (node:cluster; they share the port, the primary
 * hands each new connection to the next worker in turn).
 *
 * Primary: migrates and seeds the demo city once, before any worker exists, then runs the once-per-installation work
 * (audit sealer, and the modules' start() with `{installation: true, serving: false}`: demo seeding, source polling,
 * escalation timers, mail), forks `config.workers` workers and keeps them running: a worker that dies is replaced
 * after a back-off (0.5 s, doubling while replacements keep dying within 30 s, at most 30 s). It serves no HTTP and
 * builds no search index. Why the primary and not "worker 1": it is the one process that lives as long as the
 * installation, so the timers never pause while a worker is replaced, no request waits behind a seeding or polling
 * step, and the final seal on shutdown happens after every worker has stopped writing.
 *
 * Workers: open the database without migrating, build the services and the app, warm their own state (start() with
 * `{installation: false, serving: true}`: the search index, the message classifier; search freshness across
 * processes is per process, docs/search-module.md) and listen. Each response carries `x-yiwang-worker: <n>`.
 *
 * SIGINT/SIGTERM to the primary (Ctrl-C signals the whole group; workers leave SIGINT to the primary): the primary
 * sends SIGTERM to every worker, which closes its server (requests in flight finish), stops its work and closes its pool; then the primary stops its timers, seals the audit
 * trail once and exits. A second signal while stopping kills the workers and exits at once. If a worker exits before
 * all workers have once been ready (port in use, database unreachable), the primary stops everything and exits 1.
 * A worker whose primary disappears stops itself.
 *
 * Logging: every process writes pino JSON lines on stdout (src/lib/log.ts), the primary's with `"role": "primary"`,
 * a worker's with `"worker": n`. A process's own lines — started, worker ready or exited, stopping, stopped, and the
 * primary's `yiwang ready on <url> (postgres, N workers)`, whose `url` names the port of `PORT=0` — are written
 * whatever YIWANG_LOG_LEVEL says, like a single process's ready line; the request log and the modules' lines
 * (services.log, a child of it) follow YIWANG_LOG_LEVEL and are silent in tests.
 */

type Log = (line: string) => void;

/** A process's own lines (at any YIWANG_LOG_LEVEL) and, as a child of it, its logger for the modules and requests. */
function loggers(config: Config, who: { role: 'primary' } | { worker: number }, destination?: DestinationStream): { lines: Logger; log: Logger } {
  const lines = createLogger({ level: 'info', ...who }, destination);
  return { lines, log: lines.child({}, { level: config.env === 'test' ? 'silent' : config.logLevel }) };
}

/** How long a replacement waits: 0.5 s, then doubling for each replacement that died within 30 s, at most 30 s. */
export function restartDelayMs(quickFailures: number): number {
  return Math.min(30_000, 500 * 2 ** Math.max(0, quickFailures - 1));
}

/** A worker that lived at least this long before dying resets its slot's back-off. */
const STABLE_MS = 30_000;
/** Workers still running this long after being asked to stop are killed. */
const STOP_GRACE_MS = 30_000;

interface Slot {
  worker: Worker | undefined;
  startedAt: number;
  ready: boolean;
  quickFailures: number;
  timer: NodeJS.Timeout | undefined;
}

/** Runs this process's part: the primary (forks and supervises) or a worker (serves). */
export async function runCluster(config: Config): Promise<void> {
  if (cluster.isPrimary) await runPrimary(config);
  else await runWorker(config);
}

async function runPrimary(config: Config): Promise<void> {
  const t0 = Date.now();
  // Written synchronously: the primary logs little and exits right after its last line.
  const { lines, log } = loggers(config, { role: 'primary' }, stdoutDestination());
  lines.info({ workers: config.workers }, `PostgreSQL with ${config.workers} worker processes; migrating${config.demo ? ' and seeding the demo city' : ''} once before starting them`);
  const installation = await startInstallation(config, log);
  if (installation.demo) {
    // Roles and account names only: the demo passwords are in README.md, not in a log.
    const accounts = installation.demo.accounts.map((a) => ({ role: a.role, account: a.account }));
    lines.info({ accounts }, 'Demo data created for the sample city A市; demo-only accounts (passwords: README.md; never use in production)');
  }
  await warnIfTooManyConnections(installation.database.db, config, (l) => lines.warn(l));
  const slots: Slot[] = Array.from({ length: config.workers }, () => ({ worker: undefined, startedAt: 0, ready: false, quickFailures: 0, timer: undefined }));
  let everReady = false;
  let stopping: Promise<void> | undefined;

  const fork = (slot: Slot) => {
    slot.timer = undefined;
    const w = cluster.fork();
    slot.worker = w;
    slot.startedAt = Date.now();
    slot.ready = false;
    w.on('message', (m: unknown) => {
      const msg = m as { type?: string; url?: string } | null;
      if (msg?.type !== 'ready') return;
      slot.ready = true;
      const url = String(msg.url).replace('0.0.0.0', 'localhost');
      lines.info({ workerId: w.id, workerPid: w.process.pid, url }, `worker ${w.id} (pid ${w.process.pid}) ready on ${url}`);
      if (!everReady && slots.every((s) => s.ready)) {
        everReady = true;
        const ms = Date.now() - t0;
        lines.info({ url, workers: config.workers, ms }, `yiwang ready on ${url} (postgres, ${config.workers} workers) in ${ms} ms`);
      }
    });
    w.on('exit', (code, signal) => {
      if (slot.worker === w) slot.worker = undefined;
      if (stopping) return;
      const how = signal ? `signal ${signal}` : `code ${code}`;
      const about = { workerId: w.id, workerPid: w.process.pid, code, signal };
      if (!everReady) {
        lines.error(about, `worker ${w.id} (pid ${w.process.pid}) exited (${how}) before the installation was ready; stopping`);
        void shutdown('start-up failure', 1);
        return;
      }
      const lived = Date.now() - slot.startedAt;
      slot.quickFailures = lived < STABLE_MS ? slot.quickFailures + 1 : 1;
      const delay = restartDelayMs(slot.quickFailures);
      lines.warn({ ...about, livedMs: lived, delayMs: delay }, `worker ${w.id} (pid ${w.process.pid}) exited (${how}) after ${(lived / 1000).toFixed(1)} s; starting a replacement in ${(delay / 1000).toFixed(1)} s`);
      slot.timer = setTimeout(() => fork(slot), delay);
    });
  };

  const shutdown = (why: string, exitCode: number) => {
    if (stopping) return stopping;
    stopping = (async () => {
      lines.info(`${why}: stopping ${slots.filter((s) => s.worker).length} workers…`);
      for (const s of slots) clearTimeout(s.timer);
      const alive = slots.map((s) => s.worker).filter((w): w is Worker => !!w && !w.isDead());
      await Promise.all(
        alive.map(
          (w) =>
            new Promise<void>((resolve) => {
              const kill = setTimeout(() => w.process.kill('SIGKILL'), STOP_GRACE_MS);
              w.once('exit', () => {
                clearTimeout(kill);
                resolve();
              });
              w.process.kill('SIGTERM');
            }),
        ),
      );
      await installation.stop();
      lines.info('stopped; audit trail sealed');
    })().then(
      () => process.exit(exitCode),
      (err: unknown) => {
        lines.error({ err }, 'stopping failed');
        process.exit(1);
      },
    );
    return stopping;
  };

  const onSignal = (signal: NodeJS.Signals) => {
    if (!stopping) {
      void shutdown(signal, 0);
      return;
    }
    lines.warn(`${signal} again: killing the workers`);
    for (const s of slots) s.worker?.process.kill('SIGKILL');
    process.exit(1);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  for (const s of slots) fork(s);
}

/**
 * Every process opens up to YIWANG_DB_POOL_SIZE connections when busy (the pools are lazy, so too many shows only
 * under load): says so at start when the primary and the workers together could exceed the server's limit.
 */
export async function warnIfTooManyConnections(db: Kysely<DB>, config: Config, log: Log): Promise<void> {
  const need = (config.workers + 1) * config.dbPoolSize;
  try {
    const r = await sql<{ max: number; reserved: number }>`select current_setting('max_connections')::int as max, current_setting('superuser_reserved_connections')::int as reserved`.execute(db);
    const row = r.rows[0];
    if (row && need > row.max - row.reserved) {
      log(
        `warning: ${config.workers} workers + the primary × YIWANG_DB_POOL_SIZE ${config.dbPoolSize} = up to ${need} connections, ` +
          `but PostgreSQL allows ${row.max - row.reserved} (max_connections ${row.max} − ${row.reserved} reserved); lower YIWANG_WORKERS or YIWANG_DB_POOL_SIZE, or raise max_connections`,
      );
    }
  } catch {
    // Not allowed to read the settings: nothing to say.
  }
}

async function runWorker(config: Config): Promise<void> {
  const id = cluster.worker?.id ?? 0;
  // Every line carries `"worker": id`: the lines below, the request log and the modules' background failures.
  const { lines, log } = loggers(config, { worker: id });
  let running: Running | undefined;
  let stopping = false;
  const stop = (why: string) => {
    if (stopping) return;
    stopping = true;
    lines.info(`${why}: stopping`);
    (running?.stop() ?? Promise.resolve()).then(
      () => process.exit(0),
      (err: unknown) => {
        lines.error({ err }, 'stopping failed');
        process.exit(1);
      },
    );
  };
  // Ctrl-C in a terminal signals the whole process group: the primary stops the workers (SIGTERM) and tells a
  // stopping installation from a crash, so a worker leaves SIGINT to it.
  process.on('SIGINT', () => undefined);
  process.on('SIGTERM', () => stop('SIGTERM'));
  // The primary is gone (killed): nobody will replace or stop this worker, so it stops by itself.
  process.on('disconnect', () => stop('primary gone'));
  try {
    running = await startWorker(config, id, log);
  } catch (err) {
    lines.error({ err }, 'failed to start');
    process.exit(1);
  }
  if (stopping) {
    await running.stop();
    process.exit(0);
  }
  process.send?.({ type: 'ready', url: running.url });
}
