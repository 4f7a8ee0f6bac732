import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chinaDateTime } from '../src/lib/calendar/index.ts';
import { DEMO_CITIZEN, seedDemo } from '../src/modules/demo/demo.seed.ts';
import { seedDatashareDemo } from '../src/modules/datashare/datashare.seed.ts';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';
import { cookieJar, formPost, get, getCsrf } from './helpers/http.ts';

/** 我的数据被谁使用 as the citizen reads it: times in China, data items by their names in the catalogue. */
describe.each(engines())('the citizen’s “who used my data” page on %s', (engine) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(engine);
    await seedDemo(t.services);
    expect((await seedDatashareDemo(t.services, DEMO_CITIZEN)).created).toBe(true);
  });
  afterAll(async () => t?.close());

  it('shows when in China time and which data items by their labels, not column names', async () => {
    const token = (await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { identifier: DEMO_CITIZEN.mobile, password: DEMO_CITIZEN.password } })).json().token as string;
    const uses = (await t.app.inject({ url: '/api/v1/datashare/my-data-usage', headers: { authorization: `Bearer ${token}` } })).json() as { at: string; fields: string[]; fieldLabels: string[] }[];
    const withRegion = uses.find((u) => u.fields.includes('regionCode'))!;
    expect(withRegion).toBeDefined();
    expect(withRegion.fieldLabels[withRegion.fields.indexOf('regionCode')]).toBe('户籍地行政区划代码');
    const jar = cookieJar();
    const csrf = await getCsrf(t.app, jar, '/login');
    await formPost(t.app, jar, '/login', { _csrf: csrf, identifier: DEMO_CITIZEN.mobile, password: DEMO_CITIZEN.password });
    const page = await get(t.app, jar, '/datashare/my-data');
    expect(page.statusCode).toBe(200);
    const at = new Date(withRegion.at);
    expect(page.body).toContain(`<td>${chinaDateTime(at)}</td>`);
    // Not the UTC clock, eight hours behind.
    expect(page.body).not.toContain(`<td>${withRegion.at.slice(0, 16).replace('T', ' ')}</td>`);
    expect(page.body).toContain('户籍地行政区划代码');
    expect(page.body).not.toContain('regionCode');
  });
});
