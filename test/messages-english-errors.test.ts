import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../src/modules/demo/demo.seed.ts';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';
import { cookieJar, formPost, getCsrf } from './helpers/http.ts';
import { openSession } from './helpers/sessions.ts';

type Field = { field: string; message: string };
const HAN = /\p{Script=Han}/u;

describe('messages field errors', () => {
  it('each one the module gives carries an English text (messageEn)', () => {
    const lines = ['messages.schema.ts', 'messages.service.ts', 'messages.pages.ts']
      .flatMap((f) => readFileSync(new URL(`../src/modules/messages/${f}`, import.meta.url), 'utf8').split('\n'))
      .filter((l) => /\{ field: ['`][^'`]+['`], message: /.test(l));
    expect(lines.length).toBeGreaterThan(28);
    for (const l of lines) expect(l.trim()).toContain('messageEn: ');
  });
});

describe.each(engines())('messages field errors in the reader\'s language on %s', (engine) => {
  let t: TestApp;
  let supervisor = '';
  beforeAll(async () => {
    // A city with 区县 (长沙市), so that the district is chosen from a list.
    t = await createTestApp(engine, { YIWANG_CITY_CODE: '430100' });
    await seedDemo(t.services);
    supervisor = await openSession(t, { username: 'supervisor' });
  });
  afterAll(async () => t?.close());

  const fieldsOf = (r: { json(): unknown }) => (r.json() as { error: { fields: Field[] } }).error.fields;
  // (A type outside the list and an over-long name are refused by the API's JSON schema before the service.)
  const bad = { type: '咨询', title: '', content: '', district: '某某区', lat: '200', lng: '500', contactPhone: '123', contactEmail: 'a@b' };

  it('API, a message: every field message in English for English readers (header or cookie), Chinese otherwise', async () => {
    const en = await t.app.inject({ method: 'POST', url: '/api/v1/messages', payload: bad, headers: { 'accept-language': 'en-GB,en;q=0.9' } });
    expect(en.statusCode).toBe(400);
    const fields = fieldsOf(en);
    expect(fields.map((f) => f.field)).toEqual(['title', 'content', 'district', 'lat', 'lng', 'contactPhone', 'contactEmail']);
    for (const f of fields) expect(f.message, f.field).not.toMatch(HAN);
    expect(fields.find((f) => f.field === 'district')!.message).toBe('Choose the district from the list.');
    expect(fields.find((f) => f.field === 'contactEmail')!.message).toBe('The part after the @ of the e-mail address is not a valid domain.');
    const cookie = await t.app.inject({ method: 'POST', url: '/api/v1/messages', payload: bad, cookies: { lang: 'en' } });
    expect(fieldsOf(cookie).find((f) => f.field === 'lat')!.message).toBe('The latitude must be a number from -90 to 90.');
    const zh = await t.app.inject({ method: 'POST', url: '/api/v1/messages', payload: bad, headers: { 'accept-language': 'zh-CN' } });
    expect(fieldsOf(zh).length).toBe(7);
    for (const f of fieldsOf(zh)) expect(f.message, f.field).toMatch(HAN);
  });

  it('API, a staff action and the settings: English field messages', async () => {
    const sent = await t.app.inject({ method: 'POST', url: '/api/v1/messages', payload: { type: '咨询', title: '路灯损坏', content: '小区门口路灯坏了一个月。' } });
    expect(sent.statusCode).toBe(201);
    const id = (sent.json() as { ticketId: number }).ticketId;
    const headers = { authorization: `Bearer ${supervisor}`, 'accept-language': 'en' };
    const transfer = await t.app.inject({ method: 'POST', url: `/api/v1/messages/tickets/${id}/actions`, payload: { action: 'transfer', departmentId: 99999 }, headers });
    expect(transfer.statusCode).toBe(400);
    expect(fieldsOf(transfer)).toEqual([{ field: 'departmentId', message: 'Choose a department.' }]);
    const cfg = await t.app.inject({ method: 'PUT', url: '/api/v1/messages/config', payload: { routes: { 没有这类: 'A-HRSS' }, limits: { 咨询: 0 } }, headers });
    expect(cfg.statusCode).toBe(400);
    expect(fieldsOf(cfg)).toEqual([
      { field: 'routes.没有这类', message: 'Unknown category: 没有这类' },
      { field: 'limits.咨询', message: 'The time limit must be 1–365 working days.' },
    ]);
  });

  it('page: the message form in English says its errors in English, with the English screen-reader prefix', async () => {
    const jar = cookieJar();
    jar.set('lang', 'en');
    const r = await formPost(t.app, jar, '/messages/new', { _csrf: await getCsrf(t.app, jar, '/messages/new'), type: '咨询', title: '', content: '', district: '某某区', contactPhone: '123' });
    expect(r.statusCode).toBe(400);
    const summary = r.body.slice(r.body.indexOf('error-summary'), r.body.indexOf('</ul>', r.body.indexOf('error-summary')));
    expect(summary).toContain('<a href="#title">Enter a subject.</a>');
    expect(summary).not.toMatch(HAN);
    expect(r.body).toContain('<p class="error-message" id="content-error"><span class="visually-hidden">Error: </span>Enter your message.</p>');
    expect(r.body).toContain('<p class="error-message" id="district-error"><span class="visually-hidden">Error: </span>Choose the district from the list.</p>');
    expect(r.body).toContain('<p class="error-message" id="contactPhone-error"><span class="visually-hidden">Error: </span>The phone number is not valid');
  });
});
