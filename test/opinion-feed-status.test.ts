import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_STAFF, seedDemo } from '../src/modules/demo/demo.seed.ts';
import { SYSTEM } from '../src/modules/identity/permissions.ts';
import { OpinionService } from '../src/modules/opinion/opinion.service.ts';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';
import { cookieJar, formPost, get, getCsrf, type Jar } from './helpers/http.ts';

/**
 * A feed that fails (malformed XML, no answer) is logged in the fetch log and on its source, but the analysts' pages
 * showed neither: only the API did, so a feed could be broken for weeks with nobody on the dashboard knowing. The
 * dashboard now lists the sources with their last fetch and last error.
 */
describe.each(engines())('feed status on the dashboard on %s', (engine) => {
  let t: TestApp;
  let server: Server;
  let base = '';
  const jar: Jar = cookieJar();

  beforeAll(async () => {
    t = await createTestApp(engine);
    await seedDemo(t.services);
    server = createServer((req, res) => {
      if (req.url === '/bad') return void res.writeHead(200, { 'content-type': 'application/xml' }).end('<rss><channel><item><title>broken</item></channel>');
      if (req.url === '/slow') return; // never answers
      res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const pw = DEMO_STAFF.find((s) => s.username === 'analyst')!.password;
    await formPost(t.app, jar, '/login', { _csrf: await getCsrf(t.app, jar, '/login'), identifier: 'analyst', password: pw });
  });
  afterAll(async () => {
    server?.closeAllConnections();
    server?.close();
    await t?.close();
  });

  it('names each feed with its last error, in Chinese and in English', async () => {
    const svc = t.services.opinion;
    for (const [code, name, path] of [['feed-bad', 'A市发布', '/bad'], ['feed-slow', '区县新闻', '/slow']] as const) {
      expect((await svc.addSource(SYSTEM, { code, kind: 'rss', name, url: `${base}${path}` })).ok).toBe(true);
    }
    const impatient = new OpinionService(t.services.database.db, t.services.audit, { secret: 'test', feedTimeoutMs: 300 });
    expect((await impatient.pullFeed('feed-bad')).code).toBe('FEED_MALFORMED');
    expect((await impatient.pullFeed('feed-slow')).code).toBe('FEED_TIMEOUT');

    const zh = await get(t.app, jar, '/opinion');
    expect(zh.statusCode).toBe(200);
    const table = /<table[^>]*>\s*<caption[^>]*>订阅源<\/caption>[\s\S]*?<\/table>/.exec(zh.body)?.[0] ?? '';
    expect(table).toContain('A市发布');
    expect(table).toContain('XML 格式有误');
    expect(table).toContain('区县新闻');
    expect(table).toContain('0.3 秒内没有响应');

    const en = new Map(jar);
    en.set('lang', 'en');
    const page = await get(t.app, en, '/opinion');
    expect(page.body).toMatch(/<caption[^>]*>Feeds<\/caption>/);
  });
});
