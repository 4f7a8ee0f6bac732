import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../src/modules/demo/demo.seed.ts';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';

const xml = new XMLParser({ ignoreAttributes: true, parseTagValue: false, isArray: (name) => ['request', 'error'].includes(name) });

/**
 * Open311 GeoReport v2 details checked against the published spec with a real HTTP client: service_code filters
 * may be comma-delimited (and `general` is the requests without a category, not all of them); a request sent
 * through Open311 shows its description once; every error under /open311/v2 (unknown path, unreadable body,
 * refused content type, the rate limit) is the spec's [{code, description}] / <errors><error>, not the API's shape.
 */
describe.each(engines())('Open311 GeoReport v2 against the spec on %s', (engine) => {
  let t: TestApp;
  let base = '';
  const form = (fields: Record<string, string>) => ({
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString(),
  });
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp(engine);
    await seedDemo(t.services);
    t.services.messages.useClassifier({ classify: ({ title }) => (title.includes('不明') ? null : { category: '交通运输', confidence: 0.9 }) });
    base = `${await t.app.listen({ port: 0, host: '127.0.0.1' })}/open311/v2`;
    for (const [key, code, description] of [
      ['env', 'environment', '工地夜间施工噪音扰民，持续一周。'],
      ['transport', 'transport', '公交站牌损坏，无法看清线路。'],
      ['general', 'general', '不明原因的异味，晚上尤其明显。'],
    ] as const) {
      const r = await fetch(`${base}/requests.json`, form({ service_code: code, description, address_string: 'A3区某路12号', 'attribute[publish]': 'true' }));
      expect(r.status).toBe(201);
      ids[key] = ((await r.json()) as { service_request_id: string }[])[0]!.service_request_id;
    }
  });
  afterAll(async () => t?.close());

  const list = async (q: string) => ((await (await fetch(`${base}/requests.json?${q}`)).json()) as { service_request_id: string }[]).map((r) => r.service_request_id).sort();

  it('service_code may list several codes, comma-delimited', async () => {
    expect(await list('service_code=environment,transport')).toEqual([ids.env, ids.transport].sort());
    expect(await list('service_code=environment')).toEqual([ids.env]);
    const bad = await fetch(`${base}/requests.json?service_code=environment,nope`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual([{ code: 400, description: 'service_code nope not found' }]);
  });

  it('service_code=general lists the requests without a category, not every request', async () => {
    expect(await list('service_code=general')).toEqual([ids.general]);
    expect(await list('')).toEqual([ids.env, ids.transport, ids.general].sort());
  });

  it('a request sent through Open311 shows its description once', async () => {
    const [r] = (await (await fetch(`${base}/requests/${ids.env}.json`)).json()) as { description: string }[];
    expect(r!.description).toBe('工地夜间施工噪音扰民，持续一周。');
  });

  it.each([
    ['GET', '/requests.csv', 'json', 404],
    ['GET', '/nothing-here.xml', 'xml', 404],
    ['GET', '/services/transport', 'json', 404],
  ] as const)('%s %s: %s error in the spec format (%i)', async (method, path, format, status) => {
    const r = await fetch(`${base}${path}`, { method });
    expect(r.status).toBe(status);
    if (format === 'json') {
      const body = (await r.json()) as { code: number; description: string }[];
      expect(body).toEqual([{ code: status, description: expect.any(String) }]);
    } else {
      expect(r.headers.get('content-type')).toMatch(/text\/xml/);
      expect(xml.parse(await r.text()).errors.error[0].code).toBe(String(status));
    }
  });

  it('an unreadable body and a refused content type are spec errors too (JSON and XML)', async () => {
    const broken = await fetch(`${base}/requests.json`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"service_code":' });
    expect(broken.status).toBe(400);
    expect(await broken.json()).toEqual([{ code: 400, description: expect.any(String) }]);
    const odd = await fetch(`${base}/requests.xml`, { method: 'POST', headers: { 'content-type': 'application/x-unknown' }, body: 'x' });
    expect(odd.status).toBe(415);
    expect(xml.parse(await odd.text()).errors.error[0].code).toBe('415');
  });

  it('field errors name the Open311 parameters (description, long, phone), not the form fields', async () => {
    const r = await fetch(`${base}/requests.json`, form({ service_code: 'transport', description: '字'.repeat(5001), lat: '1', long: '200', phone: '6666666' }));
    expect(r.status).toBe(400);
    const d = ((await r.json()) as { description: string }[])[0]!.description;
    expect(d).toMatch(/description: /);
    expect(d).toMatch(/long: /);
    expect(d).toMatch(/phone: /);
    expect(d).not.toMatch(/content:|lng:|contactPhone:/);
  });

  it('an end_date whose +08:00 was sent unencoded (a space in the query) is still read', async () => {
    const tomorrow = new Date(Date.now() + 8 * 3600_000 + 86_400_000).toISOString().slice(0, 19);
    const r = await fetch(`${base}/requests.json?end_date=${tomorrow}+08:00`);
    expect(r.status).toBe(200);
    expect(((await r.json()) as unknown[]).length).toBeGreaterThan(0);
  });

  // Last: it uses up the intake allowance of this address.
  it('the intake rate limit answers 429 in the spec format', async () => {
    let last: Response | undefined;
    for (let i = 0; i < 40; i++) {
      last = await fetch(`${base}/requests.json`, form({ service_code: 'transport', description: `第${i}个公交站牌损坏`, address_string: 'A3区' }));
      if (last.status === 429) break;
    }
    expect(last!.status).toBe(429);
    expect(await last!.json()).toEqual([{ code: 429, description: expect.any(String) }]);
  });
});
