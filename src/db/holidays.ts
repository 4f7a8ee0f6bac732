import type { HolidayRow } from '../lib/calendar/index.ts';
import type { Tx } from './tx.ts';

/**
 * The holiday years administrators added (`PUT /api/v1/services/holidays/:year`; table `svc_holidays`, created by the
 * onestop migrations), as calendar rows sorted by date. Read by the process's calendar (`services.calendar`, see
 * src/services.ts), which every module's working-day clock uses.
 */
export async function addedHolidayRows(db: Tx): Promise<HolidayRow[]> {
  const rows = await db.selectFrom('svc_holidays').select(['date', 'kind', 'holiday']).orderBy('date').execute();
  return rows.map((r) => ({ date: r.date, kind: r.kind, ...(r.holiday ? { holiday: r.holiday } : {}) }));
}
