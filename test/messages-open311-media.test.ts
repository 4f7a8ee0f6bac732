import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../src/modules/demo/demo.seed.ts';
import { checkMediaUrl } from '../src/modules/messages/open311.routes.ts';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';
import { get } from './helpers/http.ts';
import { staffJars } from './helpers/sessions.ts';

describe('checkMediaUrl', () => {
  it.each([
    ['https://img.example.org/p/1.jpg', 'https://img.example.org/p/1.jpg'],
    ['http://example.org', 'http://example.org/'],
    ['javascript:alert(1)', undefined],
    ['ftp://example.org/a.jpg', undefined],
    ['file:///etc/passwd', undefined],
    ['https://user:pw@example.org/a.jpg', undefined],
    ['/relative/a.jpg', undefined],
    ['https://example.org/a b.jpg', undefined],
    [`https://example.org/${'a'.repeat(1990)}`, undefined],
  ])('%s → %s', (raw, want) => {
    expect(checkMediaUrl(raw)).toBe(want);
  });
});

/**
 * Open311 `media_url` on POST requests.json (GeoReport v2: a link to media the client already hosts): taken only as
 * an http(s) URL of at most 2,000 characters, kept on the message, never fetched, shown to staff as an outside link,
 * and returned by GET requests only where the citizen consented to publication.
 */
describe.each(engines())('Open311 media_url on %s', (engine) => {
  let t: TestApp;
  let base = '';
  let media: Server;
  let mediaBase = '';
  let hits = 0;
  const form = (fields: Record<string, string>) => ({
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString(),
  });
  const send = async (fields: Record<string, string>) => fetch(`${base}/requests.json`, form({ service_code: 'environment', description: '河道漂浮大量垃圾，见图片。', address_string: 'A3区滨河路', ...fields }));
  const count = async () => Number((await t.database.db.selectFrom('messages').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    t = await createTestApp(engine);
    await seedDemo(t.services);
    base = `${await t.app.listen({ port: 0, host: '127.0.0.1' })}/open311/v2`;
    // Where the client "hosts" its photo: counts every request, so a fetch by the platform would show.
    media = createServer((_req, res) => { hits += 1; res.end('x'); });
    await new Promise<void>((done) => media.listen(0, '127.0.0.1', done));
    const addr = media.address();
    mediaBase = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  });
  afterAll(async () => {
    await new Promise((done) => media?.close(done));
    await t?.close();
  });

  it('keeps the link without fetching it; GET requests return it only with publish consent', async () => {
    const url = `${mediaBase}/photos/river.jpg?size=large&x=<b>`;
    const published = await send({ media_url: url, 'attribute[publish]': 'true' });
    expect(published.status).toBe(201);
    const pid = ((await published.json()) as { service_request_id: string }[])[0]!.service_request_id;
    const quiet = await send({ media_url: url });
    expect(quiet.status).toBe(201);
    const qid = ((await quiet.json()) as { service_request_id: string }[])[0]!.service_request_id;
    const stored = new URL(url).href;

    const one = async (id: string) => ((await (await fetch(`${base}/requests/${id}.json`)).json()) as { media_url: string | null }[])[0]!.media_url;
    expect(await one(pid)).toBe(stored);
    expect(await one(qid)).toBeNull();
    const list = (await (await fetch(`${base}/requests.json?service_request_id=${pid},${qid}`)).json()) as { service_request_id: string; media_url: string | null }[];
    expect(Object.fromEntries(list.map((r) => [r.service_request_id, r.media_url]))).toEqual({ [pid]: stored, [qid]: null });
    const xml = await (await fetch(`${base}/requests/${pid}.xml`)).text();
    expect(xml).toContain(`<media_url>${stored.replace(/&/g, '&amp;')}</media_url>`);

    // Staff see it on the ticket page as an outside link (escaped, no opener, no referrer) with a warning; and in the API.
    const jars = await staffJars(t, ['supervisor']);
    const page = (await get(t.app, jars.supervisor!, `/staff/messages/${qid}`)).body;
    const escaped = stored.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    expect(page).toContain(`<a href="${escaped}" rel="noopener noreferrer" target="_blank">`);
    expect(page).toContain('（在新窗口打开）</span></a>');
    expect(page).toContain('这是外部网站地址，平台未作检查，请谨慎打开。');
    const api = (await get(t.app, jars.supervisor!, `/api/v1/messages/tickets/${qid}`)).json() as { messages: { mediaUrl: string | null }[] };
    expect(api.messages[0]!.mediaUrl).toBe(stored);
    expect(hits).toBe(0);
  });

  it.each([
    ['javascript:alert(1)'],
    ['file:///etc/passwd'],
    ['ftp://example.org/a.jpg'],
    ['https://user:secret@example.org/a.jpg'],
    ['not a url'],
    [`https://example.org/${'a'.repeat(2000)}`],
  ])('refuses media_url %s in the spec error format and stores nothing', async (bad) => {
    const before = await count();
    const r = await send({ media_url: bad });
    expect(r.status).toBe(400);
    expect(await r.json()).toEqual([{ code: 400, description: 'media_url must be an http or https URL of at most 2000 characters, without user name or password' }]);
    expect(await count()).toBe(before);
  });

  it('a request without media_url has media_url null', async () => {
    const r = await send({ 'attribute[publish]': 'true' });
    const id = ((await r.json()) as { service_request_id: string }[])[0]!.service_request_id;
    expect(((await (await fetch(`${base}/requests/${id}.json`)).json()) as { media_url: string | null }[])[0]!.media_url).toBeNull();
  });
});
