import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CITIZEN, seedDemo } from '../src/modules/demo/demo.seed.ts';
import { seedDatashareDemo } from '../src/modules/datashare/datashare.seed.ts';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';
import { formPost, get, getCsrf, type Jar } from './helpers/http.ts';
import { openSession, sessionJar, staffJars } from './helpers/sessions.ts';

/**
 * Data sharing on English pages: data items (信息项) by their English labels, update frequencies, departments and
 * every form error in English; a refused decision keeps the note typed and shows the error at it.
 */
describe.each(engines())('data sharing in English on %s', (engine) => {
  let t: TestApp;
  let jars: Record<string, Jar>;

  beforeAll(async () => {
    t = await createTestApp(engine);
    await seedDemo(t.services);
    expect((await seedDatashareDemo(t.services, DEMO_CITIZEN)).created).toBe(true);
    jars = await staffJars(t, ['dataadmin', 'head']);
    jars.citizen = sessionJar(await openSession(t, { mobile: DEMO_CITIZEN.mobile }));
    for (const j of Object.values(jars)) j.set('lang', 'en');
  });
  afterAll(async () => t?.close());

  it('names the data items, frequency and departments in English on the resource page and the catalogue', async () => {
    const page = (await get(t.app, jars.dataadmin!, '/datashare/resources/PSB-HUJI')).body;
    expect(page).toContain('Citizen ID number<br><small lang="zh-CN">公民身份号码</small>');
    expect(page).toContain('<dd>daily</dd>');
    expect(page).not.toContain('每日');
    const psb = (await t.services.identity.departments()).find((d) => d.code === 'A-PSB')!;
    expect(psb.name_en).toBeTruthy();
    expect(page).toContain(`<dd>${psb.name_en}</dd>`);
    const cat = (await get(t.app, jars.dataadmin!, '/datashare')).body;
    expect(cat).toContain('<td>daily</td>');
    const zh = (await get(t.app, new Map([...jars.dataadmin!].filter(([k]) => k !== 'lang')), '/datashare/resources/PSB-HUJI')).body;
    expect(zh).toContain('<td data-label="中文名">公民身份号码</td>');
    expect(zh).toContain('<dd>每日</dd>');
  });

  it('answers the registration form’s errors in English, every one at its field', async () => {
    const csrf = await getCsrf(t.app, jars.dataadmin!, '/datashare/resources/new');
    const res = await formPost(t.app, jars.dataadmin!, '/datashare/resources/new', {
      _csrf: csrf, departmentId: '', code: 'x', name: '', description: '', owner: '', updateFrequency: 'daily', sharingClass: 'conditional', sharingCondition: '',
      fields: 'id number | 号码 | text', keyField: 'idNumber',
    });
    expect(res.statusCode).toBe(400);
    for (const m of ['The code has 2–60 letters', 'Enter the name (at most 100 characters).', 'Enter the description', 'Enter the owner', 'Write the condition of conditional sharing.', 'Data item 1: its name, labels', 'The key field must be one of the data items.']) {
      expect(res.body).toContain(m);
    }
    expect(res.body).not.toMatch(/信息项的名称|请填写资源名称|主键须是/);
    expect(res.body).toContain('id number | 号码 | text');
    // The data administrator left the department unchosen (the form's first option): an error at the select.
    expect(res.body).toContain('Choose the department that provides the data.');
    expect(res.body).toMatch(/<option value="">\(choose\)<\/option>/);
  });

  it('keeps an English label given in the seventh column and shows it', async () => {
    const csrf = await getCsrf(t.app, jars.dataadmin!, '/datashare/resources/new');
    const res = await formPost(t.app, jars.dataadmin!, '/datashare/resources/new', {
      _csrf: csrf, code: 'EN-LABELS', name: '就业登记', description: '就业失业登记', owner: '就业服务局', updateFrequency: 'monthly', sharingClass: 'unconditional',
      fields: 'idNumber | 公民身份号码 | string | yes | yes | cn-id | Citizen ID number\nemployer | 工作单位 | string | no | no | | Employer', keyField: 'idNumber',
    });
    expect(res.statusCode).toBe(303);
    const page = (await get(t.app, jars.dataadmin!, '/datashare/resources/EN-LABELS')).body;
    expect(page).toContain('Employer<br><small lang="zh-CN">工作单位</small>');
    expect(page).toContain('<dd>monthly</dd>');
  });

  it('refusing without a reason comes back in English at that request’s note, keeping what was typed', async () => {
    const token = await openSession(t, { username: 'dataadmin' });
    const sys = await t.app.inject({ method: 'POST', url: '/api/v1/datashare/systems', headers: { authorization: `Bearer ${token}` }, payload: { name: 'EN 测试系统', departmentId: (await t.services.identity.departments()).find((d) => d.code === 'A-HRSS')!.id } });
    expect(sys.statusCode).toBe(201);
    const systemId = (sys.json() as { id: number }).id;
    const req = await t.app.inject({ method: 'POST', url: '/api/v1/datashare/requests', headers: { authorization: `Bearer ${token}` }, payload: { systemId, resource: 'PSB-HUJI', fields: ['name'], purpose: '核验', legalBasis: '依法', periodTo: '2099-12-31' } });
    expect(req.statusCode).toBe(201);
    const id = (req.json() as { id: number }).id;
    const csrf = await getCsrf(t.app, jars.dataadmin!, '/datashare/requests');
    const long = 'x'.repeat(501);
    const res = await formPost(t.app, jars.dataadmin!, `/datashare/requests/${id}/decide`, { _csrf: csrf, decision: 'refuse', note: long });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('The note can have at most 500 characters.');
    expect(res.body).toContain(`href="#note-${id}"`);
    expect(res.body).toMatch(new RegExp(`id="note-${id}" name="note" maxlength="500" value="${long}" aria-invalid="true"`));
    const empty = await formPost(t.app, jars.dataadmin!, `/datashare/requests/${id}/decide`, { _csrf: csrf, decision: 'refuse', note: '  ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Give the reason for refusing.');
    expect(empty.body).not.toContain('不予共享须说明理由');
    const still = await t.database.db.selectFrom('ds_requests').select('status').where('id', '=', id).executeTakeFirstOrThrow();
    expect(still.status).toBe('pending');
  });

  it('the quality page says what each finding is in English (the checks store Chinese) and names the data item', async () => {
    const huji = await t.database.db.selectFrom('ds_resources').select('id').where('code', '=', 'PSB-HUJI').executeTakeFirstOrThrow();
    const en = (await get(t.app, jars.dataadmin!, `/datashare/quality/${huji.id}`)).body;
    expect(en).toContain('Extra spaces.');
    expect(en).toContain('The check digit is wrong (a mistyped digit?).');
    expect(en).toContain('Citizen ID number <small><code>idNumber</code></small>');
    expect(en).not.toMatch(/含多余空格|校验码错误|必填项为空/);
    const zh = (await get(t.app, new Map([...jars.dataadmin!].filter(([k]) => k !== 'lang')), `/datashare/quality/${huji.id}`)).body;
    expect(zh).toContain('含多余空格');
  });

  it('the citizen reads who used their data with English item names', async () => {
    const page = (await get(t.app, jars.citizen!, '/datashare/my-data')).body;
    expect(page).toContain('Region code of household registration');
    expect(page).not.toContain('户籍地行政区划代码');
    // On a phone each read is a card with its labels (the four columns were wider than the screen).
    expect(page).toContain('<table class="stack-on-phone">');
    expect(page).toContain('data-label="Purpose"');
  });
});
