import { fromDayNumber, isValidDate, toDayNumber, weekdayOf } from './date.ts';
import { caseClock, computeDeadline, type CaseClock, type Deadline, type DeadlineError, type DeadlineInput } from './deadline.ts';
import { calendarCoverage, type CalendarCoverage } from './coverage.ts';
import { validateHolidayRows, type HolidayRow, type HolidayRowError } from './holidays.ts';

/** What kind of day a date is. */
export type DayKind = 'workday' | 'weekend' | 'holiday' | 'makeup-workday';

export interface DayInfo {
  date: string;
  working: boolean;
  kind: DayKind;
  /** Holiday name for `holiday` and `makeup-workday` days. */
  holiday?: string;
  /** False when the date's year has no rows in the table: the answer then knows weekends only. */
  covered: boolean;
}

/** An immutable Chinese working-day calendar. All dates are `YYYY-MM-DD` strings; invalid ones throw RangeError. */
export interface Calendar {
  /** Years that have holiday rows, ascending. */
  readonly coveredYears: readonly number[];
  /** The rows the calendar was built from, sorted by date. */
  readonly rows: readonly HolidayRow[];
  /** True when `year` has rows in the table. */
  isYearCovered(year: number): boolean;
  /** Kind of day, holiday name and coverage. */
  dayInfo(date: string): DayInfo;
  /** True on working days: Monday–Friday unless a holiday, plus make-up working weekends (调休). */
  isWorkingDay(date: string): boolean;
  /**
   * The date `n` working days after `date` (n ≥ 0 integer): counting starts the day after `date`, which itself is
   * never counted (the acceptance day is not counted); `n = 0` returns `date` unchanged. E.g. from Tuesday
   * 2025-09-30, 1 working day is Thursday 2025-10-09 (10-01..10-08 are off). Throws RangeError for a bad n.
   */
  addWorkingDays(date: string, n: number): string;
  /**
   * Number of working days d with a < d ≤ b (so `workingDaysBetween(a, addWorkingDays(a, n)) === n`);
   * negative when b < a (−workingDaysBetween(b, a)); 0 when equal.
   */
  workingDaysBetween(a: string, b: string): number;
  /**
   * Whether the table covers the years that matter on `today` (YYYY-MM-DD, China time): see `calendarCoverage` in
   * coverage.ts. Throws RangeError for an invalid date.
   */
  coverage(today: string): CalendarCoverage;
  /** Years between the two dates (inclusive, either order) that are not covered by the table. */
  uncoveredYearsBetween(a: string, b: string): number[];
  /** The statutory deadline of a case (see `computeDeadline` in deadline.ts: pauses stop the clock). */
  computeDeadline(input: DeadlineInput): Deadline | DeadlineError;
  /** Deadline plus green/amber/red status on `today` (see `caseClock` in deadline.ts). */
  caseClock(input: DeadlineInput & { today: string; amberWithinWorkingDays?: number }): CaseClock | DeadlineError;
  /**
   * A new calendar with one more year's rows after validating them (dates inside `year`, no duplicates, no date both
   * off and work, make-up days only on weekends, year not already present unless `replace`).
   */
  withYear(
    year: number,
    rows: readonly HolidayRow[],
    options?: { replace?: boolean },
  ): { ok: true; calendar: Calendar } | { ok: false; errors: HolidayRowError[] };
}

/**
 * Builds a calendar from holiday rows (see `HolidayRow`; `datasets/holidays/` ships 2025 and 2026). A year is
 * "covered" when at least one row falls in it; other years fall back to weekends only. Throws a TypeError listing
 * the problems if the rows are invalid — validate untrusted rows with `validateHolidayRows` or add them with
 * `withYear`, which returns errors as values.
 */
export function createCalendar(rows: readonly HolidayRow[]): Calendar {
  const errors = validateHolidayRows(rows);
  if (errors.length) throw new TypeError(`invalid holiday rows: ${errors.map((e) => e.message).join('; ')}`);
  const byDay = new Map<number, HolidayRow>();
  const years = new Set<number>();
  for (const r of rows) {
    byDay.set(toDayNumber(r.date), r);
    years.add(Number(r.date.slice(0, 4)));
  }
  const sortedRows = [...rows].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const coveredYears = [...years].sort((a, b) => a - b);

  const workingN = (n: number): boolean => {
    const r = byDay.get(n);
    if (r) return r.kind === 'work';
    const wd = weekdayOf(n);
    return wd !== 0 && wd !== 6;
  };

  const cal: Calendar = {
    coveredYears,
    rows: sortedRows,
    isYearCovered: (year) => years.has(year),
    dayInfo(date) {
      const n = toDayNumber(date);
      const r = byDay.get(n);
      const covered = years.has(Number(date.slice(0, 4)));
      if (r) {
        const info: DayInfo = { date, working: r.kind === 'work', kind: r.kind === 'work' ? 'makeup-workday' : 'holiday', covered };
        if (r.holiday) info.holiday = r.holiday;
        return info;
      }
      const wd = weekdayOf(n);
      const weekend = wd === 0 || wd === 6;
      return { date, working: !weekend, kind: weekend ? 'weekend' : 'workday', covered };
    },
    isWorkingDay: (date) => workingN(toDayNumber(date)),
    addWorkingDays(date, n) {
      if (!Number.isSafeInteger(n) || n < 0 || n > 100_000) {
        throw new RangeError(`working days must be an integer from 0 to 100000, got ${n}`);
      }
      let d = toDayNumber(date);
      let left = n;
      while (left > 0) {
        d++;
        if (workingN(d)) left--;
      }
      return fromDayNumber(d);
    },
    workingDaysBetween(a, b) {
      const na = toDayNumber(a);
      const nb = toDayNumber(b);
      if (nb < na) return -cal.workingDaysBetween(b, a);
      let count = 0;
      for (let d = na + 1; d <= nb; d++) if (workingN(d)) count++;
      return count;
    },
    coverage: (today) => calendarCoverage(cal, today),
    uncoveredYearsBetween(a, b) {
      const ya = Number(a.slice(0, 4));
      const yb = Number(b.slice(0, 4));
      if (!isValidDate(a) || !isValidDate(b)) throw new RangeError('not a valid YYYY-MM-DD date');
      const out: number[] = [];
      for (let y = Math.min(ya, yb); y <= Math.max(ya, yb); y++) if (!years.has(y)) out.push(y);
      return out;
    },
    computeDeadline: (input) => computeDeadline(cal, input),
    caseClock: (input) => caseClock(cal, input),
    withYear(year, newRows, options) {
      const errs = validateHolidayRows(newRows, year);
      if (!Number.isInteger(year) || year < 1900 || year > 2199) {
        errs.unshift({ index: -1, date: '', code: 'WRONG_YEAR', message: `年份 ${year} 无效`, messageEn: `Not a valid year: ${year}` });
      }
      if (newRows.length === 0) {
        errs.push({ index: -1, date: '', code: 'WRONG_YEAR', message: `${year} 年没有任何节假日数据`, messageEn: `No rows for ${year}` });
      }
      if (years.has(year) && !options?.replace) {
        errs.push({ index: -1, date: '', code: 'DUPLICATE_DATE', message: `${year} 年的节假日已存在（如需替换请指定 replace）`, messageEn: `${year} is already in the calendar (use replace to replace it)` });
      }
      if (errs.length) return { ok: false, errors: errs };
      const kept = sortedRows.filter((r) => Number(r.date.slice(0, 4)) !== year);
      return { ok: true, calendar: createCalendar([...kept, ...newRows]) };
    },
  };
  return cal;
}
