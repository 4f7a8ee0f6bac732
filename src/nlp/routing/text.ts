/**
 * Text normalisation and tokenisation for routing.
 *
 * Most training rows only exist as jieba tokens with the source team's stop-words removed, while production
 * input is raw text. Both forms are mapped to the same token sequence: raw text is normalised, cut with jieba
 * (HMM on, as the source team did) and filtered with a stop-word list that training derives from the rows that
 * have both forms (a token is a stop-word when the source team almost always dropped it).
 */
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';

let sharedJieba: Jieba | undefined;

/** The process-wide jieba instance with the default dictionary (loaded on first use, about 0.2 s). */
export function getJieba(): Jieba {
  sharedJieba ??= Jieba.withDict(dict);
  return sharedJieba;
}

/**
 * Normalises text before cutting: NFKC (full-width letters, digits and punctuation become half-width),
 * lower case for Latin letters, whitespace runs collapsed to one space.
 */
export function normalizeText(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

const KEEP_RE = /[\p{Script=Han}\p{L}\p{N}]/u;
const DIGITS_RE = /^[\p{N}.,%]+$/u;

/** True for tokens that never carry routing signal: punctuation, spaces, bare numbers, single Latin letters. */
export function isNoiseToken(token: string): boolean {
  if (!KEEP_RE.test(token)) return true;
  if (DIGITS_RE.test(token)) return true;
  if (token.length === 1 && /[a-z]/.test(token)) return true;
  return false;
}

/**
 * Character folding Traditional → Simplified for input only: the training data is Simplified, so a character
 * that never occurs in it but has a Simplified form is replaced by that form. The table is built at training time
 * (with opencc-js) and stored in the artefact, so prediction needs no converter.
 */
export class CharFolder {
  private readonly map = new Map<number, string>();
  private readonly mark = new Uint8Array(65536);

  /** `pairs` alternates source and target characters ("繁简雙双…"). */
  constructor(pairs: string) {
    const cps = Array.from(pairs);
    for (let i = 0; i + 1 < cps.length; i += 2) {
      const from = (cps[i] as string).charCodeAt(0);
      this.map.set(from, cps[i + 1] as string);
      this.mark[from] = 1;
    }
  }

  /** Folds the characters of the table; returns the same string when none occurs (the common case). */
  fold(text: string): string {
    let i = 0;
    for (; i < text.length; i++) if (this.mark[text.charCodeAt(i)] === 1) break;
    if (i === text.length) return text;
    let out = text.slice(0, i);
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      out += this.mark[c] === 1 ? (this.map.get(c) as string) : text[i];
    }
    return out;
  }
}

/**
 * Builds the folding table: CJK characters (U+4E00–U+9FFF) that `toSimplified` changes into one other character
 * and that do not occur in `seen` (the training text). Returns alternating source/target characters.
 */
export function buildFoldPairs(toSimplified: (s: string) => string, seen: ReadonlySet<string>): string {
  const chars: string[] = [];
  for (let c = 0x4e00; c <= 0x9fff; c++) chars.push(String.fromCharCode(c));
  const converted = toSimplified(chars.join('\n')).split('\n');
  if (converted.length !== chars.length) return '';
  let pairs = '';
  chars.forEach((c, i) => {
    const t = converted[i] as string;
    if (t !== c && t.length === 1 && !seen.has(c)) pairs += c + t;
  });
  return pairs;
}

/** Cuts raw text into tokens (normalised, noise dropped, stop-words dropped). */
export function tokenizeRaw(jieba: Jieba, text: string, stopwords: ReadonlySet<string>, folder?: CharFolder): string[] {
  const out: string[] = [];
  const norm = normalizeText(folder ? folder.fold(text) : text);
  if (norm === '') return out;
  for (const t of jieba.cut(norm, true)) {
    if (t === ' ' || isNoiseToken(t) || stopwords.has(t)) continue;
    out.push(t);
  }
  return out;
}

/** Reads already segmented training text (space separated) into the same token form as {@link tokenizeRaw}. */
export function tokenizeSegmented(segmented: string, stopwords: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (const raw of segmented.split(' ')) {
    if (raw === '') continue;
    const t = normalizeText(raw);
    if (t === '' || isNoiseToken(t) || stopwords.has(t)) continue;
    out.push(t);
  }
  return out;
}

/**
 * Derives the stop-word list from rows that have both the raw text (already cut) and the source team's tokens.
 * A token is a stop-word when it occurs in at least `minDocs` raw rows and the source team kept it in at most
 * `maxKeepRatio` of them.
 */
export function deriveStopwords(
  pairs: Iterable<{ rawTokens: readonly string[]; segmentedTokens: readonly string[] }>,
  minDocs = 2,
  maxKeepRatio = 0.1,
): string[] {
  const seen = new Map<string, number>();
  const kept = new Map<string, number>();
  for (const p of pairs) {
    const seg = new Set(p.segmentedTokens);
    for (const t of new Set(p.rawTokens)) {
      seen.set(t, (seen.get(t) ?? 0) + 1);
      if (seg.has(t)) kept.set(t, (kept.get(t) ?? 0) + 1);
    }
  }
  const out: string[] = [];
  for (const [t, n] of seen) {
    if (n >= minDocs && (kept.get(t) ?? 0) / n <= maxKeepRatio) out.push(t);
  }
  return out.sort();
}
