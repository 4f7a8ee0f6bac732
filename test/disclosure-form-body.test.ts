import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../src/modules/demo/demo.seed.ts';
import { seedDisclosureDemo } from '../src/modules/disclosure/disclosure.seed.ts';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';
import { formPost, get, getCsrf, type Jar } from './helpers/http.ts';
import { openSession, sessionJar } from './helpers/sessions.ts';

/** A long document typed into the staff form is saved (the service allows 200,000 characters of text). */
describe.each(engines())('disclosure document form with a long text on %s', (engine) => {
  let t: TestApp;
  let jar: Jar;
  beforeAll(async () => {
    t = await createTestApp(engine);
    await seedDemo(t.services);
    await seedDisclosureDemo(t.services);
    jar = sessionJar(await openSession(t, { username: 'clerk' }));
  });
  afterAll(async () => t?.close());

  it('saves a draft of 150,000 characters from the form and its edit (was 413 from about 28,000)', async () => {
    const form = (await get(t.app, jar, '/disclosure/manage/new')).body;
    const categoryId = /<select id="categoryId" name="categoryId"[^>]*>\s*<option value="(\d+)"/.exec(form)?.[1];
    expect(categoryId).toBeDefined();
    const fields = { categoryId: categoryId!, title: '关于某事项的通知', issuer: 'A市人力资源和社会保障局', issuedOn: '2026-11-20', body: '正文内容。'.repeat(30_000) };
    const res = await formPost(t.app, jar, '/disclosure/manage/new', { _csrf: await getCsrf(t.app, jar, '/disclosure/manage/new'), ...fields });
    expect(res.statusCode).toBe(303);
    const id = /\/disclosure\/manage\/(\d+)/.exec(String(res.headers.location))?.[1];
    const edit = await formPost(t.app, jar, `/disclosure/manage/${id}/edit`, { _csrf: await getCsrf(t.app, jar, `/disclosure/manage/${id}`), ...fields, body: '修改后的正文。'.repeat(25_000) });
    expect(edit.statusCode).toBe(303);
    const row = await t.database.db.selectFrom('disclosure_documents').select('body').where('id', '=', Number(id)).executeTakeFirstOrThrow();
    expect(row.body).toHaveLength(175_000);
  });
});
