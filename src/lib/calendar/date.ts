/**
 * Calendar dates as `YYYY-MM-DD` strings, computed on day numbers (days since 1970-01-01) with UTC arithmetic only,
 * so the host's time zone never shifts a date. China has one time zone (UTC+8, no daylight saving since 1991).
 */

const DAY_MS = 86_400_000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True when `s` is a real Gregorian date written `YYYY-MM-DD` (years 1900–2199). */
export function isValidDate(s: string): boolean {
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (y < 1900 || y > 2199 || mo < 1 || mo > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1] ?? 0;
  return d <= days;
}

/** Day number of a valid `YYYY-MM-DD` date (throws RangeError on an invalid one: validate input first). */
export function toDayNumber(s: string): number {
  if (!isValidDate(s)) throw new RangeError(`not a valid YYYY-MM-DD date: ${JSON.stringify(s)}`);
  return Date.UTC(Number(s.slice(0, 4)), Number(s.slice(5, 7)) - 1, Number(s.slice(8, 10))) / DAY_MS;
}

/** `YYYY-MM-DD` of a day number. */
export function fromDayNumber(n: number): string {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

/** Day of week of a day number: 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export function weekdayOf(n: number): number {
  return (((n + 4) % 7) + 7) % 7;
}

/** Adds calendar days to a `YYYY-MM-DD` date. */
export function addDays(s: string, days: number): string {
  return fromDayNumber(toDayNumber(s) + days);
}

/** Today's date in China (UTC+8) for an instant; pass `new Date()` from the caller. */
export function chinaDate(instant: Date): string {
  return new Date(instant.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** Date and time to the minute in China (UTC+8), `YYYY-MM-DD HH:mm`, for showing an instant on a page. */
export function chinaDateTime(instant: Date): string {
  return new Date(instant.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

const TIME_RE = /^(\d{4}-\d{2}-\d{2})(?:[T ]([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d)(?:\.\d{1,9})?)?(Z|[+-](?:[01]\d|2[0-3]):?[0-5]\d)?)?$/i;

/**
 * An instant written in ISO 8601 / W3C form: `2026-11-26`, `2026-11-26T08:00Z`, `2026-11-26T16:00:00.000+08:00`
 * (no zone: UTC, as `Date` reads it). Undefined when the date is not a real one in 1900–2199 (`2026-02-30`, which
 * `Date` would roll over to 2 March; `2026-13-01`; `0000-00-00`; a year 10000 or −271821, which PostgreSQL refuses with
 * SQLSTATE 22008) or the time is not HH:mm[:ss[.fff]].
 */
export function parseIsoTime(s: string): Date | undefined {
  const m = TIME_RE.exec(s);
  if (!m || !isValidDate(m[1]!)) return undefined;
  const t = Date.parse(m[2] === undefined ? `${m[1]}T00:00:00Z` : m[5] === undefined ? `${s.replace(' ', 'T')}Z` : s.replace(' ', 'T'));
  return Number.isNaN(t) ? undefined : new Date(t);
}

/**
 * The instant when it is a time the data can hold, else undefined: not Invalid Date, and in the years 1900–2199 (as
 * {@link isValidDate}). `Date` reads `-271821-04-20` or `+275760-09-13`, which PostgreSQL refuses (SQLSTATE 22008) or
 * no feed or import means; callers treat such a time like an unreadable one.
 */
export function plausibleInstant(d: Date): Date | undefined {
  const y = d.getUTCFullYear();
  return Number.isNaN(y) || y < 1900 || y > 2199 ? undefined : d;
}
