/** Time helpers for hot issues: message times are China Standard Time (UTC+8), days are China calendar days. */

const DAY_MS = 86_400_000;
const CST_MS = 8 * 3_600_000;

/** Milliseconds in a day. */
export const DAY = DAY_MS;

/**
 * Parses a message time into epoch milliseconds. Accepts epoch ms, a Date, ISO 8601, or the data's
 * "YYYY/M/D H:MM:SS" / "YYYY-MM-DD HH:MM" forms (read as UTC+8). Returns null when unreadable.
 */
export function parseTime(t: unknown): number | null {
  if (typeof t === 'number') return Number.isFinite(t) ? t : null;
  if (t instanceof Date) return Number.isFinite(t.getTime()) ? t.getTime() : null;
  if (typeof t !== 'string') return null;
  const s = t.trim();
  const m = /^(\d{4})[/-](\d{1,2})[/-](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(s);
  if (m) {
    const [, y, mo, d, h, mi, se] = m;
    const month = Number(mo);
    const day = Number(d);
    if (month < 1 || month > 12 || day < 1 || day > 31) return null;
    const ms = Date.UTC(Number(y), month - 1, day, Number(h ?? 0), Number(mi ?? 0), Number(se ?? 0)) - CST_MS;
    return Number.isFinite(ms) ? ms : null;
  }
  const ms = Date.parse(s);
  return Number.isFinite(ms) ? ms : null;
}

/** China calendar day number (days since 1970-01-01 in UTC+8) of an epoch-ms time. */
export function dayNumber(ms: number): number {
  return Math.floor((ms + CST_MS) / DAY_MS);
}

/** "YYYY-MM-DD" of a China day number. */
export function dayString(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** "YYYY-MM-DD HH:MM" in UTC+8 of an epoch-ms time. */
export function cstString(ms: number): string {
  return new Date(ms + CST_MS).toISOString().slice(0, 16).replace('T', ' ');
}
