import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM } from '../src/modules/identity/permissions.ts';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';
import { seedDemo } from '../src/modules/demo/demo.seed.ts';
import { seedServices } from '../src/modules/onestop/onestop.module.ts';
import { citizenApiToken } from './helpers/services.ts';

/**
 * The public case status (`/api/v1/services/status/:caseNo`, `/services/status/:caseNo`) answered anyone who walked
 * the sequential case numbers, with each case's service (高龄津贴申领 says the applicant is old) and dates. It now
 * needs the case's query code (查询码, an HMAC of the number printed on the receipt and notices and in their QR link);
 * a wrong or missing code answers like an unknown number.
 */
describe.each(engines())('case status needs the query code, on %s', (engine) => {
  let t: TestApp;
  let caseNo = '';
  let item = '';
  let code = '';
  let applicantId = 0;
  beforeAll(async () => {
    t = await createTestApp(engine);
    await seedDemo(t.services);
    await seedServices(t.services);
    const c = await t.database.db.selectFrom('svc_cases').innerJoin('svc_items', 'svc_items.id', 'svc_cases.item_id')
      .select(['svc_cases.case_no', 'svc_cases.id', 'svc_items.name']).where('svc_cases.status', '<>', 'draft').orderBy('svc_cases.id').executeTakeFirstOrThrow();
    caseNo = c.case_no;
    item = c.name;
    const detail = await t.services.onestop.getCase(SYSTEM, c.id);
    code = detail.ok ? detail.value.statusCode : '';
    expect(code).toMatch(/^[A-Z2-9]{8}$/);
    const me = (await t.app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${await citizenApiToken(t)}` } })).json() as { id: number };
    applicantId = me.id;
  });
  afterAll(async () => t?.close());

  it('the API answers only with the right code; a wrong or missing one answers like an unknown number', async () => {
    const good = await t.app.inject({ url: `/api/v1/services/status/${caseNo}?code=${code}` });
    expect(good.statusCode).toBe(200);
    expect(good.json()).toMatchObject({ caseNo, item });
    // Typed in lower case or with a space, as read off paper.
    expect((await t.app.inject({ url: `/api/v1/services/status/${caseNo}?code=${code.slice(0, 4).toLowerCase()}%20${code.slice(4)}` })).statusCode).toBe(200);
    const unknown = await t.app.inject({ url: '/api/v1/services/status/YW209912319999999?code=ABCDEFGH' });
    expect(unknown.statusCode).toBe(404);
    const wrong = code[0] === 'A' ? `B${code.slice(1)}` : `A${code.slice(1)}`;
    for (const url of [`/api/v1/services/status/${caseNo}`, `/api/v1/services/status/${caseNo}?code=${wrong}`, `/api/v1/services/status/${caseNo}?code=`]) {
      const r = await t.app.inject({ url });
      expect(r.statusCode).toBe(404);
      expect(r.json().code).toBe(unknown.json().code);
      expect(r.body).not.toContain(item);
    }
  });

  it('the page asks for the number and the code, with errors at their fields, in Chinese and English', async () => {
    const form = await t.app.inject({ url: '/services/status' });
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('name="caseNo"');
    expect(form.body).toContain('name="code"');
    const bare = await t.app.inject({ url: `/services/status/${caseNo}` });
    expect(bare.statusCode).toBe(400);
    expect(bare.body).not.toContain(item);
    expect(bare.body).toContain('请填写查询码。');
    const wrong = await t.app.inject({ url: `/services/status?caseNo=${caseNo}&code=AAAAAAAA` });
    expect(wrong.statusCode).toBe(404);
    expect(wrong.body).not.toContain(item);
    expect(wrong.body).toMatch(/id="code-error"[^]*办件编号或查询码不正确/);
    const wrongEn = await t.app.inject({ url: `/services/status?caseNo=${caseNo}&code=AAAAAAAA`, headers: { cookie: 'lang=en', 'accept-language': 'en' } });
    expect(wrongEn.body).toContain('The case number or the query code is wrong');
    const empty = await t.app.inject({ url: '/services/status?caseNo=&code=' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('id="caseNo-error"');
    expect(empty.body).toContain('id="code-error"');
    const good = await t.app.inject({ url: `/services/status?caseNo=${caseNo}&code=${code}` });
    expect(good.statusCode).toBe(200);
    expect(good.body).toContain(item);
    expect((await t.app.inject({ url: `/services/status/${caseNo}?code=${code}` })).body).toContain(item);
  });

  it('the applicant sees the query code on the own case page, with the status link', async () => {
    const mine = await t.database.db.selectFrom('svc_cases').select(['id', 'case_no']).where('applicant_id', '=', applicantId).where('status', '<>', 'draft').orderBy('id').executeTakeFirstOrThrow();
    const detail = await t.services.onestop.getCase(SYSTEM, mine.id);
    const own = detail.ok ? detail.value.statusCode : '';
    const page = await t.app.inject({ url: `/services/cases/${mine.id}`, headers: { authorization: `Bearer ${await citizenApiToken(t)}` } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`<code>${own}</code>`);
    expect(page.body).toContain(`/services/status/${mine.case_no}?code=${own}`);
  });
});
