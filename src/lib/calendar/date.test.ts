import { describe, expect, it } from 'vitest';
import { addDays, chinaDate, chinaDateTime, isValidDate, parseIsoTime, toDayNumber, weekdayOf } from './date.ts';

describe('dates as YYYY-MM-DD strings', () => {
  it.each([
    ['2025-10-01', true],
    ['2024-02-29', true],
    ['2025-02-29', false],
    ['2100-02-29', false],
    ['2000-02-29', true],
    ['2025-13-01', false],
    ['2025-1-01', false],
    ['2025-10-01T00:00', false],
    ['', false],
  ])('isValidDate(%j) = %s', (s, ok) => expect(isValidDate(s)).toBe(ok));

  it('knows weekdays', () => {
    expect(weekdayOf(toDayNumber('2025-10-01'))).toBe(3); // Wednesday
    expect(weekdayOf(toDayNumber('2025-09-28'))).toBe(0); // Sunday
    expect(weekdayOf(toDayNumber('1969-12-31'))).toBe(3);
  });

  it('adds days across month, year and leap-day boundaries', () => {
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2025-03-01', -1)).toBe('2025-02-28');
  });

  it('takes today in China (UTC+8) from an instant, whatever the host time zone', () => {
    expect(chinaDate(new Date('2025-09-30T15:59:59Z'))).toBe('2025-09-30');
    expect(chinaDate(new Date('2025-09-30T16:00:00Z'))).toBe('2025-10-01');
  });

  it('shows an instant to the minute in China time (UTC+8)', () => {
    expect(chinaDateTime(new Date('2026-11-26T19:04:59Z'))).toBe('2026-11-27 03:04');
    expect(chinaDateTime(new Date('2025-09-30T15:59:00Z'))).toBe('2025-09-30 23:59');
  });
});

describe('parseIsoTime', () => {
  it.each([
    ['2026-11-26', '2026-11-26T00:00:00.000Z'],
    ['2026-11-26T08:00Z', '2026-11-26T08:00:00.000Z'],
    ['2026-11-26T16:00:00.000+08:00', '2026-11-26T08:00:00.000Z'],
    ['2026-11-26T08:00:00', '2026-11-26T08:00:00.000Z'],
    ['1970-01-01T00:00:00.000Z', '1970-01-01T00:00:00.000Z'],
  ])('reads %s', (s, iso) => expect(parseIsoTime(s)?.toISOString()).toBe(iso));
  it.each(['2026-02-30', '2026-02-30T08:00:00Z', '2026-13-01T00:00:00Z', '0000-00-00', '+010000-01-01T00:00:00Z', '10000-01-01', '-271821-04-20T00:00:00Z', '2026-11-26T24:00Z', 'yesterday', ''])('refuses %s', (s) => expect(parseIsoTime(s)).toBeUndefined());
});
