import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../src/modules/demo/demo.seed.ts';
import { identityRepository } from '../src/modules/identity/identity.repository.ts';
import { principalOf, sessionIdOf } from '../src/modules/identity/identity.service.ts';
import { SYSTEM, type Principal } from '../src/modules/identity/permissions.ts';
import { SESSION_COOKIE } from '../src/web/context.ts';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';
import { cookieJar, formPost, get, getCsrf, type Jar } from './helpers/http.ts';

const OTHERS = ['clerk', 'head', 'citizen'] as const;

/** The administrator disables and enables staff accounts, sets a new initial password, changes roles and department. */
describe.each(engines())('administering a staff account on %s', (engine) => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  const jars: Record<string, Jar> = {};
  const principals: Record<string, Principal> = {};
  let adminId = 0;
  let hrss = 0;

  const userId = async (username: string) => (await t.database.db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id;
  const user = async (id: number) => t.database.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const sessionCount = async (id: number) => Number((await t.database.db.selectFrom('sessions').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', id).executeTakeFirstOrThrow()).n);
  // Sessions opened directly: the login's slow password hash is paid only where the login itself is tested.
  const openSession = async (id: number) => {
    const token = randomBytes(32).toString('base64url');
    await identityRepository.insertSession(t.database.db, sessionIdOf(token), id, new Date(Date.now() + 3600_000));
    return token;
  };
  const jarOf = (token: string) => {
    const jar = cookieJar();
    jar.set(SESSION_COOKIE, token);
    return jar;
  };
  const api = (who: string | undefined, method: 'POST' | 'PATCH' | 'GET', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: who ? { authorization: `Bearer ${tokens[who] ?? who}` } : {}, ...(payload ? { payload } : {}) });
  /** A fresh staff account for one test. */
  let n = 0;
  const newStaff = async (roles: string[] = ['clerk']) => {
    const r = await t.services.identity.createStaff(SYSTEM, { username: `acct${n++}x`, displayName: '测试人员', departmentId: hrss, roles, password: 'Initial-pass-2026' });
    if (!r.ok) throw new Error(r.error.code);
    return r.value;
  };

  beforeAll(async () => {
    t = await createTestApp(engine);
    await seedDemo(t.services);
    hrss = (await t.database.db.selectFrom('departments').select('id').where('code', '=', 'A-HRSS').executeTakeFirstOrThrow()).id;
    for (const who of ['admin', 'clerk', 'head', 'citizen']) {
      const u = await t.database.db.selectFrom('users').selectAll().where(who === 'citizen' ? 'mobile' : 'username', '=', who === 'citizen' ? '13800138000' : who).executeTakeFirstOrThrow();
      tokens[who] = await openSession(u.id);
      jars[who] = jarOf(tokens[who]);
      principals[who] = principalOf(u);
    }
    adminId = await userId('admin');
  });
  afterAll(async () => t?.close());

  it('links each account from the list to its page with the three forms', async () => {
    const clerk = await userId('clerk');
    const list = await get(t.app, jars.admin!, '/staff/admin/users');
    expect(list.body).toContain(`href="/staff/admin/users/${clerk}"`);
    const page = await get(t.app, jars.admin!, `/staff/admin/users/${clerk}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`action="/staff/admin/users/${clerk}/disable"`);
    expect(page.body).toContain(`action="/staff/admin/users/${clerk}/password"`);
    expect(page.body).toContain(`action="/staff/admin/users/${clerk}"`);
    expect(page.body).toMatch(/<input type="checkbox" name="roles" value="clerk" checked>/);
    expect(page.body).toMatch(new RegExp(`<option value="${hrss}" selected>`));
    expect((await get(t.app, jars.admin!, '/staff/admin/users/0')).statusCode).toBe(404);
    expect((await get(t.app, jars.admin!, '/staff/admin/users/1.5')).statusCode).toBe(400);
    const citizen = await t.database.db.selectFrom('users').select('id').where('kind', '=', 'citizen').executeTakeFirstOrThrow();
    expect((await get(t.app, jars.admin!, `/staff/admin/users/${citizen.id}`)).statusCode).toBe(404);
    expect((await api('admin', 'POST', '/api/v1/staff/0/disable')).statusCode).toBe(400);
    expect((await api('admin', 'POST', '/api/v1/staff/2147483648/disable')).statusCode).toBe(400);
  });

  it('refuses clerk, head and citizen on every page and API, in the service too', async () => {
    const target = await newStaff();
    for (const who of OTHERS) {
      expect((await get(t.app, jars[who]!, `/staff/admin/users/${target.id}`)).statusCode, who).toBe(403);
      const csrf = await getCsrf(t.app, jars[who]!, '/me/password');
      for (const [path, body] of [['/disable', {}], ['/enable', {}], ['/password', { password: 'Taken-over-2026', passwordConfirm: 'Taken-over-2026' }], ['', { roles: 'sys_admin', departmentId: '' }]] as const) {
        const res = await formPost(t.app, jars[who]!, `/staff/admin/users/${target.id}${path}`, { _csrf: csrf, ...body });
        expect(res.statusCode, `${who} ${path}`).toBe(403);
      }
      expect((await api(who, 'POST', `/api/v1/staff/${target.id}/disable`)).statusCode, who).toBe(403);
      expect((await api(who, 'POST', `/api/v1/staff/${target.id}/enable`)).statusCode, who).toBe(403);
      expect((await api(who, 'POST', `/api/v1/staff/${target.id}/password`, { password: 'Taken-over-2026' })).statusCode, who).toBe(403);
      expect((await api(who, 'PATCH', `/api/v1/staff/${target.id}`, { roles: ['sys_admin'], departmentId: null })).statusCode, who).toBe(403);
      const p = principals[who]!;
      expect((await t.services.identity.setStaffStatus(p, target.id, 'disabled')).ok, who).toBe(false);
      expect((await t.services.identity.resetStaffPassword(p, target.id, 'Taken-over-2026')).ok, who).toBe(false);
      expect((await t.services.identity.updateStaffAccess(p, target.id, { roles: ['sys_admin'] })).ok, who).toBe(false);
    }
    expect((await api(undefined, 'POST', `/api/v1/staff/${target.id}/disable`)).statusCode).toBe(401);
    const after = await user(target.id);
    expect([after.status, after.roles, after.password_hash]).toEqual(['active', ['clerk'], target.password_hash]);
  });

  it('requires the CSRF token on every form', async () => {
    const target = await newStaff();
    for (const [path, body] of [['/disable', {}], ['/password', { password: 'No-token-2026', passwordConfirm: 'No-token-2026' }], ['', { roles: 'analyst', departmentId: '' }]] as const) {
      const res = await formPost(t.app, jars.admin!, `/staff/admin/users/${target.id}${path}`, body);
      expect(res.statusCode, path).toBe(403);
    }
    const after = await user(target.id);
    expect([after.status, after.roles, after.password_hash]).toEqual(['active', ['clerk'], target.password_hash]);
  });

  it('disables an account from its page: its sessions end at once and its login is refused; enabling lets it in again', async () => {
    const target = await newStaff();
    const old = await openSession(target.id);
    await openSession(target.id);
    expect((await get(t.app, jarOf(old), '/workbench')).statusCode).toBe(200);
    const csrf = await getCsrf(t.app, jars.admin!, `/staff/admin/users/${target.id}`);
    const res = await formPost(t.app, jars.admin!, `/staff/admin/users/${target.id}/disable`, { _csrf: csrf });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/staff/admin/users/${target.id}?done=disabled`);
    expect((await get(t.app, jars.admin!, res.headers.location as string)).body).toContain('账号已停用，其所有登录会话已失效。');
    expect((await user(target.id)).status).toBe('disabled');
    expect(await sessionCount(target.id)).toBe(0);
    const page = await get(t.app, jarOf(old), '/workbench');
    expect(page.statusCode).toBe(302);
    expect(page.headers.location).toMatch(/^\/login/);
    expect((await api(old, 'GET', '/api/v1/me')).statusCode).toBe(401);
    const login = await t.services.identity.login(target.username, 'Initial-pass-2026');
    expect(login.ok ? 'signed in' : login.error.code).toBe('ACCOUNT_DISABLED');
    const anon = cookieJar();
    const loginPage = await formPost(t.app, anon, '/login', { _csrf: await getCsrf(t.app, anon, '/login'), identifier: target.username!, password: 'Initial-pass-2026' });
    expect(loginPage.body).toContain('该账号已停用，请联系管理员。');
    const audit = await t.database.db.selectFrom('audit_events').selectAll().where('action', '=', 'account.disable').where('entity_id', '=', String(target.id)).executeTakeFirstOrThrow();
    expect(audit.actor_label).toBe(`staff:${adminId}`);

    const enabled = await api('admin', 'POST', `/api/v1/staff/${target.id}/enable`);
    expect(enabled.statusCode).toBe(200);
    expect(enabled.json()).toMatchObject({ id: target.id, status: 'active' });
    expect((await t.services.identity.login(target.username, 'Initial-pass-2026')).ok).toBe(true);
  });

  it('refuses to disable one’s own account and the last active system administrator', async () => {
    const csrf = await getCsrf(t.app, jars.admin!, `/staff/admin/users/${adminId}`);
    const page = await formPost(t.app, jars.admin!, `/staff/admin/users/${adminId}/disable`, { _csrf: csrf });
    expect(page.statusCode).toBe(409);
    expect(page.body).toContain('不能停用自己的账号。');
    const byApi = await api('admin', 'POST', `/api/v1/staff/${adminId}/disable`);
    expect([byApi.statusCode, byApi.json().error.code]).toEqual([409, 'CANNOT_DISABLE_SELF']);
    // Only the platform itself could try to disable the one system administrator another administrator cannot be.
    const last = await t.services.identity.setStaffStatus(SYSTEM, adminId, 'disabled');
    expect(last.ok ? 'disabled' : last.error.code).toBe('LAST_SYS_ADMIN');
    expect((await user(adminId)).status).toBe('active');
    // With a second administrator, the first may be disabled by the second.
    const second = await newStaff(['sys_admin']);
    const r = await t.services.identity.setStaffStatus(principalOf(second), adminId, 'disabled');
    expect(r.ok).toBe(true);
    const back = await t.services.identity.setStaffStatus(principalOf(second), adminId, 'active');
    expect(back.ok).toBe(true);
    tokens.admin = await openSession(adminId);
    jars.admin = jarOf(tokens.admin);
    expect((await t.services.identity.setStaffStatus(principalOf(await user(adminId)), second.id, 'disabled')).ok).toBe(true);
  });

  it('sets a new initial password: sessions end, the lock and failure count are cleared, nothing secret in the audit trail', async () => {
    const target = await newStaff();
    const old = await openSession(target.id);
    await t.database.db.updateTable('users').set({ failed_logins: 3, locked_until: new Date(Date.now() + 3600_000) }).where('id', '=', target.id).execute();
    const csrf = await getCsrf(t.app, jars.admin!, `/staff/admin/users/${target.id}`);
    const bad = await formPost(t.app, jars.admin!, `/staff/admin/users/${target.id}/password`, { _csrf: csrf, password: 'weakweakweak', passwordConfirm: 'other-Secret-9' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('密码需包含字母、数字、符号中的至少两种。');
    expect(bad.body).toContain('两次输入的密码不一致。');
    expect(bad.body).not.toContain('weakweakweak');
    expect(bad.body).not.toContain('other-Secret-9');
    expect(await sessionCount(target.id)).toBe(1);

    const res = await formPost(t.app, jars.admin!, `/staff/admin/users/${target.id}/password`, { _csrf: csrf, password: 'Brand-new-2026', passwordConfirm: 'Brand-new-2026' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/staff/admin/users/${target.id}?done=password`);
    expect(await sessionCount(target.id)).toBe(0);
    expect((await api(old, 'GET', '/api/v1/me')).statusCode).toBe(401);
    const u = await user(target.id);
    expect([u.failed_logins, u.locked_until]).toEqual([0, null]);
    expect((await t.services.identity.login(target.username, 'Initial-pass-2026')).ok).toBe(false);
    expect((await t.services.identity.login(target.username, 'Brand-new-2026')).ok).toBe(true);
    const entry = await t.database.db.selectFrom('audit_events').selectAll().where('action', '=', 'account.password.reset').where('entity_id', '=', String(target.id)).executeTakeFirstOrThrow();
    const text = JSON.stringify(entry);
    expect(text).not.toContain('Brand-new-2026');
    expect(text).not.toContain('$argon2');

    const byApi = await api('admin', 'POST', `/api/v1/staff/${target.id}/password`, { password: 'short' });
    expect([byApi.statusCode, byApi.json().error.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect((await api('admin', 'POST', `/api/v1/staff/${target.id}/password`, { password: 'Api-chosen-2026' })).statusCode).toBe(204);
  });

  it('changes roles and department; the signed-in session is checked with the new roles at its next request', async () => {
    const target = await newStaff(['analyst']);
    const session = await openSession(target.id);
    // An analyst may not list staff; a department head may.
    expect((await api(session, 'GET', '/api/v1/staff')).statusCode).toBe(403);
    const csrf = await getCsrf(t.app, jars.admin!, `/staff/admin/users/${target.id}`);
    const bad = await formPost(t.app, jars.admin!, `/staff/admin/users/${target.id}`, { _csrf: csrf, departmentId: '', roles: ['dept_head', 'nobody'] });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('角色须为');
    expect(bad.body).toMatch(/<input type="checkbox" name="roles" value="dept_head" checked>/);
    expect(bad.body).toMatch(/<input type="checkbox" name="roles" value="analyst">/);
    const noDept = await formPost(t.app, jars.admin!, `/staff/admin/users/${target.id}`, { _csrf: csrf, departmentId: '', roles: 'dept_head' });
    expect(noDept.statusCode).toBe(400);
    expect(noDept.body).toContain('经办人员和部门负责人必须属于一个部门。');
    const missing = await api('admin', 'PATCH', `/api/v1/staff/${target.id}`, { roles: ['dept_head'], departmentId: 999999 });
    expect([missing.statusCode, missing.json().error.code]).toEqual([404, 'DEPARTMENT_NOT_FOUND']);
    expect((await user(target.id)).roles).toEqual(['analyst']);

    const res = await formPost(t.app, jars.admin!, `/staff/admin/users/${target.id}`, { _csrf: csrf, departmentId: String(hrss), roles: 'dept_head' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/staff/admin/users/${target.id}?done=updated`);
    expect(await sessionCount(target.id)).toBe(1);
    expect((await api(session, 'GET', '/api/v1/staff')).statusCode).toBe(200);
    const me = await api(session, 'GET', '/api/v1/me');
    expect(me.json()).toMatchObject({ roles: ['dept_head'], departmentId: hrss });

    const back = await api('admin', 'PATCH', `/api/v1/staff/${target.id}`, { roles: ['analyst'], departmentId: null });
    expect(back.statusCode).toBe(200);
    expect(back.json()).toMatchObject({ roles: ['analyst'], departmentId: null });
    expect((await api(session, 'GET', '/api/v1/staff')).statusCode).toBe(403);
  });

  it('keeps the sys_admin role on the last active system administrator', async () => {
    const csrf = await getCsrf(t.app, jars.admin!, `/staff/admin/users/${adminId}`);
    const res = await formPost(t.app, jars.admin!, `/staff/admin/users/${adminId}`, { _csrf: csrf, departmentId: '', roles: 'analyst' });
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain('不能取消其系统管理员角色');
    expect(res.body).toMatch(/<input type="checkbox" name="roles" value="analyst" checked>/);
    const byApi = await api('admin', 'PATCH', `/api/v1/staff/${adminId}`, { roles: ['analyst'], departmentId: null });
    expect([byApi.statusCode, byApi.json().error.code]).toEqual([409, 'LAST_SYS_ADMIN']);
    expect((await user(adminId)).roles).toEqual(['sys_admin']);
  });
});
