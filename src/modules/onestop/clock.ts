import type { Calendar, CaseClock } from '../../lib/calendar/index.ts';
import { addDays } from '../../lib/calendar/date.ts';
import type { Pause } from '../../lib/calendar/deadline.ts';

/** The part of a case action the clock needs. */
export interface ClockAction {
  action: string;
  to_status: string;
  on_date: string;
}

export interface CaseClocks {
  acceptedOn: string | null;
  pauses: Pause[];
  paused: boolean;
  legal: CaseClock | null;
  promised: CaseClock | null;
  /** The worse of the two traffic lights (null before acceptance or after a decision). */
  status: 'green' | 'amber' | 'red' | null;
}

/**
 * The statutory clock of a case from its action log (pure): it starts on the acceptance day (受理, not counted),
 * stands still from a 补正 request during review to the resubmission (both days not counted), and stops at the
 * decision. `legalDays` / `promisedDays` are working days (法定 / 承诺时限). Same-day pauses that would start on the
 * acceptance day begin the next day (the calendar counts from the day after acceptance anyway).
 */
export function caseClocks(cal: Calendar, actions: readonly ClockAction[], legalDays: number | null, promisedDays: number | null, today: string): CaseClocks {
  const accept = actions.find((a) => a.action === 'accept');
  if (!accept) return { acceptedOn: null, pauses: [], paused: false, legal: null, promised: null, status: null };
  const startedOn = accept.on_date;
  const pauses: Pause[] = [];
  let decidedOn: string | null = null;
  for (const a of actions) {
    if (a.action === 'request_correction' && a.to_status === 'review_correction') {
      const from = a.on_date > startedOn ? a.on_date : addDays(startedOn, 1);
      pauses.push({ from });
    } else if (a.action === 'resubmit' && a.to_status === 'under_review') {
      const open = pauses[pauses.length - 1];
      if (open && open.to === undefined) {
        if (a.on_date < open.from) pauses.pop();
        else open.to = a.on_date;
      }
    } else if (a.action === 'approve' || a.action === 'refuse' || a.action === 'withdraw') {
      decidedOn ??= a.on_date;
    }
  }
  const asOf = decidedOn ?? today;
  const clock = (days: number | null): CaseClock | null => {
    if (days === null) return null;
    const r = cal.caseClock({ startedOn, limitWorkingDays: days, pauses, today: asOf < startedOn ? startedOn : asOf });
    return r.ok ? r : null;
  };
  const legal = clock(legalDays);
  const promised = clock(promisedDays);
  const rank = { green: 0, amber: 1, red: 2 } as const;
  const lights = [legal?.status, promised?.status].filter((s): s is 'green' | 'amber' | 'red' => !!s);
  const status = decidedOn ? null : lights.length ? lights.reduce((a, b) => (rank[b] > rank[a] ? b : a)) : null;
  return { acceptedOn: startedOn, pauses, paused: pauses.some((p) => p.to === undefined), legal, promised, status };
}
