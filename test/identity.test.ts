import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CITIZEN, DEMO_STAFF, seedDemo } from '../src/modules/demo/demo.seed.ts';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';
import { cookieJar, formPost, getCsrf } from './helpers/http.ts';

describe.each(engines())('identity on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine, { YIWANG_LOGIN_MAX_FAILURES: '3' });
    await seedDemo(t.services);
  });
  afterAll(async () => t?.close());

  it('registers a citizen through the API and masks personal data in the answer', async () => {
    const res = await t.app.inject({
      method: 'POST', url: '/api/v1/auth/register',
      payload: { mobile: '13912345678', password: 'Good-pass-1', realName: '李四', idNumber: '11010519491231002X' },
    });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.idNumber).toBe('110105********002X');
    expect(body.mobile).toBe('139****5678');
    expect(JSON.stringify(body)).not.toContain('13912345678');
  });

  it('rejects a bad ID checksum, a weak password and a missing contact, all at once, with a stable code', async () => {
    const res = await t.app.inject({
      method: 'POST', url: '/api/v1/auth/register',
      payload: { password: 'short', realName: '王五', idNumber: '110105194912310021' },
    });
    expect(res.statusCode).toBe(400);
    const { error } = res.json();
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.fields.map((f: { field: string }) => f.field).sort()).toEqual(['idNumber', 'mobile', 'password']);
  });

  it('refuses a duplicate account and keeps the first', async () => {
    const res = await t.app.inject({
      method: 'POST', url: '/api/v1/auth/register',
      payload: { mobile: DEMO_CITIZEN.mobile, password: 'Other-pass-2', realName: '冒名', idNumber: '110101199003070011' },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('MOBILE_TAKEN');
    const login = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { identifier: DEMO_CITIZEN.mobile, password: DEMO_CITIZEN.password } });
    expect(login.statusCode).toBe(200);
  });

  it('logs in with a cookie and a bearer token, and logs out', async () => {
    const login = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { identifier: DEMO_CITIZEN.mobile, password: DEMO_CITIZEN.password } });
    expect(login.statusCode).toBe(200);
    const cookie = login.cookies.find((c) => c.name === 'yw_sid');
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite?.toLowerCase()).toBe('lax');
    const token = login.json().token as string;
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });
    expect(me.statusCode).toBe(200);
    expect(me.json().idNumber).toBe('110101********0011');
    const out = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { authorization: `Bearer ${token}` } });
    expect(out.statusCode).toBe(204);
    const after = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });
    expect(after.statusCode).toBe(401);
    expect(after.json().error.code).toBe('UNAUTHENTICATED');
  });

  it('locks an account after repeated failures, even for the right password', async () => {
    const staff = DEMO_STAFF.find((s) => s.username === 'analyst')!;
    for (let i = 0; i < 2; i++) {
      const r = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { identifier: 'analyst', password: 'wrong-password' } });
      expect(r.json().error.code).toBe('LOGIN_FAILED');
    }
    const third = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { identifier: 'analyst', password: 'wrong-password' } });
    expect(third.json().error.code).toBe('ACCOUNT_LOCKED');
    const right = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { identifier: 'analyst', password: staff.password } });
    expect(right.statusCode).toBe(423);
  });

  it('answers an unknown account exactly like a wrong password', async () => {
    const r = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { identifier: 'nobody', password: 'whatever-1' } });
    expect(r.statusCode).toBe(401);
    expect(r.json().error.code).toBe('LOGIN_FAILED');
  });

  it('rejects a form post without a valid CSRF token and accepts one with it', async () => {
    const bad = await t.app.inject({ method: 'POST', url: '/login', payload: 'identifier=clerk&password=x&_csrf=forged', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(bad.statusCode).toBe(403);
    expect(bad.body).toContain('CSRF_INVALID');
    const jar = cookieJar();
    const csrf = await getCsrf(t.app, jar, '/login');
    const good = await formPost(t.app, jar, '/login', { identifier: 'clerk', password: DEMO_STAFF[0]!.password, _csrf: csrf });
    expect(good.statusCode).toBe(303);
    expect(good.headers.location).toBe('/workbench');
  });

  it('rejects a cookie-authenticated API write that is not JSON (cross-site form)', async () => {
    const login = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { identifier: 'admin', password: DEMO_STAFF.find((s) => s.username === 'admin')!.password } });
    const sid = login.cookies.find((c) => c.name === 'yw_sid')!.value;
    const r = await t.app.inject({ method: 'POST', url: '/api/v1/departments', cookies: { yw_sid: sid }, payload: 'code=X&name=Y', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(r.statusCode).toBe(403);
    expect(r.json().error.code).toBe('CSRF_INVALID');
  });

  it('answers unknown routes and oversized bodies with stable codes', async () => {
    const nf = await t.app.inject({ method: 'GET', url: '/api/v1/nope' });
    expect(nf.statusCode).toBe(404);
    expect(nf.json().error.code).toBe('NOT_FOUND');
    const page = await t.app.inject({ method: 'GET', url: '/no-such-page' });
    expect(page.statusCode).toBe(404);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('找不到');
    const big = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: JSON.stringify({ identifier: 'x'.repeat(2 * 1024 * 1024), password: 'y' }), headers: { 'content-type': 'application/json' } });
    expect(big.statusCode).toBe(413);
    expect(big.json().error.code).toBe('BODY_TOO_LARGE');
  });

  it('serves health, readiness and the OpenAPI document', async () => {
    expect((await t.app.inject({ url: '/healthz' })).statusCode).toBe(200);
    const ready = await t.app.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json().database).toBe(engine);
    const doc = (await t.app.inject({ url: '/api/v1/openapi.json' }));
    expect(doc.statusCode).toBe(200);
    const spec = doc.json();
    expect(spec.openapi).toMatch(/^3\./);
    expect(Object.keys(spec.paths)).toContain('/api/v1/auth/login');
  });

  it('sets security headers on pages', async () => {
    const r = await t.app.inject({ url: '/' });
    expect(r.headers['content-security-policy']).toContain("default-src 'self'");
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.body).toContain('<html lang="zh-CN"');
  });
});
