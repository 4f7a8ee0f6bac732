// Taxonomy level 2 for the fifth round: per level-1 class, its level-2 groups and the words that name them
// (jieba-cut level-2 and level-3 names, "其他" groups and generic words dropped), and weak level-2 labels per row.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CATEGORIES } from '../../src/nlp/routing/categories.ts';
import { DATASET_DIR } from '../../src/nlp/routing/dataset.ts';
import { getJieba, isNoiseToken } from '../../src/nlp/routing/text.ts';

export interface Group { parent: number; name: string; words: Map<string, number> }
/**
 * The level-2 groups of the 7 labelled classes. A word's weight is 1 / (number of level-2 groups of the whole
 * taxonomy, all 15 level-1 names, whose names contain it), so 管理 / 问题 / 服务 count little and 物业 / 噪音 a lot.
 * Words of one character and words in more than `maxGroups` groups are dropped.
 */
export function taxonomyGroups(maxGroups = 4): Group[] {
  const jieba = getJieba();
  const lines = readFileSync(join(DATASET_DIR, 'taxonomy.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
  const cut = (s: string): string[] => jieba.cut(s, true).filter((t) => !isNoiseToken(t) && t.length >= 2 && t !== '其他');
  const groupWords = new Map<string, Set<string>>(); // "l1/l2" -> words
  for (const [l1, l2, l3] of lines) {
    if (l2 === '其他') continue;
    const key = `${l1}/${l2}`;
    const s = groupWords.get(key) ?? new Set<string>();
    for (const w of [...cut(l2!), ...(l3 && l3 !== '其他' ? cut(l3) : [])]) s.add(w);
    groupWords.set(key, s);
  }
  const df = new Map<string, number>();
  for (const s of groupWords.values()) for (const w of s) df.set(w, (df.get(w) ?? 0) + 1);
  const out: Group[] = [];
  for (const [key, s] of groupWords) {
    const [l1, l2] = key.split('/') as [string, string];
    const parent = CATEGORIES.indexOf(l1 as (typeof CATEGORIES)[number]);
    if (parent < 0) continue;
    const words = new Map<string, number>();
    for (const w of s) if (df.get(w)! <= maxGroups) words.set(w, 1 / df.get(w)!);
    if (words.size) out.push({ parent, name: l2, words });
  }
  return out;
}

/** Evidence of each group in a token sequence: sum over token occurrences of the word's weight. */
export function groupEvidence(groups: readonly Group[], tok: readonly string[]): Float64Array {
  const e = new Float64Array(groups.length);
  for (const t of tok) groups.forEach((g, q) => { const w = g.words.get(t); if (w) e[q]! += w; });
  return e;
}

/**
 * Weak level-2 label of a row of class `y`: the group of class y with the most evidence, or -1 (no word of any of
 * its groups occurs; the row then goes to its class's residual sub-class).
 */
export function weakLabel(groups: readonly Group[], tok: readonly string[], y: number): number {
  const e = groupEvidence(groups, tok);
  let best = -1, bs = 0;
  groups.forEach((g, q) => { if (g.parent === y && e[q]! > bs) { bs = e[q]!; best = q; } });
  return best;
}
