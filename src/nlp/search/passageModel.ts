import { sentenceMatches, windowScore, type Needle, type Span } from './passage.ts';

/** Names of the features of a candidate answer start sentence (order = weight order). */
export const PASSAGE_FEATURES = [
  'cov1', // share of the question weight in the sentence
  'cov2', // … in the sentence and the next one
  'covPrev', // … in the previous sentence
  'covNext', // … in the next sentence
  'best1', // cov1 / best cov1 in the document
  'titleShare', // share of the question weight in the sentence that comes from title words
  'position', // sentence index / sentence count
  'first', // first sentence after the title
  'logLen', // log(1 + characters) / 5
  'heading', // short sentence (< 24 characters) or ending in a colon: a heading the answer follows
  'enumerated', // starts like a list item (一、 1. （1）)
  'phrase', // longest stretch of the question repeated in the sentence, share of the question length
] as const;

/** A linear passage-start scorer: weights per feature (trained by `trainPassageModel.ts`). */
export interface PassageModel {
  features: readonly string[];
  weights: number[];
  /**
   * How answer() picks the window from these scores: 0 (or absent) = the best-scored window; > 0 = the window with
   * the highest expected overlap with the others, weighted by exp(score / temperature) (see `chooseWindow`).
   */
  overlapTemperature?: number;
  /** Provenance: how it was trained and what it scored. */
  trainedOn?: string;
}

/** Candidate start sentences of a document with their feature vectors. */
export interface PassageCandidates {
  spans: Span[];
  /** features[i] belongs to spans[i]; empty vectors for sentences with no match at all. */
  features: number[][];
  /** cov1/cov2 per sentence (for the decline threshold). */
  coverage: number[];
}

/**
 * Features for every sentence of `folded` (spans from sentenceSpans) given the question needles (already
 * title-discounted), the title-only needles, the total question weight and the question text (folded, letters only).
 */
export function passageCandidates(
  folded: string,
  spans: Span[],
  needles: readonly Needle[],
  titleNeedles: readonly Needle[],
  total: number,
  question: string,
): PassageCandidates {
  const per = sentenceMatches(folded, spans, needles);
  const perTitle = titleNeedles.length ? sentenceMatches(folded, spans, titleNeedles) : spans.map(() => new Map<string, number>());
  const n = spans.length;
  const cov1 = per.map((_, i) => windowScore(per, i, i) / total);
  const best1 = Math.max(1e-9, ...cov1);
  const features: number[][] = [];
  const coverage: number[] = [];
  for (let i = 0; i < n; i++) {
    const sp = spans[i];
    if (!sp) continue;
    const c1 = cov1[i] ?? 0;
    const c2 = i + 1 < n ? windowScore(per, i, i + 1) / total : c1;
    coverage.push(Math.max(c1, c2));
    if (c1 === 0) {
      features.push([]);
      continue;
    }
    const text = folded.slice(sp.start, sp.end);
    features.push([
      c1,
      c2,
      i > 0 ? (cov1[i - 1] ?? 0) : 0,
      i + 1 < n ? (cov1[i + 1] ?? 0) : 0,
      c1 / best1,
      windowScore(perTitle, i, i) / total,
      n > 1 ? i / (n - 1) : 0,
      i === 0 ? 1 : 0,
      Math.log(1 + text.length) / 5,
      text.length < 24 || /[:：]$/.test(text) ? 1 : 0,
      /^([一二三四五六七八九十]+[、.．]|\d+[、.．]|[（(][一二三四五六七八九十\d]+[）)])/.test(text) ? 1 : 0,
      question.length > 2 ? Math.max(0, longestCommonSubstring(question, text) - 2) / (question.length - 2) : 0,
    ]);
  }
  return { spans, features, coverage };
}

/** Linear score of a feature vector (−Infinity for a sentence with no match). */
export function scoreCandidate(model: PassageModel, f: readonly number[]): number {
  if (f.length === 0) return -Infinity;
  let s = 0;
  for (let k = 0; k < f.length; k++) s += (model.weights[k] ?? 0) * (f[k] ?? 0);
  return s;
}

/** Length of the longest common substring of `a` and `b` (O(|a|·|b|) time, O(|b|) memory). */
export function longestCommonSubstring(a: string, b: string): number {
  if (a.length === 0 || b.length === 0) return 0;
  let prev = new Uint16Array(b.length + 1);
  let cur = new Uint16Array(b.length + 1);
  let best = 0;
  for (let i = 1; i <= a.length; i++) {
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      if (ca === b.charCodeAt(j - 1)) {
        const v = (prev[j - 1] as number) + 1;
        cur[j] = v;
        if (v > best) best = v;
      } else cur[j] = 0;
    }
    [prev, cur] = [cur, prev];
  }
  return best;
}
