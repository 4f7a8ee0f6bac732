import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CITIZEN, DEMO_STAFF, seedDemo } from '../src/modules/demo/demo.seed.ts';
import { sessionIdOf } from '../src/modules/identity/identity.service.ts';
import { SESSION_COOKIE } from '../src/web/context.ts';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';
import { formPost, getCsrf } from './helpers/http.ts';
import { openSession, sessionJar } from './helpers/sessions.ts';

describe.each(engines())('sessions: absolute expiry, a new session on sign-in, foreign origins, on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine, { YIWANG_SESSION_HOURS: '2', YIWANG_SESSION_MAX_HOURS: '8' });
    await seedDemo(t.services);
  });
  afterAll(async () => t?.close());

  const clerk = DEMO_STAFF.find((s) => s.username === 'clerk')!;
  const me = (token: string) => t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });
  /** Moves a session's sign-in time back, keeping it busy (seen just now, idle limit ahead). */
  const signedInHoursAgo = async (token: string, hours: number) => {
    await sql`update sessions set created_at = now() - make_interval(hours => ${hours}), last_seen_at = now(),
      expires_at = now() + interval '1 hour' where id = ${sessionIdOf(token)}`.execute(t.database.db);
  };

  it('a busy session ends YIWANG_SESSION_MAX_HOURS after sign-in, for a bearer token and a cookie', async () => {
    const token = await openSession(t, { username: clerk.username });
    await signedInHoursAgo(token, 7);
    expect((await me(token)).statusCode).toBe(200);
    await signedInHoursAgo(token, 9);
    expect((await me(token)).statusCode).toBe(401);
    const page = await t.app.inject({ method: 'GET', url: '/workbench', cookies: { [SESSION_COOKIE]: token } });
    expect(page.statusCode).toBe(302);
    expect(page.headers.location).toMatch(/^\/login/);
  });

  it('the sliding renewal never reaches past the absolute end', async () => {
    const token = await openSession(t, { username: clerk.username });
    await sql`update sessions set created_at = now() - interval '7 hours', last_seen_at = now() - interval '10 minutes'
      where id = ${sessionIdOf(token)}`.execute(t.database.db);
    expect((await me(token)).statusCode).toBe(200);
    const row = await t.database.db.selectFrom('sessions').select(['created_at', 'expires_at']).where('id', '=', sessionIdOf(token)).executeTakeFirstOrThrow();
    expect(row.expires_at.getTime() - row.created_at.getTime()).toBeLessThanOrEqual(8 * 3600_000);
  });

  it('the cookie lasts until the absolute end, so a busy browser is not signed out when the first idle limit passes', async () => {
    const before = Date.now();
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { identifier: clerk.username, password: clerk.password } });
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === SESSION_COOKIE)!;
    // Idle limit 2 h (the server slides it), absolute limit 8 h: the cookie must outlive the first 2 h.
    expect(new Date(cookie.expires!).getTime()).toBeGreaterThan(before + 7 * 3600_000);
    expect(new Date(cookie.expires!).getTime()).toBeLessThanOrEqual(Date.now() + 8 * 3600_000 + 1000);
    const row = await t.database.db.selectFrom('sessions').select('expires_at').where('id', '=', sessionIdOf(cookie.value)).executeTakeFirstOrThrow();
    expect(row.expires_at.getTime()).toBeLessThanOrEqual(Date.now() + 2 * 3600_000 + 1000);
  });

  it('start-up refuses an absolute limit shorter than the idle limit', async () => {
    await expect(createTestApp(engine, { YIWANG_SESSION_HOURS: '12', YIWANG_SESSION_MAX_HOURS: '4' })).rejects.toThrow(/YIWANG_SESSION_MAX_HOURS/);
  });

  it('signing in on the login page ends the session the browser already had', async () => {
    const old = await openSession(t, { mobile: DEMO_CITIZEN.mobile });
    const jar = sessionJar(old);
    // Signed in, /login redirects; the form is still posted from a page loaded before (another tab).
    const csrf = await getCsrf(t.app, jar, '/register');
    const res = await formPost(t.app, jar, '/login', { _csrf: csrf, identifier: clerk.username, password: clerk.password });
    expect(res.statusCode).toBe(303);
    expect(jar.get(SESSION_COOKIE)).not.toBe(old);
    expect((await me(old)).statusCode).toBe(401);
    expect((await me(jar.get(SESSION_COOKIE)!)).json().username).toBe(clerk.username);
  });

  it('signing in through the API with a bearer token ends that session', async () => {
    const old = await openSession(t, { mobile: DEMO_CITIZEN.mobile });
    const res = await t.app.inject({
      method: 'POST', url: '/api/v1/auth/login', headers: { authorization: `Bearer ${old}` },
      payload: { identifier: clerk.username, password: clerk.password },
    });
    expect(res.statusCode).toBe(200);
    expect((await me(old)).statusCode).toBe(401);
    expect((await me(res.json().token as string)).statusCode).toBe(200);
  });

  it.each(['null', 'not a url', 'https://evil.example'])('a cookie-authenticated API write from Origin %j is 403 CSRF_INVALID', async (origin) => {
    const token = await openSession(t, { mobile: DEMO_CITIZEN.mobile });
    const res = await t.app.inject({
      method: 'POST', url: '/api/v1/auth/logout', cookies: { [SESSION_COOKIE]: token },
      headers: { origin, 'content-type': 'application/json' }, payload: '{}',
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('CSRF_INVALID');
    expect((await me(token)).statusCode).toBe(200);
  });

  it('a non-bearer Authorization header does not lift the checks of a cookie-authenticated write', async () => {
    const token = await openSession(t, { mobile: DEMO_CITIZEN.mobile });
    const res = await t.app.inject({
      method: 'POST', url: '/api/v1/auth/logout', cookies: { [SESSION_COOKIE]: token },
      headers: { authorization: 'Basic eDp5', 'content-type': 'text/plain' }, payload: '{}',
    });
    expect(res.statusCode).toBe(403);
    expect((await me(token)).statusCode).toBe(200);
  });
});
