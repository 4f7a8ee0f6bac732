import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../src/modules/demo/demo.seed.ts';
import { SYSTEM, type Principal, type StaffRole } from '../src/modules/identity/permissions.ts';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';
import { formPost, getCsrf } from './helpers/http.ts';
import { openSession, sessionJar } from './helpers/sessions.ts';

/** Bad input to the 研判 → 回应 → 处理 → 办结 steps: a field error, never a cut text or a database failure. */
describe.each(engines())('opinion warning steps with bad input on %s', (engine) => {
  let t: TestApp;
  let analyst: Principal;
  let clerk: Principal;
  let warningId = 0;

  beforeAll(async () => {
    t = await createTestApp(engine);
    await seedDemo(t.services);
    const staff = async (username: string): Promise<Principal> => {
      const u = await t.database.db.selectFrom('users').select(['id', 'department_id', 'roles']).where('username', '=', username).executeTakeFirstOrThrow();
      return { kind: 'staff', id: u.id, roles: u.roles as StaffRole[], departmentId: u.department_id };
    };
    analyst = await staff('analyst');
    clerk = await staff('clerk');
    const w = await t.services.opinion.raise(SYSTEM, { level: 'orange', title: '某商场无消防手续', reason: '测试' });
    if (!w.ok) throw new Error(w.error.code);
    warningId = w.value.id;
  });
  afterAll(async () => t?.close());

  const fieldsOf = (r: { ok: boolean; error?: { code: string; fields?: { field: string }[] } }) => (r.ok ? [] : [r.error!.code, ...(r.error!.fields ?? []).map((f) => f.field)]);

  it('refuses an over-long assessment, statement and review instead of keeping the first 4000 characters', async () => {
    const long = '事'.repeat(4001);
    expect(fieldsOf(await t.services.opinion.assess(analyst, warningId, { level: 'orange', facts: long, risk: '风险' }))).toEqual(['VALIDATION_FAILED', 'facts']);
    expect((await t.services.opinion.assess(analyst, warningId, { level: 'orange', facts: '事实', risk: '风险' })).ok).toBe(true);
    expect(fieldsOf(await t.services.opinion.respond(analyst, warningId, { statement: long }))).toEqual(['VALIDATION_FAILED', 'statement']);
    expect(fieldsOf(await t.services.opinion.close(analyst, warningId, { review: long }))).toEqual(['VALIDATION_FAILED', 'review']);
    // Nothing of the refused texts was kept.
    const actions = await t.database.db.selectFrom('opinion_actions').select('data').where('warning_id', '=', warningId).execute();
    expect(JSON.stringify(actions)).not.toContain('事事事事');
  });

  it('refuses a warning raised for an unknown department (was 503 INTERNAL) or an unknown hot issue (was kept)', async () => {
    expect(fieldsOf(await t.services.opinion.raise(analyst, { level: 'red', title: '测试', reason: '', departmentId: 99_999 }))).toEqual(['VALIDATION_FAILED', 'departmentId']);
    expect(fieldsOf(await t.services.opinion.raise(analyst, { level: 'red', title: '测试', reason: '', issueId: 99_999 }))).toEqual(['VALIDATION_FAILED', 'issueId']);
    const dept = clerk.kind === 'staff' ? clerk.departmentId! : 0;
    expect((await t.services.opinion.raise(analyst, { level: 'red', title: '测试', reason: '', departmentId: dept })).ok).toBe(true);
  });

  it('answers an unknown department of a task with a field error (was a database error, 503 INTERNAL)', async () => {
    expect(fieldsOf(await t.services.opinion.assignTask(analyst, warningId, { departmentId: 99_999, description: '核查', workingDays: 3 }))).toEqual(['VALIDATION_FAILED', 'departmentId']);
    const dept = clerk.kind === 'staff' ? clerk.departmentId! : 0;
    const task = await t.services.opinion.assignTask(analyst, warningId, { departmentId: dept, description: '核查消防手续', workingDays: 3 });
    expect(task.ok).toBe(true);
    if (!task.ok) return;
    expect(fieldsOf(await t.services.opinion.completeTask(clerk, task.value.taskId, { result: '结'.repeat(4001) }))).toEqual(['VALIDATION_FAILED', 'result']);
  });

  it('shows the warning page again with the error and the typed result when a department report is refused', async () => {
    const dept = clerk.kind === 'staff' ? clerk.departmentId! : 0;
    const task = await t.services.opinion.assignTask(analyst, warningId, { departmentId: dept, description: '复核整改情况', workingDays: 5 });
    if (!task.ok) throw new Error(task.error.code);
    const jar = sessionJar(await openSession(t, { userId: clerk.kind === 'staff' ? clerk.id : 0 }));
    const url = `/opinion/warnings/${warningId}`;
    const typedResult = `已复核，整改到位。${'详'.repeat(4000)}`;
    const res = await formPost(t.app, jar, `/opinion/tasks/${task.value.taskId}/done`, { _csrf: await getCsrf(t.app, jar, url), warning: String(warningId), result: typedResult });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('error-summary');
    expect(res.body).toContain(`href="#result-${task.value.taskId}"`);
    expect(res.body).toContain(typedResult);
    const blank = await formPost(t.app, jar, `/opinion/tasks/${task.value.taskId}/done`, { _csrf: await getCsrf(t.app, jar, url), warning: String(warningId), result: '   ' });
    expect(blank.statusCode).toBe(400);
    expect(blank.body).toContain('请填写办理结果');
    expect(blank.body).toContain(`action="/opinion/tasks/${task.value.taskId}/done"`);
  });
});
