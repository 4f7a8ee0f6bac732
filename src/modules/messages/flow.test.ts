import { describe, expect, it } from 'vitest';
import { applyAction, deriveState, INITIAL, type ActionKind, type FlowAction, type TicketState } from './flow.ts';

const on = '2026-03-02';

describe('ticket flow', () => {
  it('runs received → dispatched → in progress → replied → closed and keeps one holder throughout', () => {
    const log: FlowAction[] = [
      { action: 'receive', on },
      { action: 'dispatch', departmentId: 7, on },
      { action: 'accept', on },
      { action: 'reply', on },
      { action: 'callback', on },
    ];
    const r = deriveState(log);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.state.status).toBe('closed');
    expect(r.state.departmentId).toBe(7);
    expect(r.holders).toEqual([null, 7, 7, 7, 7]);
  });

  it('sends a returned ticket back to the manual queue and lets it be redispatched', () => {
    const r = deriveState([
      { action: 'receive', on },
      { action: 'dispatch', departmentId: 3, on },
      { action: 'return', on },
      { action: 'dispatch', departmentId: 4, on },
      { action: 'transfer', departmentId: 5, on },
    ]);
    expect(r.ok && r.holders).toEqual([null, 3, null, 4, 5]);
    expect(r.ok && r.state.status).toBe('transferred');
  });

  it('refuses impossible steps with a code', () => {
    expect(applyAction(INITIAL, { action: 'reply', on })).toMatchObject({ ok: false, code: 'BAD_TRANSITION' });
    expect(applyAction(INITIAL, { action: 'dispatch', on })).toMatchObject({ ok: false, code: 'DEPARTMENT_REQUIRED' });
    const held: TicketState = { ...INITIAL, status: 'in_progress', departmentId: 2 };
    expect(applyAction(held, { action: 'transfer', departmentId: 2, on })).toMatchObject({ ok: false, code: 'SAME_DEPARTMENT' });
    expect(applyAction(held, { action: 'dispatch', departmentId: 9, on })).toMatchObject({ ok: false, code: 'BAD_TRANSITION' });
  });

  it('allows a follow-up only within the period', () => {
    const replied: TicketState = { ...INITIAL, status: 'replied', departmentId: 2, repliedOn: '2026-03-02' };
    expect(applyAction(replied, { action: 'reopen', on: '2026-03-10' }, { reopenUntil: '2026-03-17' })).toMatchObject({ ok: true, state: { status: 'in_progress', departmentId: 2, reopenCount: 1 } });
    expect(applyAction(replied, { action: 'reopen', on: '2026-03-18' }, { reopenUntil: '2026-03-17' })).toMatchObject({ ok: false, code: 'REOPEN_PERIOD_OVER' });
  });

  it('holds exactly one holder for every reachable state (random walks)', () => {
    let seed = 42;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const kinds: ActionKind[] = ['dispatch', 'transfer', 'return', 'accept', 'reply', 'callback', 'rate', 'close', 'reopen', 'merge', 'escalate'];
    for (let walk = 0; walk < 300; walk++) {
      let s = INITIAL;
      for (let step = 0; step < 30; step++) {
        const a = kinds[Math.floor(rnd() * kinds.length)]!;
        const r = applyAction(s, { action: a, departmentId: 1 + Math.floor(rnd() * 4), on });
        if (!r.ok) continue;
        s = r.state;
        const queue = s.status === 'received' || s.status === 'returned';
        if (s.status !== 'merged') expect(queue).toBe(s.departmentId === null);
      }
    }
  });
});
