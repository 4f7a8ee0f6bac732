import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../src/modules/demo/demo.seed.ts';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';
import { get } from './helpers/http.ts';
import { burstItems } from './helpers/opinion.ts';
import { openSession, sessionJar } from './helpers/sessions.ts';

/**
 * An issue's page named each item's source through an empty list of names, so a source an analyst registered (城市论坛)
 * showed as its code (city-forum) beside each item, where the dashboard showed its name.
 */
describe.each(engines())('the sources on an issue page on %s', (engine) => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await createTestApp(engine);
    await seedDemo(t.services);
    token = await openSession(t, { username: 'analyst' });
    const analyst = (await t.services.identity.resolveSession(token))!.principal;
    const added = await t.services.opinion.addSource(analyst, { code: 'city-forum', kind: 'import', name: '城市论坛' });
    if (!added.ok) throw new Error(added.error.code);
    await t.services.opinion.ingest('city-forum', burstItems(), analyst);
    await t.services.opinion.cluster();
  });
  afterAll(async () => t?.close());

  it('shows a registered source by its name on Chinese pages, and by its name and code on English ones', async () => {
    const issue = (await t.services.database.db.selectFrom('opinion_issues').select('id').orderBy('items', 'desc').executeTakeFirstOrThrow()).id;
    const zh = await get(t.app, sessionJar(token), `/opinion/issues/${issue}`);
    expect(zh.statusCode).toBe(200);
    expect(zh.body).toContain('<small>城市论坛 · ');
    expect(zh.body).not.toContain('city-forum');
    // English pages give its (Chinese-only) name, marked lang="zh-CN", followed by its code; the dashboard too.
    const en = sessionJar(token);
    en.set('lang', 'en');
    expect((await get(t.app, en, `/opinion/issues/${issue}`)).body).toContain('<small><span lang="zh-CN">城市论坛</span> (city-forum) · ');
    expect((await get(t.app, en, '/opinion?days=1200')).body).toContain('<td><span lang="zh-CN">城市论坛</span> (city-forum)</td>');
  });
});
