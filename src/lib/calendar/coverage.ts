import { isValidDate } from './date.ts';
import type { HolidayRow } from './holidays.ts';

/** From this day of the year (MM-DD) a missing table for next year is warned about. */
export const NEXT_YEAR_WARNING_FROM = '11-01';

/** What `calendarCoverage` found. */
export interface CalendarCoverage {
  /** The day asked about. */
  today: string;
  /** Its year. */
  year: number;
  currentYearCovered: boolean;
  nextYearCovered: boolean;
  /**
   * The years to warn about, ascending: the current year when the table does not cover it, and — from 1 November —
   * next year when it does not. Empty when nothing is missing. In such a year every working-day deadline counts
   * weekends only (no public holidays, no make-up working days).
   */
  missing: number[];
}

/**
 * Whether the holiday table covers the years that matter on `today` (YYYY-MM-DD in China time): the current year
 * always, next year from 1 November (the State Council publishes next year's schedule in October or November).
 * Returns the finding; throws RangeError for an invalid date.
 */
export function calendarCoverage(cal: { isYearCovered(year: number): boolean }, today: string): CalendarCoverage {
  if (!isValidDate(today)) throw new RangeError(`not a valid YYYY-MM-DD date: ${JSON.stringify(today)}`);
  const year = Number(today.slice(0, 4));
  const currentYearCovered = cal.isYearCovered(year);
  const nextYearCovered = cal.isYearCovered(year + 1);
  const missing: number[] = [];
  if (!currentYearCovered) missing.push(year);
  if (!nextYearCovered && today.slice(5) >= NEXT_YEAR_WARNING_FROM) missing.push(year + 1);
  return { today, year, currentYearCovered, nextYearCovered, missing };
}

/** The number of days off (`off`, 休) and make-up working days (`work`, 班) in `rows`. */
export function countHolidayKinds(rows: readonly HolidayRow[]): { off: number; work: number } {
  let off = 0;
  let work = 0;
  for (const r of rows) {
    if (r.kind === 'off') off++;
    else if (r.kind === 'work') work++;
  }
  return { off, work };
}
