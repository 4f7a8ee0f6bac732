import { describe, expect, it } from 'vitest';
import { createCalendar } from './calendar.ts';
import { shippedCalendar } from './shipped.ts';

const cal = shippedCalendar();

describe('isWorkingDay — 2025 National Day and Mid-Autumn (10-01..10-08 off, 09-28 and 10-11 worked)', () => {
  it.each([
    ['2025-09-26', true], // Friday
    ['2025-09-27', false], // Saturday
    ['2025-09-28', true], // Sunday, make-up working day
    ['2025-09-30', true],
    ['2025-10-01', false],
    ['2025-10-03', false], // a Friday inside the holiday
    ['2025-10-06', false], // Monday
    ['2025-10-08', false], // Wednesday
    ['2025-10-09', true],
    ['2025-10-11', true], // Saturday, make-up working day
    ['2025-10-12', false], // Sunday
  ])('%s → %s', (d, w) => expect(cal.isWorkingDay(d)).toBe(w));
});

describe('isWorkingDay — Spring Festival', () => {
  it.each([
    ['2025-01-26', true], // Sunday worked
    ['2025-01-27', true], // Monday
    ['2025-01-28', false], // 除夕
    ['2025-02-04', false],
    ['2025-02-05', true],
    ['2025-02-08', true], // Saturday worked
    ['2025-02-09', false],
    ['2026-02-13', true],
    ['2026-02-14', true], // Saturday worked
    ['2026-02-15', false],
    ['2026-02-17', false], // 春节 (Tuesday)
    ['2026-02-23', false], // Monday, last day off
    ['2026-02-24', true],
    ['2026-02-28', true], // Saturday worked
    ['2026-03-01', false],
  ])('%s → %s', (d, w) => expect(cal.isWorkingDay(d)).toBe(w));
});

describe('addWorkingDays (the start day is not counted)', () => {
  it.each([
    ['2025-09-30', 0, '2025-09-30'],
    ['2025-09-30', 1, '2025-10-09'],
    ['2025-10-01', 1, '2025-10-09'], // accepted online on a holiday
    ['2025-09-26', 1, '2025-09-28'],
    ['2025-09-26', 2, '2025-09-29'],
    ['2025-09-26', 4, '2025-10-09'],
    ['2025-10-09', 3, '2025-10-13'],
    ['2025-01-24', 1, '2025-01-26'],
    ['2025-01-24', 3, '2025-02-05'],
    ['2025-01-27', 5, '2025-02-10'],
    ['2026-02-13', 1, '2026-02-14'],
    ['2026-02-14', 1, '2026-02-24'],
    ['2026-02-24', 4, '2026-02-28'],
    ['2025-12-31', 1, '2026-01-04'], // 2026-01-01..03 off, Sunday 01-04 worked
    ['2025-03-03', 20, '2025-03-31'], // an ordinary month: 4 weeks
  ])('%s + %d → %s', (d, n, out) => expect(cal.addWorkingDays(d, n)).toBe(out));

  it('rejects negative or fractional n and bad dates', () => {
    expect(() => cal.addWorkingDays('2025-10-01', -1)).toThrow(RangeError);
    expect(() => cal.addWorkingDays('2025-10-01', 1.5)).toThrow(RangeError);
    expect(() => cal.addWorkingDays('2025-02-29', 1)).toThrow(RangeError);
    expect(() => cal.isWorkingDay('2025/10/01')).toThrow(RangeError);
  });
});

describe('workingDaysBetween (a < d ≤ b)', () => {
  it('counts the National Day fortnight', () => {
    // 09-28, 09-29, 09-30, 10-09, 10-10, 10-11
    expect(cal.workingDaysBetween('2025-09-26', '2025-10-12')).toBe(6);
    expect(cal.workingDaysBetween('2025-10-12', '2025-09-26')).toBe(-6);
    expect(cal.workingDaysBetween('2025-10-05', '2025-10-05')).toBe(0);
  });
  it('inverts addWorkingDays', () => {
    for (const [d, n] of [['2025-09-30', 7], ['2026-02-10', 12], ['2025-12-20', 30]] as const) {
      expect(cal.workingDaysBetween(d, cal.addWorkingDays(d, n))).toBe(n);
    }
  });
  it('2025 has 248 working days', () => {
    // 2025 starts on a Wednesday: 261 weekdays; 18 of them are holidays (元旦 1, 春节 6, 清明 1, 劳动节 3, 端午 1,
    // 国庆中秋 6); 5 weekend days are worked (01-26, 02-08, 04-27, 09-28, 10-11): 261 − 18 + 5 = 248.
    expect(cal.workingDaysBetween('2024-12-31', '2025-12-31')).toBe(248);
  });
});

describe('coverage of the holiday table', () => {
  it('covers 2025 and 2026 only', () => {
    expect(cal.coveredYears).toEqual([2025, 2026]);
    expect(cal.dayInfo('2025-10-01')).toEqual({ date: '2025-10-01', working: false, kind: 'holiday', holiday: '国庆节、中秋节', covered: true });
    expect(cal.dayInfo('2025-09-28')).toMatchObject({ working: true, kind: 'makeup-workday', covered: true });
  });
  it('falls back to weekends only in 2027 and says so', () => {
    // 2027-10-01 is a Friday: without the 2027 notice it counts as a working day.
    expect(cal.dayInfo('2027-10-01')).toEqual({ date: '2027-10-01', working: true, kind: 'workday', covered: false });
    expect(cal.isWorkingDay('2027-10-02')).toBe(false);
    expect(cal.uncoveredYearsBetween('2026-12-01', '2027-01-10')).toEqual([2027]);
    expect(cal.uncoveredYearsBetween('2025-01-01', '2026-12-31')).toEqual([]);
  });
});

describe('withYear (administrators add a year)', () => {
  const rows2027 = [
    { date: '2027-01-01', kind: 'off' as const, holiday: '元旦' },
    { date: '2027-02-06', kind: 'work' as const, holiday: '春节' }, // a Saturday
  ];
  it('adds a valid year and leaves the original calendar unchanged', () => {
    const r = cal.withYear(2027, rows2027);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.calendar.coveredYears).toEqual([2025, 2026, 2027]);
    expect(r.calendar.isWorkingDay('2027-01-01')).toBe(false);
    expect(r.calendar.isWorkingDay('2027-02-06')).toBe(true);
    expect(cal.isWorkingDay('2027-01-01')).toBe(true);
  });
  it.each([
    [[...rows2027, { date: '2027-01-01', kind: 'off' as const }], 'DUPLICATE_DATE'],
    [[...rows2027, { date: '2027-02-06', kind: 'off' as const }], 'OFF_AND_WORK'],
    [[{ date: '2027-02-08', kind: 'work' as const }], 'WORK_ON_WEEKDAY'], // a Monday
    [[{ date: '2028-01-01', kind: 'off' as const }], 'WRONG_YEAR'],
    [[{ date: '2027-02-30', kind: 'off' as const }], 'BAD_DATE'],
    [[{ date: '2027-05-01', kind: 'holiday' as unknown as 'off' }], 'BAD_KIND'],
  ])('rejects %j with %s', (rows, code) => {
    const r = cal.withYear(2027, rows);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors.map((e) => e.code)).toContain(code);
  });
  it('refuses to overwrite a year unless asked', () => {
    const rows = [{ date: '2026-01-01', kind: 'off' as const }];
    expect(cal.withYear(2026, rows).ok).toBe(false);
    const r = cal.withYear(2026, rows, { replace: true });
    expect(r.ok && r.calendar.isWorkingDay('2026-10-05')).toBe(true); // the replaced year lost its National Day
    expect(r.ok && r.calendar.isWorkingDay('2025-10-06')).toBe(false); // other years untouched
  });
  it('createCalendar throws on invalid rows', () => {
    expect(() => createCalendar([{ date: '2025-10-01', kind: 'off' }, { date: '2025-10-01', kind: 'work' }])).toThrow(TypeError);
  });
});
