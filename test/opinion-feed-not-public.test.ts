import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_STAFF, seedDemo } from '../src/modules/demo/demo.seed.ts';
import { SYSTEM } from '../src/modules/identity/permissions.ts';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';
import { cookieJar, formPost, get, getCsrf, type Jar } from './helpers/http.ts';

/**
 * A feed on an address that is not public (refused by the SSRF guard) showed "无法连接订阅源（EADDRNOTPUBLIC）", a
 * system code nobody on the dashboard can act on. It now says what happened and what an administrator can do, in
 * Chinese and on English pages in English.
 */
describe.each(engines())('a feed refused as not public on %s', (engine) => {
  let t: TestApp;
  const jar: Jar = cookieJar();
  beforeAll(async () => {
    t = await createTestApp(engine);
    await seedDemo(t.services);
    const pw = DEMO_STAFF.find((s) => s.username === 'analyst')!.password;
    await formPost(t.app, jar, '/login', { _csrf: await getCsrf(t.app, jar, '/login'), identifier: 'analyst', password: pw });
  });
  afterAll(async () => t?.close());

  it('is explained plainly on the dashboard, in Chinese and in English', async () => {
    const svc = t.services.opinion;
    expect((await svc.addSource(SYSTEM, { code: 'feed-intranet', kind: 'rss', name: '内网发布', url: 'http://10.0.0.1/rss' })).ok).toBe(true);
    const r = await svc.pullFeed('feed-intranet');
    expect(r).toMatchObject({ ok: false, code: 'FEED_UNREACHABLE' });
    expect(r.message).toContain('不是公网地址');

    const table = (body: string) => /<caption[^>]*>(订阅源|Feeds)<\/caption>[\s\S]*?<\/table>/.exec(body)?.[0] ?? '';
    const zh = table((await get(t.app, jar, '/opinion')).body);
    expect(zh).toContain('订阅源地址不是公网地址');
    expect(zh).toContain('YIWANG_FEED_ALLOW_HOSTS');
    expect(zh).not.toContain('无法连接订阅源（EADDRNOTPUBLIC）');
    const en = new Map(jar);
    en.set('lang', 'en');
    const enTable = table((await get(t.app, en, '/opinion')).body);
    expect(enTable).toContain('is not a public internet address');
    expect(enTable).toContain('allow an intranet feed host with YIWANG_FEED_ALLOW_HOSTS');
    expect(enTable).not.toContain('不是公网地址');
  });
});
