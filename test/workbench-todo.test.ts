import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../src/modules/demo/demo.seed.ts';
import { SYSTEM } from '../src/modules/identity/permissions.ts';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';
import { get, type Jar, withoutLangMarks } from './helpers/http.ts';
import { staffJars } from './helpers/sessions.ts';

/**
 * The workbench to-do list: English lines on English pages (they stayed Chinese: 【待分派】, 舆情处置任务, 网络问政), and an
 * opinion task's deadline coloured by the messages' time-limit rule (it was amber whatever its deadline).
 */
describe.each(engines())('workbench to-do lines on %s', (engine) => {
  let t: TestApp;
  const jars: Record<string, Jar> = {};
  const rows = (body: string) => [...withoutLangMarks(body).matchAll(/<tr><td><a href="[^"]*">([^<]*)<\/a><\/td><td data-label="[^"]*">([^<]*)<\/td><td data-label="[^"]*">(?:<span class="tag ([a-z]*)">)?/g)].map((m) => ({ title: m[1]!, module: m[2]!, colour: m[3] ?? '' }));

  beforeAll(async () => {
    t = await createTestApp(engine);
    await seedDemo(t.services);
    Object.assign(jars, await staffJars(t, ['clerk']));
    // A message (the demo routes its category to the clerk's department: 【待签收】 there), and two opinion tasks for the
    // clerk's department: one due in 10 working days, one on the next working day.
    const m = await t.app.inject({ method: 'POST', url: '/api/v1/messages', payload: { type: '咨询', title: '社保断缴后如何补缴养老保险', content: '社保断缴了三个月，重新就业后养老保险怎么补缴？', publishConsent: true } });
    expect(m.statusCode).toBe(201);
    const clerk = await t.database.db.selectFrom('users').select('department_id').where('username', '=', 'clerk').executeTakeFirstOrThrow();
    const w = await t.services.opinion.raise(SYSTEM, { level: 'blue', title: 'A3区垃圾站臭味', reason: '测试' });
    if (!w.ok) throw new Error(w.error.code);
    expect((await t.services.opinion.assess(SYSTEM, w.value.id, { level: 'blue', facts: '垃圾站臭味', risk: '低' })).ok).toBe(true);
    for (const [description, workingDays] of [['清运垃圾站，十个工作日', 10], ['明天前答复住户', 1]] as const) {
      const r = await t.services.opinion.assignTask(SYSTEM, w.value.id, { departmentId: clerk.department_id, description, workingDays });
      expect(r.ok, JSON.stringify(r)).toBe(true);
    }
  });
  afterAll(async () => t?.close());

  it('colours an opinion task by its deadline: green with ten working days left, amber on the last one', async () => {
    const list = rows((await get(t.app, jars.clerk!, '/workbench')).body);
    expect(list.find((r) => r.title.includes('清运垃圾站'))?.colour).toBe('green');
    expect(list.find((r) => r.title.includes('明天前答复住户'))?.colour).toBe('amber');
  });

  it('shows the lines in English on English pages and in Chinese on Chinese ones', async () => {
    const zh = rows((await get(t.app, jars.clerk!, '/workbench')).body);
    expect(zh.find((r) => r.title.includes('清运垃圾站'))).toMatchObject({ title: '舆情处置任务：清运垃圾站，十个工作日', module: '舆情监测' });
    const clerkEn = new Map(jars.clerk!);
    clerkEn.set('lang', 'en');
    const en = rows((await get(t.app, clerkEn, '/workbench')).body);
    expect(en.find((r) => r.title.includes('清运垃圾站'))).toMatchObject({ title: 'Public-opinion task: 清运垃圾站，十个工作日', module: 'Public opinion' });
    expect(zh.find((r) => r.title.includes('社保断缴'))).toMatchObject({ title: '【待签收】社保断缴后如何补缴养老保险', module: '网络问政' });
    expect(en.find((r) => r.title.includes('社保断缴'))).toMatchObject({ title: '[To sign for] 社保断缴后如何补缴养老保险', module: 'Citizen messages' });
    // Apart from what people typed (the subject, the task), nothing Chinese is left on the English lines.
    for (const r of en) expect(`${r.title.replace(/[^\x00-\x7f]+.*$/, '')}${r.module}`, r.title).not.toMatch(/[\u4e00-\u9fff【】]/);
  });
});
