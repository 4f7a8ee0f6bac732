/**
 * Scoring a clustering against hand-found issues (pure). Only messages listed in the gold set are scored.
 */

/** One hand-found issue. */
export interface GoldIssue {
  key: string;
  place: string;
  problem: string;
  split: 'train' | 'validation';
  /** Added to see theme groups: one issue per station or kindergarten, singletons for messages sharing only a theme. */
  theme_check?: boolean;
  message_ids: (string | number)[];
}

/** Scores of a clustering on gold issues. */
export interface GoldScores {
  issues: number;
  messages: number;
  /** Pairwise precision / recall / F1 over pairs of gold messages. */
  pairPrecision: number;
  pairRecall: number;
  pairF1: number;
  /** B-cubed precision / recall / F1 over gold messages. */
  bcubedPrecision: number;
  bcubedRecall: number;
  bcubedF1: number;
  /** Per gold issue: share of its messages in its largest predicted issue, and that issue's size overall. */
  perIssue: { key: string; size: number; largestShare: number; predictedSize: number; predictedIssues: number }[];
}

const f1 = (p: number, r: number): number => (p + r === 0 ? 0 : (2 * p * r) / (p + r));

/**
 * Scores predicted assignments (message id → issue id) on gold issues.
 * @param assign predicted issue of each message
 * @param gold gold issues (messages missing from `assign` count as singletons)
 * @param sizes predicted issue sizes over all messages (for `predictedSize`), optional
 */
export function scoreAgainstGold(
  assign: Map<string | number, number>,
  gold: GoldIssue[],
  sizes?: Map<number, number>,
): GoldScores {
  const items: { id: string | number; g: string; p: string }[] = [];
  let single = 0;
  for (const gi of gold) {
    for (const id of gi.message_ids) {
      const pid = assign.get(id) ?? assign.get(String(id)) ?? assign.get(Number(id));
      items.push({ id, g: gi.key, p: pid === undefined ? `single:${single++}` : String(pid) });
    }
  }
  // pairwise via contingency counts
  const cont = new Map<string, number>();
  const gCount = new Map<string, number>();
  const pCount = new Map<string, number>();
  for (const it of items) {
    const k = `${it.g}\u0000${it.p}`;
    cont.set(k, (cont.get(k) ?? 0) + 1);
    gCount.set(it.g, (gCount.get(it.g) ?? 0) + 1);
    pCount.set(it.p, (pCount.get(it.p) ?? 0) + 1);
  }
  const pairs = (n: number): number => (n * (n - 1)) / 2;
  let tp = 0;
  for (const n of cont.values()) tp += pairs(n);
  let predPairs = 0;
  for (const n of pCount.values()) predPairs += pairs(n);
  let goldPairs = 0;
  for (const n of gCount.values()) goldPairs += pairs(n);
  const pairPrecision = predPairs ? tp / predPairs : 1;
  const pairRecall = goldPairs ? tp / goldPairs : 1;
  // B-cubed
  let bp = 0;
  let br = 0;
  for (const it of items) {
    const both = cont.get(`${it.g}\u0000${it.p}`) ?? 0;
    bp += both / (pCount.get(it.p) ?? 1);
    br += both / (gCount.get(it.g) ?? 1);
  }
  const n = items.length || 1;
  const perIssue = gold.map((gi) => {
    const byP = new Map<string, number>();
    for (const it of items) if (it.g === gi.key) byP.set(it.p, (byP.get(it.p) ?? 0) + 1);
    let best = '';
    let bc = 0;
    for (const [p, c] of byP) if (c > bc) [best, bc] = [p, c];
    const predictedSize = best.startsWith('single:') ? 1 : (sizes?.get(Number(best)) ?? bc);
    return {
      key: gi.key,
      size: gi.message_ids.length,
      largestShare: gi.message_ids.length ? bc / gi.message_ids.length : 0,
      predictedSize,
      predictedIssues: byP.size,
    };
  });
  return {
    issues: gold.length,
    messages: items.length,
    pairPrecision,
    pairRecall,
    pairF1: f1(pairPrecision, pairRecall),
    bcubedPrecision: bp / n,
    bcubedRecall: br / n,
    bcubedF1: f1(bp / n, br / n),
    perIssue,
  };
}
