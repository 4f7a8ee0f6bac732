import { foldToSimplified } from '../../lib/text/foldToSimplified.ts';
import { getJieba } from '../../lib/text/tokenize.ts';
import { isStopWord } from '../../lib/text/stopWords.ts';

/** Token that marks a break (punctuation, whitespace) in a stored token stream. */
export const BREAK = '|';
/** Prefix of character-bigram terms, so they never collide with words. */
export const BIGRAM_PREFIX = '\u0001';

/**
 * Segments folded text into jieba tokens, stop words kept (they matter for bigrams), every run of punctuation or
 * whitespace replaced by one BREAK token. This stream is what an index row stores, so the index can be rebuilt
 * without running jieba again.
 */
export function segment(folded: string): string[] {
  if (folded === '') return [];
  const raw = getJieba().cut(folded, true);
  const out: string[] = [];
  for (const w of raw) {
    let t = w;
    if (hasSpace(t)) t = t.replace(/\s+/g, '');
    if (t === '' || !hasWordChar(t)) {
      if (out.length && out[out.length - 1] !== BREAK) out.push(BREAK);
      continue;
    }
    out.push(t === BREAK ? '｜' : t);
  }
  return out;
}

function hasSpace(t: string): boolean {
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c <= 32 || c === 0xa0 || c === 0x3000) return true;
  }
  return false;
}

/** True when t has a letter or digit (fast path for CJK and ASCII, Unicode regex otherwise). */
function hasWordChar(t: string): boolean {
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if ((c >= 0x3400 && c <= 0x9fff) || (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90)) return true;
    if (c > 127 && /[\p{L}\p{N}]/u.test(t[i] ?? '')) return true;
  }
  return false;
}

/** Field terms derived from a token stream. */
export interface FieldTerms {
  /** Word → frequency (stop words removed). */
  words: Map<string, number>;
  /** Character bigram (bigramKey) → frequency. */
  bigrams: Map<number, number>;
  /** Number of words (length used for BM25 normalisation). */
  length: number;
}

/** Index of a CJK code unit in 0 … 28159 (U+3400–U+9FFF, then U+F900–U+FAFF). */
function cjkIndex(c: number): number {
  return c <= 0x9fff ? c - 0x3400 : 27648 + (c - 0xf900);
}

/** Numeric key of a bigram of two CJK code units: a small integer (< 2^30), fast as a Map key. */
export function bigramCodeKey(c1: number, c2: number): number {
  return cjkIndex(c1) * 28160 + cjkIndex(c2);
}

/** Numeric key of a two-character CJK bigram string. */
export function bigramKey(b: string): number {
  return bigramCodeKey(b.charCodeAt(0), b.charCodeAt(1));
}

/** Whether a UTF-16 code unit is a CJK ideograph that takes part in bigrams. */
export function isCjkCode(c: number): boolean {
  return (c >= 0x3400 && c <= 0x9fff) || (c >= 0xf900 && c <= 0xfaff);
}

/**
 * Turns a token stream into indexable terms: each non-stop word, and each character bigram inside a run of CJK
 * characters (a run stops at a BREAK or a non-CJK character).
 */
export function fieldTerms(tokens: readonly string[], stopWords?: ReadonlySet<string>): FieldTerms {
  const words = new Map<string, number>();
  const bigrams = new Map<number, number>();
  let length = 0;
  let prev = 0; // previous CJK char code in the current run, 0 when none
  for (const t of tokens) {
    if (t === BREAK) {
      prev = 0;
      continue;
    }
    if (!isStopWord(t, stopWords)) {
      words.set(t, (words.get(t) ?? 0) + 1);
      length++;
    }
    for (let i = 0; i < t.length; i++) {
      const c = t.charCodeAt(i);
      if (isCjkCode(c)) {
        if (prev !== 0) {
          const k = bigramCodeKey(prev, c);
          bigrams.set(k, (bigrams.get(k) ?? 0) + 1);
        }
        prev = c;
      } else prev = 0;
    }
  }
  return { words, bigrams, length };
}

/** Folds and segments raw field text (convenience for `fieldTerms(segment(foldToSimplified(text)))`). */
export function analyzeText(text: string): string[] {
  return segment(foldToSimplified(text));
}
