import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('migrate')
    .description('bring the database schema up to date, then exit')
    .action(async () => {
      const { loadConfig } = await import('../../config.ts');
      const { openDatabase, pgliteDirFor } = await import('../../db/database.ts');
      const { migrateToLatest } = await import('../../db/migrate.ts');
      const config = loadConfig();
      const database = await openDatabase({ databaseUrl: config.databaseUrl, pgliteDir: config.databaseUrl ? undefined : pgliteDirFor(config.dataDir) });
      const r = await migrateToLatest(database.db);
      await database.close();
      if (r.error) {
        process.stderr.write(`migration failed: ${r.error}\n`);
        process.exitCode = 1;
        return;
      }
      process.stdout.write(r.applied.length ? `applied: ${r.applied.join(', ')}\n` : 'schema is up to date\n');
    });
}
