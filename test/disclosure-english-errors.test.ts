import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CITIZEN, DEMO_STAFF, seedDemo } from '../src/modules/demo/demo.seed.ts';
import { seedDisclosureDemo } from '../src/modules/disclosure/disclosure.seed.ts';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';
import { cookieJar, formPost, getCsrf } from './helpers/http.ts';

type Field = { field: string; message: string };
const HAN = /\p{Script=Han}/u;

describe('disclosure field errors', () => {
  it('each one the service gives carries an English text (messageEn)', () => {
    const src = readFileSync(new URL('../src/modules/disclosure/disclosure.service.ts', import.meta.url), 'utf8');
    const lines = src.split('\n').filter((l) => /\{ field: '[^']+', message: /.test(l));
    expect(lines.length).toBeGreaterThan(30);
    for (const l of lines) expect(l.trim()).toContain('messageEn: ');
  });
});

describe.each(engines())('disclosure messages in the reader\'s language on %s', (engine) => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  beforeAll(async () => {
    t = await createTestApp(engine);
    await seedDemo(t.services);
    await seedDisclosureDemo(t.services);
    const login = async (identifier: string, password: string) =>
      (await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { identifier, password } })).json().token as string;
    tokens.clerk = await login('clerk', DEMO_STAFF.find((s) => s.username === 'clerk')!.password);
    tokens.citizen = await login(DEMO_CITIZEN.mobile, DEMO_CITIZEN.password);
  });
  afterAll(async () => t?.close());

  const post = (who: string, url: string, payload: object, lang: string) =>
    t.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${tokens[who]}`, 'accept-language': lang }, payload });
  const fieldsOf = (r: { json(): unknown }) => (r.json() as { error: { fields: Field[] } }).error.fields;

  const badRequest = { applicantKind: 'company', companyName: '', uscc: '91430100MA4L0000X', departmentId: 99999, description: '短', delivery: 'post', postalAddress: '', postcode: '12' };

  it('API, a request for disclosure: English field messages for English readers, Chinese otherwise', async () => {
    const en = await post('citizen', '/api/v1/disclosure/requests', badRequest, 'en');
    expect(en.statusCode).toBe(400);
    const fields = fieldsOf(en);
    // departmentId 99999 passes the schema (ids 1..2147483647); that no such body exists is said once the rest is valid.
    expect(fields.map((f) => f.field)).toEqual(['description', 'postalAddress', 'postcode', 'companyName', 'uscc']);
    for (const f of fields) expect(f.message, f.field).not.toMatch(HAN);
    expect(fields.find((f) => f.field === 'postcode')!.message).toBe('The postcode must be 6 digits.');
    const zh = await post('citizen', '/api/v1/disclosure/requests', badRequest, 'zh-CN');
    for (const f of fieldsOf(zh)) expect(f.message, f.field).toMatch(HAN);
  });

  it('API, a document and a staff action: English field messages', async () => {
    const doc = await post('clerk', '/api/v1/disclosure/documents', { title: '', issuer: 'x', issuedOn: '2026-13-45', validFrom: '2026-02-01', validUntil: '2026-01-01', body: 'x', category: 'zfbz' }, 'en');
    expect(doc.statusCode).toBe(400);
    const fields = fieldsOf(doc);
    expect(fields.map((f) => f.field)).toEqual(['title', 'issuedOn', 'validUntil']);
    for (const f of fields) expect(f.message, f.field).not.toMatch(HAN);
    const reject = await post('clerk', '/api/v1/disclosure/documents/1/reject', { reason: '' }, 'en');
    expect(reject.statusCode).toBe(400);
    expect(fieldsOf(reject)).toEqual([{ field: 'reason', message: 'Enter the reason for sending it back (at most 500 characters).' }]);
  });

  it('page: the apply form in English says its errors in English, with the English screen-reader prefix', async () => {
    const jar = cookieJar();
    await formPost(t.app, jar, '/login', { _csrf: await getCsrf(t.app, jar, '/login'), identifier: DEMO_CITIZEN.mobile, password: DEMO_CITIZEN.password });
    jar.set('lang', 'en');
    const r = await formPost(t.app, jar, '/disclosure/apply', { _csrf: await getCsrf(t.app, jar, '/disclosure/apply'), applicantKind: 'citizen', departmentId: '', description: '短', delivery: 'post', postalAddress: '', postcode: '' });
    expect(r.statusCode).toBe(400);
    const summary = r.body.slice(r.body.indexOf('error-summary'), r.body.indexOf('</ul>', r.body.indexOf('error-summary')));
    expect(summary).toContain('<a href="#postcode">For an answer by post, enter the postcode (6 digits).</a>');
    expect(summary).not.toMatch(HAN);
    expect(r.body).toContain('<p class="error-message" id="description-error"><span class="visually-hidden">Error: </span>Describe the government information you want');
    expect(r.body).toContain('<p class="error-message" id="departmentId-error"><span class="visually-hidden">Error: </span>Choose the body the request goes to.</p>');
    expect(r.body).toContain('<p class="error-message" id="postalAddress-error"><span class="visually-hidden">Error: </span>For an answer by post, enter the postal address');
  });
});
