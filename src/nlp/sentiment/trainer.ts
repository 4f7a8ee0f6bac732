/**
 * The sentiment trainer (heavy: loads the corpora, jieba and the model code). The command-line entry and
 * `registerTrainSentiment` are in `train.ts`, which loads this module only when training runs.
 *
 * Model: NB-weighted logistic regression (Wang & Manning's NB-LR / NBSVM idea) over hashed binary features
 * (character 1–4-grams, jieba words and word bigrams, negation-scoped words, Weibo emoticons), fitted with
 * AdaGrad SGD and L2, all corpora together; then a review specialist (the same model fitted on ChnSentiCorp and
 * the shopping rows of its domains 酒店 / 计算机 / 书籍) and a domain router (logistic regression over the feature
 * indices folded into 2^16 buckets: those domains against the rest), blended at inference by the router's
 * probability. Validation: the fixed seeded splits of `data.ts`, never trained on; blend, ramp and shift were
 * chosen by 5-fold CV on the training rows (docs/sentiment.md).
 * Deterministic for a given data folder and options.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bothLabelRows, CHNSENTICORP_DOMAINS, CORPORA, leaveOutRows, loadSplits, rng, type Corpus, type Example } from './data.ts';
import { DEFAULT_FEATURES, FeatureExtractor, normaliseText, type FeatureOptions } from './features.ts';
import { encodeModel, decodeModel, getJieba, MODEL_PATH, SentimentModel, type ModelData, type ModelHeader } from './model.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const DEFAULT_DATA_DIR = join(ROOT, 'datasets', 'sentiment');

/** Training options; the defaults are the ones the committed model was trained with. */
export interface TrainOptions {
  dataDir: string;
  out: string;
  features: FeatureOptions;
  /** Use NB log-count ratios as feature values. */
  nb: boolean;
  nbAlpha: number;
  sqrtNorm: boolean;
  epochs: number;
  lr: number;
  l2: number;
  /** Per-corpus sample weights. */
  corpusWeight: Record<Corpus, number>;
  /** Apply the sarcasm-marker rule at inference. */
  sarcasm: boolean;
  /** Neutral band on |score| written into the model. */
  neutralBand: number;
  seed: number;
  /** Train on train+validation for the shipped model after measuring on validation. */
  final: boolean;
  /**
   * Weight of the review specialist (trained on ChnSentiCorp only) where the router reads a text as a review;
   * 0 = no specialist and no router (a version-1 artefact).
   */
  specialistBlend: number;
  /** Epochs of the specialist. */
  specialistEpochs: number;
  /** Length (normalised characters) at which the specialist reaches its full blend; 0 = no ramp. */
  specialistRamp: number;
  /** log2 buckets of the domain router. */
  routerBits: number;
  /**
   * Sample weight, in the specialist, of shopping rows in the domains of ChnSentiCorp (酒店, 计算机, 书籍; rows
   * whose text is also a ChnSentiCorp row are left out); 0 = ChnSentiCorp rows only.
   */
  specialistDomainWeight: number;
  /** Subtracted from the specialist's bias (a decision threshold for the review domain, chosen by CV). */
  specialistShift: number;
  /**
   * What the router tells apart: 'review' = every review corpus against Weibo; 'domain' = the domains of
   * ChnSentiCorp (ChnSentiCorp and the shopping rows of those categories) against everything else.
   */
  routerTarget: 'review' | 'domain';
  /**
   * Corpora whose training rows with a text that occurs with both labels are left out (`bothLabelRows` in
   * `data.ts`: one row of the majority label is kept unless tied). Validation is untouched.
   */
  dropBothLabels: Corpus[];
  /**
   * Learning-curve experiments only (`bench/sentiment-tries/curve.ts`): leave out about `rows[c]` training rows of
   * corpus c, whole texts drawn by `mulberry32(seed)` (`leaveOutRows` in `data.ts`). Validation is untouched.
   */
  leaveOut?: { rows: Partial<Record<Corpus, number>>; seed: number };
  log: (line: string) => void;
}

export const DEFAULT_TRAIN: Omit<TrainOptions, 'log'> = {
  dataDir: DEFAULT_DATA_DIR,
  out: MODEL_PATH,
  features: DEFAULT_FEATURES,
  nb: true,
  nbAlpha: 1,
  sqrtNorm: true,
  epochs: 5,
  lr: 0.1,
  l2: 1e-7,
  corpusWeight: { chnsenticorp: 1, weibo: 1, waimai: 1, shopping: 1 },
  neutralBand: 0.2,
  sarcasm: true,
  seed: 7,
  final: false,
  specialistBlend: 0.8,
  specialistEpochs: 10,
  specialistRamp: 30,
  routerBits: 16,
  specialistDomainWeight: 1,
  specialistShift: 0.2,
  routerTarget: 'domain',
  dropBothLabels: [],
};

/** `trained.trainedOn` in an artefact's header: validation held out, or trained on too (`final`). */
export const TRAINED_ON = {
  heldOut: 'train split (validation held out)',
  final: 'train + validation splits (figures measured before adding validation)',
} as const;

/** Featurised rows (CSR); exported for `cv.ts`. */
export interface Matrix {
  idx: Int32Array;
  off: Int32Array;
  y: Uint8Array;
  wt: Float32Array;
  corpus: Corpus[];
  /** 1 for rows of the ChnSentiCorp domains (ChnSentiCorp, shopping 酒店 / 计算机 / 书籍): the router's target. */
  domain: Uint8Array;
  /** 1 for a ChnSentiCorp row, 2 for a shopping row of its domains whose text is not also a ChnSentiCorp row, else 0. */
  spec: Uint8Array;
}

/** Rows of a matrix with a positive weight `weight(i)`, which becomes their sample weight. */
export function subset(m: Matrix, weight: (i: number) => number): Matrix {
  const rows: number[] = [];
  m.corpus.forEach((_, i) => {
    if (weight(i) > 0) rows.push(i);
  });
  let total = 0;
  for (const i of rows) total += (m.off[i + 1] as number) - (m.off[i] as number);
  const idx = new Int32Array(total);
  const off = new Int32Array(rows.length + 1);
  const y = new Uint8Array(rows.length);
  const wt = new Float32Array(rows.length);
  let p = 0;
  rows.forEach((i, r) => {
    idx.set(m.idx.subarray(m.off[i] as number, m.off[i + 1] as number), p);
    p += (m.off[i + 1] as number) - (m.off[i] as number);
    off[r + 1] = p;
    y[r] = m.y[i] as number;
    wt[r] = weight(i);
  });
  const pick = (a: Uint8Array): Uint8Array => Uint8Array.from(rows, (i) => a[i] as number);
  return { idx, off, y, wt, corpus: rows.map((i) => m.corpus[i] as Corpus), domain: pick(m.domain), spec: pick(m.spec) };
}

/**
 * Fits the domain router: logistic regression over the feature indices folded into `1 << bits` buckets, values
 * 1/sqrt(n), AdaGrad, classes weighted to balance. Label 1: a review (target 'review', against Weibo) or a text of
 * the ChnSentiCorp domains (target 'domain', against everything else).
 */
export function fitRouter(m: Matrix, bits: number, seed: number, target: 'review' | 'domain'): { w: Float32Array; b: number } {
  const dim = 1 << bits;
  const mask = dim - 1;
  const n = m.y.length;
  const label = (i: number): number => (target === 'domain' ? (m.domain[i] as number) : m.corpus[i] === 'weibo' ? 0 : 1);
  let reviews = 0;
  for (let i = 0; i < n; i++) reviews += label(i);
  const wRev = n / (2 * Math.max(reviews, 1));
  const wWeibo = n / (2 * Math.max(n - reviews, 1));
  const w = new Float32Array(dim);
  const g2 = new Float32Array(dim).fill(1e-6);
  let b = 0;
  let gb = 1e-6;
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const rand = rng(seed);
  for (let ep = 0; ep < 2; ep++) {
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      const t = order[i] as number;
      order[i] = order[j] as number;
      order[j] = t;
    }
    for (let q = 0; q < n; q++) {
      const i = order[q] as number;
      const a = m.off[i] as number;
      const e = m.off[i + 1] as number;
      if (e === a) continue;
      const v = 1 / Math.sqrt(e - a);
      let z = b;
      for (let k = a; k < e; k++) z += (w[(m.idx[k] as number) & mask] as number) * v;
      const y = label(i);
      const g = (1 / (1 + Math.exp(-z)) - y) * (y ? wRev : wWeibo);
      for (let k = a; k < e; k++) {
        const f = (m.idx[k] as number) & mask;
        const gf = g * v + 1e-7 * (w[f] as number);
        g2[f] = (g2[f] as number) + gf * gf;
        w[f] = (w[f] as number) - (0.2 * gf) / Math.sqrt(g2[f] as number);
      }
      gb += g * g;
      b -= (0.2 * g) / Math.sqrt(gb);
    }
  }
  return { w, b };
}

export function textKey(text: string): string {
  return text.replace(/[\s\p{P}\p{S}]/gu, '').toLowerCase();
}

/** Features of every example as a CSR matrix with labels, corpus weights and the specialist's row flags. */
export function featurise(xs: readonly Example[], fx: FeatureExtractor, weights: Record<Corpus, number>): Matrix {
  const jieba = fx.opts.words ? getJieba() : undefined;
  const parts: Int32Array[] = [];
  const off = new Int32Array(xs.length + 1);
  const y = new Uint8Array(xs.length);
  const wt = new Float32Array(xs.length);
  const corpus = xs.map((e) => e.corpus);
  const cscKeys = new Set(xs.filter((e) => e.corpus === 'chnsenticorp').map((e) => textKey(e.text)));
  const domain = new Uint8Array(xs.length);
  const spec = new Uint8Array(xs.length);
  xs.forEach((e, i) => {
    if (e.corpus === 'chnsenticorp') domain[i] = spec[i] = 1;
    else if (e.corpus === 'shopping' && e.cat !== undefined && CHNSENTICORP_DOMAINS.has(e.cat)) {
      domain[i] = 1;
      if (!cscKeys.has(textKey(e.text))) spec[i] = 2;
    }
  });
  let total = 0;
  xs.forEach((e, i) => {
    const norm = normaliseText(e.text);
    const f = fx.extract(norm, jieba?.cut(norm, false));
    parts.push(f);
    total += f.length;
    off[i + 1] = total;
    y[i] = e.label;
    wt[i] = weights[e.corpus];
  });
  const idx = new Int32Array(total);
  let p = 0;
  for (const f of parts) {
    idx.set(f, p);
    p += f.length;
  }
  return { idx, off, y, wt, corpus, domain, spec };
}

function nbRatios(m: Matrix, dim: number, alpha: number): Float32Array {
  const pos = new Float64Array(dim).fill(alpha);
  const neg = new Float64Array(dim).fill(alpha);
  const n = m.y.length;
  for (let i = 0; i < n; i++) {
    const c = m.y[i] ? pos : neg;
    for (let k = m.off[i] as number; k < (m.off[i + 1] as number); k++) (c[m.idx[k] as number] as number) += 1;
  }
  let sp = 0;
  let sn = 0;
  for (let f = 0; f < dim; f++) {
    sp += pos[f] as number;
    sn += neg[f] as number;
  }
  const r = new Float32Array(dim);
  for (let f = 0; f < dim; f++) r[f] = Math.log((pos[f] as number) / sp) - Math.log((neg[f] as number) / sn);
  return r;
}

/** Fits NB-LR; returns folded weights (w·r) and bias. Exported for `cv.ts`. */
export function fit(m: Matrix, dim: number, o: Omit<TrainOptions, 'log'>, log: (s: string) => void, evalFn?: (w: Float32Array, b: number, epoch: number) => void): { w: Float32Array; b: number } {
  const r = o.nb ? nbRatios(m, dim, o.nbAlpha) : new Float32Array(dim).fill(1);
  const w = new Float32Array(dim);
  const g2 = new Float32Array(dim).fill(1e-6);
  let b = 0;
  let gb = 1e-6;
  const n = m.y.length;
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const rand = rng(o.seed);
  const folded = (): Float32Array => {
    const out = new Float32Array(dim);
    for (let f = 0; f < dim; f++) out[f] = (w[f] as number) * (r[f] as number);
    return out;
  };
  for (let ep = 0; ep < o.epochs; ep++) {
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      const t = order[i] as number;
      order[i] = order[j] as number;
      order[j] = t;
    }
    let loss = 0;
    for (let q = 0; q < n; q++) {
      const i = order[q] as number;
      const a = m.off[i] as number;
      const e = m.off[i + 1] as number;
      const v = o.sqrtNorm && e > a ? 1 / Math.sqrt(e - a) : 1;
      let z = b;
      for (let k = a; k < e; k++) {
        const f = m.idx[k] as number;
        z += (w[f] as number) * (r[f] as number) * v;
      }
      const p = 1 / (1 + Math.exp(-z));
      const y = m.y[i] as number;
      loss -= (m.wt[i] as number) * Math.log(y ? Math.max(p, 1e-12) : Math.max(1 - p, 1e-12));
      const g = (p - y) * (m.wt[i] as number);
      for (let k = a; k < e; k++) {
        const f = m.idx[k] as number;
        const gf = g * (r[f] as number) * v + o.l2 * (w[f] as number);
        g2[f] = (g2[f] as number) + gf * gf;
        w[f] = (w[f] as number) - (o.lr * gf) / Math.sqrt(g2[f] as number);
      }
      gb += g * g;
      b -= (o.lr * g) / Math.sqrt(gb);
    }
    log(`epoch ${ep + 1}: mean loss ${(loss / n).toFixed(4)}`);
    evalFn?.(folded(), b, ep + 1);
  }
  return { w: folded(), b };
}

/** Accuracy per corpus (positive ≥ 0.5) of a model on the validation splits. */
export function evaluate(model: SentimentModel, validation: Record<Corpus, Example[]>): Record<Corpus, number> {
  const acc = {} as Record<Corpus, number>;
  for (const c of CORPORA) {
    const xs = validation[c];
    let ok = 0;
    for (const e of xs) if ((model.predict(e.text).positive >= 0.5 ? 1 : 0) === e.label) ok++;
    acc[c] = xs.length ? ok / xs.length : 0;
  }
  return acc;
}

function chooseScale(w: Float32Array): number {
  let m = 0;
  for (let i = 0; i < w.length; i++) m = Math.max(m, Math.abs(w[i] as number));
  return Math.max(m, 1e-6);
}

function fmt(acc: Record<Corpus, number>): string {
  return CORPORA.map((c) => `${c} ${acc[c].toFixed(4)}`).join('  ');
}

/** Trains, measures on validation, optionally retrains on everything, writes the artefact. */
export function trainSentiment(opts: TrainOptions): { ok: true; validation: Record<Corpus, number>; bytes: number } | { ok: false; error: string } {
  const log = opts.log;
  const t0 = Date.now();
  const split = loadSplits(opts.dataDir);
  const validation = split.validation;
  const dropped = bothLabelRows(split.train, opts.dropBothLabels);
  const leftOut = opts.leaveOut ? leaveOutRows(split.train, opts.leaveOut.rows, opts.leaveOut.seed) : undefined;
  const train = split.train.filter((_, i) => !dropped[i] && !leftOut?.[i]);
  if (opts.dropBothLabels.length) log(`left out ${split.train.filter((_, i) => dropped[i]).length} training rows whose text occurs with both labels (${opts.dropBothLabels.join(', ')})`);
  if (leftOut) log(`learning curve (seed ${opts.leaveOut?.seed}): left out ${CORPORA.map((c) => `${c} ${split.train.filter((e, i) => leftOut[i] && e.corpus === c).length}`).join(', ')} training rows`);
  log(`loaded ${train.length} training rows; validation ${CORPORA.map((c) => `${c} ${validation[c].length}`).join(', ')}`);
  const dim = 1 << opts.features.bits;
  const fx = new FeatureExtractor(opts.features);
  const m = featurise(train, fx, opts.corpusWeight);
  log(`features: ${m.idx.length} non-zeros (${(m.idx.length / train.length).toFixed(0)} per row) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const header = (b: number, scale: number, trained: Record<string, unknown>, sarcasm = opts.sarcasm): ModelHeader => ({
    format: 'yiwang-sentiment',
    version: opts.specialistBlend > 0 ? 2 : 1,
    features: opts.features,
    sqrtNorm: opts.sqrtNorm,
    bias: b,
    scale,
    temperature: 1,
    sarcasm,
    neutralBand: opts.neutralBand,
    trained,
  });
  const jieba = getJieba();
  const evalFn = (w: Float32Array, b: number, ep: number): void => {
    const raw = new SentimentModel({ header: header(b, 1, {}, false), weights: w }, jieba);
    log(`  validation after epoch ${ep}: ${fmt(evaluate(raw, validation))}`);
    if (opts.sarcasm) {
      const withRule = new SentimentModel({ header: header(b, 1, {}, true), weights: w }, jieba);
      log(`    with sarcasm rule:       ${fmt(evaluate(withRule, validation))}`);
    }
  };
  const fitted = fit(m, dim, opts, log, evalFn);
  type Extra = { spec: { w: Float32Array; b: number }; router: { w: Float32Array; b: number } } | undefined;
  const fitExtra = (mm: Matrix): Extra => {
    if (opts.specialistBlend <= 0) return undefined;
    const sw = (i: number): number => (mm.spec[i] === 1 ? 1 : mm.spec[i] === 2 ? opts.specialistDomainWeight : 0);
    const spec = fit(subset(mm, sw), dim, { ...opts, epochs: opts.specialistEpochs }, log);
    spec.b -= opts.specialistShift;
    const router = fitRouter(mm, opts.routerBits, opts.seed, opts.routerTarget);
    return { spec, router };
  };
  const extra = fitExtra(m);
  if (extra) log(`specialist (ChnSentiCorp${opts.specialistDomainWeight > 0 ? ` + shopping 酒店/计算机/书籍 at weight ${opts.specialistDomainWeight}` : ''}) and router (${opts.routerTarget}) fitted`);
  // measure the quantised artefact, exactly as shipped
  const q = (w: Float32Array, b: number, trained: Record<string, unknown>, ex: Extra = extra): { buf: Buffer; model: SentimentModel } => {
    const h = header(b, chooseScale(w), trained);
    const data: ModelData = { header: h, weights: w };
    if (ex) {
      h.specialist = { bias: ex.spec.b, scale: chooseScale(ex.spec.w), blend: opts.specialistBlend, rampLength: opts.specialistRamp };
      h.router = { bits: opts.routerBits, bias: ex.router.b, scale: chooseScale(ex.router.w) };
      data.specialist = ex.spec.w;
      data.router = ex.router.w;
    }
    const buf = encodeModel(data);
    const back = decodeModel(buf);
    if (!back.ok) throw new Error(back.error);
    return { buf, model: new SentimentModel(back.model, jieba) };
  };
  const shipped = q(fitted.w, fitted.b, {}).model;
  const measured = evaluate(shipped, validation);
  log(`validation (quantised artefact): ${fmt(measured)}`);
  if (extra) {
    let ok = 0;
    let all = 0;
    for (const c of CORPORA) {
      for (const e of validation[c]) {
        all++;
        const target = opts.routerTarget === 'domain' ? c === 'chnsenticorp' || (e.cat !== undefined && CHNSENTICORP_DOMAINS.has(e.cat)) : c !== 'weibo';
        if ((shipped.reviewProbability(e.text) ?? 0.5) >= 0.5 === target) ok++;
      }
    }
    log(`router accuracy (${opts.routerTarget === 'domain' ? 'ChnSentiCorp domains vs the rest' : 'review vs Weibo'}) on the validation texts: ${(ok / all).toFixed(4)}`);
  }
  let finalW = fitted.w;
  let finalB = fitted.b;
  let finalExtra = extra;
  let trainedOn: string = TRAINED_ON.heldOut;
  let finalRows = train.length;
  if (opts.final) {
    const all: Example[] = [...train];
    for (const c of CORPORA) all.push(...validation[c]);
    const mAll = featurise(all, fx, opts.corpusWeight);
    const f2 = fit(mAll, dim, opts, log);
    finalW = f2.w;
    finalB = f2.b;
    finalExtra = fitExtra(mAll);
    trainedOn = TRAINED_ON.final;
    finalRows = all.length;
  }
  const { buf } = q(finalW, finalB, {
    command: `npx tsx src/nlp/sentiment/train.ts${opts.final ? ' --final' : ''}`,
    rows: train.length,
    ...(opts.final ? { finalRows } : {}),
    trainedOn,
    validationAccuracy: measured,
    options: {
      nb: opts.nb, nbAlpha: opts.nbAlpha, epochs: opts.epochs, lr: opts.lr, l2: opts.l2, corpusWeight: opts.corpusWeight,
      specialistBlend: opts.specialistBlend, specialistEpochs: opts.specialistEpochs, specialistRamp: opts.specialistRamp, routerBits: opts.routerBits,
      specialistDomainWeight: opts.specialistDomainWeight, specialistShift: opts.specialistShift, routerTarget: opts.routerTarget,
      ...(opts.dropBothLabels.length ? { dropBothLabels: opts.dropBothLabels } : {}),
      ...(opts.leaveOut ? { leaveOut: opts.leaveOut } : {}),
    },
  }, finalExtra);
  mkdirSync(dirname(opts.out), { recursive: true });
  writeFileSync(opts.out, buf);
  log(`wrote ${opts.out} (${buf.length} bytes) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return { ok: true, validation: measured, bytes: buf.length };
}
