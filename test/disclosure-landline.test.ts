import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CITIZEN, seedDemo } from '../src/modules/demo/demo.seed.ts';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';
import { cookieJar, formPost, get, getCsrf } from './helpers/http.ts';

/** A government body answers landlines: an applicant may give 0731-88886666 as the contact phone, not only a mobile. */
describe.each(engines())('disclosure contact phone: mobile or landline on %s', (engine) => {
  let t: TestApp;
  let hrss: number;
  let token: string;
  const apply = (contactPhone: string, lang = 'zh-CN') =>
    t.app.inject({
      method: 'POST', url: '/api/v1/disclosure/requests', headers: { authorization: `Bearer ${token}`, 'accept-language': lang },
      payload: { departmentId: hrss, description: '请公开2025年A市城乡居民养老保险基金收支情况。', delivery: 'online', contactPhone },
    });

  beforeAll(async () => {
    t = await createTestApp(engine);
    await seedDemo(t.services);
    hrss = (await t.database.db.selectFrom('departments').select('id').where('code', '=', 'A-HRSS').executeTakeFirstOrThrow()).id;
    token = (await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { identifier: DEMO_CITIZEN.mobile, password: DEMO_CITIZEN.password } })).json().token as string;
  });
  afterAll(async () => t?.close());

  it('API: accepts landlines with or without an extension, stores them normalised and shows them masked', async () => {
    for (const [typed, stored, masked] of [
      ['0731-88886666', '0731-88886666', '0731-****6666'],
      ['010-12345678', '010-12345678', '010-****5678'],
      ['(010) 1234 5678 转 801', '010-12345678-801', '010-****5678-***'],
      ['138 0013 8000', '13800138000', '138****8000'],
    ]) {
      const r = await apply(typed!);
      expect(r.statusCode, typed).toBe(201);
      expect(r.json().contactPhone, typed).toBe(stored);
      const row = await t.database.db.selectFrom('disclosure_requests').select('contact_phone').where('id', '=', r.json().id as number).executeTakeFirstOrThrow();
      expect(row.contact_phone).toBe(stored);
      const seen = await t.app.inject({ url: `/api/v1/disclosure/requests/${r.json().id}`, headers: { authorization: `Bearer ${token}` } });
      expect(seen.json().contactPhone, typed).toBe(masked);
    }
  });

  it('API: refuses what is neither, saying both are possible, in Chinese and in English', async () => {
    const zh = await apply('88886666');
    expect(zh.statusCode).toBe(400);
    expect(zh.json().error.fields).toEqual([{ field: 'contactPhone', message: '联系电话应为手机号码或带区号的固定电话（如 0731-88886666）：固定电话应带区号（如 0731-88886666）。' }]);
    // The English message says why too (it was the same sentence whatever was wrong).
    const en = await apply('1380013800', 'en');
    expect(en.json().error.fields).toEqual([{ field: 'contactPhone', message: 'Enter a mainland mobile number (11 digits, starting with 1) or a landline with its area code (e.g. 0731-88886666): a mobile number has 11 digits, this one has 10.' }]);
    const enLandline = await apply('88886666', 'en');
    expect(enLandline.json().error.fields).toEqual([{ field: 'contactPhone', message: 'Enter a mainland mobile number (11 digits, starting with 1) or a landline with its area code (e.g. 0731-88886666): a landline needs its area code (e.g. 0731-88886666).' }]);
  });

  it('page: the application form takes a landline', async () => {
    const jar = cookieJar();
    await formPost(t.app, jar, '/login', { _csrf: await getCsrf(t.app, jar, '/login'), identifier: DEMO_CITIZEN.mobile, password: DEMO_CITIZEN.password });
    const r = await formPost(t.app, jar, '/disclosure/apply', {
      _csrf: await getCsrf(t.app, jar, '/disclosure/apply'), applicantKind: 'citizen', departmentId: String(hrss),
      description: '请公开2025年A市城乡居民养老保险基金收支情况。', delivery: 'online', contactPhone: '0731-88886666',
    });
    expect(r.statusCode).toBe(303);
    const id = Number(/\/disclosure\/requests\/(\d+)/.exec(r.headers.location as string)?.[1]);
    const row = await t.database.db.selectFrom('disclosure_requests').select('contact_phone').where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.contact_phone).toBe('0731-88886666');
    // The form says that a landline will do.
    expect((await get(t.app, jar, '/disclosure/apply')).body).toContain('带区号的固定电话（如 0731-88886666）');
  });
});
