import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../src/lib/calendar/date.ts';
import { DEMO_CITIZEN } from '../src/modules/demo/demo.seed.ts';
import { chinaToday } from './helpers/china-day.ts';
import { engines, type TestApp } from './helpers/db.ts';
import { cookieJar, formPost, getCsrf } from './helpers/http.ts';
import { citizenApiToken, servicesApp } from './helpers/services.ts';

/**
 * A date of birth or a residence registration day cannot be in the future: the demo services mark those fields
 * `x-not-after-today`, and the API and the page refuse a later date (today, in China, is accepted).
 */
const JZZ = 'A-512B0011200070';
const BIRTH = 'A-YJS-BIRTH';

describe.each(engines())('dates that cannot be later than today on %s', (engine) => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await servicesApp(engine);
    token = await citizenApiToken(t);
  });
  afterAll(async () => t?.close());

  const jzz = (since: string) => ({ applicantName: '张三', applicantId: DEMO_CITIZEN.idNumber, mobile: DEMO_CITIZEN.mobile, address: 'A市城关镇幸福路 1 号', since, basis: 'work', delivery: 'post', pledge: true });
  const apply = (since: string, clientToken: string, lang: string) =>
    t.app.inject({ method: 'POST', url: `/api/v1/services/items/${JZZ}/applications`, headers: { authorization: `Bearer ${token}`, 'accept-language': lang }, payload: { clientToken, data: jzz(since) } });

  it('API: a residence registration day after today is refused, in Chinese and in English; today passes the form', async () => {
    // Two days ahead stays in the future even if midnight in China passes during the test.
    const later = addDays(chinaToday(), 2);
    const zh = await apply(later, 'future-date-0001', 'zh-CN');
    expect(zh.statusCode).toBe(400);
    expect(zh.json().error.fields).toEqual([{ field: 'since', message: '居住登记日期不能晚于今天。' }]);
    const en = await apply('2030-01-01', 'future-date-0002', 'en');
    expect(en.statusCode).toBe(400);
    expect(en.json().error.fields).toEqual([{ field: 'since', message: 'Residence registered on: cannot be later than today.' }]);
    // Today is accepted by the form; the application then stops at the missing materials, not at the date.
    const today = await apply(chinaToday(), 'future-date-0003', 'zh-CN');
    expect(today.statusCode).toBe(400);
    expect(today.json().error.code).toBe('MATERIALS_MISSING');
  });

  it('page: a date of birth after today comes back with its error on the form', async () => {
    const jar = cookieJar();
    const csrf = await getCsrf(t.app, jar, '/login');
    await formPost(t.app, jar, '/login', { _csrf: csrf, identifier: DEMO_CITIZEN.mobile, password: DEMO_CITIZEN.password });
    const url = `/services/item/${BIRTH}/apply`;
    const r = await formPost(t.app, jar, url, {
      _csrf: await getCsrf(t.app, jar, url), clientToken: 'future-birth-page-1', applicantName: '张三', applicantId: DEMO_CITIZEN.idNumber, mobile: DEMO_CITIZEN.mobile,
      babyName: '张小宝', babySex: 'M', birthDate: addDays(chinaToday(), 2), hospital: 'A市人民医院', relation: 'father', pledge: 'on',
    });
    expect(r.statusCode).toBe(400);
    expect(r.body).toContain('<a href="#birthDate">出生日期不能晚于今天。</a>');
  });
});
