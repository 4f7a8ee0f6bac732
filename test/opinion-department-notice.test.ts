import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../src/modules/demo/demo.seed.ts';
import { SYSTEM, type Principal } from '../src/modules/identity/permissions.ts';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';
import { get } from './helpers/http.ts';
import { openSession, sessionJar } from './helpers/sessions.ts';

/**
 * Early warning notifies "the analysts and the responsible department". A warning routed to a department (by the
 * classifier, or raised by hand with one) wrote a department notification row that nothing ever showed: the
 * department's staff heard of it only once a task was assigned. Their workbench now lists it until it is closed.
 */
describe.each(engines())('the responsible department hears of a warning on %s', (engine) => {
  let t: TestApp;
  let hrss = 0;
  let other = 0;
  const staff = (departmentId: number, role: 'clerk' | 'dept_head'): Principal => ({ kind: 'staff', id: 1, roles: [role], departmentId });

  beforeAll(async () => {
    t = await createTestApp(engine);
    await seedDemo(t.services);
    const depts = await t.services.database.db.selectFrom('departments').select(['id', 'name']).orderBy('id').execute();
    hrss = depts.find((d) => d.name === 'A市人力资源和社会保障局')!.id;
    other = depts.find((d) => d.id !== hrss)!.id;
  });
  afterAll(async () => t?.close());

  it('on the workbench of its staff until the warning is closed, and not on another department\'s', async () => {
    const r = await t.services.opinion.raise(SYSTEM, { key: 'dept-notice-1', level: 'orange', title: 'A3区某企业拖欠农民工工资引发聚集', reason: '紧急线索（人员聚集）', departmentId: hrss });
    if (!r.ok) throw new Error(r.error.code);
    const href = `/opinion/warnings/${r.value.id}`;
    for (const role of ['clerk', 'dept_head'] as const) {
      const todo = await t.services.opinion.todo(staff(hrss, role));
      expect(todo).toContainEqual(expect.objectContaining({ href, title: '舆情预警（橙色）：A3区某企业拖欠农民工工资引发聚集', titleEn: expect.stringContaining('Opinion warning (Orange)') }));
    }
    expect((await t.services.opinion.todo(staff(other, 'clerk'))).some((x) => x.href === href)).toBe(false);

    // The clerk opens it from the workbench page.
    const jar = sessionJar(await openSession(t, { username: 'clerk' }));
    const bench = await get(t.app, jar, '/workbench');
    expect(bench.body).toContain(`href="${href}"`);
    expect((await get(t.app, jar, href)).statusCode).toBe(200);

    // Closed (研判, then 办结): off the list.
    const analyst: Principal = { kind: 'staff', id: 1, roles: ['analyst'], departmentId: null };
    expect((await t.services.opinion.assess(analyst, r.value.id, { level: 'orange', facts: '约三十人聚集', risk: '中' })).ok).toBe(true);
    expect((await t.services.opinion.close(analyst, r.value.id, { review: '已协调支付' })).ok).toBe(true);
    expect((await t.services.opinion.todo(staff(hrss, 'clerk'))).some((x) => x.href === href)).toBe(false);
  });
});
