import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../src/modules/demo/demo.seed.ts';
import { SYSTEM } from '../src/modules/identity/permissions.ts';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';

const xml = new XMLParser({ ignoreAttributes: true, parseTagValue: false, isArray: (name) => ['request', 'service', 'error'].includes(name) });

describe.each(engines())('Open311 GeoReport v2 on %s', (engine) => {
  let t: TestApp;
  let base: string;
  const form = (fields: Record<string, string>) => ({
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });

  beforeAll(async () => {
    t = await createTestApp(engine);
    await seedDemo(t.services);
    t.services.messages.useClassifier({ classify: () => ({ category: '交通运输', confidence: 0.9 }) });
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `${address}/open311/v2`;
  });
  afterAll(async () => t?.close());

  it('lists services in JSON and XML, one per message category plus the general one', async () => {
    const j = await fetch(`${base}/services.json`);
    expect(j.status).toBe(200);
    expect(j.headers.get('content-type')).toMatch(/application\/json/);
    const list = (await j.json()) as { service_code: string; service_name: string; metadata: boolean; type: string }[];
    expect(list.map((s) => s.service_code)).toEqual(expect.arrayContaining(['transport', 'environment', 'general']));
    expect(list.find((s) => s.service_code === 'transport')).toMatchObject({ service_name: '交通运输', metadata: false, type: 'realtime' });
    const x = await fetch(`${base}/services.xml`);
    expect(x.headers.get('content-type')).toMatch(/text\/xml/);
    const doc = xml.parse(await x.text());
    expect(doc.services.service.map((s: { service_code: string }) => s.service_code)).toContain('transport');
    const def = await fetch(`${base}/services/transport.json`);
    expect(((await def.json()) as { service_code: string }).service_code).toBe('transport');
    const missing = await fetch(`${base}/services/nope.json`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual([{ code: 404, description: 'service_code nope not found' }]);
  });

  let requestId = '';
  let token = '';

  it('accepts a form-encoded request with a location, and routes it by its service code', async () => {
    const res = await fetch(`${base}/requests.json`, form({
      service_code: 'environment', lat: '28.19', long: '112.97', address_string: 'A市A3区某路12号',
      description: '工地夜间施工噪音扰民，持续一周。', first_name: '三', last_name: '张', phone: '13800138000', 'attribute[publish]': 'true',
    }));
    expect(res.status).toBe(201);
    const body = (await res.json()) as { service_request_id: string; token: string; service_notice: string }[];
    expect(body).toHaveLength(1);
    requestId = body[0]!.service_request_id;
    token = body[0]!.token;
    expect(requestId).toMatch(/^\d+$/);
    const tk = await t.services.messages.ticket(SYSTEM, Number(requestId));
    // The service code chose the category (not the stub classifier's 交通运输), so the ecology bureau holds it.
    expect(tk.ok && tk.value).toMatchObject({ category: '环境保护', status: 'dispatched' });
  });

  it('answers with the spec error format for missing fields, in JSON and XML', async () => {
    const noLoc = await fetch(`${base}/requests.json`, form({ service_code: 'transport', description: '公交站牌损坏' }));
    expect(noLoc.status).toBe(400);
    const e = (await noLoc.json()) as { code: number; description: string }[];
    expect(e[0]!.code).toBe(400);
    expect(e[0]!.description).toMatch(/location/);
    const noCode = await fetch(`${base}/requests.xml`, form({ description: 'x', lat: '1', long: '2' }));
    expect(noCode.status).toBe(400);
    const doc = xml.parse(await noCode.text());
    expect(doc.errors.error[0].code).toBe('400');
    expect(doc.errors.error[0].description).toMatch(/service_code/);
    const bad = await fetch(`${base}/requests.json`, form({ service_code: 'general', description: 'x', lat: '100', long: '2' }));
    expect(bad.status).toBe(400);
  });

  it('returns one request by id and by token, with the published text redacted', async () => {
    const one = await fetch(`${base}/requests/${requestId}.json`);
    expect(one.status).toBe(200);
    const [r] = (await one.json()) as Record<string, unknown>[];
    expect(r).toMatchObject({ service_request_id: requestId, status: 'open', service_code: 'environment', agency_responsible: 'A市生态环境局', lat: 28.19, long: 112.97 });
    expect(String(r!.description)).toContain('噪音');
    expect(JSON.stringify(r)).not.toContain('13800138000');
    expect(String(r!.requested_datetime)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
    const x = xml.parse(await (await fetch(`${base}/requests/${requestId}.xml`)).text());
    expect(x.service_requests.request[0].service_request_id).toBe(requestId);
    const tk = await fetch(`${base}/tokens/${token}.json`);
    expect(await tk.json()).toEqual([{ service_request_id: requestId, token }]);
    expect((await fetch(`${base}/requests/999999.json`)).status).toBe(404);
    expect((await fetch(`${base}/tokens/nope.json`)).status).toBe(404);
  });

  it('filters requests by service code, status, dates and ids', async () => {
    // A second request the author did not agree to publish: it never appears in listings.
    await fetch(`${base}/requests.json`, form({ service_code: 'transport', address_string: 'A7区公交站', description: '公交站牌损坏，无法看清线路。' }));
    const all = (await (await fetch(`${base}/requests.json`)).json()) as { service_request_id: string }[];
    expect(all.map((r) => r.service_request_id)).toEqual([requestId]);
    const env = (await (await fetch(`${base}/requests.json?service_code=environment&status=open`)).json()) as unknown[];
    expect(env).toHaveLength(1);
    expect((await (await fetch(`${base}/requests.json?status=closed`)).json()) as unknown[]).toHaveLength(0);
    expect((await (await fetch(`${base}/requests.json?service_code=transport`)).json()) as unknown[]).toHaveLength(0);
    const future = new Date(Date.now() + 86_400_000).toISOString();
    expect((await (await fetch(`${base}/requests.json?start_date=${encodeURIComponent(future)}`)).json()) as unknown[]).toHaveLength(0);
    const byId = (await (await fetch(`${base}/requests.json?service_request_id=${requestId}`)).json()) as unknown[];
    expect(byId).toHaveLength(1);
    const badStatus = await fetch(`${base}/requests.json?status=pending`);
    expect(badStatus.status).toBe(400);
    expect(((await badStatus.json()) as { code: number }[])[0]!.code).toBe(400);
    const x = xml.parse(await (await fetch(`${base}/requests.xml?service_code=environment`)).text());
    expect(x.service_requests.request).toHaveLength(1);
  });

  it('reports a replied request as closed with the redacted reply as status notes', async () => {
    const r = await t.services.messages.act(SYSTEM, Number(requestId), 'reply', { reply: '您好，经核查，该工地已停止夜间施工。联系人：李四，电话13912345678。' });
    expect(r.ok).toBe(true);
    const [one] = (await (await fetch(`${base}/requests/${requestId}.json`)).json()) as { status: string; status_notes: string }[];
    expect(one!.status).toBe('closed');
    expect(one!.status_notes).toContain('已停止夜间施工');
    expect(one!.status_notes).not.toContain('13912345678');
    expect(one!.status_notes).not.toContain('李四');
  });
});
