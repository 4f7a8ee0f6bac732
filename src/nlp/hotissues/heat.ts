/**
 * Heat index of an issue (pure).
 *
 *   heat = 10 × [ ln(1+P) + 0.5·ln(1+W) + 0.25·ln(1+L+D) ] × (1 + 0.3·neg) × (1 + 0.2·max(0, g)) × S
 *
 * - P: distinct people (authors; the number of items when authors are unknown) — volume counted once per person,
 *   so one person posting ten times does not make an issue hot;
 * - W: the largest number of items in any 7 consecutive days — how fast it grew at its peak;
 * - L, D: likes and dislikes — engagement (a like is a person agreeing, so it counts, but logarithmically and with a
 *   smaller weight than people who wrote);
 * - neg: share of negative items among items with a known sentiment (0 when none is known);
 * - g: recent growth, ln((1 + items in the 7 days before `now`) / (1 + items per 7 days in the 28 days before
 *   that)); only positive growth raises heat, so an old, quiet issue keeps its historical heat;
 * - S: place specificity — 1 when most items name one place (estate, road, school …), 0.85 when only a district,
 *   0.7 when no place: an issue is one problem at one place, and city-wide topic groups rank below local issues.
 *
 * A single message with no likes scores 10 × (0.69 + 0.35) ≈ 10; 60 people with a peak week of 12 and 50 likes ≈ 70.
 */

/** Inputs of the heat index. */
export interface HeatInputs {
  people: number;
  peakWeek: number;
  likes: number;
  dislikes: number;
  /** Share of negative items among items with known sentiment, or null when unknown. */
  negativeShare: number | null;
  /** Items in the 7 days before `now`. */
  last7: number;
  /** Items in the 28 days before those 7. */
  prev28: number;
  /** Place specificity factor S (default 1). */
  placeFactor?: number;
}

/** The heat index (see the module comment for the formula). */
export function heatIndex(h: HeatInputs): number {
  const base = Math.log1p(h.people) + 0.5 * Math.log1p(h.peakWeek) + 0.25 * Math.log1p(h.likes + h.dislikes);
  const neg = 1 + 0.3 * (h.negativeShare ?? 0);
  const g = Math.log((1 + h.last7) / (1 + h.prev28 / 4));
  const growth = 1 + 0.2 * Math.max(0, g);
  return Math.round(10 * base * neg * growth * (h.placeFactor ?? 1) * 100) / 100;
}

/** Largest number of items in any window of `width` consecutive days, from a day → count map. */
export function peakWindow(days: Map<number, number>, width = 7): number {
  const keys = [...days.keys()].sort((a, b) => a - b);
  let best = 0;
  let sum = 0;
  let lo = 0;
  for (let hi = 0; hi < keys.length; hi++) {
    const kh = keys[hi] as number;
    sum += days.get(kh) ?? 0;
    while ((keys[lo] as number) <= kh - width) {
      sum -= days.get(keys[lo] as number) ?? 0;
      lo++;
    }
    if (sum > best) best = sum;
  }
  return best;
}

/** Items in the day range [from, to) of a day → count map. */
export function countBetween(days: Map<number, number>, from: number, to: number): number {
  let n = 0;
  for (const [d, c] of days) if (d >= from && d < to) n += c;
  return n;
}
