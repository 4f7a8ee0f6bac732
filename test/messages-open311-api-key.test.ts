import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../src/modules/demo/demo.seed.ts';
import { createTestApp, engines, testConfig, type TestApp } from './helpers/db.ts';

const KEY = 'city-issued-key-0123456789';

/**
 * Open311 api_key where the city requires one (YIWANG_OPEN311_API_KEYS): POST requests.json|xml without a key it
 * issued is 403 in the spec's error format; reading stays open. Without the setting (the demo) no key is needed.
 */
describe.each(engines())('Open311 api_key on %s', (engine) => {
  let t: TestApp;
  let open: TestApp;
  const form = (fields: Record<string, string>) => ({ method: 'POST', url: '/open311/v2/requests.json', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(fields).toString() });
  const request = { service_code: 'transport', description: '公交站牌损坏，无法看清线路。', address_string: 'A3区某路' };

  beforeAll(async () => {
    t = await createTestApp(engine, { YIWANG_OPEN311_API_KEYS: `other-key-abcdefghijkl, ${KEY}` });
    await seedDemo(t.services);
    open = await createTestApp(engine);
    await seedDemo(open.services);
  });
  afterAll(async () => {
    await t?.close();
    await open?.close();
  });

  it('refuses a POST without a key or with a wrong one: 403 [{code, description}], XML too', async () => {
    for (const fields of [request, { ...request, api_key: 'wrong-key-0123456789' }]) {
      const r = await t.app.inject(form(fields));
      expect(r.statusCode).toBe(403);
      expect(r.json()).toEqual([{ code: 403, description: 'api_key was not provided or is invalid' }]);
    }
    const x = await t.app.inject({ ...form(request), url: '/open311/v2/requests.xml' });
    expect(x.statusCode).toBe(403);
    expect(new XMLParser({ parseTagValue: false }).parse(x.body).errors.error.code).toBe('403');
    expect(await t.database.db.selectFrom('message_tickets').select('id').execute()).toHaveLength(0);
  });

  it('takes a POST with an issued key, and reading needs none', async () => {
    const r = await t.app.inject(form({ ...request, api_key: KEY }));
    expect(r.statusCode).toBe(201);
    expect((await t.app.inject({ url: '/open311/v2/services.json' })).statusCode).toBe(200);
    expect((await t.app.inject({ url: `/open311/v2/requests/${r.json()[0].service_request_id}.json` })).statusCode).toBe(200);
  });

  it('without the setting (the demo) no key is needed', async () => {
    expect((await open.app.inject(form(request))).statusCode).toBe(201);
  });

  it('start-up refuses a key that is too short', () => {
    expect(() => testConfig({ YIWANG_OPEN311_API_KEYS: 'short' })).toThrow(/YIWANG_OPEN311_API_KEYS/);
    expect(testConfig({ YIWANG_OPEN311_API_KEYS: ` ${KEY} ,` }).open311ApiKeys).toEqual([KEY]);
  });
});
