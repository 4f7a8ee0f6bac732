import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../src/db/tx.ts';
import { chinaDateTime } from '../src/lib/calendar/date.ts';
import { seedDemo } from '../src/modules/demo/demo.seed.ts';
import { principalOf } from '../src/modules/identity/identity.service.ts';
import type { Principal } from '../src/modules/identity/permissions.ts';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';
import { cookieJar, formPost, get, getCsrf, type Jar } from './helpers/http.ts';
import { openSession, sessionJar } from './helpers/sessions.ts';

const PAGES = ['/staff/admin/users', '/staff/admin/departments', '/staff/admin/audit'];
const OTHERS = ['clerk', 'head', 'citizen'] as const;

/** The system administrator's pages: staff accounts, departments, the audit trail. */
describe.each(engines())('administrator pages on %s', (engine) => {
  let t: TestApp;
  const jars: Record<string, Jar> = {};
  const principals: Record<string, Principal> = {};
  let hrss = 0;

  beforeAll(async () => {
    t = await createTestApp(engine);
    await seedDemo(t.services);
    // Sessions opened directly (the login, with its slow password hash, is tested in identity.test.ts).
    for (const who of ['admin', 'clerk', 'head', 'supervisor', 'citizen']) {
      const u = await t.database.db.selectFrom('users').selectAll()
        .where(who === 'citizen' ? 'mobile' : 'username', '=', who === 'citizen' ? '13800138000' : who).executeTakeFirstOrThrow();
      jars[who] = sessionJar(await openSession(t, { userId: u.id }));
      principals[who] = principalOf(u);
    }
    hrss = (await t.database.db.selectFrom('departments').select('id').where('code', '=', 'A-HRSS').executeTakeFirstOrThrow()).id;
  });
  afterAll(async () => t?.close());

  const staffCount = async () => Number((await t.database.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).where('kind', '=', 'staff').executeTakeFirstOrThrow()).n);

  it('links the pages from the administrator’s workbench only', async () => {
    const admin = (await get(t.app, jars.admin!, '/workbench')).body;
    for (const href of PAGES) expect(admin).toContain(`href="${href}"`);
    expect(admin).toContain('系统管理');
    for (const who of ['clerk', 'head']) {
      const body = (await get(t.app, jars[who]!, '/workbench')).body;
      for (const href of PAGES) expect(body, `${who} ${href}`).not.toContain(href);
    }
    // A supervisor (督办) reads the trail: the audit page only, read-only.
    const supervisor = (await get(t.app, jars.supervisor!, '/workbench')).body;
    expect(supervisor).toContain('href="/staff/admin/audit"');
    expect(supervisor).toContain('审计记录（只读）');
    expect(supervisor).not.toContain('href="/staff/admin/users"');
    expect(supervisor).not.toContain('href="/staff/admin/departments"');
  });

  it('shows a supervisor the audit entries read-only, without the verification or the administrator’s links', async () => {
    const res = await get(t.app, jars.supervisor!, '/staff/admin/audit');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<h1>审计记录</h1>');
    expect(res.body).toContain('审计链的完整性由系统管理员核验');
    expect(res.body).not.toContain('核验结果');
    expect(res.body).not.toContain('href="/staff/admin/users"');
    expect(res.body).toContain('<code>account.register</code>');
    // Masked as for the administrator: no mobile number or ID number in the page.
    expect(res.body).not.toContain('13800138000');
    for (const url of ['/staff/admin/users', '/staff/admin/departments']) expect((await get(t.app, jars.supervisor!, url)).statusCode, url).toBe(403);
    const en = await t.app.inject({ url: '/staff/admin/audit', cookies: { ...Object.fromEntries(jars.supervisor!), lang: 'en' } });
    expect(en.body).toContain('<h1>Audit trail</h1>');
  });

  it('checks the role in the services: only the administrator lists accounts, departments and audit entries', async () => {
    const { identity, audit, database } = t.services;
    for (const who of [...OTHERS, 'supervisor']) {
      const p = principals[who]!;
      expect((await identity.staffAdmin(p)).ok, who).toBe(false);
      expect((await identity.departmentAdmin(p)).ok, who).toBe(false);
      expect((await audit.verifyAs(database.db, p)).ok, who).toBe(false);
      const created = await identity.createStaff(p, { username: `x${who}`, displayName: '某人', roles: ['analyst'], password: 'Some-pass-2026' });
      expect(created.ok ? 'created' : created.error.code, who).toBe('FORBIDDEN');
    }
    for (const who of OTHERS) expect((await audit.latestAs(database.db, principals[who]!)).ok, who).toBe(false);
    const list = await identity.staffAdmin(principals.admin!);
    expect(list.ok && list.value.staff.map((s) => s.username)).toEqual(expect.arrayContaining(['clerk', 'head', 'admin']));
    expect(list.ok && list.value.departments.some((d) => d.code === 'A-HRSS')).toBe(true);
    const latest = await audit.latestAs(database.db, principals.admin!, 5);
    expect(latest.ok && latest.value.length).toBe(5);
  });

  it('reports every problem of a staff form at once, the taken username and the missing department included', async () => {
    const r = await t.services.identity.createStaff(principals.admin!, { username: 'clerk', displayName: '', roles: [], password: 'short', departmentId: 999999 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('VALIDATION_FAILED');
    expect(r.error.fields?.map((f) => f.field).sort()).toEqual(['departmentId', 'displayName', 'password', 'roles', 'username']);
    expect(r.error.fields?.find((f) => f.field === 'username')?.message).toBe('该用户名已被使用。');
    // With the form itself valid, the API keeps its codes, naming both problems.
    const both = await t.services.identity.createStaff(principals.admin!, { username: 'clerk', displayName: '某人', roles: ['analyst'], password: 'Some-pass-2026', departmentId: 999999 });
    expect(both.ok ? 'created' : both.error.code).toBe('DEPARTMENT_NOT_FOUND');
    expect(both.ok ? [] : both.error.fields?.map((f) => f.field)).toEqual(['departmentId', 'username']);
  });

  it('lists staff accounts with Chinese role names and creates one from the form', async () => {
    const page = await get(t.app, jars.admin!, '/staff/admin/users');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<code>clerk</code>');
    expect(page.body).toContain('窗口/业务经办人员');
    expect(page.body).toContain('A市人力资源和社会保障局');
    expect(page.body).toMatch(/<input type="checkbox" name="roles" value="sys_admin">\s*系统管理员/);
    const csrf = await getCsrf(t.app, jars.admin!, '/staff/admin/users');
    const res = await formPost(t.app, jars.admin!, '/staff/admin/users', {
      _csrf: csrf, username: 'newclerk', displayName: '陈新人', departmentId: String(hrss), roles: ['clerk', 'analyst'], password: 'Newclerk-2026',
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/staff/admin/users?created=newclerk');
    const u = await t.database.db.selectFrom('users').selectAll().where('username', '=', 'newclerk').executeTakeFirstOrThrow();
    expect([u.display_name, u.department_id, [...u.roles].sort()]).toEqual(['陈新人', hrss, ['analyst', 'clerk']]);
    const after = await get(t.app, jars.admin!, res.headers.location as string);
    expect(after.body).toContain('账号 newclerk 已创建。');
    expect(after.body).toContain('<code>newclerk</code>');
  });

  it('shows every error of a bad staff form, keeps what was typed except the password', async () => {
    const before = await staffCount();
    const csrf = await getCsrf(t.app, jars.admin!, '/staff/admin/users');
    const res = await formPost(t.app, jars.admin!, '/staff/admin/users', {
      _csrf: csrf, username: 'clerk', displayName: '重名者', departmentId: '', roles: 'dept_head', password: 'abcdefgh-secret',
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('提交的内容有问题');
    expect(res.body).toContain('该用户名已被使用。');
    expect(res.body).toContain('经办人员和部门负责人必须属于一个部门。');
    expect(res.body).toMatch(/id="username"[^>]* value="clerk"/);
    expect(res.body).toMatch(/id="displayName"[^>]* value="重名者"/);
    expect(res.body).toMatch(/<input type="checkbox" name="roles" value="dept_head" checked>/);
    expect(res.body).not.toContain('abcdefgh-secret');
    expect(await staffCount()).toBe(before);

    // A department number beyond the column's range is the form's error, not the database's (was a bare 400 page).
    const huge = await formPost(t.app, jars.admin!, '/staff/admin/users', {
      _csrf: csrf, username: 'hugeone', displayName: '大编号', departmentId: '99999999999999999999', roles: 'analyst', password: 'Huge-dept-2026',
    });
    expect(huge.statusCode).toBe(400);
    expect(huge.body).toContain('部门编号不正确。');
    expect(huge.body).toMatch(/id="username"[^>]* value="hugeone"/);
    const hugeParent = await formPost(t.app, jars.admin!, '/staff/admin/departments', { _csrf: csrf, code: 'HUGE', name: '大编号局', parentId: '3000000000' });
    expect(hugeParent.statusCode).toBe(400);
    expect(hugeParent.body).toContain('上级部门编号不正确。');

    const weak = await formPost(t.app, jars.admin!, '/staff/admin/users', {
      _csrf: csrf, username: 'weakone', displayName: '弱密码', departmentId: String(hrss), password: 'abcdefgh',
    });
    expect(weak.statusCode).toBe(400);
    expect(weak.body).toContain('密码需包含字母、数字、符号中的至少两种。');
    expect(weak.body).toContain('请至少选择一个角色。');
    expect(weak.body).toMatch(new RegExp(`<option value="${hrss}" selected>`));
    expect(await staffCount()).toBe(before);
  });

  it('gives the errors in English on the English pages', async () => {
    const jar: Jar = new Map(jars.admin!);
    jar.set('lang', 'en');
    const csrf = await getCsrf(t.app, jar, '/staff/admin/users');
    const res = await formPost(t.app, jar, '/staff/admin/users', { _csrf: csrf, username: 'clerk', displayName: 'X', roles: 'analyst', password: 'short' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('This username is taken.');
    expect(res.body).toContain('The password needs at least 8 characters.');
    expect(res.body).toContain('Staff accounts');
  });

  it('lists departments and creates one; a bad form shows all its errors with the values kept', async () => {
    const page = await get(t.app, jars.admin!, '/staff/admin/departments');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<code>A-HRSS</code>');
    const csrf = await getCsrf(t.app, jars.admin!, '/staff/admin/departments');
    const bad = await formPost(t.app, jars.admin!, '/staff/admin/departments', { _csrf: csrf, code: 'A-HRSS', name: '', nameEn: 'Kept English name', parentId: String(hrss) });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('部门编码已存在。');
    expect(bad.body).toContain('请填写部门名称（100 字以内）。');
    expect(bad.body).toMatch(/id="code"[^>]* value="A-HRSS"/);
    expect(bad.body).toMatch(/id="nameEn"[^>]* value="Kept English name"/);
    expect(bad.body).toMatch(new RegExp(`<option value="${hrss}" selected>`));
    const res = await formPost(t.app, jars.admin!, '/staff/admin/departments', { _csrf: csrf, code: 'A-HRSS-JOB', name: '就业服务中心', nameEn: 'Employment Service Centre', parentId: String(hrss) });
    expect(res.statusCode).toBe(303);
    const d = await t.database.db.selectFrom('departments').selectAll().where('code', '=', 'A-HRSS-JOB').executeTakeFirstOrThrow();
    expect([d.name, d.name_en, d.parent_id]).toEqual(['就业服务中心', 'Employment Service Centre', hrss]);
    expect((await get(t.app, jars.admin!, '/staff/admin/departments')).body).toContain('就业服务中心');
  });

  it('gives 403 to a clerk, a department head and a citizen on every page and post; anonymous visitors are sent to log in', async () => {
    const before = await staffCount();
    for (const who of OTHERS) {
      for (const url of PAGES) expect((await get(t.app, jars[who]!, url)).statusCode, `${who} ${url}`).toBe(403);
      // A page of theirs gives them a valid CSRF token, so the 403 comes from the role check.
      const csrf = await getCsrf(t.app, jars[who]!, '/me');
      const s = await formPost(t.app, jars[who]!, '/staff/admin/users', { _csrf: csrf, username: `by${who}`, displayName: '越权', roles: 'sys_admin', password: 'Forbidden-2026' });
      expect(s.statusCode, who).toBe(403);
      expect(s.body).toContain('FORBIDDEN');
      const d = await formPost(t.app, jars[who]!, '/staff/admin/departments', { _csrf: csrf, code: `BY-${who}`, name: '越权局' });
      expect(d.statusCode, who).toBe(403);
    }
    expect(await staffCount()).toBe(before);
    expect(await t.database.db.selectFrom('departments').select('id').where('code', 'like', 'BY-%').execute()).toEqual([]);
    const anon = await get(t.app, cookieJar(), '/staff/admin/users');
    expect(anon.statusCode).toBe(302);
    expect(anon.headers.location).toBe('/login?next=%2Fstaff%2Fadmin%2Fusers');
  });

  it('refuses a post without the CSRF token', async () => {
    const before = await staffCount();
    const res = await formPost(t.app, jars.admin!, '/staff/admin/users', { username: 'nocsrf', displayName: '无令牌', roles: 'analyst', password: 'Nocsrf-2026' });
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('CSRF_INVALID');
    const dept = await formPost(t.app, jars.admin!, '/staff/admin/departments', { code: 'NO-CSRF', name: '无令牌局' });
    expect(dept.statusCode).toBe(403);
    expect(await staffCount()).toBe(before);
  });

  it('verifies the audit chain and lists the latest 50 entries in China time; a tampered entry is named', async () => {
    // More entries than the page shows.
    await inTransaction(t.database.db, async (tx) => {
      for (let i = 0; i < 60; i++) await t.services.audit.record(tx, { actor: { id: null, label: 'system' }, action: 'probe', entity: 'test', entityId: i });
    });
    await t.services.audit.seal(t.database.db);
    const page = await get(t.app, jars.admin!, '/staff/admin/audit');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('审计链完好。');
    expect(page.body).toMatch(/已封存并核验 \d+ 条记录/);
    const rows = page.body.match(/<tr><td><time/g) ?? [];
    expect(rows.length).toBe(50);
    const newest = await t.database.db.selectFrom('audit_events').selectAll().orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(page.body).toContain(`<time datetime="${newest.at.toISOString()}">${chinaDateTime(newest.at)}</time>`);
    expect(page.body).toContain(`<code>${newest.action}</code>`);
    expect(page.body).not.toContain(newest.content_hash);

    const victim = await t.database.db.selectFrom('audit_events').select(['id', 'seq']).where('seq', 'is not', null).orderBy('seq').limit(1).offset(2).executeTakeFirstOrThrow();
    await sql`alter table audit_events disable trigger audit_events_append_only`.execute(t.database.db);
    await sql`update audit_events set action = 'tampered' where id = ${victim.id}`.execute(t.database.db);
    await sql`alter table audit_events enable trigger audit_events_append_only`.execute(t.database.db);
    const broken = await get(t.app, jars.admin!, '/staff/admin/audit');
    expect(broken.statusCode).toBe(200);
    expect(broken.body).toContain('审计链有问题');
    expect(broken.body).toContain(`记录 id ${victim.id}（序号 ${victim.seq}）已被篡改`);
    const en: Jar = new Map(jars.admin!);
    en.set('lang', 'en');
    expect((await get(t.app, en, '/staff/admin/audit')).body).toContain(`entry id ${victim.id} (seq ${victim.seq}) was altered`);
  });
});
