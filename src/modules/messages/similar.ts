/**
 * Likely duplicates: a new message that repeats an open one (same issue, same place). Each message becomes a
 * TF-IDF vector of the character bigrams of its title (twice) and the first 300 characters of its content,
 * weighted by background document frequencies (model/bigram-df.json.gz, built by build-similar-df.ts) so that
 * rare bigrams — place and estate names, the specific problem — count most; two messages score their cosine.
 * When both name a district and the districts differ, the score is halved (the same complaint about two places
 * is two issues). Pure: the document frequencies are passed in (see similar-df.ts for the loader).
 */

/** What the comparison needs of a message. */
export interface SimilarInput {
  title: string;
  content: string;
  district: string | null;
  address: string | null;
}

/** Background document frequencies of bigrams. */
export interface DocFreq {
  n: number;
  df: ReadonlyMap<string, number>;
}

/** No background: every bigram weighs the same (plain cosine). */
export const UNIFORM_DF: DocFreq = { n: 0, df: new Map() };

/** A sparse, L2-normalised vector. */
export type SimilarVector = Map<string, number>;

const PUNCT = /[\s\p{P}\p{S}]+/gu;

/** Character bigrams of a normalised text (punctuation and spaces removed, Latin lower-cased). */
export function bigrams(s: string): Set<string> {
  return new Set(bigramCounts(s).keys());
}

function bigramCounts(s: string): Map<string, number> {
  const t = s.toLowerCase().replace(PUNCT, '');
  const out = new Map<string, number>();
  for (let i = 0; i + 1 < t.length; i++) {
    const g = t.slice(i, i + 2);
    out.set(g, (out.get(g) ?? 0) + 1);
  }
  return out;
}

/** Text used for comparison: the title twice (it names the issue) and the first 300 characters of the content. */
export function comparisonText(m: Pick<SimilarInput, 'title' | 'content'>): string {
  return `${m.title} ${m.title} ${m.content.slice(0, 300)}`;
}

/** The TF-IDF vector of a message. */
export function vectorOf(m: Pick<SimilarInput, 'title' | 'content'>, dfq: DocFreq = UNIFORM_DF): SimilarVector {
  const v: SimilarVector = new Map();
  let norm = 0;
  for (const [g, c] of bigramCounts(comparisonText(m))) {
    const idf = dfq.n ? Math.log((dfq.n + 1) / ((dfq.df.get(g) ?? 1) + 1)) : 1;
    const w = (1 + Math.log(c)) * idf;
    if (w <= 0) continue;
    v.set(g, w);
    norm += w * w;
  }
  norm = Math.sqrt(norm);
  if (norm > 0) for (const [k, w] of v) v.set(k, w / norm);
  return v;
}

/** Cosine of two normalised vectors. */
export function cosine(a: SimilarVector, b: SimilarVector): number {
  const [x, y] = a.size <= b.size ? [a, b] : [b, a];
  let s = 0;
  for (const [k, w] of x) {
    const u = y.get(k);
    if (u !== undefined) s += w * u;
  }
  return s;
}

/** How alike two messages are, 0..1 (cosine, halved when both name different districts). */
export function similarity(a: SimilarInput, b: SimilarInput, dfq: DocFreq = UNIFORM_DF, pre?: { a?: SimilarVector; b?: SimilarVector }): number {
  const s = cosine(pre?.a ?? vectorOf(a, dfq), pre?.b ?? vectorOf(b, dfq));
  return a.district && b.district && a.district !== b.district ? s / 2 : s;
}

/**
 * Score from which a message is shown as a likely duplicate, with the shipped document frequencies. Chosen on
 * the train issues of the hot-issue gold set (pairwise F1 0.975; validation issues: P 1.000, R 0.945); see
 * docs/messages.md and evaluate-similar.ts.
 */
export const DUPLICATE_THRESHOLD = 0.08;

/** The candidates at or above `threshold`, best first. */
export function likelyDuplicates<T extends SimilarInput>(msg: SimilarInput, candidates: readonly T[], dfq: DocFreq = UNIFORM_DF, threshold = DUPLICATE_THRESHOLD, limit = 5): { item: T; score: number }[] {
  const a = vectorOf(msg, dfq);
  return candidates
    .map((item) => ({ item, score: similarity(msg, item, dfq, { a }) }))
    .filter((x) => x.score >= threshold)
    .sort((x, y) => y.score - x.score)
    .slice(0, limit);
}
