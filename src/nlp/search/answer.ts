import type { SearchIndex } from './SearchIndex.ts';
import { sentenceMatches, sentenceSpans, windowScore } from './passage.ts';
import type { DocType } from './types.ts';

export interface AnswerOptions {
  /** Documents whose passages are considered (default 1: the best search hit; more measured slightly worse). */
  docs?: number;
  /** Types answers may come from (default policy, knowledge, reply). */
  types?: readonly DocType[];
  /** Passage length budget in characters: the best sentence, then following sentences while they fit (default 300). */
  maxChars?: number;
  /** Decline when the passage covers less than this share of the question's weighted terms (default 0.2). */
  minCoverage?: number;
  /** Weight of the document's search rank against passage coverage when choosing among documents (default 0.3). */
  docWeight?: number;
  /** Weight kept by question terms that also occur in the document's title (they locate the document, not the passage; default 0.3). */
  titleTermWeight?: number;
  now?: number;
}

export type AnswerResult =
  | {
      passage: string;
      sourceId: string;
      sourceTitle: string;
      sourceType: DocType;
      date?: string;
      /** Passage coverage of the question (0–1) blended with the document's search score share. */
      score: number;
      /** Character offsets of the passage in the source body. */
      start: number;
      end: number;
    }
  | { none: true; reason: 'empty-question' | 'no-match' | 'low-confidence'; score?: number };

export const DEFAULT_ANSWER_OPTIONS: Required<Omit<AnswerOptions, 'now'>> = {
  docs: 1,
  types: ['policy', 'knowledge', 'reply'],
  maxChars: 300,
  minCoverage: 0.2,
  docWeight: 0.3,
  titleTermWeight: 0.3,
};

/**
 * The best passage (a window of sentences) answering `question` from the top documents of `index`, with its source;
 * `{none: true, reason}` when nothing is good enough (then the UI offers to leave a message instead).
 */
export function answer(index: SearchIndex, question: string, options: AnswerOptions = {}): AnswerResult {
  const o = { ...DEFAULT_ANSWER_OPTIONS, ...options };
  if (question.trim() === '') return { none: true, reason: 'empty-question' };
  const searchOpts: { top: number; type: readonly DocType[]; noSnippets: true; now?: number } = {
    top: o.docs,
    type: o.types,
    noSnippets: true,
  };
  if (o.now !== undefined) searchOpts.now = o.now;
  const res = index.search(question, searchOpts);
  if (res.hits.length === 0) return { none: true, reason: 'no-match' };
  const needles = index.passageNeedles(res.terms);
  if (needles.length === 0) return { none: true, reason: 'no-match' };
  // Query words the collection has never seen count against coverage at full (maximal) idf.
  const unseen = index.unseenWeight(res.terms);
  const topScore = res.hits[0]?.score ?? 1;
  let best: { score: number; coverage: number; slot: number; start: number; end: number; hit: number } | undefined;
  res.hits.forEach((h, rank) => {
    const slot = index.slotOf(h.id);
    if (slot === undefined) return;
    const doc = index.get(h.id);
    if (!doc) return;
    const foldedTitle = index.foldedTitle(slot);
    let docTotal = unseen;
    const docNeedles = needles.map((n) => {
      const weight = foldedTitle.includes(n.text) ? n.weight * o.titleTermWeight : n.weight;
      docTotal += weight;
      return { ...n, weight };
    });
    // The body usually starts with the title: do not answer with the title itself.
    const skipTo = index.foldedBody(slot).startsWith(foldedTitle) ? foldedTitle.length : 0;
    const folded = index.foldedBody(slot);
    const spans = sentenceSpans(folded, skipTo);
    const per = sentenceMatches(folded, spans, docNeedles);
    let w = { score: 0, first: -1 };
    for (let i = 0; i < spans.length; i++) {
      if ((per[i]?.size ?? 0) === 0) continue;
      const sp = spans[i];
      if (!sp) continue;
      let sc = windowScore(per, i, i);
      const nx = spans[i + 1];
      if (nx && nx.end - sp.start <= o.maxChars) sc = Math.max(sc, windowScore(per, i, i + 1));
      if (sc > w.score) w = { score: sc, first: i };
    }
    if (w.first < 0 || w.score <= 0 || docTotal === 0) return;
    // Extend from the best sentence forward while within the budget (the answer usually follows the matched words).
    const first = spans[w.first];
    if (!first) return;
    let end = first.end;
    for (let k = w.first + 1; k < spans.length; k++) {
      const sp = spans[k];
      if (!sp || sp.end - first.start > o.maxChars) break;
      end = sp.end;
    }
    const coverage = w.score / docTotal;
    const score = (1 - o.docWeight) * coverage + o.docWeight * (h.score / topScore);
    if (!best || score > best.score) best = { score, coverage, slot, start: first.start, end, hit: rank };
  });
  if (!best) return { none: true, reason: 'no-match' };
  const b = best as { score: number; coverage: number; slot: number; start: number; end: number; hit: number };
  if (b.coverage < o.minCoverage) return { none: true, reason: 'low-confidence', score: round(b.score) };
  const hit = res.hits[b.hit];
  const doc = hit ? index.get(hit.id) : undefined;
  if (!hit || !doc) return { none: true, reason: 'no-match' };
  const out: AnswerResult = {
    passage: doc.body.slice(b.start, b.end),
    sourceId: hit.id,
    sourceTitle: doc.title,
    sourceType: doc.type,
    score: round(b.score),
    start: b.start,
    end: b.end,
  };
  if (doc.date !== undefined) out.date = doc.date;
  return out;
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
