import type { Config } from './config.ts';
import type { Database } from './db/database.ts';
import { AuditLog } from './modules/audit/audit.service.ts';
import { IdentityService } from './modules/identity/identity.service.ts';

/** Every service of the platform, built once per process from the configuration and the database. */
export interface Services {
  readonly config: Config;
  readonly database: Database;
  readonly audit: AuditLog;
  readonly identity: IdentityService;
}

export function createServices(config: Config, database: Database): Services {
  const audit = new AuditLog(config.signingSecret);
  const identity = new IdentityService(database.db, audit, {
    sessionHours: config.sessionHours,
    loginMaxFailures: config.loginMaxFailures,
    loginLockMinutes: config.loginLockMinutes,
  });
  return { config, database, audit, identity };
}
