import { describe, expect, it } from 'vitest';
import { coveredBy, detectBursts, newBurstState, placeBaseline, updateBursts, type DailySeries } from './burst.ts';

/** n days from 2019-01-01 with the given counts. */
function series(counts: number[]): DailySeries {
  return counts.map((count, i) => ({ day: new Date(Date.UTC(2019, 0, 1 + i)).toISOString().slice(0, 10), count }));
}
const zeros = (n: number): number[] => new Array<number>(n).fill(0);

describe('burst detection on synthetic series', () => {
  it('raises nothing for a flat quiet series', () => {
    const r = detectBursts('i1', series([...zeros(30), 1, 0, 0, 1, 0]), 0.2);
    expect(r).toEqual({ ok: true, warnings: [] });
  });

  it('raises a single 蓝 for a small spike and 红 for a large one (highest level only once)', () => {
    const small = detectBursts('i1', series([...zeros(30), 2, 2, 0, ...zeros(10)]), 0.1);
    expect(small.ok && small.warnings.map((w) => w.level)).toEqual(['蓝']);
    const big = detectBursts('i2', series([...zeros(30), 30, 0, 0]), 0.1);
    // one day of 30 jumps straight to 红: lower levels are not raised afterwards
    expect(big.ok && big.warnings.map((w) => w.level)).toEqual(['红']);
  });

  it('escalates an accelerating burst once per level, all with the same burst start', () => {
    const r = detectBursts('i3', series([...zeros(30), 1, 2, 3, 5, 8, 12, 20, 25, 20, 10]), 0.1);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.warnings.map((w) => w.level)).toEqual(['蓝', '黄', '橙', '红']);
    expect(new Set(r.warnings.map((w) => w.burstStart)).size).toBe(1);
    expect(new Set(r.warnings.map((w) => w.key)).size).toBe(4);
    for (let i = 1; i < r.warnings.length; i++) expect((r.warnings[i]?.day ?? '') >= (r.warnings[i - 1]?.day ?? '')).toBe(true);
  });

  it("does not alarm on an issue's usual high volume (own baseline)", () => {
    const steady = Array.from({ length: 60 }, (_, i) => 10 + (i % 3)); // 10–12 a day for two months
    const r = detectBursts('i4', series(steady), 0.1);
    expect(r.ok && r.warnings.filter((w) => w.day > '2019-01-20')).toEqual([]);
  });

  it('needs more in a busy place (place baseline)', () => {
    const s = series([...zeros(30), 3, 3, 3]);
    const quietPlace = detectBursts('i5', s, 0.1);
    const busyPlace = detectBursts('i5', s, 5);
    expect(quietPlace.ok && quietPlace.warnings.length).toBeGreaterThan(0);
    expect(busyPlace).toEqual({ ok: true, warnings: [] });
  });

  it('gives two separate bursts different keys and re-raises levels for the second', () => {
    const r = detectBursts('i6', series([...zeros(30), 6, 6, ...zeros(20), 6, 6, 0]), 0.1);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const starts = new Set(r.warnings.map((w) => w.burstStart));
    expect(starts.size).toBe(2);
    expect(new Set(r.warnings.map((w) => w.key)).size).toBe(r.warnings.length);
  });

  it('is idempotent: feeding the same days again raises nothing, and incremental = from scratch', () => {
    const full = series([...zeros(30), 1, 2, 3, 5, 8, 12, 20, 25]);
    const first = updateBursts(newBurstState('i7'), full.slice(0, 34), 0.1);
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    const again = updateBursts(first.state, full.slice(0, 34), 0.1);
    expect(again.ok && again.warnings).toEqual([]);
    const rest = updateBursts(first.state, full, 0.1);
    const scratch = detectBursts('i7', full, 0.1);
    expect(rest.ok && scratch.ok).toBe(true);
    if (!rest.ok || !scratch.ok) return;
    expect([...first.warnings, ...rest.warnings].map((w) => w.key)).toEqual(scratch.warnings.map((w) => w.key));
    // the state is plain JSON (storable between runs)
    expect(JSON.parse(JSON.stringify(rest.state))).toEqual(rest.state);
  });

  it('reports bad input as a value', () => {
    expect(detectBursts('x', [{ day: '2019/1/1', count: 1 }], 0.1)).toMatchObject({ ok: false });
    expect(detectBursts('x', [{ day: '2019-01-01', count: -1 }], 0.1)).toMatchObject({ ok: false });
    expect(detectBursts('x', series([1]), Number.NaN)).toMatchObject({ ok: false });
  });

  it('computes a place baseline as items per day over a range', () => {
    expect(placeBaseline([series([1, 1, 1, 1]), series([0, 2, 0, 2])], '2019-01-01', '2019-01-04')).toBe(2);
  });

  it('finds a burst already warned under another issue id (same start within quietDays, same or higher level)', () => {
    const w = detectBursts('3', series([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 12]), 0.1);
    if (!w.ok) throw new Error(w.error);
    const first = w.warnings[0]!;
    expect(coveredBy([], first)).toBe(false);
    expect(coveredBy([first.key.replace(/^3:/, '1:')], first)).toBe(true);
    expect(coveredBy([`1:2019-01-05:${first.level}`], first)).toBe(true); // started six days earlier: the same burst
    expect(coveredBy([`1:2018-12-20:${first.level}`], first)).toBe(false); // a burst of its own
    expect(coveredBy([`1:${first.burstStart}:蓝`], { ...first, level: '红', rank: 4 })).toBe(false); // an escalation
  });
});
