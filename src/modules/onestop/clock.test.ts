import { describe, expect, it } from 'vitest';
import { shippedCalendar } from '../../lib/calendar/index.ts';
import { caseClocks, type ClockAction } from './clock.ts';

const cal = shippedCalendar();
const a = (action: string, to_status: string, on_date: string): ClockAction => ({ action, to_status, on_date });

describe('case clocks around National Day 2025 (10-01..10-08 off; 09-28 and 10-11 worked)', () => {
  const base = [a('create', 'draft', '2025-09-25'), a('submit', 'submitted', '2025-09-25'), a('accept', 'accepted', '2025-09-26')];

  it('does not run before acceptance', () => {
    const c = caseClocks(cal, base.slice(0, 2), 5, 3, '2025-09-26');
    expect(c.acceptedOn).toBeNull();
    expect(c.legal).toBeNull();
  });

  it('counts from the day after acceptance, over the make-up Sunday and past the holiday', () => {
    // Counted: 09-28 (Sun, worked), 09-29, 09-30, 10-09, 10-10.
    const c = caseClocks(cal, base, 5, 3, '2025-09-26');
    expect(c.legal?.deadline).toBe('2025-10-10');
    expect(c.promised?.deadline).toBe('2025-09-30');
    expect(c.status).toBe('amber');
  });

  it('pauses during 补正 in review (both ends not counted) and resumes on resubmission', () => {
    const log = [...base, a('start_review', 'under_review', '2025-09-26'), a('request_correction', 'review_correction', '2025-09-29'), a('resubmit', 'under_review', '2025-09-30')];
    // Counted: 09-28, 10-09, 10-10, 10-11 (Sat, worked), 10-13.
    const c = caseClocks(cal, log, 5, null, '2025-10-09');
    expect(c.pauses).toEqual([{ from: '2025-09-29', to: '2025-09-30' }]);
    expect(c.paused).toBe(false);
    expect(c.legal?.deadline).toBe('2025-10-13');
  });

  it('holds the deadline open while a pause is open', () => {
    const log = [...base, a('start_review', 'under_review', '2025-09-26'), a('request_correction', 'review_correction', '2025-09-29')];
    const c = caseClocks(cal, log, 5, null, '2025-10-20');
    expect(c.paused).toBe(true);
    expect(c.legal?.deadline).toBeNull();
    expect(c.legal?.status).not.toBe('red');
  });

  it('turns red after the deadline and stops at the decision', () => {
    const late = caseClocks(cal, base, 5, null, '2025-10-13');
    expect(late.status).toBe('red');
    // After the 10-10 deadline: 10-11 (the make-up Saturday) and 10-13.
    expect(late.legal?.overdueWorkingDays).toBe(2);
    const decided = caseClocks(cal, [...base, a('start_review', 'under_review', '2025-09-26'), a('approve', 'approved', '2025-09-30')], 5, null, '2025-12-01');
    expect(decided.status).toBeNull();
    expect(decided.legal?.overdueWorkingDays).toBe(0);
  });

  it('moves a 补正 requested on the acceptance day to the next day', () => {
    const log = [...base, a('start_review', 'under_review', '2025-09-26'), a('request_correction', 'review_correction', '2025-09-26'), a('resubmit', 'under_review', '2025-09-26')];
    const c = caseClocks(cal, log, 5, null, '2025-09-26');
    expect(c.pauses).toEqual([]);
    expect(c.legal?.deadline).toBe('2025-10-10');
  });
});
