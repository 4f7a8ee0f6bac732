import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../src/modules/demo/demo.seed.ts';
import type { MessageClassifier } from '../src/modules/messages/classifier.ts';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';
import { formPost, get, getCsrf, type Jar } from './helpers/http.ts';
import { staffJars } from './helpers/sessions.ts';

/** Everything to the manual queue, predicted 交通运输 (routed to 交通运输局) with low confidence. */
const unsure: MessageClassifier = { classify: () => ({ category: '交通运输', confidence: 0.31 }) };

/**
 * 派发 and 转办 choose no department for the user: the first of the list (A市人民政府) was preselected, so a press
 * without a look sent the ticket to the city government. Dispatch now preselects the department routing suggests
 * (marked 建议); transfer starts at 请选择 and does not offer the holding department; sent without a choice, the form
 * comes back with the error at the field.
 */
describe.each(engines())('dispatch and transfer department choices on %s', (engine) => {
  let t: TestApp;
  const jars: Record<string, Jar> = {};
  let id = 0;
  let depts: { id: number; code: string; name: string }[] = [];
  const dept = (code: string) => depts.find((d) => d.code === code)!;
  const options = (body: string, name: string) => {
    const sel = body.match(new RegExp(`<select id="${name}" name="${name}"[^>]*>([\\s\\S]*?)</select>`))?.[1] ?? '';
    return [...sel.matchAll(/<option value="([^"]*)"( selected)?>([^<]*)<\/option>/g)].map((m) => ({ value: m[1]!, selected: !!m[2], label: m[3]! }));
  };

  beforeAll(async () => {
    t = await createTestApp(engine);
    await seedDemo(t.services);
    t.services.messages.useClassifier(unsure);
    Object.assign(jars, await staffJars(t, ['head', 'supervisor']));
    depts = await t.services.messages.departments();
    const r = await t.services.messages.submit({ kind: 'anonymous' }, { type: '咨询', title: '高铁票乘车区间', content: '自动取票机不能取A市至M4市东的高铁票，窗口也不给取，怎么办？' }, { channel: 'web' });
    expect(r.ok).toBe(true);
    id = r.ok ? r.value.ticketId : 0;
  });
  afterAll(async () => t?.close());

  it('dispatch preselects the suggested department, never the first of the list', async () => {
    const page = await get(t.app, jars.supervisor!, `/staff/messages/${id}`);
    const opts = options(page.body, 'departmentId');
    expect(opts[0]).toEqual({ value: '', selected: false, label: '请选择' });
    expect(opts.filter((o) => o.selected)).toEqual([{ value: String(dept('A-TRANSPORT').id), selected: true, label: `${dept('A-TRANSPORT').name}（建议）` }]);
  });

  it('transfer starts at 请选择 without the holding department; sent without a choice, the error is at the field', async () => {
    const before = await get(t.app, jars.supervisor!, `/staff/messages/${id}`);
    const c = await getCsrf(t.app, jars.supervisor!, `/staff/messages/${id}`);
    const hrss = dept('A-HRSS');
    const sent = await formPost(t.app, jars.supervisor!, `/staff/messages/${id}/act`, { _csrf: c, action: 'dispatch', departmentId: String(hrss.id), version: before.body.match(/name="version" value="(\d+)"/)![1]! });
    expect(sent.statusCode).toBe(303);
    const page = await get(t.app, jars.head!, `/staff/messages/${id}`);
    const opts = options(page.body, 'departmentId');
    expect(opts[0]).toEqual({ value: '', selected: true, label: '请选择' });
    expect(opts.map((o) => o.value)).not.toContain(String(hrss.id));
    expect(opts).toHaveLength(depts.length);
    const version = page.body.match(/name="version" value="(\d+)"/)![1]!;
    const c2 = await getCsrf(t.app, jars.head!, `/staff/messages/${id}`);
    const none = await formPost(t.app, jars.head!, `/staff/messages/${id}/act`, { _csrf: c2, action: 'transfer', departmentId: '', version });
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain('id="departmentId-error"');
    expect(none.body).toContain('请选择部门。');
    const view = await t.services.messages.ticket({ kind: 'system' }, id);
    expect(view.ok && view.value.departmentId).toBe(hrss.id);
  });
});
