import { isValidDate } from './date.ts';

/** One date that differs from the ordinary week: `off` = a day off (any weekday), `work` = a make-up working day (调休). */
export interface HolidayRow {
  date: string;
  kind: 'off' | 'work';
  /** Name of the holiday the row belongs to, e.g. `春节`. */
  holiday?: string;
}

/** A problem found in holiday rows. */
export interface HolidayRowError {
  /** 0-based index in the given rows (-1: not about one row); for CSV input see `line`. */
  index: number;
  date: string;
  code: 'BAD_DATE' | 'BAD_KIND' | 'DUPLICATE_DATE' | 'OFF_AND_WORK' | 'WORK_ON_WEEKDAY' | 'WRONG_YEAR' | 'BAD_HEADER';
  /** Chinese. */
  message: string;
  /** English. */
  messageEn: string;
  /** For CSV input (`parseHolidayCsv`): the 1-based line of the file (the header is line 1). */
  line?: number;
}

/**
 * Checks holiday rows: valid dates, kind `off` or `work`, no date twice (a date both `off` and `work` gets its own
 * code), make-up working days only on Saturdays or Sundays, and — when `year` is given — every date inside that year.
 * Returns all problems found (empty when the rows are usable).
 */
export function validateHolidayRows(rows: readonly HolidayRow[], year?: number): HolidayRowError[] {
  const errors: HolidayRowError[] = [];
  const seen = new Map<string, HolidayRow['kind']>();
  rows.forEach((r, index) => {
    const date = String(r.date);
    if (!isValidDate(date)) {
      errors.push({ index, date, code: 'BAD_DATE', message: `无效日期 ${JSON.stringify(date)}（应为 YYYY-MM-DD）`, messageEn: `Not a date: ${JSON.stringify(date)} (expected YYYY-MM-DD)` });
      return;
    }
    if (r.kind !== 'off' && r.kind !== 'work') {
      errors.push({ index, date, code: 'BAD_KIND', message: `${date}：类型应为 off（放假）或 work（调休上班）`, messageEn: `${date}: the kind must be off (day off) or work (make-up working day)` });
      return;
    }
    if (year !== undefined && Number(date.slice(0, 4)) !== year) {
      errors.push({ index, date, code: 'WRONG_YEAR', message: `${date} 不属于 ${year} 年`, messageEn: `${date} is not in ${year}` });
    }
    const prev = seen.get(date);
    if (prev !== undefined) {
      errors.push(
        prev === r.kind
          ? { index, date, code: 'DUPLICATE_DATE', message: `${date} 重复出现`, messageEn: `${date} appears twice` }
          : { index, date, code: 'OFF_AND_WORK', message: `${date} 不能既是放假日又是调休上班日`, messageEn: `${date} cannot be both a day off and a make-up working day` },
      );
      return;
    }
    seen.set(date, r.kind);
    if (r.kind === 'work') {
      const wd = new Date(`${date}T00:00:00Z`).getUTCDay();
      if (wd !== 0 && wd !== 6) {
        errors.push({ index, date, code: 'WORK_ON_WEEKDAY', message: `${date} 是工作日，不需要标为调休上班`, messageEn: `${date} is a weekday: only a Saturday or Sunday can be a make-up working day` });
      }
    }
  });
  return errors;
}

/**
 * Parses the holiday table CSV (`date,kind,holiday` with a header; BOM and CRLF tolerated; blank lines skipped) and
 * validates it — with `year`, every date must be inside that year. Each error carries the file's `line` (header = 1).
 * Pure: the caller reads the file.
 */
export function parseHolidayCsv(
  text: string,
  year?: number,
): { ok: true; rows: HolidayRow[] } | { ok: false; errors: HolidayRowError[] } {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = (lines[0] ?? '').split(',').map((h) => h.trim().toLowerCase());
  const di = header.indexOf('date');
  const ki = header.indexOf('kind');
  const hi = header.indexOf('holiday');
  if (di < 0 || ki < 0) {
    return {
      ok: false,
      errors: [{ index: -1, line: 1, date: '', code: 'BAD_HEADER', message: '第 1 行应为表头 date,kind,holiday', messageEn: 'Line 1 must be the header date,kind,holiday' }],
    };
  }
  const rows: HolidayRow[] = [];
  const lineOf: number[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (!line || line.trim() === '') continue;
    const cells = line.split(',').map((c) => c.trim());
    const row: HolidayRow = { date: cells[di] ?? '', kind: (cells[ki] ?? '') as HolidayRow['kind'] };
    const h = hi >= 0 ? cells.slice(hi).join(',') : '';
    if (h) row.holiday = h;
    rows.push(row);
    lineOf.push(i + 1);
  }
  const errors = validateHolidayRows(rows, year).map((e) => ({ ...e, line: lineOf[e.index] ?? 0 }));
  return errors.length ? { ok: false, errors } : { ok: true, rows };
}
