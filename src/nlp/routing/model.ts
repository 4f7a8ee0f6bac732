/**
 * The routing model: artefact format (serialise / deserialise) and classification. No file I/O here.
 */
import type { Jieba } from '@node-rs/jieba';
import { CATEGORIES, type Category } from './categories.ts';
import { FastScorer, vectorize, type FeatureOptions, type Vocabulary } from './features.ts';
import { decision, softmax, type LinearWeights } from './linear.ts';
import { CharFolder, isNoiseToken, normalizeText, tokenizeRaw } from './text.ts';

/** Format version of the artefact; bump when the layout changes. */
export const ARTEFACT_VERSION = 1;

/** The JSON artefact stored (gzipped) in src/nlp/routing/model/. */
export interface RoutingArtefact {
  format: 'yiwang-routing';
  version: number;
  categories: string[];
  featureOptions: FeatureOptions;
  stopwords: string[];
  /** Feature keys; the position is the feature index. */
  features: string[];
  /** Blocks of the features, base64 of a Uint8Array. */
  blocks: string;
  /** idf × idfScale rounded, base64 of a Uint16Array (little endian). */
  idf: string;
  idfScale: number;
  /** Weights feature-major (`j * K + k`), int8 base64, multiplied by weightScale[k]. */
  weights: string;
  weightScale: number[];
  bias: number[];
  /** Softmax inverse temperature applied to decision scores, fitted on held-out data. */
  softmaxScale: number;
  /** Traditional → Simplified folding table (alternating characters), see `CharFolder`. */
  foldPairs?: string;
  /** Free-form description of how it was trained and what it scored (not used for prediction). */
  training: Record<string, unknown>;
}

/** A message to classify. The title, when given, is put in front of the content (as in the training data). */
export interface RoutingInput {
  title?: string | null;
  content: string;
}

/** A classification: the category, a calibrated confidence and the probability of each category. */
export interface RoutingPrediction {
  ok: true;
  category: Category;
  confidence: number;
  scores: Record<Category, number>;
}

/** An input the model refuses (returned, not thrown). */
export interface RoutingError {
  ok: false;
  error: { code: 'CONTENT_MISSING' | 'CONTENT_NOT_STRING' | 'TITLE_NOT_STRING' | 'CONTENT_TOO_LONG'; message: string };
}

/** Either outcome. */
export type RoutingOutcome = RoutingPrediction | RoutingError;

/** Longest content (title + content, in characters) the model accepts. */
export const MAX_INPUT_CHARS = 100_000;

/** Checks an input of unknown shape; returns the text to classify or an error. */
export function validateInput(input: unknown): { ok: true; text: string } | RoutingError {
  const o = (input ?? {}) as { title?: unknown; content?: unknown };
  if (o.content === undefined || o.content === null)
    return { ok: false, error: { code: 'CONTENT_MISSING', message: 'content is missing' } };
  if (typeof o.content !== 'string')
    return { ok: false, error: { code: 'CONTENT_NOT_STRING', message: 'content must be a string' } };
  if (o.title !== undefined && o.title !== null && typeof o.title !== 'string')
    return { ok: false, error: { code: 'TITLE_NOT_STRING', message: 'title must be a string' } };
  if (o.content.trim() === '') return { ok: false, error: { code: 'CONTENT_MISSING', message: 'content is empty' } };
  const text = (typeof o.title === 'string' ? o.title : '') + o.content;
  if (text.length > MAX_INPUT_CHARS)
    return {
      ok: false,
      error: { code: 'CONTENT_TOO_LONG', message: `title + content longer than ${MAX_INPUT_CHARS} characters` },
    };
  return { ok: true, text };
}

/** A loaded routing model. */
export class RoutingModel {
  readonly categories: readonly Category[];
  readonly options: FeatureOptions;
  readonly training: Readonly<Record<string, unknown>>;
  private readonly vocab: Vocabulary;
  private readonly weights: LinearWeights;
  private readonly stop: ReadonlySet<string>;
  private readonly scale: number;
  private readonly jieba: Jieba;
  private readonly folder: CharFolder | undefined;
  private scorer: FastScorer | undefined;

  constructor(
    parts: {
      categories: readonly Category[];
      options: FeatureOptions;
      stopwords: Iterable<string>;
      vocab: Vocabulary;
      weights: LinearWeights;
      softmaxScale: number;
      foldPairs?: string;
      training?: Record<string, unknown>;
    },
    jieba: Jieba,
  ) {
    this.folder = parts.foldPairs ? new CharFolder(parts.foldPairs) : undefined;
    this.categories = parts.categories;
    this.options = parts.options;
    this.stop = new Set(parts.stopwords);
    this.vocab = parts.vocab;
    this.weights = parts.weights;
    this.scale = parts.softmaxScale;
    this.training = parts.training ?? {};
    this.jieba = jieba;
  }

  /** Tokens of a text as the model sees them (normalised, stop-words removed). */
  tokens(text: string): string[] {
    return tokenizeRaw(this.jieba, text, this.stop, this.folder);
  }

  /**
   * Uncalibrated decision scores of a text, one per category. The hot path: equal to
   * `decision(weights, vectorize(this.tokens(text)))` without building the token array or the vector.
   */
  decisionScores(text: string): Float64Array {
    const stop = this.stop;
    this.scorer ??= new FastScorer(this.vocab, this.options, this.weights, (t) => t !== ' ' && !isNoiseToken(t) && !stop.has(t));
    const norm = normalizeText(this.folder ? this.folder.fold(text) : text);
    return this.scorer.score(norm === '' ? [] : this.jieba.cut(norm, true));
  }

  /** Decision scores through the reference path (token array, sparse vector); for tests. */
  decisionScoresReference(text: string): Float64Array {
    return decision(this.weights, vectorize(this.tokens(text), this.vocab, this.options));
  }

  /** Classifies one message. Bad input (missing, empty or non-string content) comes back as an error value. */
  classify(input: RoutingInput): RoutingOutcome {
    const v = validateInput(input);
    if (!v.ok) return v;
    const p = softmax(this.decisionScores(v.text), this.scale);
    let best = 0;
    for (let k = 1; k < p.length; k++) if ((p[k] as number) > (p[best] as number)) best = k;
    const scores = {} as Record<Category, number>;
    this.categories.forEach((c, k) => {
      scores[c] = Math.round((p[k] as number) * 1e6) / 1e6;
    });
    return { ok: true, category: this.categories[best] as Category, confidence: scores[this.categories[best] as Category], scores };
  }

  /** Classifies many messages; the result has the same length and order as the input. */
  classifyBatch(inputs: readonly RoutingInput[]): RoutingOutcome[] {
    return inputs.map((i) => this.classify(i));
  }
}

const b64 = (a: ArrayBufferView): string => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');

/** Builds the artefact from trained parts (weights quantised to int8 per class, idf to uint16). */
export function toArtefact(parts: {
  options: FeatureOptions;
  stopwords: readonly string[];
  vocab: Vocabulary;
  weights: LinearWeights;
  softmaxScale: number;
  foldPairs?: string;
  training: Record<string, unknown>;
}): RoutingArtefact {
  const { vocab, weights } = parts;
  const K = weights.nClasses;
  const F = weights.nFeatures;
  const features = new Array<string>(F);
  for (const [key, j] of vocab.index) features[j] = key;
  const maxAbs = new Array<number>(K).fill(0);
  for (let j = 0; j < F; j++)
    for (let k = 0; k < K; k++) maxAbs[k] = Math.max(maxAbs[k] as number, Math.abs(weights.w[j * K + k] as number));
  const weightScale = maxAbs.map((m) => (m > 0 ? m / 127 : 1));
  const q = new Int8Array(F * K);
  for (let j = 0; j < F; j++)
    for (let k = 0; k < K; k++) q[j * K + k] = Math.round((weights.w[j * K + k] as number) / (weightScale[k] as number));
  const idfScale = 1000;
  const idf = new Uint16Array(F);
  const idfBytes = new Uint8Array(F * 2);
  for (let j = 0; j < F; j++) {
    idf[j] = Math.min(65535, Math.round((vocab.idf[j] as number) * idfScale));
    idfBytes[2 * j] = (idf[j] as number) & 0xff;
    idfBytes[2 * j + 1] = (idf[j] as number) >> 8;
  }
  return {
    format: 'yiwang-routing',
    version: ARTEFACT_VERSION,
    categories: [...CATEGORIES],
    featureOptions: parts.options,
    stopwords: [...parts.stopwords],
    features,
    blocks: b64(vocab.block),
    idf: b64(idfBytes),
    idfScale,
    weights: b64(q),
    weightScale,
    bias: [...weights.bias],
    softmaxScale: parts.softmaxScale,
    ...(parts.foldPairs ? { foldPairs: parts.foldPairs } : {}),
    training: parts.training,
  };
}

/** Result of reading an artefact. */
export type ArtefactResult = { ok: true; model: RoutingModel } | { ok: false; error: { code: 'BAD_ARTEFACT'; message: string } };

/** Turns a parsed artefact into a model; a malformed or foreign artefact is an error value. */
export function fromArtefact(a: unknown, jieba: Jieba): ArtefactResult {
  const bad = (message: string): ArtefactResult => ({ ok: false, error: { code: 'BAD_ARTEFACT', message } });
  const art = a as Partial<RoutingArtefact> | null;
  if (!art || art.format !== 'yiwang-routing') return bad('not a yiwang routing artefact');
  if (art.version !== ARTEFACT_VERSION) return bad(`artefact version ${String(art.version)}, expected ${ARTEFACT_VERSION}`);
  const cats = art.categories ?? [];
  if (cats.length !== CATEGORIES.length || cats.some((c, i) => c !== CATEGORIES[i])) return bad('unexpected categories');
  const features = art.features ?? [];
  const F = features.length;
  const K = cats.length;
  const blocks = new Uint8Array(Buffer.from(art.blocks ?? '', 'base64'));
  const idfBytes = Buffer.from(art.idf ?? '', 'base64');
  const q = new Int8Array(new Uint8Array(Buffer.from(art.weights ?? '', 'base64')).buffer);
  if (blocks.length !== F || idfBytes.length !== 2 * F || q.length !== F * K) return bad('array lengths do not match');
  if (!art.featureOptions || !art.weightScale || !art.bias || typeof art.softmaxScale !== 'number' || !art.idfScale)
    return bad('missing fields');
  const index = new Map<string, number>();
  features.forEach((f, j) => index.set(f, j));
  const idf = new Float32Array(F);
  for (let j = 0; j < F; j++) idf[j] = ((idfBytes[2 * j] as number) | ((idfBytes[2 * j + 1] as number) << 8)) / art.idfScale;
  const w = new Float32Array(F * K);
  for (let j = 0; j < F; j++) for (let k = 0; k < K; k++) w[j * K + k] = (q[j * K + k] as number) * (art.weightScale[k] as number);
  const model = new RoutingModel(
    {
      categories: CATEGORIES,
      options: art.featureOptions,
      stopwords: art.stopwords ?? [],
      vocab: { index, block: blocks, idf },
      weights: { nFeatures: F, nClasses: K, w, bias: Float32Array.from(art.bias) },
      softmaxScale: art.softmaxScale,
      ...(typeof art.foldPairs === 'string' ? { foldPairs: art.foldPairs } : {}),
      training: art.training ?? {},
    },
    jieba,
  );
  return { ok: true, model };
}
