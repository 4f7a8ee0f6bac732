/**
 * Early-warning burst detection for issues (pure, no I/O).
 *
 * For each day t the detector sums the issue's items over a short window (default 3 days ending at t) and compares
 * that count x with two expectations:
 *   - its own baseline: `window × max(EWMA of the issue's earlier daily counts, minRate)` (EWMA with α = 0.1, updated
 *     only with days before the window, so a burst does not hide itself);
 *   - the place's baseline: `window × max(placeBaseline, minRate)`, where placeBaseline is the usual number of items
 *     per day at the issue's place (all issues there), so a busy district needs more to raise an alarm.
 * Poisson z-scores z = (x − e)/√e are computed for both; a level is reached when x ≥ its absolute minimum and
 * the smaller of the two z-scores ≥ its z threshold:
 *
 *   蓝 (blue)  x ≥ 3  and z ≥ 2
 *   黄 (yellow) x ≥ 5  and z ≥ 3
 *   橙 (orange) x ≥ 10 and z ≥ 5
 *   红 (red)    x ≥ 20 and z ≥ 8
 *
 * A burst starts on the first day that reaches 蓝 and ends after `quietDays` days below 蓝. Within one burst each
 * level is raised at most once and only when it is higher than every level already raised (an escalating burst
 * raises 蓝, then 黄 …; a burst that first appears at 橙 raises 橙 only). Each warning carries an idempotency key
 * `${issueId}:${burstStartDay}:${level}`: the same burst recomputed from scratch, or fed again to
 * {@link updateBursts}, yields the same keys, so a store with a unique key never records a warning twice.
 */

/** Warning levels, lowest first. */
export const LEVELS = ['蓝', '黄', '橙', '红'] as const;
/** A warning level. */
export type WarningLevel = (typeof LEVELS)[number];

/** Detector settings. */
export interface BurstOptions {
  window: number;
  alpha: number;
  minRate: number;
  quietDays: number;
  thresholds: Record<WarningLevel, { minCount: number; minZ: number }>;
}

/** Default settings (see the module comment). */
export const DEFAULT_BURST_OPTIONS: Readonly<BurstOptions> = Object.freeze({
  window: 3,
  alpha: 0.1,
  minRate: 0.05,
  quietDays: 7,
  thresholds: {
    蓝: { minCount: 3, minZ: 2 },
    黄: { minCount: 5, minZ: 3 },
    橙: { minCount: 10, minZ: 5 },
    红: { minCount: 20, minZ: 8 },
  },
});

/** One warning. */
export interface BurstWarning {
  /** Idempotency key: `${issueId}:${burstStart}:${level}`. */
  key: string;
  issueId: string;
  level: WarningLevel;
  /** 1 (蓝) … 4 (红). */
  rank: number;
  /** Day the level was reached (YYYY-MM-DD). */
  day: string;
  /** First day of the burst (YYYY-MM-DD). */
  burstStart: string;
  windowCount: number;
  expectedOwn: number;
  expectedPlace: number;
  zOwn: number;
  zPlace: number;
}

/** Detector state carried between calls of {@link updateBursts} (plain JSON, storable). */
export interface BurstState {
  issueId: string;
  /** Last day processed (day number), or null before the first call. */
  lastDay: number | null;
  ewma: number;
  /** Recent daily counts (the window plus the lag), oldest first, ending at lastDay. */
  recent: number[];
  seenDays: number;
  burstStart: number | null;
  maxRank: number;
  quietRun: number;
}

/** Daily counts of an issue, days as "YYYY-MM-DD"; missing days count as 0. */
export type DailySeries = { day: string; count: number }[];

const DAY_MS = 86_400_000;
const toDay = (s: string): number | null => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return null;
  return Math.floor(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / DAY_MS);
};
const fromDay = (d: number): string => new Date(d * DAY_MS).toISOString().slice(0, 10);

/** Creates an empty state for an issue. */
export function newBurstState(issueId: string): BurstState {
  return { issueId, lastDay: null, ewma: 0, recent: [], seenDays: 0, burstStart: null, maxRank: 0, quietRun: 0 };
}

/** Level reached by a window count against two expectations (0 = none, 1..4 = 蓝..红). */
export function levelFor(
  x: number,
  eOwn: number,
  ePlace: number,
  o: BurstOptions = DEFAULT_BURST_OPTIONS,
): { rank: number; zOwn: number; zPlace: number } {
  const zOwn = (x - eOwn) / Math.sqrt(eOwn);
  const zPlace = (x - ePlace) / Math.sqrt(ePlace);
  const z = Math.min(zOwn, zPlace);
  let rank = 0;
  LEVELS.forEach((lv, i) => {
    const t = o.thresholds[lv];
    if (x >= t.minCount && z >= t.minZ) rank = i + 1;
  });
  return { rank, zOwn, zPlace };
}

/**
 * Processes the days of `series` after `state.lastDay` and returns the new warnings and the new state.
 * Days at or before `state.lastDay` are ignored, so feeding the same data twice raises nothing new.
 * @param placeBaseline usual items per day at the issue's place (all issues there)
 */
export function updateBursts(
  state: BurstState,
  series: DailySeries,
  placeBaseline: number,
  options: Partial<BurstOptions> = {},
): { ok: true; warnings: BurstWarning[]; state: BurstState } | { ok: false; error: string } {
  const o: BurstOptions = { ...DEFAULT_BURST_OPTIONS, ...options };
  if (!(o.window >= 1) || !(o.alpha > 0 && o.alpha <= 1)) return { ok: false, error: 'bad window or alpha' };
  if (!Number.isFinite(placeBaseline) || placeBaseline < 0) return { ok: false, error: 'bad place baseline' };
  const counts = new Map<number, number>();
  for (const p of series) {
    const d = toDay(p.day);
    if (d === null) return { ok: false, error: `bad day ${JSON.stringify(p.day)}` };
    if (!Number.isFinite(p.count) || p.count < 0) return { ok: false, error: `bad count on ${p.day}` };
    counts.set(d, (counts.get(d) ?? 0) + p.count);
  }
  const days = [...counts.keys()].sort((a, b) => a - b);
  const s: BurstState = { ...state, recent: state.recent.slice() };
  const warnings: BurstWarning[] = [];
  if (days.length === 0) return { ok: true, warnings, state: s };
  const start = s.lastDay === null ? (days[0] as number) : s.lastDay + 1;
  const end = days[days.length - 1] as number;
  const ePlace = o.window * Math.max(placeBaseline, o.minRate);
  for (let d = start; d <= end; d++) {
    const c = counts.get(d) ?? 0;
    s.recent.push(c);
    // the day leaving the window feeds the own baseline (lagged EWMA)
    if (s.recent.length > o.window) {
      const old = s.recent.shift() as number;
      s.ewma = s.seenDays === 0 ? old : o.alpha * old + (1 - o.alpha) * s.ewma;
      s.seenDays++;
    }
    const x = s.recent.reduce((a, b) => a + b, 0);
    const eOwn = o.window * Math.max(s.ewma, o.minRate);
    const { rank, zOwn, zPlace } = levelFor(x, eOwn, ePlace, o);
    if (rank > 0) {
      s.quietRun = 0;
      if (s.burstStart === null) {
        s.burstStart = d;
        s.maxRank = 0;
      }
      if (rank > s.maxRank) {
        const level = LEVELS[rank - 1] as WarningLevel;
        warnings.push({
          key: `${s.issueId}:${fromDay(s.burstStart)}:${level}`,
          issueId: s.issueId,
          level,
          rank,
          day: fromDay(d),
          burstStart: fromDay(s.burstStart),
          windowCount: x,
          expectedOwn: Math.round(eOwn * 1000) / 1000,
          expectedPlace: Math.round(ePlace * 1000) / 1000,
          zOwn: Math.round(zOwn * 100) / 100,
          zPlace: Math.round(zPlace * 100) / 100,
        });
        s.maxRank = rank;
      }
    } else if (s.burstStart !== null) {
      s.quietRun++;
      if (s.quietRun >= o.quietDays) {
        s.burstStart = null;
        s.maxRank = 0;
        s.quietRun = 0;
      }
    }
    s.lastDay = d;
  }
  return { ok: true, warnings, state: s };
}

/** Runs the detector over a whole series from scratch (same keys as incremental use). */
export function detectBursts(
  issueId: string,
  series: DailySeries,
  placeBaseline: number,
  options: Partial<BurstOptions> = {},
): { ok: true; warnings: BurstWarning[] } | { ok: false; error: string } {
  const r = updateBursts(newBurstState(issueId), series, placeBaseline, options);
  return r.ok ? { ok: true, warnings: r.warnings } : r;
}

/**
 * Whether a warning is already covered by one raised before for the same issue (`raisedKeys`, keys of the form
 * `${issueId}:${burstStart}:${level}`, whatever issue id they were raised under): one whose burst started within
 * `quietDays` of this one's, at this level or higher. Two bursts of one issue start more than `quietDays` apart (a
 * burst ends only after that many quiet days), so such a key is the same burst seen again, e.g. after the issue
 * merged with an older one and took its smaller id (which changes the key).
 */
export function coveredBy(raisedKeys: Iterable<string>, w: BurstWarning, options: Partial<BurstOptions> = {}): boolean {
  const quiet = options.quietDays ?? DEFAULT_BURST_OPTIONS.quietDays;
  const start = toDay(w.burstStart);
  if (start === null) return false;
  for (const k of raisedKeys) {
    const m = /:(\d{4}-\d{2}-\d{2}):([蓝黄橙红])$/.exec(k);
    if (!m) continue;
    const d = toDay(m[1] as string);
    const rank = LEVELS.indexOf(m[2] as WarningLevel) + 1;
    if (d !== null && Math.abs(d - start) <= quiet && rank >= w.rank) return true;
  }
  return false;
}

/**
 * A place's baseline: average items per day at the place over `[fromDay, toDay]` (inclusive, "YYYY-MM-DD"),
 * from the daily counts of all its issues.
 */
export function placeBaseline(allIssuesDaily: DailySeries[], fromDayStr: string, toDayStr: string): number {
  const a = toDay(fromDayStr);
  const b = toDay(toDayStr);
  if (a === null || b === null || b < a) return 0;
  let n = 0;
  for (const s of allIssuesDaily) {
    for (const p of s) {
      const d = toDay(p.day);
      if (d !== null && d >= a && d <= b) n += p.count;
    }
  }
  return n / (b - a + 1);
}
