import { describe, expect, it } from 'vitest';
import { CASE_ACTIONS, CASE_STATUSES, allowedActions, foldStatus, transition, type CaseAction, type CaseStatus } from './casemachine.ts';

/**
 * The full transition spec, written independently of the table in casemachine.ts: every (status, action) pair
 * not listed here must be forbidden.
 */
const ALLOWED: Record<string, CaseStatus> = {
  '|create': 'draft',
  'draft|submit': 'submitted',
  'draft|withdraw': 'withdrawn',
  'submitted|request_correction': 'correction_requested',
  'submitted|accept': 'accepted',
  'submitted|reject': 'not_accepted',
  'submitted|withdraw': 'withdrawn',
  'correction_requested|resubmit': 'submitted',
  'correction_requested|withdraw': 'withdrawn',
  'accepted|start_review': 'under_review',
  'accepted|withdraw': 'withdrawn',
  'under_review|approve': 'approved',
  'under_review|refuse': 'refused',
  'under_review|request_correction': 'review_correction',
  'under_review|withdraw': 'withdrawn',
  'review_correction|resubmit': 'under_review',
  'review_correction|withdraw': 'withdrawn',
  'approved|complete': 'completed',
  'refused|complete': 'completed',
};

describe('case state machine', () => {
  const froms: (CaseStatus | null)[] = [null, ...CASE_STATUSES];
  const pairs = froms.flatMap((s) => CASE_ACTIONS.map((a) => [s, a] as const));

  it.each(pairs)('from %s, %s is allowed exactly when the spec says so', (from, action) => {
    const expected = ALLOWED[`${from ?? ''}|${action}`];
    const t = transition(from, action);
    expect(t?.to).toBe(expected);
  });

  it('has no final status with a way out', () => {
    for (const s of ['not_accepted', 'completed', 'withdrawn'] as CaseStatus[]) {
      expect(allowedActions(s, 'citizen')).toEqual([]);
      expect(allowedActions(s, 'staff')).toEqual([]);
    }
  });

  it('gives citizens and staff separate actions', () => {
    expect(allowedActions('submitted', 'staff').sort()).toEqual(['accept', 'reject', 'request_correction']);
    expect(allowedActions('submitted', 'citizen')).toEqual(['withdraw']);
    expect(allowedActions('review_correction', 'citizen').sort()).toEqual(['resubmit', 'withdraw']);
  });

  it('derives the status from a log and names the first forbidden action', () => {
    const log: CaseAction[] = ['create', 'submit', 'request_correction', 'resubmit', 'accept', 'start_review', 'request_correction', 'resubmit', 'approve', 'complete'];
    expect(foldStatus(log)).toEqual({ ok: true, status: 'completed' });
    expect(foldStatus(['create', 'submit', 'approve'])).toEqual({ ok: false, index: 2, from: 'submitted', action: 'approve' });
    expect(foldStatus(['submit'])).toMatchObject({ ok: false, index: 0 });
    expect(foldStatus(['create', 'bogus'])).toMatchObject({ ok: false, index: 1 });
    expect(foldStatus([])).toMatchObject({ ok: false });
  });
});
