import { readFileSync } from 'node:fs';
import { foldToSimplified } from '../../lib/text/foldToSimplified.ts';
import type { SearchIndex } from './SearchIndex.ts';
import type { HitPool } from './hitPool.ts';
import type { Needle } from './passage.ts';
import { sentenceSpans, type Span } from './passage.ts';
import { PASSAGE_FEATURES, passageCandidates, scoreCandidate, type PassageCandidates, type PassageModel } from './passageModel.ts';
import { answerCandidates, type AnswerCandidate, type DocInput } from './answer-features.ts';
import type { DocType, QueryTerm, SearchHit } from './types.ts';
import { domainProbability, loadDomainModel, type LoadedDomainModel } from './domain.ts';

export interface AnswerOptions {
  /**
   * Documents whose passages are considered (default 2 with the trained model, which scores the document's rank
   * with the passage; 1 for a model without the rank features, such as `RULE_MODEL`).
   */
  docs?: number;
  /** Types answers may come from (default policy, knowledge, reply). */
  types?: readonly DocType[];
  /** Passage length budget in characters: the best sentence, then following sentences while they fit (default 300). */
  maxChars?: number;
  /** Decline when the passage covers less than this share of the question's weighted terms (default 0.2). */
  minCoverage?: number;
  /** Weight of the document's search score share in the returned `score` (default 0.3; the choice itself is the model's). */
  docWeight?: number;
  /** Weight kept by question terms that also occur in the document's title (they locate the document, not the passage; default 0.3). */
  titleTermWeight?: number;
  /**
   * Window scorer over `ANSWER_FEATURES` (default: the committed `passage-model.json`; `null` = the untrained rule,
   * best coverage of the start sentence and the next). A model with only the 12 `PASSAGE_FEATURES` weights still works.
   */
  model?: PassageModel | null;
  /**
   * How the window is chosen from the model's scores (default: the model's `overlapTemperature`, else 0): the window with the highest expected overlap with
   * the windows of its document, each weighted by exp((its score − best score) / temperature) — the trained model
   * spreads its probability over every window that holds the answer, so the window most of that mass agrees on is
   * returned. 0 = the single best-scored window (the choice before 26 Nov 12:30).
   */
  overlapTemperature?: number;
  /**
   * Government-domain classifier (default: the committed `domain-model.json`; `null` = no off-topic decline): the
   * question is declined with reason `off-topic` when its p(government) is below `minDomain`.
   */
  domainModel?: LoadedDomainModel | null;
  /** Off-topic threshold on p(government) (default: the domain model's own threshold). */
  minDomain?: number;
  now?: number;
  /**
   * The question's hits searched once (a HitPool of this index for this question): the hits are taken from it instead
   * of a search of the index, so several answers to one question (other types, fewer documents) cost one search.
   * Not with `now` (the pool searches at its own time). A pool of another index or question is a programming error.
   */
  pool?: HitPool;
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
  | { none: true; reason: 'empty-question' | 'no-match' | 'low-confidence' | 'off-topic'; score?: number };

export const DEFAULT_ANSWER_OPTIONS: Required<Omit<AnswerOptions, 'now' | 'model' | 'overlapTemperature' | 'domainModel' | 'minDomain' | 'pool'>> = {
  docs: 2,
  types: ['policy', 'knowledge', 'reply'],
  maxChars: 350,
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
  /** Folded body. */
  folded: string;
  /** Question needles with title terms discounted, and their total weight (plus unseen words). */
  needles: Needle[];
  total: number;
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
  const spans = splitLongSpans(folded, sentenceSpans(folded, skipTo), LONG_SPAN);
  const c = passageCandidates(folded, spans, docNeedles, titleNeedles, total, question);
  return { ...c, slot, skipTo, folded, needles: docNeedles, total };
}

/** Sentences longer than this are split at commas and colons into candidate starts (chosen by CV on the tuning split: 120 → 0.768, 150 → 0.772, 200 → 0.777, no split → 0.768). */
const LONG_SPAN = 200;

/**
 * Splits sentences longer than `max` characters at commas and colons into pieces of at least 30 characters, so that
 * a window can start inside a long list sentence.
 */
export function splitLongSpans(text: string, spans: readonly Span[], max: number): Span[] {
  const out: Span[] = [];
  for (const sp of spans) {
    if (sp.end - sp.start <= max) {
      out.push(sp);
      continue;
    }
    let start = sp.start;
    for (let i = sp.start; i < sp.end - 30; i++) {
      const c = text[i];
      if ((c === '，' || c === '：' || c === ',' || c === ':') && i + 1 - start >= 30) {
        out.push({ start, end: i + 1 });
        start = i + 1;
      }
    }
    out.push({ start, end: sp.end });
  }
  return out;
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
 * Candidate answer windows for a question from the top `docs` search hits, with the full `ANSWER_FEATURES` vectors
 * (exported for training the passage model). Empty when the search finds nothing or no question term is indexed.
 */
export function answerCandidatesFor(
  index: SearchIndex,
  question: string,
  o: { docs: number; types: readonly DocType[]; maxChars: number; titleTermWeight: number; now?: number; pool?: HitPool },
): { hits: SearchHit[]; candidates: AnswerCandidate[]; needles: number } {
  let res: { hits: SearchHit[]; terms: QueryTerm[] };
  if (o.pool) {
    if (o.pool.index !== index || o.pool.question !== question || o.now !== undefined) {
      throw new Error('answer: the hit pool must be of the same index and question, without `now`');
    }
    res = o.pool.top(o.docs, o.types);
  } else {
    const searchOpts: { top: number; type: readonly DocType[]; noSnippets: true; now?: number } = {
      top: o.docs,
      type: o.types,
      noSnippets: true,
    };
    if (o.now !== undefined) searchOpts.now = o.now;
    res = index.search(question, searchOpts);
  }
  if (res.hits.length === 0) return { hits: [], candidates: [], needles: 0 };
  const { needles, unseen } = questionNeedles(index, res.terms);
  if (needles.length === 0) return { hits: res.hits, candidates: [], needles: 0 };
  const qText = questionText(question);
  const topScore = res.hits[0]?.score || 1;
  const docs: DocInput[] = [];
  const hits: SearchHit[] = [];
  for (const h of res.hits) {
    const slot = index.slotOf(h.id);
    if (slot === undefined) continue;
    const dp = docPassages(index, slot, needles, unseen, qText, o.titleTermWeight);
    if (!dp) continue;
    docs.push({ ...dp, docShare: h.score / topScore });
    hits.push(h);
  }
  return { hits, candidates: answerCandidates(docs, qText, o.maxChars), needles: needles.length };
}

/**
 * The best passage (a window of sentences) answering `question` from the top documents of `index`, with its source;
 * `{none: true, reason}` when nothing is good enough (then the UI offers to leave a message instead).
 */
export function answer(index: SearchIndex, question: string, options: AnswerOptions = {}): AnswerResult {
  const model = options.model === undefined ? (loadPassageModel() ?? RULE_MODEL) : (options.model ?? RULE_MODEL);
  // A model without the document-rank features cannot compare documents: it reads the top hit only.
  const extended = model.weights.length > PASSAGE_FEATURES.length;
  const o = { ...DEFAULT_ANSWER_OPTIONS, ...options, docs: options.docs ?? (extended ? DEFAULT_ANSWER_OPTIONS.docs : 1) };
  if (question.trim() === '') return { none: true, reason: 'empty-question' };
  const domain = options.domainModel === undefined ? loadDomainModel() : options.domainModel;
  if (domain) {
    const p = domainProbability(domain, question);
    if (p < (options.minDomain ?? domain.threshold)) return { none: true, reason: 'off-topic', score: round(p) };
  }
  const { hits, candidates, needles } = answerCandidatesFor(index, question, o);
  if (hits.length === 0 || needles === 0) return { none: true, reason: 'no-match' };
  const best = chooseWindow(
    candidates,
    candidates.map((c) => scoreCandidate(model, c.features)),
    options.overlapTemperature ?? model.overlapTemperature ?? 0,
  );
  if (!best) return { none: true, reason: 'no-match' };
  const docShare = best.features[PASSAGE_FEATURES.length + 2] ?? 1;
  const score = round((1 - o.docWeight) * best.coverage + o.docWeight * docShare);
  if (best.coverage < o.minCoverage) return { none: true, reason: 'low-confidence', score };
  const hit = hits[best.doc];
  const doc = hit ? index.get(hit.id) : undefined;
  if (!hit || !doc) return { none: true, reason: 'no-match' };
  const out: AnswerResult = {
    passage: doc.body.slice(best.start, best.end),
    sourceId: hit.id,
    sourceTitle: doc.title,
    sourceType: doc.type,
    score,
    start: best.start,
    end: best.end,
  };
  if (doc.date !== undefined) out.date = doc.date;
  return out;
}

/**
 * The window to return given the model's score of every candidate. With `temperature` > 0: each window k gets the
 * weight p_k = exp((s_k − max s) / temperature), and window i the expected overlap
 * Σ_k p_k · |i ∩ k| / |k| over the windows k of the same document (its own weight included); the highest wins (ties:
 * the earlier candidate). With 0, or when the scores are not finite: the best-scored window.
 */
export function chooseWindow<T extends { doc: number; start: number; end: number }>(
  candidates: readonly T[],
  scores: readonly number[],
  temperature: number,
): T | undefined {
  let best: T | undefined;
  let bs = -Infinity;
  candidates.forEach((c, i) => {
    const s = scores[i] ?? -Infinity;
    if (s > bs) {
      bs = s;
      best = c;
    }
  });
  if (!(temperature > 0) || !Number.isFinite(bs)) return best;
  const p = scores.map((s) => (Number.isFinite(s) ? Math.exp((s - bs) / temperature) : 0));
  let bestMass = -Infinity;
  candidates.forEach((ci, i) => {
    let mass = 0;
    candidates.forEach((ck, k) => {
      const pk = p[k] ?? 0;
      if (pk === 0 || ck.doc !== ci.doc || ck.end <= ci.start || ci.end <= ck.start) return;
      mass += (pk * (Math.min(ci.end, ck.end) - Math.max(ci.start, ck.start))) / Math.max(1, ck.end - ck.start);
    });
    if (mass > bestMass) {
      bestMass = mass;
      best = ci;
    }
  });
  return best;
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
