import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { createLogger } from '../src/lib/log.ts';
import { createServices, type Services } from '../src/services.ts';
import { openTestDatabase, testConfig } from './helpers/db.ts';
import type { Database } from '../src/db/database.ts';

/** A logger destination that keeps the JSON lines. */
function sink(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      text += chunk.toString('utf8');
      cb();
    },
  });
  return { stream, lines: () => text.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('the process logger (src/lib/log.ts)', () => {
  it('names the worker on every line, its children included, and not in a single process', () => {
    const s = sink();
    const log = createLogger({ level: 'info', worker: 2 }, s.stream);
    log.error({ err: new Error('boom') }, 'search: index snapshot not written');
    log.child({ reqId: 'req-1' }).info('request completed');
    const single = sink();
    createLogger({ level: 'info' }, single.stream).info('x');
    expect(s.lines()).toHaveLength(2);
    for (const l of s.lines()) expect(l).toMatchObject({ worker: 2, pid: process.pid });
    expect(s.lines()[0]).toMatchObject({ msg: 'search: index snapshot not written', err: { message: 'boom' } });
    expect(single.lines()[0]).not.toHaveProperty('worker');
  });

  describe('a worker\'s app and modules log through it', () => {
    let database: Database;
    let services: Services;
    const s = sink();
    beforeAll(async () => {
      database = await openTestDatabase('pglite');
      // Logging on (NODE_ENV development), as in a worker (src/server.ts startWorker).
      // The snapshot directory cannot be created (under a file), so the search module's snapshot write fails.
      services = await createServices(testConfig({ NODE_ENV: 'development', YIWANG_SEARCH_SNAPSHOT_DIR: '/dev/null/search-index' }), database, createLogger({ level: 'info', worker: 5 }, s.stream));
    }, 60_000);
    afterAll(async () => {
      await (services as Partial<Services>).search?.stop();
      await database?.close();
    });

    it('request lines carry the worker, the path without its query, and no cookie or authorization', async () => {
      const app = await createApp(services, { logger: true });
      try {
        const r = await app.inject({ url: '/healthz?q=13800138000', headers: { cookie: 'yw_session=secret-cookie', authorization: 'Bearer secret-token' } });
        expect(r.statusCode).toBeLessThan(500);
      } finally {
        await app.close();
      }
      const req = s.lines().filter((l) => l.req !== undefined);
      expect(req.length).toBeGreaterThan(0);
      for (const l of req) expect(l).toMatchObject({ worker: 5, req: { path: '/healthz' } });
      const all = JSON.stringify(s.lines());
      expect(all).not.toContain('13800138000');
      expect(all).not.toContain('secret-cookie');
      expect(all).not.toContain('secret-token');
    });

    it('a module\'s background failure is a line of the same logger, naming the worker', async () => {
      await services.search.ensureLoaded();
      await services.search.snapshotSettled();
      expect(s.lines().find((l) => l.msg === 'search: index snapshot not written')).toMatchObject({ worker: 5, level: 50, err: { code: 'ENOTDIR' } });
    });
  });
});
