import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_STAFF, seedDemo } from '../src/modules/demo/demo.seed.ts';
import { SYSTEM } from '../src/modules/identity/permissions.ts';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';
import { cookieJar, formPost, get, getCsrf, type Jar } from './helpers/http.ts';
import { burstItems } from './helpers/opinion.ts';

/**
 * The demo's messages are ingested as the `demo-import` source (opinion.seed.ts), which has no row of its own: the
 * dashboard and the briefing showed the raw code "demo-import" as the source's name.
 */
describe.each(engines())('the demo source name on %s', (engine) => {
  let t: TestApp;
  const jar: Jar = cookieJar();
  beforeAll(async () => {
    t = await createTestApp(engine);
    await seedDemo(t.services);
    await t.services.opinion.ingest('demo-import', burstItems(), SYSTEM);
    await t.services.opinion.cluster();
    const pw = DEMO_STAFF.find((s) => s.username === 'analyst')!.password;
    await formPost(t.app, jar, '/login', { _csrf: await getCsrf(t.app, jar, '/login'), identifier: 'analyst', password: pw });
  });
  afterAll(async () => t?.close());

  it('is 示例导入 on Chinese pages and Demo import on English ones, never the code', async () => {
    const zh = await get(t.app, jar, '/opinion?days=1200');
    expect(zh.body).toContain('<td>示例导入</td>');
    expect(zh.body).not.toContain('<td>demo-import</td>');
    const briefing = await get(t.app, jar, '/opinion/briefing?period=week');
    expect(briefing.body).toContain('示例导入：');
    expect(briefing.body).not.toContain('demo-import');
    const en = new Map(jar);
    en.set('lang', 'en');
    expect((await get(t.app, en, '/opinion?days=1200')).body).toContain('<td>Demo import</td>');
    const enBriefing = await get(t.app, en, '/opinion/briefing?period=week');
    expect(enBriefing.body).toContain('Demo import: ');
    expect(enBriefing.body).not.toContain('demo-import');
    // and on an issue's page, beside each item
    const issue = (await t.services.database.db.selectFrom('opinion_issues').select('id').orderBy('items', 'desc').executeTakeFirstOrThrow()).id;
    const page = await get(t.app, jar, `/opinion/issues/${issue}`);
    expect(page.body).toContain('<small>示例导入 · ');
    expect(page.body).not.toContain('demo-import');
    expect((await get(t.app, en, `/opinion/issues/${issue}`)).body).toContain('<small>Demo import · ');
  });
});
