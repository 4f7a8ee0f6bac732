import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../src/modules/demo/demo.seed.ts';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';
import { openSession } from './helpers/sessions.ts';

const RSS = `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>internal</title>
<item><guid>secret-1</guid><title>内部数据</title><description>只应在本机可见的内容</description><pubDate>Mon, 06 Jan 2020 08:00:00 +0800</pubDate></item>
</channel></rss>`;

/**
 * An analyst's feed URL must not make the server fetch its own loopback services, the intranet or the cloud metadata
 * service (SSRF): the server fetched http://127.0.0.1:…/ and http://169.254.169.254/ and stored what came back.
 */
describe.each(engines())('feed URLs reach public addresses only, on %s', (engine) => {
  let t: TestApp;
  let server: Server;
  let port = 0;
  let hits = 0;
  let token = '';
  const add = (code: string, url: string) => t.app.inject({ method: 'POST', url: '/api/v1/opinion/sources', headers: { authorization: `Bearer ${token}` }, payload: { code, kind: 'rss', url } });

  beforeAll(async () => {
    // Only an intranet name is allowed here, not the loopback address the other tests serve their feeds from.
    t = await createTestApp(engine, { YIWANG_FEED_ALLOW_HOSTS: 'feeds.intra.example' });
    await seedDemo(t.services);
    token = await openSession(t, { username: 'analyst' });
    server = createServer((req, res) => {
      hits++;
      if (req.url === '/hop') return void res.writeHead(302, { location: `http://127.0.0.1:${port}/rss` }).end();
      res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(RSS);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server?.close();
    await t?.close();
  });

  it.each([
    ['loop', () => `http://127.0.0.1:${port}/rss`],
    ['loopname', () => `http://localhost:${port}/rss`],
    ['loop6', () => `http://[::ffff:127.0.0.1]:${port}/rss`],
    ['meta', () => 'http://169.254.169.254/latest/meta-data/'],
    ['intra', () => 'http://10.0.0.1/rss'],
  ])('%s: the feed is not fetched, the fetch log says why', async (code, url) => {
    expect((await add(code, url())).statusCode).toBe(201);
    const before = hits;
    const r = await t.services.opinion.pullFeed(code);
    expect(r).toMatchObject({ ok: false, code: 'FEED_UNREACHABLE', added: 0 });
    expect(r.message).toContain('EADDRNOTPUBLIC');
    expect(hits).toBe(before);
    const stored = await t.database.db.selectFrom('opinion_items').select('id').where('source', '=', code).execute();
    expect(stored).toHaveLength(0);
  });

  it('a redirect from a public address to loopback is not followed', async () => {
    const { feedFetch } = await import('../src/modules/opinion/feed-fetch.ts');
    // The first hop is the allowed host (standing in for a public server); the redirect to 127.0.0.1 is refused.
    const f = feedFetch([`127.0.0.1`]);
    expect((await f(`http://127.0.0.1:${port}/rss`)).status).toBe(200);
    const g = feedFetch([]);
    await expect(g(`http://127.0.0.1:${port}/hop`)).rejects.toMatchObject({ cause: { code: 'EADDRNOTPUBLIC' } });
  });

  it('an allowed host is fetched as before', async () => {
    const allowed = await createTestApp(engine, { YIWANG_FEED_ALLOW_HOSTS: '127.0.0.1' });
    try {
      await seedDemo(allowed.services);
      const analyst = await openSession(allowed, { username: 'analyst' });
      const res = await allowed.app.inject({ method: 'POST', url: '/api/v1/opinion/sources', headers: { authorization: `Bearer ${analyst}` }, payload: { code: 'intra', kind: 'rss', url: `http://127.0.0.1:${port}/rss` } });
      expect(res.statusCode).toBe(201);
      expect(await allowed.services.opinion.pullFeed('intra')).toMatchObject({ ok: true, added: 1 });
    } finally {
      await allowed.close();
    }
  });
});
