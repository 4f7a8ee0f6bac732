import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CITIZEN, seedDemo } from '../src/modules/demo/demo.seed.ts';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';
import { formPost, getCsrf, type Jar } from './helpers/http.ts';
import { openSession, sessionJar } from './helpers/sessions.ts';

/**
 * A disclosure application with a tampered choice (applicant kind, delivery) is refused with the message at that
 * choice: the summary linked to #applicantKind and #delivery, which no element had, and nothing was shown there.
 */
describe.each(engines())('disclosure application: refused choices at their field on %s', (engine) => {
  let t: TestApp;
  let jar: Jar;
  let hrss: number;
  beforeAll(async () => {
    t = await createTestApp(engine);
    await seedDemo(t.services);
    hrss = (await t.database.db.selectFrom('departments').select('id').where('code', '=', 'A-HRSS').executeTakeFirstOrThrow()).id;
    jar = sessionJar(await openSession(t, { mobile: DEMO_CITIZEN.mobile }));
  });
  afterAll(async () => t?.close());

  it.each([
    ['zh-CN', '申请人类型应为公民或法人/其他组织。', '获取方式不正确。'],
    ['en', 'The applicant must be a citizen or an organisation.', 'Choose how to receive the answer: online, by post or in person.'],
  ])('%s', async (lang, kindMsg, deliveryMsg) => {
    jar.set('lang', lang);
    const description = '请公开2025年A市城乡居民养老保险基金收支情况。';
    const r = await formPost(t.app, jar, '/disclosure/apply', {
      _csrf: await getCsrf(t.app, jar, '/disclosure/apply'), applicantKind: 'alien', departmentId: String(hrss), description, delivery: 'fax', purpose: '研究',
    });
    expect(r.statusCode).toBe(400);
    expect(r.body).toContain('<a href="#applicantKind">');
    expect(r.body).toMatch(/<fieldset class="field field-error" id="applicantKind" aria-describedby="applicantKind-error">/);
    expect(r.body).toContain(`<p class="error-message" id="applicantKind-error"><span class="visually-hidden">${lang === 'en' ? 'Error: ' : '错误：'}</span>${kindMsg}</p>`);
    expect(r.body).toMatch(/<fieldset class="field field-error" id="delivery" aria-describedby="delivery-error">/);
    expect(r.body).toContain(`id="delivery-error"><span class="visually-hidden">${lang === 'en' ? 'Error: ' : '错误：'}</span>${deliveryMsg}</p>`);
    // What was typed is kept.
    expect(r.body).toContain(`>${description}</textarea>`);
    expect(r.body).toContain('value="研究"');
  });
});
