import { toPinyin } from './toPinyin.ts';

/**
 * Common near-form or confused characters (形近字/常见别字), both directions. Data: extend freely.
 * Each string is a group of characters that are often typed for one another.
 */
export const CONFUSABLE_GROUPS: readonly string[] = [
  '往住', '帐账', '藉籍', '录禄', '候侯', '拨拔', '贷货', '待侍', '茶荼', '己已巳', '戌戍', '末未', '土士',
  '折拆', '即既', '象像', '做作', '查察', '坐座', '副付', '复覆', '练炼', '历厉', '辩辨辫', '输翰', '证正',
  '份分', '缴交', '费废', '保堡', '险脸', '税锐', '营管', '照熙', '籍箱', '申甲由', '请清情', '补朴', '助肋',
];

const confusableMap = ((): Map<string, string[]> => {
  const m = new Map<string, string[]>();
  for (const g of CONFUSABLE_GROUPS) {
    for (const c of g) {
      const list = m.get(c) ?? [];
      for (const o of g) if (o !== c && !list.includes(o)) list.push(o);
      m.set(c, list);
    }
  }
  return m;
})();

/** Pinyin key of a word (toneless syllables joined): `居住证` → `juzhuzheng`. Homophones share a key. */
export function pinyinKey(word: string): string {
  return toPinyin(word).join('');
}

/**
 * Vocabulary words a possibly mistyped `word` may have meant: same pinyin (homophone typos such as 居主证 → 居住证),
 * or one near-form character swapped (居往证 → 居住证). `known(w)` says whether a word is in the vocabulary;
 * `byPinyin` maps pinyinKey → vocabulary words. Returns [] when the word itself is known or nothing fits.
 */
export function typoCandidates(
  word: string,
  known: (w: string) => boolean,
  byPinyin: ReadonlyMap<string, readonly string[]>,
): string[] {
  if (word.length < 2 || known(word) || !/^[\u3400-\u9fff]+$/.test(word)) return [];
  const out: string[] = [];
  for (const w of byPinyin.get(pinyinKey(word)) ?? []) if (w !== word && !out.includes(w)) out.push(w);
  const chars = [...word];
  for (let i = 0; i < chars.length; i++) {
    for (const alt of confusableMap.get(chars[i] ?? '') ?? []) {
      const cand = chars.slice(0, i).join('') + alt + chars.slice(i + 1).join('');
      if (known(cand) && !out.includes(cand)) out.push(cand);
    }
  }
  return out;
}
