import { describe, expect, it } from 'vitest';
import { createCalendar } from './calendar.ts';
import { calendarCoverage, countHolidayKinds } from './coverage.ts';
import { parseHolidayCsv } from './holidays.ts';
import { CalendarSource } from './source.ts';

// A table covering 2025 and 2026, as shipped.
const cal = createCalendar([
  { date: '2025-10-01', kind: 'off', holiday: '国庆节' },
  { date: '2026-10-01', kind: 'off', holiday: '国庆节' },
]);

describe('calendarCoverage (which years the holiday table must cover on a given day)', () => {
  it.each([
    // today, years to warn about
    ['2026-06-30', []], // current year covered, next year not yet needed
    ['2026-10-31', []], // the last day before the next-year warning
    ['2026-11-01', [2027]], // from 1 November next year must be there
    ['2026-11-27', [2027]],
    ['2026-12-31', [2027]],
    ['2025-11-27', []], // 2026 is covered
    ['2027-01-01', [2027]], // the year has begun without its table
    ['2027-11-01', [2027, 2028]],
    ['2024-03-01', [2024]],
  ])('on %s warns about %j', (today, missing) => {
    expect(calendarCoverage(cal, today).missing).toEqual(missing);
  });

  it('is answered by a calendar and by a live source, and goes away when the year is added', () => {
    const c = cal.coverage('2026-11-27');
    expect(c).toEqual({ today: '2026-11-27', year: 2026, currentYearCovered: true, nextYearCovered: false, missing: [2027] });
    const added = cal.withYear(2027, [{ date: '2027-01-01', kind: 'off', holiday: '元旦' }]);
    expect(added.ok && added.calendar.coverage('2026-11-27').missing).toEqual([]);
    expect(CalendarSource.fixed(cal).live().coverage('2027-01-04').missing).toEqual([2027]);
  });

  it('refuses a day that is not a date', () => {
    expect(() => calendarCoverage(cal, '2026-02-30')).toThrow(RangeError);
  });

  it('counts days off and make-up working days', () => {
    expect(countHolidayKinds([{ date: '2027-01-01', kind: 'off' }, { date: '2027-02-06', kind: 'work' }, { date: '2027-02-07', kind: 'off' }])).toEqual({ off: 2, work: 1 });
  });
});

describe('parseHolidayCsv line numbers', () => {
  it('reports each bad row with the line of the file (blank lines counted) in Chinese and English', () => {
    const r = parseHolidayCsv('date,kind,holiday\n2027-01-01,off,元旦\n\n2027-02-30,off,春节\n2028-01-01,off,元旦\n2027-01-01,off,元旦\n', 2027);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => [e.line, e.code])).toEqual([[4, 'BAD_DATE'], [5, 'WRONG_YEAR'], [6, 'DUPLICATE_DATE']]);
    expect(r.errors[1]).toMatchObject({ message: '2028-01-01 不属于 2027 年', messageEn: '2028-01-01 is not in 2027' });
  });
  it('refuses a file without the header', () => {
    const r = parseHolidayCsv('2027-01-01,off,元旦\n');
    expect(!r.ok && r.errors[0]).toMatchObject({ line: 1, code: 'BAD_HEADER' });
  });
});
