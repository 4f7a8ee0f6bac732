import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CITIZEN, seedDemo } from '../src/modules/demo/demo.seed.ts';
import { SYSTEM } from '../src/modules/identity/permissions.ts';
import { seedServices } from '../src/modules/onestop/onestop.module.ts';
import { SESSION_COOKIE } from '../src/web/context.ts';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';
import { formPost, get, getCsrf, type Jar } from './helpers/http.ts';
import { openSession } from './helpers/sessions.ts';

// The error paragraphs written by hand (not through field()) on the data-resource form (datashare), the rating of a
// service case and the service-item editor (onestop): each says 错误： / Error: to screen readers in the page's
// language, through errorMessage() of src/web/layout.ts, and has the id its control points to.
describe.each(engines())('hand-written field errors carry the screen-reader prefix on %s', (engine) => {
  let t: TestApp;
  const sessions: Record<string, string> = {};
  beforeAll(async () => {
    t = await createTestApp(engine);
    await seedDemo(t.services);
    await seedServices(t.services);
    sessions.dataadmin = await openSession(t, { username: 'dataadmin' });
    sessions.head = await openSession(t, { username: 'head' });
    sessions.citizen = await openSession(t, { mobile: DEMO_CITIZEN.mobile });
  });
  afterAll(async () => t?.close());

  const jarOf = (who: string, lang: 'en' | 'zh'): Jar => new Map([[SESSION_COOKIE, sessions[who]!], ...(lang === 'en' ? [['lang', 'en'] as [string, string]] : [])]);
  const prefix = (lang: 'en' | 'zh', id: string) => `<p class="error-message" id="${id}"><span class="visually-hidden">${lang === 'en' ? 'Error: ' : '错误：'}</span>`;

  it.each(['en', 'zh'] as const)('the data-resource form (信息项), %s', async (lang) => {
    const jar = jarOf('dataadmin', lang);
    const r = await formPost(t.app, jar, '/datashare/resources/new', { _csrf: await getCsrf(t.app, jar, '/datashare/resources/new'), code: 'X-EMPTY', name: '空资源', description: '无', owner: '处室', updateFrequency: 'daily', sharingClass: 'unconditional', keyField: 'idNumber', fields: '' });
    expect(r.statusCode).toBe(400);
    expect(r.body).toContain(prefix(lang, 'fields-error'));
    expect(r.body).toMatch(/<textarea id="fields" name="fields" rows="8" aria-describedby="fields-hint fields-error" aria-invalid="true"/);
  });

  it.each(['en', 'zh'] as const)('the service-item editor, %s', async (lang) => {
    const jar = jarOf('head', lang);
    const form = await get(t.app, jar, '/services/manage/new');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
    const dept = /<option [^>]*value="(\d+)"/.exec(form.body.slice(form.body.indexOf('id="departmentId"')))![1]!;
    const r = await formPost(t.app, jar, '/services/manage/new', { _csrf: csrf, code: `A-PREFIX-${lang}`, name: '前缀测试事项', taskType: '20', departmentId: dept, legalDays: '5', promisedDays: '3', materials: '坏行', form: '' });
    expect(r.statusCode).toBe(400);
    expect(r.body).toContain(prefix(lang, 'materials-error'));
  });

  it('the rating of a completed case (level and comment), in English and Chinese', async () => {
    const zh = jarOf('citizen', 'zh');
    const form = await get(t.app, zh, '/services/item/A-512B0369200000/apply');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
    const clientToken = /name="clientToken" value="([^"]+)"/.exec(form.body)![1]!;
    const sent = await formPost(t.app, zh, '/services/item/A-512B0369200000/apply', { _csrf: csrf, clientToken, intent: 'submit', applicantName: DEMO_CITIZEN.realName, applicantId: DEMO_CITIZEN.idNumber, mobile: DEMO_CITIZEN.mobile, hukouType: 'urban', jobType: 'partTime', baseLevel: '100', startMonth: '2026-02', bankAccount: '6222020200001111222', pledge: 'true' });
    expect(sent.statusCode).toBe(303);
    const id = Number(/\/services\/cases\/(\d+)/.exec(sent.headers.location as string)![1]);
    let version: number | undefined;
    for (const action of ['accept', 'start_review', 'approve', 'complete']) {
      const r = await t.services.onestop.act(SYSTEM, id, { action, version });
      expect(r.ok).toBe(true);
      if (r.ok) version = r.value.version;
    }
    for (const lang of ['en', 'zh'] as const) {
      const jar = jarOf('citizen', lang);
      const c = await getCsrf(t.app, jar, `/services/cases/${id}`);
      const noLevel = await formPost(t.app, jar, `/services/cases/${id}/rating`, { _csrf: c, level: '' });
      expect(noLevel.statusCode).toBe(400);
      expect(noLevel.body).toContain(prefix(lang, 'level-error'));
      expect(noLevel.body).toContain('<fieldset aria-describedby="level-error" aria-invalid="true">');
      const noReason = await formPost(t.app, jar, `/services/cases/${id}/rating`, { _csrf: c, level: '2', comment: '' });
      expect(noReason.statusCode).toBe(400);
      expect(noReason.body).toContain(prefix(lang, 'comment-error'));
    }
  });
});
