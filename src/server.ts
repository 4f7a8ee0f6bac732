import type { FastifyInstance } from 'fastify';
import { createApp } from './app.ts';
import { openAndMigrate } from './bootstrap.ts';
import type { Config } from './config.ts';
import { seedDemo } from './modules/demo/demo.seed.ts';
import { createServices } from './services.ts';

export interface Running {
  app: FastifyInstance;
  url: string;
  stop(): Promise<void>;
}

/**
 * Opens the database, migrates, seeds the demo city when asked, starts the audit sealer and listens.
 * SIGINT/SIGTERM close the server, let requests finish, seal the audit trail and close the database.
 */
export async function startServer(config: Config, log: (line: string) => void = (l) => process.stdout.write(l + '\n')): Promise<Running> {
  const t0 = Date.now();
  const database = await openAndMigrate(config);
  const services = await createServices(config, database);
  if (config.demo) {
    const report = await seedDemo(services);
    if (report.created) {
      log('Demo data created for the sample city A市. Demo-only accounts (never use in production):');
      for (const a of report.accounts) log(`  ${a.role.padEnd(12)} ${a.account.padEnd(14)} ${a.password}`);
    }
  }
  const app = await createApp(services, { logger: config.env !== 'test' });
  const stopSealer = services.audit.startSealer(database.db, config.auditSealMs, (err) => app.log.error({ err }, 'audit sealing failed'));
  await services.audit.seal(database.db);
  const { loadModules } = await import('./modules/registry.ts');
  const stops = (await loadModules()).map((m) => m.start?.(services)).filter((f): f is () => Promise<void> => !!f);
  const url = await app.listen({ port: config.port, host: config.host });
  log(`yiwang ready on ${url.replace('0.0.0.0', 'localhost')} (${database.engine}${config.databaseUrl ? '' : ` in ${config.dataDir}`}) in ${Date.now() - t0} ms`);
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      await app.close();
      for (const s of stops) await s();
      await stopSealer();
      await services.audit.seal(database.db).catch(() => 0);
      await database.close();
    })();
    return stopping;
  };
  return { app, url, stop };
}
