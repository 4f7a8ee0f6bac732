import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addedHolidayRows } from '../src/db/holidays.ts';
import { CalendarSource } from '../src/lib/calendar/index.ts';
import { seedDemo } from '../src/modules/demo/demo.seed.ts';
import type { RequestView } from '../src/modules/disclosure/disclosure.service.ts';
import { ANONYMOUS } from '../src/modules/identity/permissions.ts';
import { MessagesService } from '../src/modules/messages/messages.service.ts';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';
import { openSession } from './helpers/sessions.ts';

/** China time `YYYY-MM-DD HH:MM` as an instant. */
const at = (s: string) => new Date(`${s.replace(' ', 'T')}:00+08:00`);

/**
 * A holiday year an administrator adds (PUT /api/v1/services/holidays/:year) counts in every module's working-day
 * clock, not only one-stop's: a made-up 2031 with Wednesday 2031-03-12 off moves a citizen message's deadline and a
 * disclosure request's 20-working-day deadline by one working day. Before the shared calendar (services.calendar),
 * messages and disclosure counted on the shipped 2025–2026 table only.
 */
describe.each(engines())('holiday years added by an administrator on %s', (engine) => {
  let t: TestApp;
  let admin: string;
  const now = at('2031-03-10 10:00'); // Monday

  beforeAll(async () => {
    t = await createTestApp(engine);
    await seedDemo(t.services);
    admin = await openSession(t, { username: 'admin' });
  });
  afterAll(async () => t?.close());

  it('moves message and disclosure deadlines that cross the added day off', async () => {
    // Built as messages.module.ts builds it (the shared calendar), with the clock pinned in 2031.
    const messages = new MessagesService(t.database.db, t.services.audit, { allowAnonymous: true, now: () => now, calendar: t.services.calendar.live() });
    const submit = async () => {
      const r = await messages.submit(ANONYMOUS, { type: '咨询', title: '社保卡补办', content: '社保卡丢了怎么补办？' }, { channel: 'api' });
      if (!r.ok) throw new Error(r.error.code);
      return r.value.deadline;
    };
    const request = { receivedOn: '2031-03-03', extended: false, pauses: [] } as unknown as RequestView;
    // 2031 not covered: weekends only. 咨询 (3 working days) from Monday → Thursday; disclosure (20) → 03-31.
    expect(await submit()).toBe('2031-03-13');
    expect(t.services.disclosure.clockOf(request, '2031-03-10').due).toBe('2031-03-31');

    const rows = [{ date: '2031-01-01', kind: 'off', holiday: '元旦' }, { date: '2031-03-12', kind: 'off', holiday: '测试假日' }];
    const put = await t.app.inject({ method: 'PUT', url: '/api/v1/services/holidays/2031', headers: { authorization: `Bearer ${admin}` }, payload: { rows } });
    expect(put.json()).toEqual({ year: 2031, rows: 2 });

    // The same day's deadline is counted again (not the memoised answer) and skips Wednesday 03-12.
    expect(await submit()).toBe('2031-03-14');
    expect(t.services.disclosure.clockOf(request, '2031-03-10').due).toBe('2031-04-01');
    expect((await t.services.onestop.calendar()).isWorkingDay('2031-03-12')).toBe(false);
    expect(t.services.calendar.current().isWorkingDay('2025-10-01')).toBe(false); // the shipped years stay

    // Another process of the installation reads the same year from the database at its next refresh.
    const other = new CalendarSource(() => addedHolidayRows(t.database.db));
    expect(other.current().isWorkingDay('2031-03-12')).toBe(true);
    await other.refresh();
    expect(other.current().isWorkingDay('2031-03-12')).toBe(false);
  });
});
