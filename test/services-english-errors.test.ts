import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CITIZEN } from '../src/modules/demo/demo.seed.ts';
import { engines, type TestApp } from './helpers/db.ts';
import { cookieJar, formPost, getCsrf } from './helpers/http.ts';
import { citizenApiToken, servicesApp } from './helpers/services.ts';

/** The field messages of a service's form reach English readers in English (labelEn), Chinese readers in Chinese. */
const ITEM = 'A-512B0369200000';
const HAN = /\p{Script=Han}/u;

describe.each(engines())('form-definition messages in the reader\'s language on %s', (engine) => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await servicesApp(engine);
    token = await citizenApiToken(t);
  });
  afterAll(async () => t?.close());

  const data = { applicantName: '张三', applicantId: DEMO_CITIZEN.idNumber, mobile: '123', hukouType: 'urban', jobType: 'partTime', baseLevel: '100', startMonth: '2026-13', bankAccount: '6222020200001111222', pledge: 'true' };
  const apply = (headers: Record<string, string>, clientToken: string) =>
    t.app.inject({ method: 'POST', url: `/api/v1/services/items/${ITEM}/applications`, headers: { authorization: `Bearer ${token}`, ...headers }, payload: { clientToken, data } });

  it('API: English field messages for English, Chinese ones otherwise, always {field, message}', async () => {
    const en = await apply({ 'accept-language': 'en' }, 'english-errors-0001');
    expect(en.statusCode).toBe(400);
    expect(en.json().error.fields).toEqual([
      { field: 'mobile', message: 'Mobile number: not a mainland mobile number (11 digits, starting with 1).' },
      { field: 'startMonth', message: 'Start month: not in the right form.' },
    ]);
    const zh = await apply({ 'accept-language': 'zh-CN' }, 'english-errors-0002');
    expect(zh.statusCode).toBe(400);
    const fields = zh.json().error.fields as { field: string; message: string }[];
    expect(fields.map((f) => f.field)).toEqual(['mobile', 'startMonth']);
    for (const f of fields) {
      expect(f.message, f.field).toMatch(HAN);
      expect(Object.keys(f)).toEqual(['field', 'message']);
    }
  });

  it('page: the error summary and the inline messages in English on the English form', async () => {
    const jar = cookieJar();
    const csrf = await getCsrf(t.app, jar, '/login');
    await formPost(t.app, jar, '/login', { _csrf: csrf, identifier: DEMO_CITIZEN.mobile, password: DEMO_CITIZEN.password });
    jar.set('lang', 'en');
    const url = `/services/item/${ITEM}/apply`;
    const r = await formPost(t.app, jar, url, { _csrf: await getCsrf(t.app, jar, url), clientToken: 'english-errors-page-1', applicantName: '', applicantId: DEMO_CITIZEN.idNumber, mobile: DEMO_CITIZEN.mobile });
    expect(r.statusCode).toBe(400);
    const summary = r.body.slice(r.body.indexOf('error-summary'), r.body.indexOf('</ul>', r.body.indexOf('error-summary')));
    expect(summary).toContain('<a href="#applicantName">Enter Name.</a>');
    expect(summary).toContain('<a href="#hukouType">Choose Hukou type.</a>');
    expect(summary).toContain('<a href="#pledge">Please confirm: I declare that the information and materials are true.</a>');
    expect(summary).not.toMatch(HAN);
    expect(r.body).toContain('<span class="visually-hidden">Error: </span>Enter Name.</p>');
    // The same in Chinese for a Chinese reader.
    jar.set('lang', 'zh-CN');
    const zh = await formPost(t.app, jar, url, { _csrf: await getCsrf(t.app, jar, url), clientToken: 'english-errors-page-2', applicantName: '' });
    expect(zh.body).toContain('<a href="#applicantName">请填写申请人姓名。</a>');
  });
});
