import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CITIZEN, DEMO_STAFF, seedDemo } from '../src/modules/demo/demo.seed.ts';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';
import { cookieJar, formPost, get, getCsrf } from './helpers/http.ts';

const ADDRESS = '湖南省长沙市岳麓区麓山南路932号';

describe.each(engines())('disclosure on request by post (邮寄) on %s', (engine) => {
  let t: TestApp;
  let hrss: number;
  const tokens: Record<string, string> = {};
  const api = (who: string, method: 'GET' | 'POST', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: { authorization: `Bearer ${tokens[who]}` }, ...(payload ? { payload } : {}) });

  beforeAll(async () => {
    t = await createTestApp(engine);
    await seedDemo(t.services);
    hrss = (await t.database.db.selectFrom('departments').select('id').where('code', '=', 'A-HRSS').executeTakeFirstOrThrow()).id;
    for (const [who, password] of [...['clerk', 'head', 'supervisor', 'leader'].map((u) => [u, DEMO_STAFF.find((s) => s.username === u)!.password]), [DEMO_CITIZEN.mobile, DEMO_CITIZEN.password]] as [string, string][]) {
      const r = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { identifier: who, password } });
      expect(r.statusCode).toBe(200);
      tokens[who === DEMO_CITIZEN.mobile ? 'citizen' : who] = r.json().token as string;
    }
  });
  afterAll(async () => t?.close());

  const base = () => ({ departmentId: hrss, description: '请公开2025年A市城乡居民养老保险基金收支情况。' });

  it('requires an address and a six-digit postcode only when 邮寄 is chosen (API)', async () => {
    const none = await api('citizen', 'POST', '/api/v1/disclosure/requests', { ...base(), delivery: 'post' });
    expect(none.statusCode).toBe(400);
    expect(none.json().error.code).toBe('VALIDATION_FAILED');
    expect(none.json().error.fields.map((f: { field: string }) => f.field)).toEqual(['postalAddress', 'postcode']);
    const badCode = await api('citizen', 'POST', '/api/v1/disclosure/requests', { ...base(), delivery: 'post', postalAddress: ADDRESS, postcode: '4100' });
    expect(badCode.statusCode).toBe(400);
    expect(badCode.json().error.fields).toEqual([{ field: 'postcode', message: '邮政编码应为 6 位数字。' }]);
    // Online: no address needed, and one sent along is not kept.
    const online = await api('citizen', 'POST', '/api/v1/disclosure/requests', { ...base(), delivery: 'online', postalAddress: ADDRESS, postcode: '410083' });
    expect(online.statusCode).toBe(201);
    expect(online.json()).toMatchObject({ delivery: 'online', postalAddress: null, postcode: null });
  });

  it('shows the address whole to the applicant and to the staff who post the answer, masked to supervisors and leaders', async () => {
    const r = await api('citizen', 'POST', '/api/v1/disclosure/requests', { ...base(), delivery: 'post', postalAddress: ` ${ADDRESS} `, postcode: ' 410083 ' });
    expect(r.statusCode).toBe(201);
    const id = r.json().id as number;
    expect(r.json()).toMatchObject({ delivery: 'post', postalAddress: ADDRESS, postcode: '410083' });
    for (const who of ['citizen', 'clerk', 'head']) {
      expect((await api(who, 'GET', `/api/v1/disclosure/requests/${id}`)).json(), who).toMatchObject({ postalAddress: ADDRESS, postcode: '410083' });
    }
    for (const who of ['supervisor', 'leader']) {
      const v = (await api(who, 'GET', `/api/v1/disclosure/requests/${id}`)).json();
      expect(v, who).toMatchObject({ postalAddress: '湖南省长沙市岳麓区****', postcode: '4100**' });
    }
    // The applicant answering a clarification request gets the request back with their address whole too.
    expect((await api('clerk', 'POST', `/api/v1/disclosure/requests/${id}/clarify`, { reason: '请说明所需年份范围' })).json().status).toBe('clarifying');
    const answered = await api('citizen', 'POST', `/api/v1/disclosure/requests/${id}/clarification`, { clarification: '2025年全年' });
    expect(answered.json()).toMatchObject({ status: 'received', postalAddress: ADDRESS, postcode: '410083' });
    // Lists do not carry it whole either.
    expect(JSON.stringify((await api('clerk', 'GET', '/api/v1/disclosure/requests')).json())).not.toContain('麓山南路');
    // The request page says how and where to.
    const page = await t.app.inject({ method: 'GET', url: `/disclosure/requests/${id}`, headers: { authorization: `Bearer ${tokens.clerk}` } });
    expect(page.body).toContain('<dt>获取方式</dt><dd>邮寄</dd>');
    expect(page.body).toContain(`${ADDRESS}（邮编 410083）`);
    const sup = await t.app.inject({ method: 'GET', url: `/disclosure/requests/${id}`, headers: { authorization: `Bearer ${tokens.supervisor}` } });
    expect(sup.body).toContain('湖南省长沙市岳麓区****（邮编 4100**）');
    expect(sup.body).not.toContain('麓山南路');
  });

  it('has the fields on the form; sent by post without them: 400, Chinese messages, entries kept', async () => {
    const jar = cookieJar();
    const csrf = await getCsrf(t.app, jar, '/login');
    await formPost(t.app, jar, '/login', { _csrf: csrf, identifier: DEMO_CITIZEN.mobile, password: DEMO_CITIZEN.password });
    const form = (await get(t.app, jar, '/disclosure/apply')).body;
    expect(form).toContain('<label for="postalAddress">收件地址（选择邮寄时必填）</label>');
    expect(form).toContain('<label for="postcode">邮政编码（选择邮寄时必填）</label>');
    const token = await getCsrf(t.app, jar, '/disclosure/apply');
    const bad = await formPost(t.app, jar, '/disclosure/apply', { _csrf: token, applicantKind: 'citizen', departmentId: String(hrss), description: '请公开本市2025年政府采购意向。', delivery: 'post', postalAddress: '', postcode: '' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('选择邮寄的，请填写收件地址');
    expect(bad.body).toContain('选择邮寄的，请填写邮政编码');
    expect(bad.body).toContain('value="post" checked');
    expect(bad.body).toContain('请公开本市2025年政府采购意向。');
    const good = await formPost(t.app, jar, '/disclosure/apply', { _csrf: token, applicantKind: 'citizen', departmentId: String(hrss), description: '请公开本市2025年政府采购意向。', delivery: 'post', postalAddress: ADDRESS, postcode: '410083' });
    expect(good.statusCode).toBe(303);
    const mine = await get(t.app, jar, good.headers.location as string);
    expect(mine.body).toContain(`${ADDRESS}（邮编 410083）`);
  });
});
