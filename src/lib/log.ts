import { hostname } from 'node:os';
import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

/** A process's logger: its level, and in a cluster the process it is (a worker's number, or the primary). */
export interface LoggerSettings {
  level: string;
  worker?: number;
  role?: 'primary';
}

/**
 * Options of a process's logger (pino, JSON lines): Fastify's request log is this logger (its request loggers are
 * children of it) and the modules log their background failures with it (`services.log`). In a cluster worker
 * (`worker` given) every line carries `"worker": n` next to `pid`, and in the cluster's primary (`role` given)
 * `"role": "primary"`, so each line names the process that wrote it.
 * No personal data: cookies, authorization headers and set-cookie are redacted, a request is logged as method
 * and path only (the query string may carry search terms or identifiers; a tracking code in the path is masked,
 * loggedPath), and an error as its type, message, stack
 * and codes only (errorSerializer).
 */
export function loggerOptions(o: LoggerSettings): LoggerOptions {
  return {
    level: o.level,
    base: {
      pid: process.pid,
      hostname: hostname(),
      ...(o.worker !== undefined ? { worker: o.worker } : {}),
      ...(o.role !== undefined ? { role: o.role } : {}),
    },
    redact: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'],
    serializers: {
      req: (req: { method: string; url: string }) => ({ method: req.method, path: loggedPath(req.url) }),
      err: errorSerializer,
    },
  };
}

/**
 * Path segments that are secrets, not record ids: a message's tracking code in `/messages/track/<code>` (and its API
 * twin) lets whoever holds it read the ticket and rate or reopen it without an account, so a log reader must not
 * get it. The segment is logged as `***`.
 */
const SECRET_SEGMENTS: readonly RegExp[] = [/^(\/(?:api\/v1\/)?messages\/track\/)[^/]+/];

/** A request's path as logged: no query string (it may carry search terms or identifiers), secret segments masked. */
export function loggedPath(url: string): string {
  let path = url.split('?')[0] ?? '';
  for (const re of SECRET_SEGMENTS) path = path.replace(re, '$1***');
  return path;
}

/** The fields of a logged error (pino's serializer of `err`, a cause's message and stack folded in) that are kept. */
const ERROR_FIELDS = ['type', 'message', 'stack', 'code', 'statusCode', 'errno', 'syscall', 'path', 'severity', 'schema', 'table', 'column', 'constraint', 'routine'];

/**
 * An error as pino would log it, but only the fields in ERROR_FIELDS: a database error carries the values it failed
 * on (PGlite: the statement and its `params`; PostgreSQL: `detail`, e.g. "Failing row contains (…)" with a
 * citizen's name or phone number), and other libraries attach requests or bodies, all of which the default would log.
 */
export function errorSerializer(err: unknown): unknown {
  const full: unknown = pino.stdSerializers.err(err as Error);
  if (full === null || typeof full !== 'object') return full;
  const out: Record<string, unknown> = {};
  for (const k of ERROR_FIELDS) {
    const v = (full as Record<string, unknown>)[k];
    if (v !== undefined) out[k] = v;
  }
  return out;
}

/** The logger of this process (standard output unless `destination` is given); see loggerOptions. */
export function createLogger(o: LoggerSettings, destination?: DestinationStream): Logger {
  return destination ? pino(loggerOptions(o), destination) : pino(loggerOptions(o));
}

/** Standard error, written synchronously: where a CLI command logs (its standard output is its own, e.g. --json). */
export function stderrDestination(): DestinationStream {
  return pino.destination({ dest: 2, sync: true });
}

/**
 * Standard output, written synchronously: for a process that logs a few lines and may exit right after one (the
 * cluster's primary), so every line is out, in order, before the process ends.
 */
export function stdoutDestination(): DestinationStream {
  return pino.destination({ dest: 1, sync: true });
}

let onStderr: Logger | undefined;
/** Errors only, on standard error: for code used without a process logger (benchmarks, scripts). */
export function stderrLogger(): Logger {
  onStderr ??= pino({ ...loggerOptions({ level: 'error' }) }, stderrDestination());
  return onStderr;
}
