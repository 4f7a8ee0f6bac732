import { describe, expect, it } from 'vitest';
import { createCalendar, type HolidayRow } from './index.ts';
import { CalendarSource, mergeHolidayRows } from './source.ts';

const off = (date: string): HolidayRow => ({ date, kind: 'off' });

describe('CalendarSource', () => {
  it('merges added years over the shipped rows: an added year replaces that year only', () => {
    const merged = mergeHolidayRows([off('2025-10-01'), off('2026-10-01')], [off('2026-10-02')]);
    expect(merged.map((r) => r.date).sort()).toEqual(['2025-10-01', '2026-10-02']);
  });

  it('answers the shipped table until refreshed, then the added years; live() follows without being rebuilt', async () => {
    let added: HolidayRow[] = [];
    const src = new CalendarSource(() => Promise.resolve(added));
    const live = src.live();
    expect(live.isWorkingDay('2031-03-12')).toBe(true);
    expect(live.isWorkingDay('2025-10-01')).toBe(false);
    added = [off('2031-03-12')];
    expect(live.isWorkingDay('2031-03-12')).toBe(true);
    await src.refresh();
    expect(live.isWorkingDay('2031-03-12')).toBe(false);
    expect(live.coveredYears).toContain(2031);
    expect(src.current().isWorkingDay('2025-10-01')).toBe(false);
  });

  it('keeps the same calendar when a re-read finds the same added rows (the messages deadline cache survives)', async () => {
    let added: HolidayRow[] = [off('2031-03-12')];
    const src = new CalendarSource(() => Promise.resolve(added.map((r) => ({ ...r }))));
    const first = await src.refresh();
    expect(await src.refresh()).toBe(first);
    added = [off('2031-03-13')];
    const next = await src.refresh();
    expect(next).not.toBe(first);
    expect(next.isWorkingDay('2031-03-12')).toBe(true);
    expect(next.isWorkingDay('2031-03-13')).toBe(false);
  });

  it('never lets a read that finishes late replace a later one, and keeps the calendar when a read fails', async () => {
    const reads: ((rows: HolidayRow[]) => void)[] = [];
    let fail = false;
    const src = new CalendarSource(() => (fail ? Promise.reject(new Error('down')) : new Promise((resolve) => reads.push(resolve))));
    const first = src.refresh();
    const second = src.refresh();
    reads[1]!([off('2031-03-12')]);
    await second;
    reads[0]!([]);
    await first;
    expect(src.current().isWorkingDay('2031-03-12')).toBe(false);
    fail = true;
    await expect(src.refresh()).rejects.toThrow('down');
    expect(src.current().isWorkingDay('2031-03-12')).toBe(false);
  });

  it('fixed() always answers the calendar it was given', async () => {
    const cal = createCalendar([off('2030-01-02')]);
    const src = CalendarSource.fixed(cal);
    expect(await src.refresh()).toBe(cal);
    expect(src.current()).toBe(cal);
  });
});
