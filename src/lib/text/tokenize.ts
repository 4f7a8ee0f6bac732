import { readFileSync } from 'node:fs';
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import { foldToSimplified } from './foldToSimplified.ts';
import { isStopWord, STOP_WORDS } from './stopWords.ts';

let jieba: Jieba | undefined;

/** The shared jieba instance: default dictionary plus our word list (`dict/words.txt`), loaded once. */
export function getJieba(): Jieba {
  if (!jieba) {
    const j = Jieba.withDict(dict);
    j.loadDict(readFileSync(new URL('./dict/words.txt', import.meta.url)));
    jieba = j;
  }
  return jieba;
}

export interface TokenizeOptions {
  /** Keep stop words and punctuation (default false: they are dropped). */
  keepStopWords?: boolean;
  /** Stop-word set (default STOP_WORDS). */
  stopWords?: ReadonlySet<string>;
  /** Search mode: also emit the dictionary sub-words of long words (中华人民共和国 → 中华, 华人, 人民 …). */
  searchMode?: boolean;
  /** The input is already folded with foldToSimplified (skips the second fold). */
  folded?: boolean;
}

/**
 * Splits text into folded words with jieba and our dictionary (service, department and place names):
 * `辦理居住證要什麼材料` → `['办理', '居住证', '材料']`. Traditional input, full-width characters and case are folded
 * first; stop words and punctuation are dropped unless `keepStopWords`.
 */
export function tokenize(s: string, options: TokenizeOptions = {}): string[] {
  if (s === '') return [];
  const text = options.folded ? s : foldToSimplified(s);
  const j = getJieba();
  const raw = options.searchMode ? j.cutForSearch(text, true) : j.cut(text, true);
  const stop = options.stopWords ?? STOP_WORDS;
  const out: string[] = [];
  for (const w of raw) {
    const t = w.trim();
    if (t === '') continue;
    if (!options.keepStopWords && isStopWord(t, stop)) continue;
    out.push(t);
  }
  return out;
}
