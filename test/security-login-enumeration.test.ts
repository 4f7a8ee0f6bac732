import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CITIZEN, DEMO_STAFF, seedDemo } from '../src/modules/demo/demo.seed.ts';
import { normaliseLoginIdentifier, REGISTER_TAKEN_LIMIT } from '../src/modules/identity/identity.service.ts';
import { SYSTEM } from '../src/modules/identity/permissions.ts';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';
import { cookieJar, formPost, getCsrf } from './helpers/http.ts';

/** The lock-out must not tell which accounts exist: an unknown identifier is counted and locked like a real one. */
describe.each(engines())('login lock-out without account enumeration on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine, { YIWANG_LOGIN_MAX_FAILURES: '3' });
    await seedDemo(t.services);
  });
  afterAll(async () => t?.close());

  const apiLogin = async (identifier: string, password: string) => {
    const r = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { identifier, password } });
    return [r.statusCode, r.json().error?.code as string | undefined] as const;
  };

  it('answers an unknown identifier 401 then 423 ACCOUNT_LOCKED after the same number of failures as an account', async () => {
    const known: (readonly [number, string | undefined])[] = [];
    const unknown: (readonly [number, string | undefined])[] = [];
    for (let i = 0; i < 4; i++) known.push(await apiLogin('dept_head', 'wrong-password-1'));
    for (let i = 0; i < 4; i++) unknown.push(await apiLogin('no-such-user-7', 'wrong-password-1'));
    expect(known).toEqual([[401, 'LOGIN_FAILED'], [401, 'LOGIN_FAILED'], [423, 'ACCOUNT_LOCKED'], [423, 'ACCOUNT_LOCKED']]);
    expect(unknown).toEqual(known);
    // Sent at once, every attempt passes the lock check: the ones counted after the lock answer ACCOUNT_LOCKED (before,
    // the lock reset the count, so the 4th and 5th answered LOGIN_FAILED again and the 6th locked anew).
    const burst = await Promise.all(Array.from({ length: 8 }, () => apiLogin('burst-user-1', 'wrong-password-1')));
    expect(burst.filter(([, c]) => c === 'LOGIN_FAILED')).toHaveLength(2);
    expect(burst.filter(([, c]) => c === 'ACCOUNT_LOCKED')).toHaveLength(6);
  });

  it('gives the same page, status and message for an unknown mobile as for a registered one', async () => {
    const page = async (identifier: string) => {
      const jar = cookieJar();
      const csrf = await getCsrf(t.app, jar, '/login');
      const out: [number, string][] = [];
      for (let i = 0; i < 3; i++) {
        const r = await formPost(t.app, jar, '/login', { identifier, password: 'wrong-password-2', _csrf: csrf });
        out.push([r.statusCode, r.body.includes('密码错误次数过多，账号已临时锁定，请稍后再试。') ? 'locked' : r.body.includes('账号或密码不正确。') ? 'failed' : r.body.slice(0, 200)]);
      }
      return out;
    };
    const registered = await page(DEMO_CITIZEN.mobile);
    expect(registered).toEqual([[401, 'failed'], [401, 'failed'], [423, 'locked']]);
    expect(await page('13800009999')).toEqual(registered);
  });

  it('keeps only an HMAC of the identifier, counts spellings of one mobile together, and forgets an expired window', async () => {
    const mobile = '13700001234';
    const identity = t.services.identity;
    expect((await identity.login(mobile, 'wrong-password-3')).ok).toBe(false);
    expect((await identity.login(`+86 137-0000-1234`, 'wrong-password-3')).ok).toBe(false);
    expect(normaliseLoginIdentifier(' +86 137-0000-1234 ')).toBe(mobile);
    const rows = await t.database.db.selectFrom('login_failures').selectAll().execute();
    const text = JSON.stringify(rows);
    for (const s of [mobile, '1234', 'no-such-user-7', 'dept_head', DEMO_CITIZEN.mobile]) expect(text).not.toContain(s);
    // The window passes without a third failure: counting starts again, so the next failure is not a lock.
    await t.database.db.updateTable('login_failures').set({ expires_at: new Date(Date.now() - 1000) }).where('locked_until', 'is', null).execute();
    const third = await identity.login(mobile, 'wrong-password-3');
    expect(third.ok ? 'ok' : third.error.code).toBe('LOGIN_FAILED');
    // Another identifier's expired row is left by a sign-in (see the next case) and removed by the hourly purge.
    await t.database.db.insertInto('login_failures').values({ key: 'expired-key', failures: 1, expires_at: new Date(Date.now() - 60_000) }).execute();
    await identity.login('someone-else-3', 'wrong-password-3');
    expect(await t.database.db.selectFrom('login_failures').select('key').where('key', '=', 'expired-key').executeTakeFirst()).toBeDefined();
    // More than one batch of 1,000.
    await sql`insert into login_failures (key, failures, expires_at) select 'old-' || g, 1, now() - interval '1 hour' from generate_series(1, 2500) g`.execute(t.database.db);
    const errors: unknown[] = [];
    await identity.startSessionPurge(3_600_000, (err) => errors.push(err))();
    expect(errors).toEqual([]);
    expect(await t.database.db.selectFrom('login_failures').select('key').where('key', '=', 'expired-key').executeTakeFirst()).toBeUndefined();
    expect(await t.database.db.selectFrom('login_failures').select('key').where('expires_at', '<=', new Date()).execute()).toEqual([]);
    expect(await t.database.db.selectFrom('login_failures').select('key').where('expires_at', '>', new Date()).execute()).not.toEqual([]);
  });

  // Two failed sign-ins at once, A and B, each with an expired row: A's transaction deleted B's row and B's deleted A's,
  // then each waited on the other to count its own failure (a deadlock: PostgreSQL aborts one, a 500). Shown here
  // without a race: while A's transaction is held at its own row, B's row must not be locked by it.
  it.skipIf(engine === 'pglite')('a failed sign-in locks no other identifier’s row (two at once deadlocked)', async () => {
    const db = t.database.db;
    const keysNow = async () => new Set((await db.selectFrom('login_failures').select('key').execute()).map((r) => r.key));
    const keyOf = async (identifier: string) => {
      const before = await keysNow();
      await t.services.identity.login(identifier, 'wrong-password-5');
      return [...(await keysNow())].find((k) => !before.has(k))!;
    };
    const ka = await keyOf('parallel-a-5');
    const kb = await keyOf('parallel-b-5');
    await db.updateTable('login_failures').set({ expires_at: new Date(Date.now() - 60_000) }).where('key', 'in', [ka, kb]).execute();
    let bLockedByA: boolean | undefined;
    let signIn: Promise<unknown> | undefined;
    await db.transaction().execute(async (hold) => {
      // Hold A's own row: A's sign-in runs its transaction up to counting its failure, then waits here.
      await hold.selectFrom('login_failures').select('key').where('key', '=', ka).forUpdate().execute();
      signIn = t.services.identity.login('parallel-a-5', 'wrong-password-5');
      for (let i = 0; i < 400; i++) {
        const waiting = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`.execute(db);
        if (waiting.rows[0]!.n > 0) break;
        await new Promise((r) => setTimeout(r, 25));
      }
      const free = await sql<{ key: string }>`select key from login_failures where key = ${kb} for update skip locked`.execute(db);
      bLockedByA = free.rows.length === 0;
    });
    const a = (await signIn) as { ok: boolean; error?: { code: string } };
    expect(a.ok ? 'ok' : a.error?.code).toBe('LOGIN_FAILED');
    expect(bLockedByA).toBe(false);
  });

  // The lock was read only before the slow password hash: a right password checked while failed sign-ins of the same
  // identifier locked it still signed in (and cleared their count). Shown without a race: a failed sign-in's
  // transaction holds the key's row with the lock it is writing while the right password is checked.
  it.skipIf(engine === 'pglite')('a right password does not sign in when the identifier was locked during its check', async () => {
    const db = t.database.db;
    const leader = DEMO_STAFF.find((s) => s.username === 'leader')!;
    const before = new Set((await db.selectFrom('login_failures').select('key').execute()).map((r) => r.key));
    expect((await t.services.identity.login('leader', 'wrong-password-6')).ok).toBe(false);
    const key = (await db.selectFrom('login_failures').select('key').execute()).map((r) => r.key).find((k) => !before.has(k))!;
    const until = new Date(Date.now() + 600_000);
    let signIn: Promise<Awaited<ReturnType<typeof t.services.identity.login>>> | undefined;
    let settled = false;
    await db.transaction().execute(async (hold) => {
      await hold.updateTable('login_failures').set({ failures: 0, locked_until: until }).where('key', '=', key).execute();
      // Not committed yet: the first lock check passes; the sign-in waits at the key's row in its own transaction.
      signIn = t.services.identity.login('leader', leader.password).finally(() => { settled = true; });
      for (let i = 0; i < 400 && !settled; i++) {
        const waiting = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`.execute(db);
        if (waiting.rows[0]!.n > 0) break;
        await new Promise((r) => setTimeout(r, 25));
      }
    });
    const r = await signIn!;
    expect(r.ok ? 'ok' : r.error.code).toBe('ACCOUNT_LOCKED');
    // The lock stays (the right password cleared it before), and no session was opened.
    const row = await db.selectFrom('login_failures').select('locked_until').where('key', '=', key).executeTakeFirst();
    expect(row?.locked_until?.getTime()).toBe(until.getTime());
    const user = await db.selectFrom('users').select('id').where('username', '=', 'leader').executeTakeFirstOrThrow();
    expect(await db.selectFrom('sessions').select('user_id').where('user_id', '=', user.id).execute()).toEqual([]);
  });

  it('a lock ends when its time is over, and an administrator’s new password clears it at once', async () => {
    const identity = t.services.identity;
    const analyst = DEMO_STAFF.find((s) => s.username === 'analyst')!;
    for (let i = 0; i < 3; i++) await identity.login('analyst', 'wrong-password-4');
    const locked = await identity.login('analyst', analyst.password);
    expect(locked.ok ? 'ok' : locked.error.code).toBe('ACCOUNT_LOCKED');
    const user = await t.database.db.selectFrom('users').select('id').where('username', '=', 'analyst').executeTakeFirstOrThrow();
    expect((await identity.resetStaffPassword(SYSTEM, user.id, 'Reset-pass-2026')).ok).toBe(true);
    expect((await identity.login('analyst', 'Reset-pass-2026')).ok).toBe(true);

    for (let i = 0; i < 3; i++) await identity.login('ANALYST ', 'wrong-password-4');
    expect((await identity.login('analyst', 'Reset-pass-2026')).ok).toBe(false);
    await t.database.db.updateTable('login_failures').set({ locked_until: new Date(Date.now() - 1000), expires_at: new Date(Date.now() - 1000) }).execute();
    expect((await identity.login('analyst', 'Reset-pass-2026')).ok).toBe(true);
  });

  it('refuses an address for an hour after 5 "already registered" answers, so registration is no directory of mobiles', async () => {
    const register = (payload: Record<string, string>, remoteAddress: string) =>
      t.app.inject({ method: 'POST', url: '/api/v1/auth/register', remoteAddress, payload: { password: 'Good-pass-7', realName: '赵六', ...payload } });
    const prober = '203.0.113.5';
    for (let i = 0; i < REGISTER_TAKEN_LIMIT; i++) {
      const r = await register({ mobile: DEMO_CITIZEN.mobile, idNumber: '11010519491231002X' }, prober);
      expect([r.statusCode, r.json().error.code]).toEqual([409, 'MOBILE_TAKEN']);
    }
    const refused = await register({ mobile: '13600001111', idNumber: '11010519491231002X' }, prober);
    expect([refused.statusCode, refused.json().error.code]).toEqual([429, 'RATE_LIMITED']);
    expect(await t.database.db.selectFrom('users').select('id').where('mobile', '=', '13600001111').executeTakeFirst()).toBeUndefined();
    // The page says so in its language, with 429.
    const jar = cookieJar();
    const csrf = await getCsrf(t.app, jar, '/register');
    const page = await t.app.inject({ method: 'POST', url: '/register', remoteAddress: prober, cookies: Object.fromEntries(jar), payload: new URLSearchParams({ _csrf: csrf, mobile: '13600001111', password: 'Good-pass-7', passwordConfirm: 'Good-pass-7', realName: '赵六', idNumber: '11010519491231002X' }).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(page.statusCode).toBe(429);
    expect(page.body).toContain('操作过于频繁，请稍后再试。');
    // Another address registers as usual.
    const other = await register({ mobile: '13600001111', idNumber: '11010519491231002X' }, '198.51.100.7');
    expect(other.statusCode).toBe(201);

    // Sent all at once, the probes passed the lock check together (it is read before the password hash) and each got
    // its MOBILE_TAKEN: 12 answers instead of 5. An answer is now given only if counting it left the address unlocked.
    const burst = await Promise.all(Array.from({ length: 12 }, () => register({ mobile: DEMO_CITIZEN.mobile, idNumber: '11010519491231002X' }, '203.0.113.77')));
    const codes = burst.map((r) => r.json().error.code as string);
    expect(codes.filter((c) => c === 'MOBILE_TAKEN')).toHaveLength(REGISTER_TAKEN_LIMIT);
    expect(codes.filter((c) => c === 'RATE_LIMITED')).toHaveLength(12 - REGISTER_TAKEN_LIMIT);
  });
});
