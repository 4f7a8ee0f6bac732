import { readFileSync } from 'node:fs';
import { createCalendar, type Calendar } from './calendar.ts';
import { parseHolidayCsv, type HolidayRow } from './holidays.ts';

/** The shipped official table (2025 and 2026), relative to this file. */
export const SHIPPED_HOLIDAYS_URL = new URL('../../../datasets/holidays/cn-official-holidays.csv', import.meta.url);

let cached: Calendar | undefined;

/** Rows of the shipped official holiday table (read from disk on each call). */
export function loadShippedHolidayRows(): HolidayRow[] {
  const parsed = parseHolidayCsv(readFileSync(SHIPPED_HOLIDAYS_URL, 'utf8'));
  if (!parsed.ok) throw new Error(`shipped holiday table is invalid: ${parsed.errors.map((e) => e.message).join('; ')}`);
  return parsed.rows;
}

/**
 * The calendar of the shipped official tables, built once per process. Deployments that let administrators add
 * years keep their rows in the database and call `createCalendar(rows)` (or `withYear`) themselves.
 */
export function shippedCalendar(): Calendar {
  cached ??= createCalendar(loadShippedHolidayRows());
  return cached;
}
