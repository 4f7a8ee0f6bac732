import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../src/modules/demo/demo.seed.ts';
import { ANONYMOUS, SYSTEM } from '../src/modules/identity/permissions.ts';
import { MessagesService } from '../src/modules/messages/messages.service.ts';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';

/** China time `YYYY-MM-DD HH:MM` as an instant. */
const at = (s: string) => new Date(`${s.replace(' ', 'T')}:00+08:00`);

/**
 * Time limits in working days on the shipped calendar across the 2026 中秋 and 国庆 holidays and their 调休 working
 * days (2026-09-20 Sunday and 2026-10-10 Saturday are working days; 09-25..27 and 10-01..07 are off). Counting starts
 * the day after receipt. A ticket due before a holiday is not late during it; it turns red and is escalated on the
 * first working day after its deadline.
 */
describe.each(engines())('message time limits across holidays on %s', (engine) => {
  let t: TestApp;
  let now = at('2026-09-19 10:00');
  let svc: MessagesService;

  beforeAll(async () => {
    t = await createTestApp(engine);
    await seedDemo(t.services);
    svc = new MessagesService(t.database.db, t.services.audit, { allowAnonymous: true, now: () => now });
  });
  afterAll(async () => t?.close());

  const submit = async (when: string, type: string) => {
    now = at(when);
    const r = await svc.submit(ANONYMOUS, { type, title: '社保卡补办', content: '社保卡丢了怎么补办？' }, { channel: 'api' });
    if (!r.ok) throw new Error(r.error.code);
    return r.value;
  };

  it.each([
    ['2026-09-19 10:00', '咨询', '2026-09-22'], // Sat: the 调休 Sunday 09-20 counts, then Mon, Tue
    ['2026-09-23 10:00', '咨询', '2026-09-29'], // Wed: Thu, (中秋 Fri–Sun), Mon, Tue
    ['2026-09-29 10:00', '求助', '2026-10-09'], // Tue: Wed 09-30, (国庆 10-01..07), Thu, Fri
    ['2026-09-29 10:00', '投诉', '2026-10-22'], // 13: 09-30, 10-08, 09, the 调休 Saturday 10-10, 12–16, 19–22
    ['2026-12-31 18:00', '建议', '2027-01-19'], // into a year the calendar does not cover: weekends only
  ])('received %s, %s → due %s', async (when, type, due) => {
    expect((await submit(when, type)).deadline).toBe(due);
  });

  it('a ticket due on 10-09 is not late during the holiday, and turns red and is escalated on the working Saturday 10-10', async () => {
    const o = await submit('2026-09-29 11:00', '咨询');
    expect(o.deadline).toBe('2026-10-09');
    now = at('2026-10-05 12:00');
    await svc.escalateOverdue();
    let v = await svc.ticket(SYSTEM, o.ticketId);
    expect(v.ok && v.value.escalated).toBe(false);
    expect(v.ok && v.value.clock).not.toBe('red');
    now = at('2026-10-10 09:00');
    await svc.escalateOverdue();
    v = await svc.ticket(SYSTEM, o.ticketId);
    expect(v.ok && v.value.escalated).toBe(true);
    expect(v.ok && v.value.clock).toBe('red');
  });
});
