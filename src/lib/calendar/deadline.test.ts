import { describe, expect, it } from 'vitest';
import { deadlineLight } from './deadline.ts';
import { shippedCalendar } from './shipped.ts';

const cal = shippedCalendar();

describe('computeDeadline', () => {
  it('counts working days from the day after acceptance, across National Day', () => {
    expect(cal.computeDeadline({ startedOn: '2025-09-26', limitWorkingDays: 4 })).toEqual({
      ok: true, deadline: '2025-10-09', paused: false, pausedWorkingDays: 0, uncoveredYears: [],
    });
    // 09-23 … 09-30 (with 09-28) = 7, then 10-09, 10-10, 10-11.
    expect(cal.computeDeadline({ startedOn: '2025-09-22', limitWorkingDays: 10 })).toMatchObject({ deadline: '2025-10-11' });
  });

  it('stops the clock during a 补正 pause (both ends inclusive)', () => {
    const r = cal.computeDeadline({ startedOn: '2025-09-22', limitWorkingDays: 10, pauses: [{ from: '2025-09-25', to: '2025-09-29' }] });
    // Paused working days 09-25, 09-26, 09-28, 09-29; counted 09-23, 09-24, 09-30, 10-09, 10-10, 10-11, 10-13 … 10-16.
    expect(r).toMatchObject({ ok: true, deadline: '2025-10-16', pausedWorkingDays: 4, paused: false });
  });

  it('a pause that starts after the deadline changes nothing', () => {
    const r = cal.computeDeadline({ startedOn: '2025-09-26', limitWorkingDays: 4, pauses: [{ from: '2025-10-20', to: '2025-10-25' }] });
    expect(r).toMatchObject({ deadline: '2025-10-09', pausedWorkingDays: 0 });
  });

  it('an open pause leaves the deadline unknown', () => {
    const r = cal.computeDeadline({ startedOn: '2025-09-22', limitWorkingDays: 10, pauses: [{ from: '2025-09-25' }] });
    expect(r).toMatchObject({ ok: true, deadline: null, paused: true });
  });

  it('the 20-working-day disclosure limit from 2025-12-15 runs into 2026 and is covered', () => {
    // 12-16..12-31: 12 working days; 2026-01-04 (Sun, worked) 13; 01-05..01-09 18; 01-12, 01-13 → 20.
    expect(cal.computeDeadline({ startedOn: '2025-12-15', limitWorkingDays: 20 })).toMatchObject({ deadline: '2026-01-13', uncoveredYears: [] });
  });

  it('reports an uncovered year', () => {
    expect(cal.computeDeadline({ startedOn: '2026-12-20', limitWorkingDays: 20 })).toMatchObject({ uncoveredYears: [2027] });
  });

  it.each([
    [{ startedOn: '2025-02-30', limitWorkingDays: 5 }, 'BAD_DATE'],
    [{ startedOn: '2025-09-22', limitWorkingDays: -1 }, 'BAD_LIMIT'],
    [{ startedOn: '2025-09-22', limitWorkingDays: 2.5 }, 'BAD_LIMIT'],
    [{ startedOn: '2025-09-22', limitWorkingDays: 5, pauses: [{ from: '2025-09-25', to: '2025-09-24' }] }, 'BAD_PAUSE'],
    [{ startedOn: '2025-09-22', limitWorkingDays: 5, pauses: [{ from: '2025-09-21', to: '2025-09-24' }] }, 'BAD_PAUSE'],
    [{ startedOn: '2025-09-22', limitWorkingDays: 5, pauses: [{ from: '2025-09-23' }, { from: '2025-09-25' }] }, 'BAD_PAUSE'],
  ])('rejects %j with %s', (input, code) => {
    expect(cal.computeDeadline(input)).toMatchObject({ ok: false, code });
  });
});

describe('caseClock (green / amber / red)', () => {
  const base = { startedOn: '2025-09-26', limitWorkingDays: 4 }; // deadline 2025-10-09
  it.each([
    ['2025-09-26', 'green', 4, 0],
    ['2025-09-28', 'amber', 3, 0], // 09-29, 09-30, 10-09 remain
    ['2025-10-05', 'amber', 1, 0],
    ['2025-10-09', 'amber', 0, 0], // due today, still on time
    ['2025-10-10', 'red', 0, 1],
    ['2025-10-13', 'red', 0, 3], // 10-10, 10-11 (worked Saturday), 10-13
  ])('on %s → %s (remaining %d, overdue %d)', (today, status, remaining, overdue) => {
    expect(cal.caseClock({ ...base, today })).toMatchObject({
      ok: true, deadline: '2025-10-09', status, remainingWorkingDays: remaining, overdueWorkingDays: overdue,
    });
  });

  it('amber threshold is configurable', () => {
    expect(cal.caseClock({ ...base, today: '2025-09-28', amberWithinWorkingDays: 2 })).toMatchObject({ status: 'green' });
    expect(cal.caseClock({ ...base, today: '2025-09-28', amberWithinWorkingDays: 0 })).toMatchObject({ status: 'green' });
    expect(cal.caseClock({ ...base, today: '2025-10-09', amberWithinWorkingDays: 0 })).toMatchObject({ status: 'amber' });
  });

  it('a paused case keeps its frozen remainder and is never red while paused', () => {
    const r = cal.caseClock({ startedOn: '2025-09-22', limitWorkingDays: 10, pauses: [{ from: '2025-09-25' }], today: '2025-12-01' });
    // Counted before the pause: 09-23, 09-24.
    expect(r).toMatchObject({ ok: true, paused: true, deadline: null, status: 'green', usedWorkingDays: 2, remainingWorkingDays: 8 });
  });
});

describe('deadlineLight — the colour of a known deadline (2025-10: National Day off 10-01..10-08)', () => {
  it.each([
    ['2025-09-26', '2025-10-20', 'green'],
    ['2025-09-30', '2025-10-09', 'amber'], // the holiday in between: one working day left
    ['2025-10-09', '2025-10-09', 'amber'], // due today
    ['2025-10-08', '2025-10-10', 'green'], // 10-09 and 10-10: two working days
    ['2025-10-10', '2025-10-09', 'red'],
  ])('today %s, due %s → %s', (today, due, want) => {
    expect(deadlineLight(cal, due, today)).toBe(want);
  });
});
