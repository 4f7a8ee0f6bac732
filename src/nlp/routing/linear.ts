/**
 * Linear classifiers on sparse vectors, trained in plain TypeScript on the CPU, and the metrics used to tune
 * them. No I/O.
 */
import { mulberry32 as makeRng, shuffleInPlace as shuffle } from '../../lib/random.ts';
import type { SparseVector } from './features.ts';

/** Weights laid out feature-major: `w[j * nClasses + k]`, plus one bias per class. */
export interface LinearWeights {
  nFeatures: number;
  nClasses: number;
  w: Float32Array;
  bias: Float32Array;
}

/** Seeded PRNG and shuffle (src/lib/random.ts), re-exported under the names the routing code uses. */
export { makeRng, shuffle };

/** Options of {@link trainOvrSvm}. */
export interface SvmOptions {
  /** Inverse regularisation strength. */
  C: number;
  /** Passes over the data per class. */
  epochs: number;
  /** Per-class sample weights multiplier (e.g. to balance classes); defaults to 1. */
  classWeight?: readonly number[];
  /**
   * NB-SVM (Wang & Manning 2012): scale each feature, per class, by its naive-Bayes log-count ratio before
   * training; the ratio is folded into the returned weights, so prediction is unchanged. 0 disables; otherwise
   * the smoothing alpha.
   */
  nbAlpha?: number;
  /**
   * Features from this index on are not NB-scaled (ratio 1): for dense blocks with negative values, whose
   * log-count ratios mean nothing (used by bench/routing-tries/svmdense.ts; the shipped model has none).
   */
  nbSkipFrom?: number;
  /**
   * Per-sample weight multiplier (in the loss and in the NB counts), e.g. < 1 for weakly labelled rows (used by
   * bench/routing-tries/svmweak.ts; the shipped model has none); defaults to 1.
   */
  sampleWeight?: readonly number[];
  seed: number;
}

/** Per-class log-count ratios r[c][j] = ln((p_j/|p|) / (q_j/|q|)) over positive and negative documents. */
function nbRatios(
  X: readonly SparseVector[],
  y: readonly number[],
  nFeatures: number,
  nClasses: number,
  alpha: number,
  sampleWeight?: readonly number[],
): Float64Array[] {
  const sums = Array.from({ length: nClasses }, () => new Float64Array(nFeatures));
  const total = new Float64Array(nFeatures);
  X.forEach((x, i) => {
    const s = sums[y[i] as number] as Float64Array;
    const sw = sampleWeight?.[i] ?? 1;
    for (let k = 0; k < x.idx.length; k++) {
      const v = (x.val[k] as number) * sw;
      s[x.idx[k] as number]! += v;
      total[x.idx[k] as number]! += v;
    }
  });
  return sums.map((p) => {
    let pn = 0;
    let qn = 0;
    for (let j = 0; j < nFeatures; j++) {
      pn += (p[j] as number) + alpha;
      qn += (total[j] as number) - (p[j] as number) + alpha;
    }
    const r = new Float64Array(nFeatures);
    for (let j = 0; j < nFeatures; j++) {
      r[j] = Math.log(((p[j] as number) + alpha) / pn / (((total[j] as number) - (p[j] as number) + alpha) / qn));
    }
    return r;
  });
}

/**
 * One-vs-rest L2-regularised L2-loss linear SVM, trained by dual coordinate descent (the LIBLINEAR method,
 * Hsieh et al. 2008). A constant feature of value 1 gives each class its bias.
 */
export function trainOvrSvm(
  X: readonly SparseVector[],
  y: readonly number[],
  nFeatures: number,
  nClasses: number,
  opts: SvmOptions,
): LinearWeights {
  const n = X.length;
  const W = new Float32Array(nFeatures * nClasses);
  const bias = new Float32Array(nClasses);
  const qii = new Float64Array(n);
  const ratios = opts.nbAlpha ? nbRatios(X, y, nFeatures, nClasses, opts.nbAlpha, opts.sampleWeight) : null;
  if (ratios && opts.nbSkipFrom !== undefined) for (const r of ratios) r.fill(1, Math.max(0, opts.nbSkipFrom));
  const rng = makeRng(opts.seed);
  const order = Array.from({ length: n }, (_, i) => i);
  const w = new Float64Array(nFeatures);
  // The matrix in one CSR block; per class, the values are pre-multiplied by the NB ratios (no lookup per step).
  const ptr = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) ptr[i + 1] = (ptr[i] as number) + (X[i] as SparseVector).idx.length;
  const nnz = ptr[n] as number;
  const idx = new Int32Array(nnz);
  const val = new Float64Array(nnz);
  for (let i = 0; i < n; i++) {
    const x = X[i] as SparseVector;
    idx.set(x.idx, ptr[i] as number);
    for (let k = 0; k < x.idx.length; k++) val[(ptr[i] as number) + k] = x.val[k] as number;
  }
  const xs = new Float64Array(nnz);
  for (let c = 0; c < nClasses; c++) {
    const r = ratios ? (ratios[c] as Float64Array) : null;
    for (let p = 0; p < nnz; p++) xs[p] = r ? (val[p] as number) * (r[idx[p] as number] as number) : (val[p] as number);
    for (let i = 0; i < n; i++) {
      let s = 1; // bias feature
      for (let p = ptr[i] as number; p < (ptr[i + 1] as number); p++) s += (xs[p] as number) * (xs[p] as number);
      qii[i] = s;
    }
    w.fill(0);
    let b = 0;
    const alpha = new Float64Array(n);
    for (let ep = 0; ep < opts.epochs; ep++) {
      shuffle(order, rng);
      let maxPg = 0;
      for (const i of order) {
        const p0 = ptr[i] as number;
        const p1 = ptr[i + 1] as number;
        const yi = y[i] === c ? 1 : -1;
        const Ci = opts.C * (opts.classWeight?.[y[i] as number] ?? 1) * (opts.sampleWeight?.[i] ?? 1);
        if (Ci === 0) continue; // a row of weight 0 takes no part
        const Dii = 1 / (2 * Ci);
        let dot = b;
        for (let p = p0; p < p1; p++) dot += (w[idx[p] as number] as number) * (xs[p] as number);
        const a = alpha[i] as number;
        const G = yi * dot - 1 + Dii * a;
        const PG = a === 0 ? Math.min(G, 0) : G;
        if (Math.abs(PG) > maxPg) maxPg = Math.abs(PG);
        if (PG === 0) continue;
        const na = Math.max(a - G / ((qii[i] as number) + Dii), 0);
        const d = (na - a) * yi;
        alpha[i] = na;
        if (d !== 0) {
          for (let p = p0; p < p1; p++) w[idx[p] as number]! += d * (xs[p] as number);
          b += d;
        }
      }
      if (maxPg < 1e-3) break;
    }
    for (let j = 0; j < nFeatures; j++) W[j * nClasses + c] = (w[j] as number) * (r ? (r[j] as number) : 1);
    bias[c] = b;
  }
  return { nFeatures, nClasses, w: W, bias };
}

/** Options of {@link trainSoftmaxLr}. */
export interface LrOptions {
  /** L2 penalty, applied to the weights of the features a sample touches when it is visited. */
  lambda: number;
  /** Passes over the data. */
  epochs: number;
  /** Adagrad base learning rate. */
  rate: number;
  /** Per-class sample weights (e.g. to balance classes); defaults to 1. Normalised to mean 1. */
  classWeight?: readonly number[];
  seed: number;
}

/**
 * Multinomial (softmax) logistic regression trained by Adagrad over the shuffled samples, with L2 applied to the
 * touched features only (lazy, as is usual for sparse SGD). A different loss and no NB scaling, so its errors
 * differ from the SVM's: `trainRouting` adds a small multiple of these weights to the SVM's (measured in
 * docs/routing.md). Deterministic for a given seed.
 */
export function trainSoftmaxLr(
  X: readonly SparseVector[],
  y: readonly number[],
  nFeatures: number,
  nClasses: number,
  opts: LrOptions,
): LinearWeights {
  const K = nClasses;
  const n = X.length;
  const w = new Float64Array(nFeatures * K);
  const g2 = new Float64Array(nFeatures * K).fill(1e-8);
  const b = new Float64Array(K);
  const gb = new Float64Array(K).fill(1e-8);
  const rng = makeRng(opts.seed);
  const order = Array.from({ length: n }, (_, i) => i);
  const z = new Float64Array(K);
  let wSum = 0;
  for (let i = 0; i < n; i++) wSum += opts.classWeight?.[y[i] as number] ?? 1;
  const wNorm = wSum > 0 ? n / wSum : 1;
  for (let ep = 0; ep < opts.epochs; ep++) {
    shuffle(order, rng);
    for (const i of order) {
      const x = X[i] as SparseVector;
      for (let k = 0; k < K; k++) z[k] = b[k] as number;
      for (let t = 0; t < x.idx.length; t++) {
        const base = (x.idx[t] as number) * K;
        const v = x.val[t] as number;
        for (let k = 0; k < K; k++) z[k]! += (w[base + k] as number) * v;
      }
      let m = -Infinity;
      for (let k = 0; k < K; k++) m = Math.max(m, z[k] as number);
      let s = 0;
      for (let k = 0; k < K; k++) {
        z[k] = Math.exp((z[k] as number) - m);
        s += z[k] as number;
      }
      const wi = (opts.classWeight?.[y[i] as number] ?? 1) * wNorm;
      for (let k = 0; k < K; k++) z[k] = wi * ((z[k] as number) / s - (y[i] === k ? 1 : 0));
      for (let k = 0; k < K; k++) {
        const g = z[k] as number;
        gb[k]! += g * g;
        b[k]! -= (opts.rate * g) / Math.sqrt(gb[k] as number);
      }
      for (let t = 0; t < x.idx.length; t++) {
        const base = (x.idx[t] as number) * K;
        const v = x.val[t] as number;
        for (let k = 0; k < K; k++) {
          const g = (z[k] as number) * v + opts.lambda * (w[base + k] as number);
          g2[base + k]! += g * g;
          w[base + k]! -= (opts.rate * g) / Math.sqrt(g2[base + k] as number);
        }
      }
    }
  }
  return { nFeatures, nClasses, w: Float32Array.from(w), bias: Float32Array.from(b) };
}

/** `a + beta · b` (same shape), e.g. the SVM's weights plus a small multiple of the logistic regression's. */
export function addWeights(a: LinearWeights, b: LinearWeights, beta: number): LinearWeights {
  const w = new Float32Array(a.w.length);
  for (let i = 0; i < w.length; i++) w[i] = (a.w[i] as number) + beta * (b.w[i] as number);
  const bias = new Float32Array(a.bias.length);
  for (let k = 0; k < bias.length; k++) bias[k] = (a.bias[k] as number) + beta * (b.bias[k] as number);
  return { nFeatures: a.nFeatures, nClasses: a.nClasses, w, bias };
}

/** Raw decision scores of one vector (length nClasses). */
export function decision(model: LinearWeights, x: SparseVector, out = new Float64Array(model.nClasses)): Float64Array {
  const K = model.nClasses;
  for (let k = 0; k < K; k++) out[k] = model.bias[k] as number;
  const { w } = model;
  for (let t = 0; t < x.idx.length; t++) {
    const base = (x.idx[t] as number) * K;
    const v = x.val[t] as number;
    for (let k = 0; k < K; k++) out[k] = (out[k] as number) + (w[base + k] as number) * v;
  }
  return out;
}

/** Softmax of `scores * scale`, in place into a new array. */
export function softmax(scores: ArrayLike<number>, scale: number): Float64Array {
  const out = new Float64Array(scores.length);
  let m = -Infinity;
  for (let k = 0; k < scores.length; k++) m = Math.max(m, (scores[k] as number) * scale);
  let s = 0;
  for (let k = 0; k < scores.length; k++) {
    const e = Math.exp((scores[k] as number) * scale - m);
    out[k] = e;
    s += e;
  }
  for (let k = 0; k < out.length; k++) out[k] = (out[k] as number) / s;
  return out;
}

/**
 * Fits the softmax scale (inverse temperature) that minimises the negative log-likelihood of held-out
 * decision scores (a golden-section search on a log scale).
 */
export function fitSoftmaxScale(scores: readonly ArrayLike<number>[], y: readonly number[]): number {
  const nll = (s: number): number => {
    let t = 0;
    for (let i = 0; i < scores.length; i++) {
      const p = softmax(scores[i] as ArrayLike<number>, s)[y[i] as number] as number;
      t -= Math.log(Math.max(p, 1e-12));
    }
    return t;
  };
  let lo = Math.log(0.05);
  let hi = Math.log(200);
  const g = (Math.sqrt(5) - 1) / 2;
  for (let it = 0; it < 60; it++) {
    const a = hi - g * (hi - lo);
    const b = lo + g * (hi - lo);
    if (nll(Math.exp(a)) < nll(Math.exp(b))) hi = b;
    else lo = a;
  }
  return Math.exp((lo + hi) / 2);
}

/** Per-class precision, recall and F1, and macro-F1 and accuracy. */
export interface Metrics {
  accuracy: number;
  macroF1: number;
  perClass: { precision: number; recall: number; f1: number; support: number }[];
}

/** Computes {@link Metrics} from gold and predicted class numbers. */
export function computeMetrics(gold: readonly number[], pred: readonly number[], nClasses: number): Metrics {
  const tp = new Array<number>(nClasses).fill(0);
  const fp = new Array<number>(nClasses).fill(0);
  const fn = new Array<number>(nClasses).fill(0);
  let correct = 0;
  for (let i = 0; i < gold.length; i++) {
    const g = gold[i] as number;
    const p = pred[i] as number;
    if (g === p) {
      tp[g]! += 1;
      correct++;
    } else {
      fp[p]! += 1;
      fn[g]! += 1;
    }
  }
  const perClass = tp.map((t, k) => {
    const precision = t + fp[k]! > 0 ? t / (t + fp[k]!) : 0;
    const recall = t + fn[k]! > 0 ? t / (t + fn[k]!) : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    return { precision, recall, f1, support: t + fn[k]! };
  });
  const macroF1 = perClass.reduce((s, c) => s + c.f1, 0) / nClasses;
  return { accuracy: gold.length ? correct / gold.length : 0, macroF1, perClass };
}
