import type { Kysely } from 'kysely';
import { Migrator, type MigrationResult } from 'kysely/migration';
import { loadMigrations } from './migrations/index.ts';

export interface MigrateOutcome {
  applied: string[];
  error?: string;
}

/** Runs every pending migration; the result says which ran and, on failure, why (nothing half-applied stays). */
// Migrations work on any schema, so the database type is deliberately open here.
export async function migrateToLatest(db: Kysely<any>): Promise<MigrateOutcome> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: loadMigrations },
    // Modules add migrations independently; one written later may sort before one already applied.
    allowUnorderedMigrations: true,
    migrationTableName: 'yiwang_migrations',
    migrationLockTableName: 'yiwang_migrations_lock',
  });
  const { error, results } = await migrator.migrateToLatest();
  const applied = (results ?? []).filter((r: MigrationResult) => r.status === 'Success').map((r: MigrationResult) => r.migrationName);
  if (error) {
    const failed = (results ?? []).find((r: MigrationResult) => r.status === 'Error');
    return { applied, error: `${failed ? failed.migrationName + ': ' : ''}${(error as Error).message ?? String(error)}` };
  }
  return { applied };
}
