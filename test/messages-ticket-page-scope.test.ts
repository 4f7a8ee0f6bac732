import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../src/modules/demo/demo.seed.ts';
import type { MessageClassifier } from '../src/modules/messages/classifier.ts';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';
import { formPost, get, getCsrf, type Jar } from './helpers/http.ts';
import { staffJars } from './helpers/sessions.ts';

/** 社保 → 人社局 (sure); anything else → the manual queue. */
const fakeClassifier: MessageClassifier = {
  classify: ({ title, content }) => (/社保/.test(title + content) ? { category: '劳动和社会保障', confidence: 0.95 } : { category: '城乡建设', confidence: 0.3 }),
};

/** A ticket page's duplicates and its 重办 / 记录回访 fields, by role and holding department. */
describe.each(engines())('messages ticket page scope on %s', (engine) => {
  let t: TestApp;
  const jars: Record<string, Jar> = {};
  const SYSTEM = { kind: 'system' } as const;

  beforeAll(async () => {
    t = await createTestApp(engine);
    await seedDemo(t.services);
    t.services.messages.useClassifier(fakeClassifier);
    Object.assign(jars, await staffJars(t, ['head', 'supervisor']));
  });
  afterAll(async () => t?.close());

  const submit = async (title: string, content: string) => {
    const r = await t.app.inject({ method: 'POST', url: '/api/v1/messages', payload: { type: '咨询', title, content, publishConsent: true } });
    expect(r.statusCode).toBe(201);
    return r.json().ticketId as number;
  };

  it("lists as duplicates only tickets the viewer may open, and offers 合并 only where the merge would be allowed", async () => {
    const a = await submit('社保断缴后怎样补缴养老保险', '社保断缴了半年，新单位入职后养老保险怎样补缴？');
    const b = await submit('社保断缴后如何补缴养老保险', '社保断缴了半年，新单位入职以后养老保险如何补缴？');
    // b moves to another department (the head of 人社局 may neither read it nor merge it).
    const hr = (await t.database.db.selectFrom('message_tickets').select('department_id').where('id', '=', a).executeTakeFirstOrThrow()).department_id;
    const other = (await t.services.messages.departments()).find((d) => d.id !== hr);
    const moved = await t.services.messages.act(SYSTEM, b, 'transfer', { departmentId: other!.id, note: null, reply: null });
    expect(moved.ok).toBe(true);
    expect((await get(t.app, jars.head!, `/staff/messages/${b}`)).statusCode).toBe(403);

    const headPage = (await get(t.app, jars.head!, `/staff/messages/${a}`)).body;
    expect(headPage).not.toContain(`href="/staff/messages/${b}"`);
    expect(headPage).not.toContain(`name="sourceId" value="${b}"`);

    // A supervisor spans departments: sees b and may merge it.
    const supPage = (await get(t.app, jars.supervisor!, `/staff/messages/${a}`)).body;
    expect(supPage).toContain(`href="/staff/messages/${b}"`);
    expect(supPage).toContain(`name="sourceId" value="${b}"`);
  });

  it('shows a refused 重办 error under its own field, with one id="note" on the page, and keeps call-back notes apart', async () => {
    const id = await submit('社保卡丢失后怎样补办', '社保卡丢了，去哪里补办社保卡，需要带什么材料？');
    for (const [action, extra] of [['accept', {}], ['reply', { reply: '您好，可携带身份证到任一社保服务网点补办社保卡。' }]] as const) {
      const r = await t.services.messages.act(SYSTEM, id, action, { note: null, reply: null, ...extra });
      expect(r.ok, action).toBe(true);
    }
    const page = await get(t.app, jars.supervisor!, `/staff/messages/${id}`);
    expect(page.body.split('id="note"').length - 1).toBe(1);
    expect(page.body).toContain('name="callbackNote"');

    const c = await getCsrf(t.app, jars.supervisor!, `/staff/messages/${id}`);
    const refused = await formPost(t.app, jars.supervisor!, `/staff/messages/${id}/act`, { _csrf: c, action: 'reopen', note: '' });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('href="#note"');
    expect(refused.body).toContain('id="note-error"');
    expect(refused.body).toMatch(/id="note-error"[^]*?<textarea id="note" name="note"/);

    const c2 = await getCsrf(t.app, jars.supervisor!, `/staff/messages/${id}`);
    const cb = await formPost(t.app, jars.supervisor!, `/staff/messages/${id}/act`, { _csrf: c2, action: 'callback', rating: '4', callbackNote: '群众表示已补办' });
    expect(cb.statusCode).toBe(303);
    const log = await t.database.db.selectFrom('message_ticket_actions').select(['action', 'note']).where('ticket_id', '=', id).where('action', '=', 'callback').execute();
    expect(log.map((x) => x.note)).toEqual(['群众表示已补办']);
  });
});
