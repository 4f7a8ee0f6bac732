import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CITIZEN, DEMO_STAFF, seedDemo } from '../src/modules/demo/demo.seed.ts';
import { ANONYMOUS, SYSTEM } from '../src/modules/identity/permissions.ts';
import { seedServices } from '../src/modules/onestop/onestop.module.ts';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';
import { cookieJar, formPost, get, getCsrf, type Jar } from './helpers/http.ts';

/** The value in the figures table whose row label starts with `label` (the label may end with a date or a link). */
function figure(body: string, label: string): string {
  const m = new RegExp(`<th scope="row">(?:<a [^>]*>)?${label}[^<]*(?:</a>)?</th><td>([^<]*)</td>`).exec(body);
  if (!m) throw new Error(`no figure ${label}`);
  return m[1]!;
}
const count = (body: string, label: string) => Number(figure(body, label));
/** The count of open warnings of a level (the row of the warnings table). */
function warnings(body: string, levelZh: string): number {
  const m = new RegExp(`<span class="tag [a-z]+">${levelZh}</span></th><td>(\\d+)</td>`).exec(body);
  if (!m) throw new Error(`no warnings row ${levelZh}`);
  return Number(m[1]);
}

describe.each(engines())('leaders\' overview page on %s', (engine) => {
  let t: TestApp;
  const pw = (u: string) => DEMO_STAFF.find((s) => s.username === u)!.password;
  const signIn = async (u: string): Promise<Jar> => {
    const jar = cookieJar();
    const r = await formPost(t.app, jar, '/login', { _csrf: await getCsrf(t.app, jar, '/login'), identifier: u, password: pw(u) });
    expect(r.statusCode).toBe(303);
    return jar;
  };
  let leader: Jar;

  beforeAll(async () => {
    t = await createTestApp(engine);
    await seedDemo(t.services);
    await seedServices(t.services);
    leader = await signIn('leader');
  });
  afterAll(async () => t?.close());

  it('shows the figures to a leader, without personal data, and they follow the data', async () => {
    const before = (await get(t.app, leader, '/leader')).body;
    expect(before).toContain('领导总览');
    expect(before).toContain('/staff/messages');
    const received = count(before, '累计受理');
    const recent = count(before, '近 30 天受理');

    // A citizen message → received +1, and its category appears among the top categories.
    const sub = await t.services.messages.submit(ANONYMOUS, { type: '咨询', title: '领导总览测试诉求', content: '公积金提取需要哪些材料？', contactName: '张三', contactPhone: '13800138000' }, { channel: 'web', category: '住房公积金' });
    expect(sub.ok).toBe(true);
    const after = (await get(t.app, leader, '/leader')).body;
    expect(count(after, '累计受理')).toBe(received + 1);
    expect(count(after, '近 30 天受理')).toBe(recent + 1);
    expect(after).toMatch(/<td>住房公积金<\/td><td>1<\/td>/);
    // Aggregates only: neither the submitter's name nor the phone number nor the message text.
    expect(after).not.toContain('13800138000');
    expect(after).not.toContain('公积金提取需要哪些材料');

    // A case: submitted (this month +1, in progress +1), accepted and made overdue (+1), decided (finished +1, median 0).
    const citizen = (await t.services.identity.login(DEMO_CITIZEN.mobile, DEMO_CITIZEN.password));
    if (!citizen.ok) throw new Error(citizen.error.code);
    const cz = { authorization: `Bearer ${citizen.value.token}` };
    const data = { applicantName: '张三', applicantId: DEMO_CITIZEN.idNumber, mobile: DEMO_CITIZEN.mobile, hukouType: 'urban', jobType: 'partTime', baseLevel: '100', startMonth: '2026-02', bankAccount: '6222020200001111222', pledge: 'true' };
    const c0 = (await get(t.app, leader, '/leader')).body;
    const app = await t.app.inject({ method: 'POST', url: '/api/v1/services/items/A-512B0369200000/applications', headers: cz, payload: { clientToken: 'leader-case-0001', data } });
    expect(app.statusCode).toBe(201);
    const id = app.json().id as number;
    const c1 = (await get(t.app, leader, '/leader')).body;
    expect(count(c1, '本月收件')).toBe(count(c0, '本月收件') + 1);
    expect(count(c1, '近 30 天收件')).toBe(count(c0, '近 30 天收件') + 1);
    expect(count(c1, '在办')).toBe(count(c0, '在办') + 1);
    let v = app.json().version as number;
    const step = async (action: string) => {
      const r = await t.services.onestop.act(SYSTEM, id, { action, version: v });
      if (!r.ok) throw new Error(r.error.code);
      v = r.value.version;
    };
    await step('accept');
    // The overdue figure counts what its link lists: past the promised deadline (legal one still ahead) is overdue
    // but not past the legal time limit; past both counts in both.
    const queueRows = async () => ((await get(t.app, leader, '/services/queue?overdue=1')).body.match(/<td data-label="办件">/g) ?? []).length;
    expect(count(c1, '超期办件')).toBe(await queueRows());
    await sql`update svc_cases set promised_deadline = '2020-01-02', legal_deadline = '2999-12-31' where id = ${id}`.execute(t.services.database.db);
    const c2p = (await get(t.app, leader, '/leader')).body;
    expect(count(c2p, '超期办件')).toBe(count(c0, '超期办件') + 1);
    expect(count(c2p, '其中超过法定时限')).toBe(count(c0, '其中超过法定时限'));
    expect(count(c2p, '超期办件')).toBe(await queueRows());
    await sql`update svc_cases set legal_deadline = '2020-01-02' where id = ${id}`.execute(t.services.database.db);
    const c2 = (await get(t.app, leader, '/leader')).body;
    expect(count(c2, '超期办件')).toBe(count(c0, '超期办件') + 1);
    expect(count(c2, '其中超过法定时限')).toBe(count(c0, '其中超过法定时限') + 1);
    expect(count(c2, '超期办件')).toBe(await queueRows());
    expect(c2).toContain('href="/services/queue?overdue=1"');
    await step('start_review');
    await step('approve');
    const c3 = (await get(t.app, leader, '/leader')).body;
    expect(count(c3, '已办结')).toBe(count(c0, '已办结') + 1);
    expect(count(c3, '在办')).toBe(count(c0, '在办'));
    expect(count(c3, '超期办件')).toBe(count(c0, '超期办件'));
    expect(count(c3, '其中超过法定时限')).toBe(count(c0, '其中超过法定时限'));
    // Accepted and decided the same day: 0 working days (the demo has no other decided case).
    expect(figure(c3, '受理至办结工作日中位数')).toBe('0');

    // A red warning → the red row counts it and links to it.
    const w = await t.services.opinion.raise(SYSTEM, { level: 'red', title: '领导总览测试预警', reason: '测试' });
    if (!w.ok) throw new Error(w.error.code);
    const o1 = (await get(t.app, leader, '/leader')).body;
    expect(warnings(o1, '红色')).toBe(warnings(c3, '红色') + 1);
    expect(o1).toContain(`<a href="/opinion/warnings/${w.value.id}">领导总览测试预警</a>`);
    expect(o1).toContain('/opinion/static/echarts.min.js');
    expect((await get(t.app, leader, '/leader/static/leader-charts.js')).statusCode).toBe(200);
  });

  it('shows open, overdue and answered-on-time figures per department, and they follow the data', async () => {
    const db = t.services.database.db;
    /** The row of a department in the per-department table: open, overdue, on-time share text (0s when absent). */
    const row = (body: string, name: string) => {
      const m = new RegExp(`<tr><th scope="row">${name}</th><td[^>]*>(\\d+)</td><td[^>]*>(\\d+)</td><td[^>]*>([^<]*)</td></tr>`).exec(body);
      return m ? { open: Number(m[1]), late: Number(m[2]), onTime: m[3]! } : { open: 0, late: 0, onTime: '—' };
    };
    const dept = await db.selectFrom('departments').select(['id', 'name']).where('code', '=', 'A-HRSS').executeTakeFirstOrThrow();
    const name = dept.name;
    const b0 = row((await get(t.app, leader, '/leader')).body, name);
    const sub = await t.services.messages.submit(ANONYMOUS, { type: '求助', title: '部门表测试诉求', content: '小区门口路灯坏了一个月，晚上很黑。', contactName: '李四', contactPhone: '13900139000' }, { channel: 'web' });
    if (!sub.ok) throw new Error(sub.error.code);
    const { ticketId } = sub.value;
    // Held by the department (as after a dispatch): its open count +1.
    await sql`update message_tickets set status = 'dispatched', department_id = ${dept.id} where id = ${ticketId}`.execute(db);
    const b1 = row((await get(t.app, leader, '/leader')).body, name);
    expect(b1).toMatchObject({ open: b0.open + 1, late: b0.late });
    // Past its deadline: overdue +1.
    await sql`update message_tickets set deadline = '2020-01-02' where id = ${ticketId}`.execute(db);
    const b2 = row((await get(t.app, leader, '/leader')).body, name);
    expect(b2).toMatchObject({ open: b0.open + 1, late: b0.late + 1 });
    // Answered after the deadline: no longer open or overdue, and the on-time share counts it as late (0 % if it is
    // the department's only answered ticket); answered by the deadline: 100 % in that case.
    await sql`update message_tickets set status = 'replied', replied_at = now() where id = ${ticketId}`.execute(db);
    const b3 = row((await get(t.app, leader, '/leader')).body, name);
    expect(b3).toMatchObject({ open: b0.open, late: b0.late });
    await sql`update message_tickets set deadline = '2999-12-31' where id = ${ticketId}`.execute(db);
    const b4 = row((await get(t.app, leader, '/leader')).body, name);
    if (b0.onTime === '—') {
      expect(b3.onTime).toBe('0%（1 件）');
      expect(b4.onTime).toBe('100%（1 件）');
    } else {
      expect(b4.onTime).not.toBe(b3.onTime);
    }
    const o = await t.services.messages.overview(SYSTEM);
    if (!o.ok) throw new Error(o.error.code);
    expect(o.value.departments.find((d) => d.departmentId === dept.id)).toMatchObject({ name, open: b0.open, late: b0.late });
    expect((await get(t.app, leader, '/leader')).body).not.toContain('13900139000');
  });

  it('renders in English for a leader who chose English', async () => {
    const en = await t.app.inject({ method: 'GET', url: '/leader', cookies: { ...Object.fromEntries(leader), lang: 'en' } });
    expect(en.statusCode).toBe(200);
    expect(en.body).toContain('Overview for leaders');
    expect(en.body).toContain('Median working days, acceptance to decision');
    expect(en.body).toContain('Messages by department');
    expect(en.body).toContain('Human Resources and Social Security Bureau'); // the ticket of the test above
  });

  it('links leaders to it from the workbench', async () => {
    expect((await get(t.app, leader, '/workbench')).body).toContain('href="/leader"');
    expect((await get(t.app, await signIn('clerk'), '/workbench')).body).not.toContain('href="/leader"');
  });

  it('lets supervisors and system administrators in (without links to pages they may not open); refuses a clerk; sends anonymous visitors to sign in', async () => {
    expect((await get(t.app, await signIn('supervisor'), '/leader')).statusCode).toBe(200);
    const admin = await get(t.app, await signIn('admin'), '/leader');
    expect(admin.statusCode).toBe(200);
    expect(admin.body).toContain('累计受理');
    expect(admin.body).not.toContain('href="/staff/messages');
    expect(admin.body).not.toContain('href="/opinion/warnings/');
    for (const u of ['clerk', 'analyst', 'head', 'dataadmin']) expect((await get(t.app, await signIn(u), '/leader')).statusCode, u).toBe(403);
    const anon = await t.app.inject({ method: 'GET', url: '/leader' });
    expect(anon.statusCode).toBe(302);
    expect(anon.headers.location).toBe('/login?next=%2Fleader');
  });

  it('checks the role in the services too, not only on the page', async () => {
    const clerk = { kind: 'staff' as const, id: 1, roles: ['clerk' as const], departmentId: null };
    for (const r of [await t.services.leader.overview(clerk), await t.services.messages.overview(clerk), await t.services.onestop.overview(clerk), await t.services.opinion.overview(clerk)]) {
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('FORBIDDEN');
    }
    expect((await t.services.messages.overview(ANONYMOUS)).ok).toBe(false);
  });

  it('counts every open warning of a level, also beyond the 200 newest it reads for the titles', async () => {
    const before = (await get(t.app, leader, '/leader')).body;
    await sql`insert into opinion_warnings (key, level, kind, title, reason)
      select 'test:many:' || g, 'blue', 'manual', '批量测试预警 ' || g, '测试' from generate_series(1, 205) g`.execute(t.services.database.db);
    const after = (await get(t.app, leader, '/leader')).body;
    expect(warnings(after, '蓝色')).toBe(warnings(before, '蓝色') + 205);
    expect(warnings(after, '红色')).toBe(warnings(before, '红色'));
    expect(after).toContain(`等 ${warnings(before, '蓝色') + 205} 条`);
  });
});
