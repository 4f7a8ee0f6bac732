import { readFileSync } from 'node:fs';
import { foldToSimplified } from '../../lib/text/foldToSimplified.ts';
import type { SearchIndex } from './SearchIndex.ts';
import type { Needle } from './passage.ts';
import { sentenceSpans } from './passage.ts';
import { PASSAGE_FEATURES, passageCandidates, scoreCandidate, type PassageCandidates, type PassageModel } from './passageModel.ts';
import type { DocType, QueryTerm } from './types.ts';

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
  /** Passage-start scorer (default: the committed `passage-model.json`; `null` = the untrained rule, best coverage). */
  model?: PassageModel | null;
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

export const DEFAULT_ANSWER_OPTIONS: Required<Omit<AnswerOptions, 'now' | 'model'>> = {
  docs: 1,
  types: ['policy', 'knowledge', 'reply'],
  maxChars: 300,
  minCoverage: 0.2,
  docWeight: 0.3,
  titleTermWeight: 0.3,
};

/** The untrained rule: pick the sentence whose 1–2-sentence window covers most of the question. */
export const RULE_MODEL: PassageModel = { features: PASSAGE_FEATURES, weights: PASSAGE_FEATURES.map((f) => (f === 'cov2' ? 1 : 0)) };

let defaultModel: PassageModel | null | undefined;

/** The committed passage model (`src/nlp/search/passage-model.json`), read once; null when absent. */
export function loadPassageModel(): PassageModel | null {
  if (defaultModel === undefined) {
    try {
      defaultModel = JSON.parse(readFileSync(new URL('./passage-model.json', import.meta.url), 'utf8')) as PassageModel;
    } catch {
      defaultModel = null;
    }
  }
  return defaultModel;
}

/** Everything answer() needs about one candidate document (exported for training the passage model). */
export interface DocPassages extends PassageCandidates {
  slot: number;
  /** Start offset limit: the title at the head of the body is skipped. */
  skipTo: number;
}

/** Candidate sentences of the document in `slot` for a question (title terms discounted, title itself skipped). */
export function docPassages(
  index: SearchIndex,
  slot: number,
  needles: readonly Needle[],
  unseen: number,
  question: string,
  titleTermWeight: number,
): DocPassages | undefined {
  const foldedTitle = index.foldedTitle(slot);
  let total = unseen;
  const docNeedles: Needle[] = [];
  const titleNeedles: Needle[] = [];
  for (const n of needles) {
    const inTitle = foldedTitle.includes(n.text);
    const weight = inTitle ? n.weight * titleTermWeight : n.weight;
    total += weight;
    docNeedles.push({ ...n, weight });
    if (inTitle) titleNeedles.push(n);
  }
  if (total === 0) return undefined;
  const folded = index.foldedBody(slot);
  const skipTo = foldedTitle !== '' && folded.startsWith(foldedTitle) ? foldedTitle.length : 0;
  const spans = sentenceSpans(folded, skipTo);
  const c = passageCandidates(folded, spans, docNeedles, titleNeedles, total, question);
  return { ...c, slot, skipTo };
}

/** Folded question letters and digits only (for the phrase feature). */
export function questionText(question: string): string {
  return foldToSimplified(question.slice(0, 200)).replace(/[^\p{L}\p{N}]/gu, '');
}

/** End offset of the window that starts at sentence `i` and takes following sentences while within `maxChars`. */
export function windowEnd(spans: readonly { start: number; end: number }[], i: number, maxChars: number): number {
  const first = spans[i];
  if (!first) return 0;
  let end = first.end;
  for (let k = i + 1; k < spans.length; k++) {
    const sp = spans[k];
    if (!sp || sp.end - first.start > maxChars) break;
    end = sp.end;
  }
  return end;
}

/** Query needles and the weight of never-seen words for a search result's terms. */
export function questionNeedles(index: SearchIndex, terms: readonly QueryTerm[]): { needles: Needle[]; unseen: number } {
  return { needles: index.passageNeedles(terms), unseen: index.unseenWeight(terms) };
}

/**
 * The best passage (a window of sentences) answering `question` from the top documents of `index`, with its source;
 * `{none: true, reason}` when nothing is good enough (then the UI offers to leave a message instead).
 */
export function answer(index: SearchIndex, question: string, options: AnswerOptions = {}): AnswerResult {
  const o = { ...DEFAULT_ANSWER_OPTIONS, ...options };
  const model = options.model === undefined ? (loadPassageModel() ?? RULE_MODEL) : (options.model ?? RULE_MODEL);
  if (question.trim() === '') return { none: true, reason: 'empty-question' };
  const searchOpts: { top: number; type: readonly DocType[]; noSnippets: true; now?: number } = {
    top: o.docs,
    type: o.types,
    noSnippets: true,
  };
  if (o.now !== undefined) searchOpts.now = o.now;
  const res = index.search(question, searchOpts);
  if (res.hits.length === 0) return { none: true, reason: 'no-match' };
  const { needles, unseen } = questionNeedles(index, res.terms);
  if (needles.length === 0) return { none: true, reason: 'no-match' };
  const qText = questionText(question);
  const topScore = res.hits[0]?.score ?? 1;
  let best: { score: number; coverage: number; start: number; end: number; hit: number } | undefined;
  res.hits.forEach((h, rank) => {
    const slot = index.slotOf(h.id);
    if (slot === undefined) return;
    const dp = docPassages(index, slot, needles, unseen, qText, o.titleTermWeight);
    if (!dp) return;
    let bi = -1;
    let bs = -Infinity;
    for (let i = 0; i < dp.features.length; i++) {
      const s = scoreCandidate(model, dp.features[i] ?? []);
      if (s > bs) {
        bs = s;
        bi = i;
      }
    }
    const first = dp.spans[bi];
    if (bi < 0 || !first) return;
    const coverage = dp.coverage[bi] ?? 0;
    const score = (1 - o.docWeight) * coverage + o.docWeight * (h.score / topScore);
    if (!best || score > best.score) best = { score, coverage, start: first.start, end: windowEnd(dp.spans, bi, o.maxChars), hit: rank };
  });
  if (!best) return { none: true, reason: 'no-match' };
  const b = best as { score: number; coverage: number; start: number; end: number; hit: number };
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
