import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CITIZEN } from '../src/modules/demo/demo.seed.ts';
import { SYSTEM } from '../src/modules/identity/permissions.ts';
import { engines, type TestApp } from './helpers/db.ts';
import { formPost, get, getCsrf } from './helpers/http.ts';
import { servicesApp } from './helpers/services.ts';
import { openSession, sessionJar } from './helpers/sessions.ts';

/** A citizen reading English gets the refusals of 好差评 (rating a completed case) in English, Chinese readers in Chinese. */
const ITEM = 'A-512B0369200000';
const HAN = /\p{Script=Han}/u;

describe.each(engines())('好差评 messages in the reader\'s language on %s', (engine) => {
  let t: TestApp;
  let token: string;
  let caseId: number;
  beforeAll(async () => {
    t = await servicesApp(engine);
    token = await openSession(t, { mobile: DEMO_CITIZEN.mobile });
    const data = { applicantName: '张三', applicantId: DEMO_CITIZEN.idNumber, mobile: DEMO_CITIZEN.mobile, hukouType: 'urban', jobType: 'partTime', baseLevel: '100', startMonth: '2026-02', bankAccount: '6222020200001111222', pledge: 'true' };
    const sub = await t.app.inject({ method: 'POST', url: `/api/v1/services/items/${ITEM}/applications`, headers: { authorization: `Bearer ${token}` }, payload: { clientToken: 'citizen-english-rate-1', data } });
    expect(sub.statusCode).toBe(201);
    caseId = sub.json().id as number;
    let v = sub.json().version as number;
    for (const action of ['accept', 'start_review', 'approve', 'complete']) {
      const r = await t.services.onestop.act(SYSTEM, caseId, { action, version: v });
      expect(r.ok, action).toBe(true);
      if (r.ok) v = r.value.version;
    }
  });
  afterAll(async () => t?.close());

  it('API: a bad rating without a reason, in English and in Chinese', async () => {
    const rate = (lang: string) => t.app.inject({ method: 'POST', url: `/api/v1/services/cases/${caseId}/rating`, headers: { authorization: `Bearer ${token}`, 'accept-language': lang }, payload: { level: 1 } });
    const en = await rate('en');
    expect(en.statusCode).toBe(400);
    expect(en.json().error.fields).toEqual([
      { field: 'comment', message: 'For a bad rating, say what went wrong, so that the department can put it right.' },
    ]);
    const zh = await rate('zh-CN');
    expect(zh.json().error.fields).toEqual([
      { field: 'comment', message: '差评请写明原因，便于部门整改。' },
    ]);
  });

  it('page: English labels end with an ASCII colon, not the full-width ：', async () => {
    const jar = sessionJar(token);
    jar.set('lang', 'en');
    const page = await get(t.app, jar, `/services/cases/${caseId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Accepted on: ');
    expect(page.body.match(/.{0,60}[A-Za-z]：.{0,20}/g) ?? []).toEqual([]);
  });

  it('page: the English case page shows the refusal in English at its field, keeping the choice', async () => {
    const jar = sessionJar(token);
    jar.set('lang', 'en');
    const url = `/services/cases/${caseId}`;
    const r = await formPost(t.app, jar, `${url}/rating`, { _csrf: await getCsrf(t.app, jar, url), level: '2', comment: '' });
    expect(r.statusCode).toBe(400);
    expect(r.body).toContain('<span class="visually-hidden">Error: </span>For a bad rating, say what went wrong, so that the department can put it right.</p>');
    expect(r.body).toContain('<input type="radio" name="level" value="2" checked>');
    const summary = r.body.slice(r.body.indexOf('error-summary'), r.body.indexOf('</ul>', r.body.indexOf('error-summary')));
    expect(summary).toContain('For a bad rating');
    expect(summary).not.toMatch(HAN);
    const none = await formPost(t.app, jar, `${url}/rating`, { _csrf: await getCsrf(t.app, jar, url), comment: 'ok' });
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain('Choose how satisfied you are (1–5).');
    expect(none.body).not.toContain('请选择评价等级');
    // An indicator score out of range (a tampered select) names the indicator in English.
    const ind = await formPost(t.app, jar, `${url}/rating`, { _csrf: await getCsrf(t.app, jar, url), level: '4', ind_efficiency: '9' });
    expect(ind.statusCode).toBe(400);
    expect(ind.body).toContain('<a href="#ind_efficiency">Efficiency: score 1 to 5.</a>');
    expect(ind.body).toContain('<p class="error-message" id="ind_efficiency-error"><span class="visually-hidden">Error: </span>Efficiency: score 1 to 5.</p>');
  });

  it('page: the apply form and the case page name the choices in English on English pages', async () => {
    const jar = sessionJar(token);
    jar.set('lang', 'en');
    const form = await t.app.inject({ url: `/services/item/${ITEM}/apply`, cookies: Object.fromEntries(jar) });
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('> Urban</label>');
    expect(form.body).toContain('>Part-time worker</option>');
    expect(form.body).not.toContain('非全日制从业人员');
    const seen = await t.app.inject({ url: `/services/cases/${caseId}`, cookies: Object.fromEntries(jar) });
    expect(seen.body).toContain('<dd>Part-time worker</dd>');
    jar.set('lang', 'zh-CN');
    const zh = await t.app.inject({ url: `/services/item/${ITEM}/apply`, cookies: Object.fromEntries(jar) });
    expect(zh.body).toContain('>非全日制从业人员</option>');
  });
});
