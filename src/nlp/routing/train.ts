/**
 * Training pipeline: tokens → vocabulary → NB-weighted linear SVM → calibrated softmax → artefact.
 * Pure apart from the jieba instance passed in; reading and writing files is the caller's job.
 */
import type { Jieba } from '@node-rs/jieba';
import { CATEGORIES, type Category } from './categories.ts';
import type { Correction, RoutingRow } from './dataset.ts';
import { splitForValidation } from './dataset.ts';
import { buildVocabulary, vectorize, DEFAULT_FEATURE_OPTIONS, type FeatureOptions, type Vocabulary } from './features.ts';
import {
  addWeights,
  computeMetrics,
  decision,
  fitSoftmaxScale,
  makeRng,
  shuffle,
  softmax,
  trainOvrSvm,
  trainSoftmaxLr,
  type LinearWeights,
  type Metrics,
} from './linear.ts';
import type { SparseVector } from './features.ts';
import { fromArtefact, toArtefact, type RoutingArtefact } from './model.ts';
import { buildFoldPairs, deriveStopwords, tokenizeRaw, tokenizeSegmented } from './text.ts';

/** Hyper-parameters of training (chosen on the validation split, see docs/routing.md). */
export interface TrainOptions {
  features: FeatureOptions;
  /** Features must occur in at least this many training documents. */
  minDf: number;
  C: number;
  epochs: number;
  nbAlpha: number;
  /** Class weights (n / (K · n_k)) ^ balance in the SVM loss; 0 = unweighted, 1 = fully balanced. */
  balance: number;
  /**
   * Weight of a multinomial logistic regression on the same features, added to the SVM's weights
   * (W = W_svm + lrMix · W_lr; one linear model again); 0 trains the SVM alone. Shipped: 0 (tuning CV said
   * +0.7 points at 0.15, the validation split −1.1; not a reliable gain, see docs/routing.md).
   */
  lrMix: number;
  /** L2 penalty, passes and Adagrad rate of that logistic regression. */
  lrLambda: number;
  lrEpochs: number;
  lrRate: number;
  /** Keep only this many features (largest weight in any class) in the shipped model; 0 keeps all. */
  maxFeatures: number;
  seed: number;
  /** Seed and share of the validation split. */
  splitSeed: number;
  splitShare: number;
}

export const DEFAULT_TRAIN_OPTIONS: TrainOptions = {
  features: { ...DEFAULT_FEATURE_OPTIONS, wordBigrams: false, leadTokens: 8 },
  minDf: 2,
  C: 0.3,
  epochs: 30,
  nbAlpha: 0.03,
  balance: 1,
  lrMix: 0,
  lrLambda: 1e-4,
  lrEpochs: 10,
  lrRate: 0.5,
  maxFeatures: 80_000,
  seed: 1,
  splitSeed: 20201,
  splitShare: 0.35,
};

/** A labelled example ready for feature extraction. */
interface Example {
  tokens: string[];
  y: number;
}

/** Derives the stop-word list from the rows that have both raw and segmented text. */
export function stopwordsFromRows(jieba: Jieba, rows: readonly RoutingRow[]): string[] {
  const none = new Set<string>();
  return deriveStopwords(
    rows
      .filter((r) => r.raw !== null && r.segmented !== null)
      .map((r) => ({
        rawTokens: tokenizeRaw(jieba, r.raw as string, none),
        segmentedTokens: tokenizeSegmented(r.segmented as string, none),
      })),
  );
}

function examples(jieba: Jieba, rows: readonly RoutingRow[], corrections: readonly Correction[], stop: ReadonlySet<string>): Example[] {
  const corrected = new Set(corrections.map((c) => (c.title ?? '') + c.content));
  const out: Example[] = [];
  for (const r of rows) {
    if (r.raw !== null && corrected.has(r.raw)) continue; // staff said otherwise
    const tokens = r.raw !== null ? tokenizeRaw(jieba, r.raw, stop) : tokenizeSegmented(r.segmented ?? '', stop);
    out.push({ tokens, y: CATEGORIES.indexOf(r.label) });
  }
  for (const c of corrections) out.push({ tokens: tokenizeRaw(jieba, (c.title ?? '') + c.content, stop), y: CATEGORIES.indexOf(c.category) });
  return out;
}

/**
 * The weights for training vectors: the class-balanced NB-SVM, plus `lrMix` times a class-balanced softmax
 * logistic regression when `lrMix` > 0. `sampleWeight` (SVM only; bench/routing-tries/svmweak.ts) scales single
 * rows; class balance then counts rows by their weights.
 */
export function trainWeights(
  X: readonly SparseVector[],
  y: readonly number[],
  nFeatures: number,
  opts: TrainOptions,
  sampleWeight?: readonly number[],
): LinearWeights {
  const K = CATEGORIES.length;
  const counts = CATEGORIES.map((_, k) => y.reduce((s, q, i) => s + (q === k ? (sampleWeight?.[i] ?? 1) : 0), 0));
  const n = counts.reduce((a, b) => a + b, 0);
  const classWeight = counts.map((c) => (c > 0 ? (n / (K * c)) ** opts.balance : 1));
  const svm = trainOvrSvm(X, y, nFeatures, K, { C: opts.C, epochs: opts.epochs, nbAlpha: opts.nbAlpha, seed: opts.seed, classWeight, sampleWeight });
  if (!(opts.lrMix > 0)) return svm;
  const lr = trainSoftmaxLr(X, y, nFeatures, K, { lambda: opts.lrLambda, epochs: opts.lrEpochs, rate: opts.lrRate, seed: opts.seed, classWeight });
  return addWeights(svm, lr, opts.lrMix);
}

/** A trained model in memory (before quantisation). */
export interface Trained {
  stopwords: string[];
  vocab: Vocabulary;
  weights: LinearWeights;
}

/** Trains on rows plus corrections. */
export function fit(jieba: Jieba, rows: readonly RoutingRow[], corrections: readonly Correction[], opts: TrainOptions): Trained {
  const stopwords = stopwordsFromRows(jieba, rows);
  const stop = new Set(stopwords);
  const ex = examples(jieba, rows, corrections, stop);
  const vocab = buildVocabulary(
    ex.map((e) => e.tokens),
    opts.features,
    opts.minDf,
  );
  const X = ex.map((e) => vectorize(e.tokens, vocab, opts.features));
  const weights = trainWeights(
    X,
    ex.map((e) => e.y),
    vocab.idf.length,
    opts,
  );
  return opts.maxFeatures > 0 ? prune({ stopwords, vocab, weights }, opts.maxFeatures) : { stopwords, vocab, weights };
}

/**
 * Keeps the `maxFeatures` features with the largest absolute weight in any class (the vectoriser then ignores
 * the others, which also leaves them out of the L2 norms; measured on validation, this costs nothing).
 */
export function prune(t: Trained, maxFeatures: number): Trained {
  const K = t.weights.nClasses;
  const F = t.weights.nFeatures;
  if (F <= maxFeatures) return t;
  const imp = new Float64Array(F);
  for (let j = 0; j < F; j++) {
    let mx = 0;
    for (let k = 0; k < K; k++) mx = Math.max(mx, Math.abs(t.weights.w[j * K + k] as number));
    imp[j] = mx;
  }
  const keep = Array.from({ length: F }, (_, j) => j)
    .sort((a, b) => (imp[b] as number) - (imp[a] as number) || a - b)
    .slice(0, maxFeatures)
    .sort((a, b) => a - b);
  const keyOf = new Array<string>(F);
  for (const [key, j] of t.vocab.index) keyOf[j] = key;
  const index = new Map<string, number>();
  const block = new Uint8Array(keep.length);
  const idf = new Float32Array(keep.length);
  const w = new Float32Array(keep.length * K);
  keep.forEach((j, jj) => {
    index.set(keyOf[j] as string, jj);
    block[jj] = t.vocab.block[j] as number;
    idf[jj] = t.vocab.idf[j] as number;
    for (let k = 0; k < K; k++) w[jj * K + k] = t.weights.w[j * K + k] as number;
  });
  return {
    stopwords: t.stopwords,
    vocab: { index, block, idf },
    weights: { nFeatures: keep.length, nClasses: K, w, bias: t.weights.bias },
  };
}

/** Decision scores of raw texts under a trained model. */
export function scoreTexts(jieba: Jieba, t: Trained, texts: readonly string[], features: FeatureOptions): Float64Array[] {
  const stop = new Set(t.stopwords);
  return texts.map((s) => decision(t.weights, vectorize(tokenizeRaw(jieba, s, stop), t.vocab, features)));
}

const argmax = (a: ArrayLike<number>): number => {
  let b = 0;
  for (let k = 1; k < a.length; k++) if ((a[k] as number) > (a[b] as number)) b = k;
  return b;
};

/** Accuracy and coverage of predictions at or above a confidence threshold. */
export interface ThresholdRow {
  threshold: number;
  /** Share of messages at or above the threshold (routed automatically). */
  coverage: number;
  /** Accuracy on those messages. */
  accuracy: number;
}

/** The validation report written into the artefact and printed by `yiwang train routing`. */
export interface ValidationReport {
  trainRows: number;
  validationRows: number;
  macroF1: number;
  accuracy: number;
  perClass: Record<Category, { precision: number; recall: number; f1: number; support: number }>;
  softmaxScale: number;
  /** Expected calibration error (10 bins) of the confidence on the validation split. */
  ece: number;
  thresholds: ThresholdRow[];
}

/** Builds the report from held-out scores. */
export function reportFrom(scores: readonly Float64Array[], gold: readonly number[], scale: number, trainRows: number): ValidationReport {
  const pred = scores.map(argmax);
  const m: Metrics = computeMetrics(gold, pred, CATEGORIES.length);
  const conf = scores.map((s) => Math.max(...softmax(s, scale)));
  const perClass = {} as ValidationReport['perClass'];
  CATEGORIES.forEach((c, k) => {
    perClass[c] = m.perClass[k] as ValidationReport['perClass'][Category];
  });
  const bins = Array.from({ length: 10 }, () => ({ n: 0, conf: 0, correct: 0 }));
  conf.forEach((c, i) => {
    const b = bins[Math.min(9, Math.floor(c * 10))] as { n: number; conf: number; correct: number };
    b.n++;
    b.conf += c;
    if (pred[i] === gold[i]) b.correct++;
  });
  const ece = bins.reduce((s, b) => s + (b.n ? Math.abs(b.conf - b.correct) : 0), 0) / Math.max(1, gold.length);
  const thresholds = [0, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95].map((threshold) => {
    let n = 0;
    let ok = 0;
    conf.forEach((c, i) => {
      if (c >= threshold) {
        n++;
        if (pred[i] === gold[i]) ok++;
      }
    });
    return { threshold, coverage: n / Math.max(1, gold.length), accuracy: n ? ok / n : 0 };
  });
  return {
    trainRows,
    validationRows: gold.length,
    macroF1: m.macroF1,
    accuracy: m.accuracy,
    perClass,
    softmaxScale: scale,
    ece,
    thresholds,
  };
}

/** Trains on the training part of the fixed split and scores the validation part (raw text). */
export function validate(jieba: Jieba, rows: readonly RoutingRow[], opts: TrainOptions): ValidationReport {
  const { train, validation } = splitForValidation(rows, opts.splitSeed, opts.splitShare);
  const t = fit(jieba, train, [], opts);
  // Score through the quantised artefact, exactly as the shipped model will.
  const loaded = fromArtefact(
    toArtefact({ options: opts.features, stopwords: t.stopwords, vocab: t.vocab, weights: t.weights, softmaxScale: 1, training: {} }),
    jieba,
  );
  if (!loaded.ok) throw new Error(loaded.error.message); // cannot happen: we just built it
  const model = loaded.model;
  const scores = validation.map((r) => model.decisionScores(r.raw as string));
  const gold = validation.map((r) => CATEGORIES.indexOf(r.label));
  const scale = fitSoftmaxScale(scores, gold);
  return reportFrom(scores, gold, scale, train.length);
}

/**
 * Softmax scale used when training skips the validation run (`--no-validate`): the value the validation run
 * fitted with the default options (2.84 on 2026-11-26; see docs/routing.md).
 */
export const DEFAULT_SOFTMAX_SCALE = 2.84;

/** Result of {@link trainRouting}. */
export interface TrainResult {
  artefact: RoutingArtefact;
  validation: ValidationReport | null;
}

/**
 * The whole of `yiwang train routing`: (1) unless `skipValidation`, train on the split's training part and
 * measure on its validation part, which also fits the confidence calibration; (2) train the shipped model on all
 * rows plus corrections with the same settings and package it as an artefact.
 */
export function trainRouting(
  jieba: Jieba,
  rows: readonly RoutingRow[],
  corrections: readonly Correction[],
  opts: TrainOptions = DEFAULT_TRAIN_OPTIONS,
  skipValidation = false,
  toSimplified?: (s: string) => string,
  fallbackSoftmaxScale = DEFAULT_SOFTMAX_SCALE,
): TrainResult {
  const validation = skipValidation ? null : validate(jieba, rows, opts);
  const t = fit(jieba, rows, corrections, opts);
  let foldPairs = '';
  if (toSimplified) {
    const seen = new Set<string>();
    for (const r of rows) for (const ch of (r.raw ?? '') + (r.segmented ?? '')) seen.add(ch);
    foldPairs = buildFoldPairs(toSimplified, seen);
  }
  const artefact = toArtefact({
    options: opts.features,
    stopwords: t.stopwords,
    vocab: t.vocab,
    weights: t.weights,
    softmaxScale: validation?.softmaxScale ?? fallbackSoftmaxScale,
    foldPairs,
    training: {
      rows: rows.length,
      corrections: corrections.length,
      options: { ...opts },
      validation,
    },
  });
  return { artefact, validation };
}

/** Result of {@link crossValidate}. */
export interface CrossValidation {
  folds: number;
  /** Raw-text rows scored (each exactly once). */
  rows: number;
  /** Macro-F1 and accuracy over the pooled out-of-fold predictions. */
  macroF1: number;
  accuracy: number;
  /** Macro-F1 of each fold on its own. */
  foldMacroF1: number[];
}

/**
 * k-fold cross-validation on raw text: the rows that have raw text are split into `k` label-stratified folds
 * (seeded); each fold is scored on its raw text by a model trained on all other rows, without any row whose
 * raw or segmented text equals a scored row's (the data has duplicate groups). Stop-words are derived once from
 * all rows (that uses no labels). Unquantised weights; no corrections. About k trainings of CPU time.
 */
export function crossValidate(jieba: Jieba, rows: readonly RoutingRow[], opts: TrainOptions, k = 5, seed = 7): CrossValidation {
  const stop = new Set(stopwordsFromRows(jieba, rows));
  const seg = new Map<number, string[]>();
  const raw = new Map<number, string[]>();
  for (const r of rows) {
    if (r.raw !== null) {
      const t = tokenizeRaw(jieba, r.raw, stop);
      seg.set(r.id, t);
      raw.set(r.id, t);
    } else seg.set(r.id, tokenizeSegmented(r.segmented ?? '', stop));
  }
  const rng = makeRng(seed);
  const withRaw = rows.filter((r) => r.raw !== null);
  const fold = new Map<number, number>();
  for (const c of CATEGORIES) shuffle(withRaw.filter((r) => r.label === c), rng).forEach((r, i) => fold.set(r.id, i % k));
  const gold: number[] = [];
  const pred: number[] = [];
  const foldMacroF1: number[] = [];
  for (let f = 0; f < k; f++) {
    const test = withRaw.filter((r) => fold.get(r.id) === f);
    const segSet = new Set(test.map((r) => r.segmented));
    const rawSet = new Set(test.map((r) => r.raw));
    const train = rows.filter((r) => fold.get(r.id) !== f && !(r.segmented && segSet.has(r.segmented)) && !(r.raw && rawSet.has(r.raw)));
    const docs = train.map((r) => seg.get(r.id) as string[]);
    const y = train.map((r) => CATEGORIES.indexOf(r.label));
    const vocab = buildVocabulary(docs, opts.features, opts.minDf);
    const X = docs.map((d) => vectorize(d, vocab, opts.features));
    const W = trainWeights(X, y, vocab.idf.length, opts);
    const g = test.map((r) => CATEGORIES.indexOf(r.label));
    const p = test.map((r) => argmax(decision(W, vectorize(raw.get(r.id) as string[], vocab, opts.features))));
    foldMacroF1.push(computeMetrics(g, p, CATEGORIES.length).macroF1);
    gold.push(...g);
    pred.push(...p);
  }
  const m = computeMetrics(gold, pred, CATEGORIES.length);
  return { folds: k, rows: gold.length, macroF1: m.macroF1, accuracy: m.accuracy, foldMacroF1 };
}
