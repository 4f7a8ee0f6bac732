import type { Config } from './config.ts';
import type { Database } from './db/database.ts';
import { addedHolidayRows } from './db/holidays.ts';
import { CalendarSource } from './lib/calendar/index.ts';
import { createLogger, type Logger } from './lib/log.ts';
import { AuditLog } from './modules/audit/audit.service.ts';
import { IdentityService } from './modules/identity/identity.service.ts';
import { loadModules } from './modules/registry.ts';

/**
 * Every service of the platform, built once per process from the configuration and the database. Feature modules
 * add theirs by declaration merging (see modules/registry.ts).
 */
export interface Services {
  readonly config: Config;
  readonly database: Database;
  /** This process's logger (src/lib/log.ts): the request log and the modules' background failures. */
  readonly log: Logger;
  readonly audit: AuditLog;
  readonly identity: IdentityService;
  /**
   * The working-day calendar every module counts time limits on: the shipped table plus the years an administrator
   * added (src/db/holidays.ts). Read at build, after each added year, and every minute once started (src/server.ts).
   */
  readonly calendar: CalendarSource;
}

/**
 * `log` defaults to a logger at the configured level (silent in tests); a cluster worker passes one that names it
 * (src/server.ts startWorker).
 */
export async function createServices(config: Config, database: Database, log?: Logger): Promise<Services> {
  const logger = log ?? createLogger({ level: config.env === 'test' ? 'silent' : config.logLevel });
  const audit = new AuditLog(config.signingSecret);
  const identity = new IdentityService(database.db, audit, {
    sessionHours: config.sessionHours,
    sessionMaxHours: config.sessionMaxHours,
    loginMaxFailures: config.loginMaxFailures,
    loginLockMinutes: config.loginLockMinutes,
    loginKeySecret: config.signingSecret,
  });
  const calendar = new CalendarSource(() => addedHolidayRows(database.db));
  // Services are built after migrating; should the read fail anyway, the shipped table is used until the next refresh.
  await calendar.refresh().catch((err: unknown) => logger.warn({ err }, 'holiday calendar: could not read the added years'));
  // Feature modules add their services below (declared on Services by declaration merging).
  const services = { config, database, log: logger, audit, identity, calendar } as Services;
  for (const m of await loadModules()) {
    if (m.services) Object.assign(services, await m.services(services));
  }
  return services;
}
