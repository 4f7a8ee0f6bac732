import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PGliteDialect } from 'kysely';
import { createApp } from '../../src/app.ts';
import { parseConfig, type Config } from '../../src/config.ts';
import type { Database, Engine } from '../../src/db/database.ts';
import { openScratchDatabase } from '../../src/db/scratch.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { createLogger } from '../../src/lib/log.ts';
import { createServices, type Services } from '../../src/services.ts';

/**
 * The URL of the PostgreSQL server this run may create test databases on (`YIWANG_TEST_PG_URL`, set by
 * scripts/with-pg.mjs, which `npm test` uses), or `undefined` when there is none. Tests read it here, not from
 * `process.env` (ESLint says so).
 */
export function testPostgresUrl(): string | undefined {
  return process.env.YIWANG_TEST_PG_URL || undefined;
}

/** The engines this run tests on: PGlite always, PostgreSQL when `npm test` started a cluster. */
export function engines(): Engine[] {
  const list = (process.env.YIWANG_TEST_ENGINES ?? 'pglite').split(',').map((s) => s.trim()) as Engine[];
  return list.filter((e) => e === 'pglite' || (e === 'postgres' && !!testPostgresUrl()));
}

let pgliteTemplate: Promise<Blob> | undefined;

/** A migrated PGlite image, made once per worker; each test database starts from a copy (0.5 s instead of 3 s). */
function migratedPgliteImage(): Promise<Blob> {
  pgliteTemplate ??= (async () => {
    const pglite = await PGlite.create();
    const db = new Kysely<unknown>({ dialect: new PGliteDialect({ pglite }) });
    const r = await migrateToLatest(db);
    if (r.error) throw new Error(r.error);
    const image = await pglite.dumpDataDir('none');
    await pglite.close();
    return image;
  })();
  return pgliteTemplate;
}

/** A fresh, migrated, empty database on `engine`, dropped on close. */
export async function openTestDatabase(engine: Engine): Promise<Database> {
  return engine === 'pglite'
    ? openScratchDatabase('pglite', { pgliteLoad: await migratedPgliteImage() })
    : openScratchDatabase('postgres', { postgresUrl: testPostgresUrl(), poolSize: 10 });
}

export function testConfig(overrides: Record<string, string> = {}): Config {
  return parseConfig(
    {},
    {
      YIWANG_DATA_DIR: mkdtempSync(join(tmpdir(), 'yiwang-test-')),
      NODE_ENV: 'test',
      YIWANG_LOG_LEVEL: 'silent',
      // Tests serve their feeds from loopback servers, which feeds may not reach otherwise (test/security-feeds.test.ts).
      YIWANG_FEED_ALLOW_HOSTS: '127.0.0.1',
      ...overrides,
    },
  );
}

export interface TestApp {
  app: Awaited<ReturnType<typeof createApp>>;
  services: Services;
  database: Database;
  close(): Promise<void>;
}

export async function createTestApp(engine: Engine, overrides: Record<string, string> = {}): Promise<TestApp> {
  const config = testConfig(overrides);
  const database = await openTestDatabase(engine);
  const services = await createServices(config, database);
  const app = await createApp(services);
  await app.ready();
  return testApp(app, services, database);
}

/** A TestApp whose closing also stops what the services started. */
function testApp(app: TestApp['app'], services: Services, database: Database): TestApp {
  return {
    app,
    services,
    database,
    async close() {
      await app.close();
      // A first search may have started a background index snapshot write; let it finish or give up first.
      await (services as Partial<Services>).search?.stop();
      await database.close();
    },
  };
}

/**
 * A TestApp with request logging on whose warnings and errors are kept in `lines`, for tests that assert what was
 * logged; `seed` runs on the services before the app is built.
 */
export async function createLoggedTestApp(engine: Engine, seed?: (services: Services) => Promise<unknown>): Promise<TestApp & { lines: string[] }> {
  const lines: string[] = [];
  const database = await openTestDatabase(engine);
  const services = await createServices(testConfig(), database, createLogger({ level: 'warn' }, { write: (s: string) => void lines.push(s) }));
  if (seed) await seed(services);
  const app = await createApp(services, { logger: true });
  await app.ready();
  return { ...testApp(app, services, database), lines };
}

/**
 * The lines of the error handler's backstop (a request value the database refused, or an unhandled error): tests of
 * input checks expect none, since every bad value must be caught before the database sees it.
 */
export const backstopLines = (lines: readonly string[]): string[] => lines.filter((l) => /request value refused by the database|unhandled error/.test(l));
