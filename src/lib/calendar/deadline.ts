import type { Calendar } from './calendar.ts';
import { fromDayNumber, isValidDate, toDayNumber } from './date.ts';

/** A period during which the statutory clock stands still (补正, clarification, expert opinion …). */
export interface Pause {
  /** First paused day (e.g. the day the 补正 notice is issued). */
  from: string;
  /** Last paused day (e.g. the day the materials arrive); absent while the pause is still open. */
  to?: string;
}

export interface DeadlineInput {
  /** The day the clock starts (受理 acceptance day); it is not counted itself. */
  startedOn: string;
  /** The time limit in working days (≥ 0). */
  limitWorkingDays: number;
  pauses?: readonly Pause[];
}

export interface Deadline {
  ok: true;
  /** The last day on which the case is on time; `null` while a pause is open and the limit not yet reached. */
  deadline: string | null;
  /** True when an open pause holds the clock. */
  paused: boolean;
  /** Working days inside pauses before the deadline (or until today for an open pause), i.e. the extension. */
  pausedWorkingDays: number;
  /** Years the computation passed through that the holiday table does not cover (weekends-only fallback): warn. */
  uncoveredYears: number[];
}

export type DeadlineError = { ok: false; code: 'BAD_DATE' | 'BAD_LIMIT' | 'BAD_PAUSE'; message: string };

export type CaseStatus = 'green' | 'amber' | 'red';

export interface CaseClock extends Omit<Deadline, 'ok'> {
  ok: true;
  status: CaseStatus;
  /** Counted working days from the start up to and including today. */
  usedWorkingDays: number;
  /** Counted working days after today up to the deadline (0 on the deadline day; 0 when overdue). */
  remainingWorkingDays: number;
  /** Working days after the deadline up to today (0 unless red). */
  overdueWorkingDays: number;
}

function checkInput(input: DeadlineInput): DeadlineError | undefined {
  if (!isValidDate(input.startedOn)) return { ok: false, code: 'BAD_DATE', message: `起算日 ${input.startedOn} 无效` };
  if (!Number.isSafeInteger(input.limitWorkingDays) || input.limitWorkingDays < 0 || input.limitWorkingDays > 10_000) {
    return { ok: false, code: 'BAD_LIMIT', message: `期限 ${input.limitWorkingDays} 应为非负整数（工作日）` };
  }
  const open = (input.pauses ?? []).filter((p) => p.to === undefined).length;
  if (open > 1) return { ok: false, code: 'BAD_PAUSE', message: '同时只能有一个未结束的暂停' };
  for (const p of input.pauses ?? []) {
    if (!isValidDate(p.from) || (p.to !== undefined && !isValidDate(p.to))) {
      return { ok: false, code: 'BAD_PAUSE', message: `暂停期间日期无效：${p.from}..${p.to ?? ''}` };
    }
    if (p.to !== undefined && p.to < p.from) return { ok: false, code: 'BAD_PAUSE', message: `暂停结束日 ${p.to} 早于开始日 ${p.from}` };
    if (p.from <= input.startedOn) return { ok: false, code: 'BAD_PAUSE', message: `暂停开始日 ${p.from} 应晚于起算日 ${input.startedOn}` };
  }
  return undefined;
}

/** Day-number intervals [from, to] of the pauses; an open pause runs to +∞. */
function pauseIntervals(pauses: readonly Pause[]): [number, number][] {
  return pauses.map((p) => [toDayNumber(p.from), p.to === undefined ? Number.POSITIVE_INFINITY : toDayNumber(p.to)]);
}

const inPause = (n: number, iv: [number, number][]): boolean => iv.some(([a, b]) => n >= a && n <= b);

/**
 * Computes a statutory deadline on `calendar`: the day on which the `limitWorkingDays`-th counted working day falls,
 * counting from the day after `startedOn`. Working days inside a pause (both ends inclusive) are not counted. With an
 * open pause that began before the limit was reached the deadline is `null` (unknown until the pause ends).
 * A pause must start after `startedOn`; pauses may overlap (their union counts).
 */
export function computeDeadline(calendar: Calendar, input: DeadlineInput): Deadline | DeadlineError {
  const bad = checkInput(input);
  if (bad) return bad;
  const iv = pauseIntervals(input.pauses ?? []);
  const start = toDayNumber(input.startedOn);
  let d = start;
  let left = input.limitWorkingDays;
  let pausedWorkingDays = 0;
  let deadline: string | null = input.startedOn;
  let paused = false;
  while (left > 0) {
    d++;
    if (!calendar.isWorkingDay(fromDayNumber(d))) continue;
    if (inPause(d, iv)) {
      const open = iv.find(([a, b]) => d >= a && d <= b && b === Number.POSITIVE_INFINITY);
      if (open) {
        paused = true;
        deadline = null;
        break;
      }
      pausedWorkingDays++;
      continue;
    }
    left--;
  }
  if (deadline !== null) deadline = fromDayNumber(d);
  const end = deadline ?? fromDayNumber(d);
  return { ok: true, deadline, paused, pausedWorkingDays, uncoveredYears: calendar.uncoveredYearsBetween(input.startedOn, end) };
}

/**
 * The clock of a case on `today`: its deadline and a traffic light — `red` when today is after the deadline,
 * `amber` when at most `amberWithinWorkingDays` (default 3) counted working days remain after today (including the
 * deadline day itself, and a paused case whose frozen remainder is that small), otherwise `green`.
 */
export function caseClock(
  calendar: Calendar,
  input: DeadlineInput & { today: string; amberWithinWorkingDays?: number },
): CaseClock | DeadlineError {
  const r = computeDeadline(calendar, input);
  if (!r.ok) return r;
  if (!isValidDate(input.today)) return { ok: false, code: 'BAD_DATE', message: `今天的日期 ${input.today} 无效` };
  const amber = input.amberWithinWorkingDays ?? 3;
  if (!Number.isSafeInteger(amber) || amber < 0) return { ok: false, code: 'BAD_LIMIT', message: `预警天数 ${amber} 应为非负整数` };
  const iv = pauseIntervals(input.pauses ?? []);
  const start = toDayNumber(input.startedOn);
  const today = toDayNumber(input.today);
  const counted = (n: number): boolean => calendar.isWorkingDay(fromDayNumber(n)) && !inPause(n, iv);
  let used = 0;
  for (let n = start + 1; n <= today; n++) if (counted(n)) used++;
  let remaining = 0;
  let overdue = 0;
  let status: CaseStatus;
  if (r.deadline === null) {
    remaining = Math.max(0, input.limitWorkingDays - used);
    status = remaining <= amber ? 'amber' : 'green';
  } else {
    const dl = toDayNumber(r.deadline);
    if (today > dl) {
      for (let n = dl + 1; n <= today; n++) if (counted(n)) overdue++;
      status = 'red';
    } else {
      for (let n = today + 1; n <= dl; n++) if (counted(n)) remaining++;
      status = remaining <= amber ? 'amber' : 'green';
    }
  }
  const { ok: _ok, ...rest } = r;
  void _ok;
  return { ok: true, ...rest, status, usedWorkingDays: used, remainingWorkingDays: remaining, overdueWorkingDays: overdue };
}

/**
 * The colour of a known deadline (YYYY-MM-DD) on `today`, by the rule of caseClock: red once it is past, amber when at
 * most `amberWithinWorkingDays` working days are left (1, as the messages' clock), else green.
 */
export function deadlineLight(calendar: Calendar, deadline: string, today: string, amberWithinWorkingDays = 1): CaseStatus {
  const dl = toDayNumber(deadline);
  const now = toDayNumber(today);
  if (now > dl) return 'red';
  let remaining = 0;
  for (let n = now + 1; n <= dl && remaining <= amberWithinWorkingDays; n++) if (calendar.isWorkingDay(fromDayNumber(n))) remaining++;
  return remaining <= amberWithinWorkingDays ? 'amber' : 'green';
}
