/** Chinese working-day calendar: weekends, public holidays, make-up working days (调休) and statutory clocks. */
export { createCalendar } from './calendar.ts';
export type { Calendar, DayInfo, DayKind } from './calendar.ts';
export { computeDeadline, caseClock, deadlineLight } from './deadline.ts';
export type { Pause, DeadlineInput, Deadline, DeadlineError, CaseClock, CaseStatus } from './deadline.ts';
export { calendarCoverage, countHolidayKinds, NEXT_YEAR_WARNING_FROM } from './coverage.ts';
export type { CalendarCoverage } from './coverage.ts';
export { parseHolidayCsv, validateHolidayRows } from './holidays.ts';
export type { HolidayRow, HolidayRowError } from './holidays.ts';
export { isValidDate, parseIsoTime, plausibleInstant, addDays, chinaDate, chinaDateTime, toDayNumber, fromDayNumber, weekdayOf } from './date.ts';
export { shippedCalendar, loadShippedHolidayRows } from './shipped.ts';
export { CalendarSource, CALENDAR_REFRESH_MS, mergeHolidayRows } from './source.ts';
