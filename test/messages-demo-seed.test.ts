import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CITIZEN, seedDemo } from '../src/modules/demo/demo.seed.ts';
import { SYSTEM } from '../src/modules/identity/permissions.ts';
import { DEMO_TICKETS, seedMessagesDemo } from '../src/modules/messages/messages.seed.ts';
import { escapeHtml } from '../src/web/html.ts';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';
import { get } from './helpers/http.ts';
import { openSession, sessionJar, staffJars } from './helpers/sessions.ts';

describe.each(engines())('demo 网络问政 tickets on %s', (engine) => {
  let t: TestApp;
  let hrss = 0;
  beforeAll(async () => {
    t = await createTestApp(engine, { YIWANG_DEMO: 'true' });
    await seedDemo(t.services);
    hrss = (await t.services.identity.departments()).find((d) => d.code === 'A-HRSS')!.id;
  }, 60_000);
  afterAll(async () => t?.close());

  const allTickets = async () => {
    const r = await t.services.messages.list(SYSTEM, { limit: 200 });
    if (!r.ok) throw new Error(r.error.code);
    return r.value;
  };

  it('is not seeded without the demo setting', async () => {
    const plain = await createTestApp(engine);
    try {
      await seedDemo(plain.services);
      expect(await seedMessagesDemo(plain.services)).toEqual({ created: 0, steps: 0 });
      const r = await plain.services.messages.list(SYSTEM, { limit: 10 });
      expect(r.ok && r.value.length).toBe(0);
    } finally {
      await plain.close();
    }
  }, 60_000);

  it('seeds tickets in every state through the service, and a second run adds nothing', async () => {
    const first = await seedMessagesDemo(t.services);
    expect(first.created).toBe(DEMO_TICKETS.length);
    const tickets = await allTickets();
    expect(tickets).toHaveLength(DEMO_TICKETS.length);
    const mine = tickets.filter((x) => x.departmentId === hrss);
    expect(tickets.some((x) => x.inQueue)).toBe(true);
    expect(mine.some((x) => x.status === 'dispatched')).toBe(true);
    expect(mine.filter((x) => x.status === 'in_progress').length).toBeGreaterThanOrEqual(2);
    expect(tickets.some((x) => x.departmentId !== null && x.departmentId !== hrss)).toBe(true);
    // One replied with a published reply (personal data redacted), one closed after a call-back with a rating.
    const replied = tickets.find((x) => x.status === 'replied')!;
    const view = await t.services.messages.ticket(SYSTEM, replied.id);
    expect(view.ok && view.value.replyPublic).toContain('感谢您的来信');
    expect(view.ok && view.value.replyPublic).not.toContain('88886666');
    const closed = tickets.find((x) => x.status === 'closed')!;
    expect(closed.rating).toBe(5);
    const closedView = await t.services.messages.ticket(SYSTEM, closed.id);
    expect(closedView.ok && closedView.value.actions.map((a) => a.action)).toEqual(['receive', 'dispatch', 'accept', 'reply', 'callback']);
    // One past its time limit and escalated (督办), still open at 人社局.
    const late = tickets.filter((x) => x.escalated);
    expect(late).toHaveLength(1);
    expect(late[0]!.clock).toBe('red');
    expect(late[0]!.departmentId).toBe(hrss);
    // Two complaints about the same mixing plant: a likely duplicate.
    const plant = tickets.filter((x) => x.title.includes('丽发'));
    expect(plant).toHaveLength(2);
    const similar = await t.services.messages.similar(SYSTEM, plant[0]!.id);
    expect(similar.ok && similar.value.map((s) => s.ticketId)).toContain(plant[1]!.id);
    // The audit trail has every submission.
    const audited = await t.database.db.selectFrom('audit_events').select((eb) => eb.fn.countAll<string>().as('n')).where('action', '=', 'message.submit').executeTakeFirstOrThrow();
    expect(Number(audited.n)).toBe(DEMO_TICKETS.length);

    const again = await seedMessagesDemo(t.services);
    expect(again).toEqual({ created: 0, steps: 0 });
    const after = await allTickets();
    expect(after.map((x) => [x.id, x.status, x.version])).toEqual(tickets.map((x) => [x.id, x.status, x.version]));
  }, 60_000);

  it("shows the 人社局 tickets on the clerk's workbench and 张三's own messages to him", async () => {
    const jars = await staffJars(t, ['clerk']);
    const workbench = (await get(t.app, jars.clerk!, '/workbench')).body;
    const mine = (await allTickets()).filter((x) => x.departmentId === hrss && ['dispatched', 'in_progress'].includes(x.status));
    expect(mine.length).toBeGreaterThanOrEqual(4);
    for (const x of mine) expect(workbench).toContain(`/staff/messages/${x.id}`);
    expect(workbench).toContain('【待签收】');

    const citizenId = (await t.database.db.selectFrom('users').select('id').where('mobile', '=', DEMO_CITIZEN.mobile).executeTakeFirstOrThrow()).id;
    const own = await t.services.messages.mine({ kind: 'citizen', id: citizenId });
    expect(own.ok && own.value.length).toBe(DEMO_TICKETS.filter((d) => d.citizen).length);
    expect(own.ok && own.value.some((m) => m.status === 'replied')).toBe(true);
    const page = await get(t.app, sessionJar(await openSession(t, { mobile: DEMO_CITIZEN.mobile })), '/messages/mine');
    expect(page.statusCode).toBe(200);
    for (const m of own.ok ? own.value : []) expect(page.body).toContain(escapeHtml(m.title));
  }, 60_000);
});
