/**
 * A multipart body cut off in the middle (no closing boundary) is the client's fault: every route that takes uploads
 * answers 400 BAD_REQUEST (it answered 503 INTERNAL and logged an unhandled error), the API in JSON, the form as a page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CITIZEN, seedDemo } from '../src/modules/demo/demo.seed.ts';
import { createLoggedTestApp, engines, backstopLines, type TestApp } from './helpers/db.ts';
import { openSession, sessionJar } from './helpers/sessions.ts';

const CUT = '--zz\r\nContent-Disposition: form-data; name="title"\r\n\r\nabc';
const headers = { 'content-type': 'multipart/form-data; boundary=zz' };

describe.each(engines())('a cut-off multipart body, on %s', (engine) => {
  let t: TestApp & { lines: string[] };
  let token: string;
  beforeAll(async () => {
    t = await createLoggedTestApp(engine, seedDemo);
    token = await openSession(t, { mobile: DEMO_CITIZEN.mobile });
  });
  afterAll(async () => t?.close());

  it('POST /api/v1/messages answers 400 BAD_REQUEST in JSON', async () => {
    const r = await t.app.inject({ method: 'POST', url: '/api/v1/messages', headers: { ...headers, authorization: `Bearer ${token}` }, payload: CUT });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ error: { code: 'BAD_REQUEST' } });
  });

  it('the message form answers a 400 page, and nothing is logged as an unhandled error', async () => {
    const jar = sessionJar(token);
    const r = await t.app.inject({ method: 'POST', url: '/messages/new', headers, cookies: Object.fromEntries(jar), payload: CUT });
    expect(r.statusCode).toBe(400);
    expect(r.headers['content-type']).toMatch(/^text\/html/);
    expect(backstopLines(t.lines)).toEqual([]);
  });
});
