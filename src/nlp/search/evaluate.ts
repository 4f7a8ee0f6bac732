import { createHash } from 'node:crypto';

/** Seed of the fixed validation split. Do not change it after tuning. */
export const SPLIT_SEED = 'yiwang-search-v1';

/**
 * Deterministic split: an item is in validation when sha256(seed + key) mod 100 < `percent`. Same keys, same seed,
 * same split, whatever the order.
 */
export function splitByKey<T>(items: readonly T[], key: (t: T) => string, percent = 30, seed = SPLIT_SEED): { tune: T[]; validation: T[] } {
  const tune: T[] = [];
  const validation: T[] = [];
  for (const it of items) {
    const h = createHash('sha256').update(seed + key(it)).digest();
    if ((h.readUInt32BE(0) % 100) < percent) validation.push(it);
    else tune.push(it);
  }
  return { tune, validation };
}

/** Recall@k and MRR (reciprocal rank of the right id, 0 when absent) over ranked id lists. */
export function rankingMetrics(ranked: readonly (readonly string[])[], gold: readonly string[], k = 5): { recallAtK: number; mrr: number; n: number } {
  let hit = 0;
  let rr = 0;
  for (let i = 0; i < gold.length; i++) {
    const r = ranked[i] ?? [];
    const pos = r.indexOf(gold[i] ?? '');
    if (pos >= 0 && pos < k) hit++;
    if (pos >= 0) rr += 1 / (pos + 1);
  }
  const n = gold.length;
  return { recallAtK: n ? hit / n : 0, mrr: n ? rr / n : 0, n };
}

/** Whitespace-insensitive containment: does `passage` contain `answer`? */
export function containsAnswer(passage: string, answer: string): boolean {
  const norm = (s: string): string => s.replace(/[\s\u00a0\u3000]+/g, '');
  return norm(passage).includes(norm(answer));
}
