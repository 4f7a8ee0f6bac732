import { createCalendar, type Calendar } from './calendar.ts';
import type { HolidayRow } from './holidays.ts';
import { shippedCalendar } from './shipped.ts';

/** How often `start()` re-reads the added years (other processes of an installation see a new year within this). */
export const CALENDAR_REFRESH_MS = 60_000;

/**
 * The shipped rows with every year that has `added` rows replacing the shipped rows of that year (an administrator's
 * table for a year wins over the shipped one).
 */
export function mergeHolidayRows(shipped: readonly HolidayRow[], added: readonly HolidayRow[]): HolidayRow[] {
  const addedYears = new Set(added.map((r) => r.date.slice(0, 4)));
  return [...shipped.filter((r) => !addedYears.has(r.date.slice(0, 4))), ...added];
}

/**
 * The one working-day calendar of a process: the shipped table plus the years an administrator added (read by
 * `loadAdded`, e.g. from the database). `current()` is synchronous and never waits; `refresh()` re-reads the added
 * years and swaps the calendar in. A source without `loadAdded` is fixed (`CalendarSource.fixed`).
 */
export class CalendarSource {
  private cal: Calendar;
  private started = 0;
  private applied = 0;
  private last: Promise<Calendar> | undefined;
  /** The added rows the current calendar was built from (JSON), so an unchanged re-read keeps it. */
  private addedKey: string | undefined;

  constructor(
    private readonly loadAdded?: () => Promise<HolidayRow[]>,
    initial: Calendar = shippedCalendar(),
  ) {
    this.cal = initial;
  }

  /** A source that always answers `cal` (tests, the CLI). */
  static fixed(cal: Calendar): CalendarSource {
    return new CalendarSource(undefined, cal);
  }

  /** The calendar as of the last refresh. */
  current(): Calendar {
    return this.cal;
  }

  /**
   * A Calendar that answers from `current()` at every call: for code that keeps a Calendar (a service built with a
   * fixed `calendar` option) and should still count on the years added later.
   */
  live(): Calendar {
    const c = (): Calendar => this.cal;
    return {
      get coveredYears() { return c().coveredYears; },
      get rows() { return c().rows; },
      isYearCovered: (year) => c().isYearCovered(year),
      dayInfo: (date) => c().dayInfo(date),
      isWorkingDay: (date) => c().isWorkingDay(date),
      addWorkingDays: (date, n) => c().addWorkingDays(date, n),
      workingDaysBetween: (a, b) => c().workingDaysBetween(a, b),
      uncoveredYearsBetween: (a, b) => c().uncoveredYearsBetween(a, b),
      coverage: (today) => c().coverage(today),
      computeDeadline: (input) => c().computeDeadline(input),
      caseClock: (input) => c().caseClock(input),
      withYear: (year, rows, opts) => c().withYear(year, rows, opts),
    };
  }

  /**
   * Re-reads the added years and returns the new calendar. Each call reads afresh (a refresh after a write sees the
   * write); a read that finishes after a later one never replaces the later result. Rejects when the read fails (the
   * previous calendar stays).
   */
  refresh(): Promise<Calendar> {
    const load = this.loadAdded;
    if (!load) return Promise.resolve(this.cal);
    const n = ++this.started;
    const p = (async () => {
      const added = await load();
      // The minute's re-read usually finds what it found before: keep that calendar (and the caches built on it).
      const key = JSON.stringify(added);
      if (n > this.applied) {
        this.applied = n;
        if (key !== this.addedKey) this.cal = createCalendar(mergeHolidayRows(shippedCalendar().rows, added));
        this.addedKey = key;
      }
      return this.cal;
    })();
    this.last = p;
    return p;
  }

  /**
   * Refreshes every `intervalMs` (an unref'd timer: it never keeps the process alive); failures go to `onError` and
   * the previous calendar stays. Returns the stop function, which waits for a refresh in flight.
   */
  start(intervalMs = CALENDAR_REFRESH_MS, onError: (err: unknown) => void = () => undefined): () => Promise<void> {
    let stopped = false;
    const timer = setInterval(() => {
      if (!stopped) this.refresh().catch(onError);
    }, intervalMs);
    timer.unref();
    return async () => {
      stopped = true;
      clearInterval(timer);
      await this.last?.catch(() => undefined);
    };
  }
}
