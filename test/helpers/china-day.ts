import { chinaDate } from '../../src/lib/calendar/index.ts';

/**
 * The dates in China (UTC+8) that the code under test may have taken as "today" since a test read `first` with
 * `chinaToday()`: `first` alone, or `first` and today when midnight in China (16:00 UTC) passed in between.
 *
 * A test that compares a date the code took from its clock (a receipt date, a deadline) with one computed from the
 * test's own later reading of the clock fails when midnight falls between the two readings; CI may run at any hour.
 * Read `first` before the action, then check that the code's date is one of `chinaDaysSince(first)` (or a deadline
 * counted from one of them), instead of reading the clock again.
 */
export function chinaDaysSince(first: string): string[] {
  const now = chinaToday();
  return now === first ? [first] : [first, now];
}

/** Today in China (UTC+8), from this process's clock. */
export function chinaToday(): string {
  return chinaDate(new Date());
}
