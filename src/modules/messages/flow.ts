/**
 * The ticket flow as a pure state machine. A ticket's state is derived by folding its append-only action log;
 * the service stores that fold as a projection and checks every new action with {@link applyAction}.
 *
 * Holder: at every moment exactly one department or the manual dispatch queue holds a ticket. The state says so
 * structurally: `departmentId === null` means the queue holds it.
 */

/** Ticket statuses. `merged` is terminal (its messages now belong to another ticket). */
export const STATUSES = ['received', 'dispatched', 'transferred', 'returned', 'in_progress', 'replied', 'closed', 'merged'] as const;
export type TicketStatus = (typeof STATUSES)[number];

/** Statuses in which the manual queue holds the ticket. */
export const QUEUE_STATUSES: readonly TicketStatus[] = ['received', 'returned'];
/** Statuses in which the ticket still needs work from its holder. */
export const OPEN_STATUSES: readonly TicketStatus[] = ['received', 'dispatched', 'transferred', 'returned', 'in_progress'];

/** The kinds of action in the log. */
export type ActionKind =
  | 'receive'
  | 'dispatch'
  | 'transfer'
  | 'return'
  | 'accept'
  | 'reply'
  | 'callback'
  | 'rate'
  | 'close'
  | 'reopen'
  | 'merge'
  | 'merge_in'
  | 'escalate'
  | 'follow_up';

/** One entry of the action log (what the fold needs). */
export interface FlowAction {
  action: ActionKind;
  /** Target department of dispatch / transfer. */
  departmentId?: number | null;
  /** Day (YYYY-MM-DD, China time) on which the action happened. */
  on: string;
}

/** The derived state of a ticket. */
export interface TicketState {
  status: TicketStatus;
  /** The holding department; null = the manual dispatch queue. */
  departmentId: number | null;
  escalated: boolean;
  reopenCount: number;
  /** Day the (last) reply was given. */
  repliedOn: string | null;
}

/** A refused transition (an expected failure, returned as a value). */
export interface FlowError {
  ok: false;
  code: 'BAD_TRANSITION' | 'DEPARTMENT_REQUIRED' | 'SAME_DEPARTMENT' | 'REOPEN_PERIOD_OVER';
  message: string;
}

/** The state before the first action. */
export const INITIAL: TicketState = { status: 'received', departmentId: null, escalated: false, reopenCount: 0, repliedOn: null };

const bad = (a: ActionKind, s: TicketStatus): FlowError => ({ ok: false, code: 'BAD_TRANSITION', message: `cannot ${a} a ticket that is ${s}` });

/** Options for transitions that depend on configuration. */
export interface FlowOptions {
  /** Last day (YYYY-MM-DD) on which a replied/closed ticket may still be reopened; absent = no limit. */
  reopenUntil?: string;
}

/**
 * Applies one action to a state; returns the new state or why the action is not allowed now.
 * Pure: no clock, no I/O.
 */
export function applyAction(s: TicketState, a: FlowAction, opts: FlowOptions = {}): { ok: true; state: TicketState } | FlowError {
  const next = (patch: Partial<TicketState>) => ({ ok: true as const, state: { ...s, ...patch } });
  switch (a.action) {
    case 'receive':
      return next({ status: 'received', departmentId: null });
    case 'dispatch':
      if (!QUEUE_STATUSES.includes(s.status)) return bad(a.action, s.status);
      if (a.departmentId === undefined || a.departmentId === null) return { ok: false, code: 'DEPARTMENT_REQUIRED', message: 'dispatch needs a department' };
      return next({ status: 'dispatched', departmentId: a.departmentId });
    case 'transfer':
      if (!['dispatched', 'transferred', 'in_progress'].includes(s.status)) return bad(a.action, s.status);
      if (a.departmentId === undefined || a.departmentId === null) return { ok: false, code: 'DEPARTMENT_REQUIRED', message: 'transfer needs a department' };
      if (a.departmentId === s.departmentId) return { ok: false, code: 'SAME_DEPARTMENT', message: 'the ticket is already there' };
      return next({ status: 'transferred', departmentId: a.departmentId });
    case 'return':
      if (!['dispatched', 'transferred', 'in_progress'].includes(s.status)) return bad(a.action, s.status);
      return next({ status: 'returned', departmentId: null });
    case 'accept':
      if (!['dispatched', 'transferred'].includes(s.status)) return bad(a.action, s.status);
      return next({ status: 'in_progress' });
    case 'reply':
      if (!['dispatched', 'transferred', 'in_progress'].includes(s.status)) return bad(a.action, s.status);
      return next({ status: 'replied', repliedOn: a.on, escalated: false });
    case 'callback':
    case 'rate':
      if (!['replied', 'closed'].includes(s.status)) return bad(a.action, s.status);
      return next({ status: 'closed' });
    case 'close':
      if (s.status !== 'replied') return bad(a.action, s.status);
      return next({ status: 'closed' });
    case 'reopen':
    case 'follow_up':
      if (!['replied', 'closed'].includes(s.status)) return bad(a.action, s.status);
      if (opts.reopenUntil !== undefined && a.on > opts.reopenUntil) {
        return { ok: false, code: 'REOPEN_PERIOD_OVER', message: `the follow-up period ended on ${opts.reopenUntil}` };
      }
      // Back to the department that replied; if none (never happens after a reply), to the queue.
      return next({ status: s.departmentId === null ? 'returned' : 'in_progress', reopenCount: s.reopenCount + 1 });
    case 'merge':
      if (!OPEN_STATUSES.includes(s.status)) return bad(a.action, s.status);
      return next({ status: 'merged' });
    case 'merge_in':
      if (!OPEN_STATUSES.includes(s.status) && s.status !== 'replied') return bad(a.action, s.status);
      return next({});
    case 'escalate':
      if (!OPEN_STATUSES.includes(s.status)) return bad(a.action, s.status);
      return next({ escalated: true });
  }
}

/**
 * Folds a whole log into a state. Returns the first refused action's index when the log is inconsistent.
 * (Reopen periods are not re-checked: they were checked when the action was taken.)
 */
export function deriveState(log: readonly FlowAction[]): { ok: true; state: TicketState; holders: (number | null)[] } | (FlowError & { index: number }) {
  let s = INITIAL;
  const holders: (number | null)[] = [];
  for (let i = 0; i < log.length; i++) {
    const r = applyAction(s, log[i]!);
    if (!r.ok) return { ...r, index: i };
    s = r.state;
    holders.push(s.departmentId);
  }
  return { ok: true, state: s, holders };
}

/** True when the manual queue holds a ticket in this state. */
export function inQueue(s: Pick<TicketState, 'departmentId'>): boolean {
  return s.departmentId === null;
}
