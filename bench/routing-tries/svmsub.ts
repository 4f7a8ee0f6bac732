// Finer targets without labels: each class split into k sub-classes by spherical k-means on its tf-idf vectors;
// OvR SVM over the 7k sub-classes (class weight of the parent), class score = max over its sub-classes.
import type { SparseVector } from '../../src/nlp/routing/features.ts';
import { decision, makeRng, trainOvrSvm } from '../../src/nlp/routing/linear.ts';
import { balancedClassWeight, record, save, shippedSvm, shippedVocabulary, startRun, tasks } from './common.ts';
const name = process.argv[2] ?? 'svmsub';
const KS = Number(process.argv[3] ?? 3);
const { p, out, pool, c0 } = startRun();
function kmeans(X: SparseVector[], F: number, k: number, seed: number): number[] {
  const rng = makeRng(seed);
  const norm = X.map((x) => { let s = 0; for (const v of x.val) s += v * v; return Math.sqrt(s) || 1; });
  let C = Array.from({ length: k }, () => { const i = Math.floor(rng() * X.length); const c = new Float64Array(F); X[i]!.idx.forEach((j, t) => (c[j] = X[i]!.val[t]! / norm[i]!)); return c; });
  let a = new Array<number>(X.length).fill(0);
  for (let it = 0; it < 10; it++) {
    a = X.map((x, i) => { let best = 0, bs = -Infinity; C.forEach((c, q) => { let s = 0; x.idx.forEach((j, t) => (s += c[j]! * x.val[t]!)); s /= norm[i]!; if (s > bs) { bs = s; best = q; } }); return best; });
    C = C.map((_, q) => { const c = new Float64Array(F); X.forEach((x, i) => { if (a[i] === q) x.idx.forEach((j, t) => (c[j]! += x.val[t]! / norm[i]!)); }); let s = 0; for (const v of c) s += v * v; s = Math.sqrt(s) || 1; for (let j = 0; j < F; j++) c[j]! /= s; return c; });
  }
  return a;
}
for (const t of tasks(p)) {
  const { F, y, vec } = shippedVocabulary(t);
  const X = t.train.map((r) => vec(r.tok));
  const sub = new Array<number>(y.length);
  for (let c = 0; c < 7; c++) {
    const ids = y.flatMap((q, i) => (q === c ? [i] : []));
    const a = kmeans(ids.map((i) => X[i]!), F, KS, 11 + c);
    ids.forEach((i, n) => (sub[i] = c * KS + a[n]!));
  }
  const classWeight = balancedClassWeight(y, Array.from({ length: 7 * KS }, (_, s) => Math.floor(s / KS)));
  const W = trainOvrSvm(X, sub, F, 7 * KS, shippedSvm({ classWeight }));
  const s = t.test.map((r) => { const d = decision(W, vec(r.tok)); return Array.from({ length: 7 }, (_, c) => Math.max(...Array.from(d.subarray(c * KS, c * KS + KS)))); });
  record(out, pool, t, s);
}
save(name, out);
console.log(`k ${KS}: ${(process.cpuUsage(c0).user / 1e6).toFixed(0)} CPU-s`);
