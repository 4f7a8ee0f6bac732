import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CITIZEN, seedDemo } from '../src/modules/demo/demo.seed.ts';
import { seedDatashareDemo } from '../src/modules/datashare/datashare.seed.ts';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';
import { formPost, get, getCsrf, type Jar } from './helpers/http.ts';
import { staffJars } from './helpers/sessions.ts';

/**
 * The data-sharing pages offer a role only what it may do (each link or button the service would refuse with 403 is
 * left out), and the head of a department without a calling system is told how to get one instead of seeing no form.
 */
describe.each(engines())('data sharing offers by role on %s', (engine) => {
  let t: TestApp;
  let jars: Record<string, Jar>;
  beforeAll(async () => {
    t = await createTestApp(engine);
    await seedDemo(t.services);
    expect((await seedDatashareDemo(t.services, DEMO_CITIZEN)).created).toBe(true);
    jars = await staffJars(t, ['clerk', 'head', 'leader', 'supervisor', 'dataadmin']);
  });
  afterAll(async () => t?.close());

  const offers = {
    register: 'href="/datashare/resources/new"',
    log: 'href="/datashare/log"',
    quality: 'href="/datashare/quality"',
  };

  it('the catalogue links only the pages each role may open, and each link it shows opens', async () => {
    const expected: Record<string, (keyof typeof offers)[]> = {
      clerk: [], leader: ['quality'], supervisor: ['log', 'quality'], head: ['register', 'log', 'quality'], dataadmin: ['register', 'log', 'quality'],
    };
    for (const [who, shown] of Object.entries(expected)) {
      const body = (await get(t.app, jars[who]!, '/datashare')).body;
      for (const [k, href] of Object.entries(offers)) expect(body.includes(href), `${who} ${k}`).toBe(shown.includes(k as keyof typeof offers));
      for (const k of shown) {
        const url = offers[k].slice(6, -1);
        expect((await get(t.app, jars[who]!, url)).statusCode, `${who} ${url}`).toBe(200);
      }
    }
  });

  it('the systems page offers registering and revoking only to those who may, revoking only their own department’s', async () => {
    const fund = (await t.database.db.selectFrom('ds_systems').select(['id', 'department_id']).executeTakeFirstOrThrow());
    for (const who of ['clerk', 'leader', 'supervisor']) {
      const body = (await get(t.app, jars[who]!, '/datashare/systems')).body;
      expect(body, who).not.toContain('action="/datashare/systems"');
      expect(body, who).not.toContain('/revoke"');
    }
    const head = (await get(t.app, jars.head!, '/datashare/systems')).body; // the head of 人社局: not the fund centre's system
    expect(head).toContain('action="/datashare/systems"');
    expect(head).not.toContain(`action="/datashare/systems/${fund.id}/revoke"`);
    const admin = (await get(t.app, jars.dataadmin!, '/datashare/systems')).body;
    expect(admin).toContain(`action="/datashare/systems/${fund.id}/revoke"`);
  });

  it('a refused system registration keeps what was typed; a tampered calling system comes back at its select', async () => {
    const csrf = await getCsrf(t.app, jars.head!, '/datashare/systems');
    const res = await formPost(t.app, jars.head!, '/datashare/systems', { _csrf: csrf, name: '人社业务系统', ratePerMinute: '99999' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('每分钟调用上限应为 1–10000。');
    expect(res.body).toMatch(/name="name"[^>]*value="人社业务系统"|value="人社业务系统"[^>]*name="name"/);
    expect(res.body).toMatch(/name="ratePerMinute"[^>]*value="99999"|value="99999"[^>]*name="ratePerMinute"/);
    expect(await t.database.db.selectFrom('ds_systems').select('id').where('name', '=', '人社业务系统').executeTakeFirst()).toBeUndefined();

    const admin = await getCsrf(t.app, jars.dataadmin!, '/datashare/resources/PSB-HUJI');
    for (const systemId of ['999999', '3000000000', 'abc']) {
      const r = await formPost(t.app, jars.dataadmin!, '/datashare/resources/PSB-HUJI/request', { _csrf: admin, systemId, fields: 'name', purpose: '核验', legalBasis: '依法', periodTo: '2099-12-31' });
      expect(r.statusCode, systemId).toBe(400);
      expect(r.body, systemId).toContain('id="systemId-error"');
      expect(r.body, systemId).toContain('value="核验"');
    }
  });

  it('the data items and the access log read as cards on a phone', async () => {
    const items = (await get(t.app, jars.head!, '/datashare/resources/PSB-HUJI')).body;
    expect(items).toContain('<table class="stack-on-phone">');
    expect(items).toContain('data-label="个人信息"');
    const log = (await get(t.app, jars.dataadmin!, '/datashare/log')).body;
    expect(log).toContain('<table class="stack-on-phone">');
    expect(log).toContain('data-label="签名"');
  });

  it('a department without a calling system is told how to get one; a leader is offered no request', async () => {
    const head = (await get(t.app, jars.head!, '/datashare/resources/PSB-HUJI')).body;
    expect(head).toContain('本部门还没有有效的调用系统');
    expect(head).toContain('<a href="/datashare/systems">登记调用系统</a>');
    const clerk = (await get(t.app, jars.clerk!, '/datashare/resources/PSB-HUJI')).body;
    expect(clerk).toContain('请部门负责人先登记调用系统。');
    const leader = (await get(t.app, jars.leader!, '/datashare/resources/PSB-HUJI')).body;
    expect(leader).not.toContain('id="apply"');
  });
});
