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

  it('follow-up forms keep what was typed: a too-long clarification (citizen), an answer refused for its missing legal ground (clerk)', async () => {
    const bearer = async (who: { mobile: string } | { username: string }) => ({ authorization: `Bearer ${await openSession(t, who)}` });
    const citizen = await bearer({ mobile: DEMO_CITIZEN.mobile });
    const applied = await t.app.inject({ method: 'POST', url: '/api/v1/disclosure/requests', headers: citizen, payload: { departmentId: hrss, description: '请公开2025年A市失业保险金发放情况。', delivery: 'online' } });
    expect(applied.statusCode).toBe(201);
    const id = applied.json().id as number;
    const clerk = await bearer({ username: 'clerk' });
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/disclosure/requests/${id}/clarify`, headers: clerk, payload: { reason: '请说明所需年份范围' } })).json().status).toBe('clarifying');
    jar.set('lang', 'zh-CN');
    const url = `/disclosure/requests/${id}`;
    const typed = '2025年全年，'.repeat(1000);
    const tooLong = await formPost(t.app, jar, `${url}/clarification`, { _csrf: await getCsrf(t.app, jar, url), clarification: typed });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.body).toContain(`aria-invalid="true" aria-describedby="clarification-error">${typed}</textarea>`);
    expect(tooLong.body).toContain('id="clarification-error"');
    expect((await formPost(t.app, jar, `${url}/clarification`, { _csrf: await getCsrf(t.app, jar, url), clarification: '2025年全年' })).statusCode).toBe(303);

    const staff = sessionJar(await openSession(t, { username: 'clerk' }));
    const answer = '经查，2025年A市失业保险金发放情况如下：……';
    const refused = await formPost(t.app, staff, `${url}/answer`, { _csrf: await getCsrf(t.app, staff, url), outcome: 'partial', legalGround: '', answerText: answer });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('<option value="partial" selected>');
    expect(refused.body).toContain(`>${answer}</textarea>`);
    expect(refused.body).toContain('<p class="error-message" id="legalGround-error"><span class="visually-hidden">错误：</span>不予公开或部分公开须写明法律依据。</p>');
    expect(refused.body).toContain('<select id="legalGround" name="legalGround" aria-invalid="true" aria-describedby="legalGround-error">');
  });
});
