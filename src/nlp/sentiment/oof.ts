/**
 * Out-of-fold logits of the shipped blend's members on the training rows, shared by `cv.ts` and
 * `bench/sentiment-tries/cnn.ts` (heavy: 3 · folds model fits). Folds are cut by a hash of `textKey`, so duplicate texts
 * stay in one fold; for every fold the general model, the review specialist and the router are refitted on the
 * other folds, and each row of the fold gets z_general, z_specialist and p(router). Rows that `bothLabelRows` marks
 * for `opts.dropBothLabels` are left out of every fit but still scored in their fold. Deterministic.
 */
import { bothLabelRows, loadSplits, type Example } from './data.ts';
import { FeatureExtractor, hashString } from './features.ts';
import { featurise, fit, fitRouter, subset, textKey, type Matrix, type TrainOptions } from './trainer.ts';

export interface OutOfFold {
  /** The training rows, in the order of every array below. */
  train: Example[];
  /** Their features (`featurise` with `opts.corpusWeight`). */
  m: Matrix;
  /** Fold of each row, 0 … folds − 1. */
  fold: Uint8Array;
  /** 1 for a row left out of every fit (`bothLabelRows` of `opts.dropBothLabels`). */
  dropped: Uint8Array;
  /** Out-of-fold logit of the general model. */
  zg: Float32Array;
  /** Out-of-fold logit of the review specialist. */
  zs: Float32Array;
  /** Out-of-fold probability of the router (the specialist's domain). */
  pr: Float32Array;
}

/** Normalised dot product of row `i` with `w` (feature indices masked by `mask`), as the model scores a text. */
function dot(mm: Matrix, i: number, w: Float32Array, mask: number): number {
  const a = mm.off[i] as number;
  const e = mm.off[i + 1] as number;
  let s = 0;
  for (let k = a; k < e; k++) s += w[(mm.idx[k] as number) & mask] as number;
  return e > a ? s / Math.sqrt(e - a) : 0;
}

/** The out-of-fold logits with `folds` folds; `onFold(k)` is called after fold k (0-based) is scored. */
export function outOfFoldLogits(opts: Omit<TrainOptions, 'log'>, folds: number, onFold: (k: number) => void = () => undefined): OutOfFold {
  const { train } = loadSplits(opts.dataDir);
  const fx = new FeatureExtractor(opts.features);
  const m = featurise(train, fx, opts.corpusWeight);
  const dim = 1 << opts.features.bits;
  const n = train.length;
  const fold = Uint8Array.from(train, (e) => hashString(textKey(e.text), 99) % folds);
  const dropped = bothLabelRows(train, opts.dropBothLabels);
  const zg = new Float32Array(n);
  const zs = new Float32Array(n);
  const pr = new Float32Array(n);
  const specWeight = (i: number): number => (m.spec[i] === 1 ? 1 : m.spec[i] === 2 ? opts.specialistDomainWeight : 0);
  const inFit = (i: number, k: number): boolean => fold[i] !== k && !dropped[i];
  const rmask = (1 << opts.routerBits) - 1;
  for (let k = 0; k < folds; k++) {
    const general = fit(subset(m, (i) => (inFit(i, k) ? (m.wt[i] as number) : 0)), dim, opts, () => undefined);
    const spec = fit(subset(m, (i) => (inFit(i, k) ? specWeight(i) : 0)), dim, { ...opts, epochs: opts.specialistEpochs }, () => undefined);
    const router = fitRouter(subset(m, (i) => (inFit(i, k) ? 1 : 0)), opts.routerBits, opts.seed, opts.routerTarget);
    for (let i = 0; i < n; i++) {
      if (fold[i] !== k) continue;
      zg[i] = dot(m, i, general.w, dim - 1) + general.b;
      zs[i] = dot(m, i, spec.w, dim - 1) + spec.b;
      pr[i] = 1 / (1 + Math.exp(-(dot(m, i, router.w, rmask) + router.b)));
    }
    onFold(k);
  }
  return { train, m, fold, dropped, zg, zs, pr };
}
