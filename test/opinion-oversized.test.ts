import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_STAFF, seedDemo } from '../src/modules/demo/demo.seed.ts';
import { MAX_POST_CHARS, signBody } from '../src/modules/opinion/opinion.pure.ts';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';

/** A post longer than the platform takes (20,000 characters), in plain ASCII so that the webhook body stays under 64 KiB. */
const long = 'x'.repeat(MAX_POST_CHARS + 1);

/**
 * An oversized post is refused the same way by every source, with a clear error, and nothing else is lost: the
 * webhook answered 201 and kept the first 20,000 characters without a word, and an import row or a feed item of
 * megabytes was stored and analysed whole (a 5 MB row held the import for 20 s).
 */
describe.each(engines())('oversized posts on %s', (engine) => {
  let t: TestApp;
  let server: Server;
  let base = '';
  let token = '';
  const api = (method: 'GET' | 'POST', url: string, payload?: unknown) => t.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload !== undefined ? { payload: payload as object } : {}) });
  const stored = async (source: string) => (await t.services.database.db.selectFrom('opinion_items').select('external_id').where('source', '=', source).orderBy('external_id').execute()).map((r) => r.external_id);

  beforeAll(async () => {
    t = await createTestApp(engine);
    await seedDemo(t.services);
    const pw = DEMO_STAFF.find((s) => s.username === 'analyst')!.password;
    token = (await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { identifier: 'analyst', password: pw } })).json().token;
    const rss = `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>t</title>
<item><guid>ok-1</guid><title>A3区路灯不亮</title><description>A市A3区某路段路灯坏了一个月。</description><pubDate>Mon, 06 Jan 2020 08:00:00 +0800</pubDate></item>
<item><guid>long-1</guid><title>长文</title><description>${long}</description><pubDate>Mon, 06 Jan 2020 09:00:00 +0800</pubDate></item>
</channel></rss>`;
    server = createServer((_req, res) => void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server?.close();
    await t?.close();
  });

  it('a webhook post longer than 20,000 characters is 413 BODY_TOO_LARGE, not cut short', async () => {
    const reg = await api('POST', '/api/v1/opinion/sources', { code: 'wx-long', kind: 'webhook' });
    const secret = reg.json().secret as string;
    const post = (b: string) => t.app.inject({ method: 'POST', url: '/api/v1/opinion/webhooks/wx-long', headers: { 'content-type': 'application/json', 'x-yiwang-signature': signBody(secret, b) }, payload: b });
    const big = JSON.stringify({ id: 'long', text: long });
    expect(Buffer.byteLength(big)).toBeLessThan(64 * 1024);
    const r = await post(big);
    expect(r.statusCode).toBe(413);
    expect(r.json().error.code).toBe('BODY_TOO_LARGE');
    const fine = JSON.stringify({ id: 'fine', text: 'x'.repeat(MAX_POST_CHARS) });
    expect((await post(fine)).statusCode).toBe(201);
    expect(await stored('wx-long')).toEqual(['fine']);
  });

  it('an import row longer than that is a row error; the other rows are stored', async () => {
    const csv = `message_id,user_id,title,time,detail,likes,dislikes\nr1,u1,A3区路灯不亮,2020/1/5 10:00:00,A市A3区某路段路灯坏了一个月,2,0\nr2,u2,长文,2020/1/5 11:00:00,${long},0,0\n`;
    const r = await t.app.inject({ method: 'POST', url: '/api/v1/opinion/import?source=csv-long&format=csv', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' }, payload: csv });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ added: 1, rows: 2, errors: [{ row: 2, message: `留言详情（detail）过长：${MAX_POST_CHARS + 1} 字（上限 ${MAX_POST_CHARS} 字）` }] });
    expect(await stored('csv-long')).toEqual(['r1']);
  });

  it('a feed item longer than that is skipped and counted in the fetch log; the others are stored', async () => {
    expect((await api('POST', '/api/v1/opinion/sources', { code: 'rss-long', kind: 'rss', url: `${base}/rss` })).statusCode).toBe(201);
    const r = await t.services.opinion.pullFeed('rss-long');
    expect(r).toMatchObject({ ok: true, code: 'FEED_OK', added: 1 });
    expect(r.message).toBe(`共 2 条，新增 1 条，跳过 1 条（其中 1 条超过 ${MAX_POST_CHARS} 字）`);
    expect(await stored('rss-long')).toEqual(['ok-1']);
  });
});
