import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_STAFF, seedDemo } from '../src/modules/demo/demo.seed.ts';
import { SYSTEM } from '../src/modules/identity/permissions.ts';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';
import { cookieJar, formPost, get, getCsrf, type Jar } from './helpers/http.ts';
import { burstItems } from './helpers/opinion.ts';

/** An issue of 2017: six posts about a dark street in A5区, long before the January 2020 burst. */
const oldItems = () => Array.from({ length: 6 }, (_, i) => ({
  externalId: `old-${i}`,
  title: ['A5区桂花路路灯不亮', 'A5区桂花路晚上路灯全坏了', '桂花路路灯长期不亮'][i % 3]!,
  text: `A市A5区桂花路的路灯已经坏了一个多月，晚上${i}点以后一片漆黑，行人很不安全，请尽快修复路灯。`,
  author: `o${i}`,
  publishedAt: new Date(Date.UTC(2017, 5, 1 + i, 12)),
  likes: i,
}));

describe.each(engines())('opinion dashboard and warning page on %s', (engine) => {
  let t: TestApp;
  const jar: Jar = cookieJar();
  beforeAll(async () => {
    t = await createTestApp(engine);
    await seedDemo(t.services);
    await t.services.opinion.ingest('messages', burstItems(), SYSTEM);
    await t.services.opinion.ingest('old-import', oldItems(), SYSTEM);
    await t.services.opinion.cluster();
    const pw = DEMO_STAFF.find((s) => s.username === 'analyst')!.password;
    await formPost(t.app, jar, '/login', { _csrf: await getCsrf(t.app, jar, '/login'), identifier: 'analyst', password: pw });
  });
  afterAll(async () => t?.close());

  const issueTitles = (body: string) => [...body.matchAll(/href="\/opinion\/issues\/\d+">([^<]+)</g)].map((m) => m[1]!);

  it('lists only the hot issues of the window it names', async () => {
    const all = await get(t.app, jar, '/opinion?days=1200');
    expect(all.statusCode).toBe(200);
    const allTitles = issueTitles(all.body);
    expect(allTitles.some((x) => x.includes('路灯'))).toBe(true);
    expect(allTitles.some((x) => x.includes('米兰春天') || x.includes('垃圾'))).toBe(true);
    const month = await get(t.app, jar, '/opinion?days=30');
    const monthTitles = issueTitles(month.body);
    expect(monthTitles.some((x) => x.includes('米兰春天') || x.includes('垃圾'))).toBe(true);
    expect(monthTitles.filter((x) => x.includes('路灯'))).toEqual([]);
  });

  it('names the sources: 网络问政 on Chinese pages, Citizen messages on English ones, never the code', async () => {
    const zh = await get(t.app, jar, '/opinion?days=1200');
    expect(zh.body).toContain('<td>网络问政</td>');
    expect(zh.body).not.toContain('<td>messages</td>');
    expect(zh.body).not.toContain('"key":"messages"');
    const en = new Map(jar);
    en.set('lang', 'en');
    const page = await get(t.app, en, '/opinion?days=1200');
    expect(page.body).toContain('<td>Citizen messages</td>');
  });

  it('posts the warning forms with novalidate, so the site shows its own error messages', async () => {
    const r = await t.services.opinion.raise(SYSTEM, { level: 'blue', title: 'A3区米兰春天垃圾站', reason: '测试' });
    expect(r.ok).toBe(true);
    const id = r.ok ? r.value.id : 0;
    const forms = async () => {
      const page = await get(t.app, jar, `/opinion/warnings/${id}`);
      expect(page.statusCode).toBe(200);
      return page.body.match(/<form method="post" action="\/opinion\/[^>]*>/g) ?? [];
    };
    const open = await forms(); // 研判
    expect(open.map((f) => /action="([^"]+)"/.exec(f)![1])).toEqual([`/opinion/warnings/${id}/assess`]);
    for (const f of open) expect(f).toContain('novalidate');
    const csrf = await getCsrf(t.app, jar, `/opinion/warnings/${id}`);
    const assessed = await formPost(t.app, jar, `/opinion/warnings/${id}/assess`, { _csrf: csrf, level: 'blue', facts: '垃圾站臭味', risk: '低' });
    expect(assessed.statusCode).toBe(303);
    const later = await forms(); // 研判 again, 回应, 交办, 办结
    expect(later.length).toBeGreaterThanOrEqual(3);
    for (const f of later) expect(f).toContain('novalidate');
  });
});
