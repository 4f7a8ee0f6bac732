import { describe, expect, it } from 'vitest';
import type { SparseVector } from './features.ts';
import { addWeights, decision, trainOvrSvm, trainSoftmaxLr } from './linear.ts';

// Three classes, each marked by its own feature (0, 1, 2) plus a shared noisy feature 3.
const vec = (pairs: [number, number][]): SparseVector => ({ idx: Int32Array.from(pairs.map((p) => p[0])), val: Float32Array.from(pairs.map((p) => p[1])) });
const X: SparseVector[] = [];
const y: number[] = [];
for (let i = 0; i < 30; i++) {
  const c = i % 3;
  X.push(vec([[c, 1], [3, (i % 5) / 5]]));
  y.push(c);
}
const argmax = (a: ArrayLike<number>): number => [...Array.from(a).keys()].reduce((b, k) => ((a[k] as number) > (a[b] as number) ? k : b), 0);

describe('linear classifiers', () => {
  it('the SVM and the softmax logistic regression both separate a separable toy problem', () => {
    const svm = trainOvrSvm(X, y, 4, 3, { C: 1, epochs: 20, nbAlpha: 0.1, seed: 1 });
    const lr = trainSoftmaxLr(X, y, 4, 3, { lambda: 1e-4, epochs: 20, rate: 0.5, seed: 1 });
    for (const W of [svm, lr]) X.forEach((x, i) => expect(argmax(decision(W, x))).toBe(y[i]));
  });

  it('the logistic regression is deterministic for a seed', () => {
    const a = trainSoftmaxLr(X, y, 4, 3, { lambda: 1e-4, epochs: 5, rate: 0.5, seed: 3, classWeight: [1, 2, 1] });
    const b = trainSoftmaxLr(X, y, 4, 3, { lambda: 1e-4, epochs: 5, rate: 0.5, seed: 3, classWeight: [1, 2, 1] });
    expect([...a.w]).toEqual([...b.w]);
    expect([...a.bias]).toEqual([...b.bias]);
  });

  it('nbSkipFrom leaves the features from that index on unscaled (0: the same as no NB scaling)', () => {
    const plain = trainOvrSvm(X, y, 4, 3, { C: 1, epochs: 20, seed: 1 });
    const skipAll = trainOvrSvm(X, y, 4, 3, { C: 1, epochs: 20, nbAlpha: 0.1, nbSkipFrom: 0, seed: 1 });
    const nb = trainOvrSvm(X, y, 4, 3, { C: 1, epochs: 20, nbAlpha: 0.1, seed: 1 });
    const skipLast = trainOvrSvm(X, y, 4, 3, { C: 1, epochs: 20, nbAlpha: 0.1, nbSkipFrom: 3, seed: 1 });
    expect([...skipAll.w]).toEqual([...plain.w]);
    expect([...skipAll.bias]).toEqual([...plain.bias]);
    expect([...skipLast.w]).not.toEqual([...nb.w]);
    for (const W of [skipAll, skipLast]) X.forEach((x, i) => expect(argmax(decision(W, x))).toBe(y[i]));
  });

  it('sampleWeight: all 1 is the same as none; rows of weight 0 take no part, the same rows at weight 1 change the answer', () => {
    const none = trainOvrSvm(X, y, 4, 3, { C: 1, epochs: 20, nbAlpha: 0.1, seed: 1 });
    const ones = trainOvrSvm(X, y, 4, 3, { C: 1, epochs: 20, nbAlpha: 0.1, seed: 1, sampleWeight: X.map(() => 1) });
    expect([...ones.w]).toEqual([...none.w]);
    expect([...ones.bias]).toEqual([...none.bias]);
    // 30 rows that carry class 0's feature but say class 1
    const Xc = [...X, ...Array.from({ length: 30 }, () => vec([[0, 1]]))];
    const yc = [...y, ...Array.from({ length: 30 }, () => 1)];
    const at = (w: number) => trainOvrSvm(Xc, yc, 4, 3, { C: 1, epochs: 20, nbAlpha: 0.1, seed: 1, sampleWeight: yc.map((_, i) => (i < X.length ? 1 : w)) });
    const zero = at(0);
    X.forEach((x, i) => expect(argmax(decision(zero, x))).toBe(y[i]));
    const one = at(1);
    expect(X.filter((x, i) => y[i] === 0 && argmax(decision(one, x)) !== 0).length).toBeGreaterThan(0);
  });

  it('addWeights gives a + beta · b', () => {
    const a = { nFeatures: 1, nClasses: 2, w: Float32Array.from([1, 2]), bias: Float32Array.from([0.5, -0.5]) };
    const b = { nFeatures: 1, nClasses: 2, w: Float32Array.from([10, -4]), bias: Float32Array.from([2, 2]) };
    const c = addWeights(a, b, 0.25);
    expect([...c.w]).toEqual([3.5, 1]);
    expect([...c.bias]).toEqual([1, 0]);
  });
});
