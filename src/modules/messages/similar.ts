/**
 * Likely duplicates: a new message that repeats an open one (same issue, same place). Character bigrams of the
 * title and the start of the content, compared by a containment-weighted Dice score, and the place (district,
 * address) compared separately. Pure.
 */

/** What the comparison needs of a message. */
export interface SimilarInput {
  title: string;
  content: string;
  district: string | null;
  address: string | null;
}

/** A scored candidate. */
export interface SimilarScore {
  score: number;
  text: number;
  place: number;
}

const PUNCT = /[\s\p{P}\p{S}]+/gu;

/** Character bigrams of a normalised text (punctuation and spaces removed, Latin lower-cased). */
export function bigrams(s: string): Set<string> {
  const t = s.toLowerCase().replace(PUNCT, '');
  const out = new Set<string>();
  for (let i = 0; i + 1 < t.length; i++) out.add(t.slice(i, i + 2));
  return out;
}

function overlap(a: Set<string>, b: Set<string>): number {
  if (!a.size || !b.size) return 0;
  let n = 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const x of small) if (large.has(x)) n++;
  // Mean of Dice and containment: a short repeat of a long message still scores.
  const dice = (2 * n) / (a.size + b.size);
  const contain = n / small.size;
  return (dice + contain) / 2;
}

/** Text used for comparison: the title twice (it names the issue) and the first 300 characters of the content. */
export function comparisonText(m: SimilarInput): string {
  return `${m.title} ${m.title} ${m.content.slice(0, 300)}`;
}

/**
 * How alike two messages are, 0..1. The place counts only when both name one: different districts halve the
 * score (the same complaint about two different places is two issues).
 */
export function similarity(a: SimilarInput, b: SimilarInput, pre?: { a?: Set<string>; b?: Set<string> }): SimilarScore {
  const text = overlap(pre?.a ?? bigrams(comparisonText(a)), pre?.b ?? bigrams(comparisonText(b)));
  let place = 0.5;
  if (a.district && b.district) place = a.district === b.district ? 1 : 0;
  if (a.address && b.address) {
    const p = overlap(bigrams(a.address), bigrams(b.address));
    place = Math.max(place === 0 ? 0 : place * 0.5, p);
  }
  const score = place === 0 ? text * 0.5 : text * (0.8 + 0.2 * place);
  return { score, text, place };
}

/** Default score from which a message is shown as a likely duplicate (tuned on repeated TipDM titles). */
export const DUPLICATE_THRESHOLD = 0.5;

/** The candidates at or above `threshold`, best first. */
export function likelyDuplicates<T extends SimilarInput>(msg: SimilarInput, candidates: readonly T[], threshold = DUPLICATE_THRESHOLD, limit = 5): { item: T; score: SimilarScore }[] {
  const a = bigrams(comparisonText(msg));
  return candidates
    .map((item) => ({ item, score: similarity(msg, item, { a }) }))
    .filter((x) => x.score.score >= threshold)
    .sort((x, y) => y.score.score - x.score.score)
    .slice(0, limit);
}
