// SVM (shipped settings) + a dense block: idf-weighted average of our SGNS word vectors, L2-normalised, × wd; no NB scaling on it.
import { readFileSync } from 'node:fs';
import type { SparseVector } from '../../src/nlp/routing/features.ts';
import { decision, trainOvrSvm } from '../../src/nlp/routing/linear.ts';
import { balancedClassWeight, DIR, record, save, shippedSvm, shippedVocabulary, startRun, tasks } from './common.ts';
const name = process.argv[2] ?? 'svmd';
const wd = Number(process.argv[3] ?? 0.5);
const vec = JSON.parse(readFileSync(`${DIR}/vec.json`, 'utf8')) as Record<string, number[]>;
const D = Object.values(vec)[0]!.length;
const { p, out, pool, c0 } = startRun();
for (const t of tasks(p)) {
  const { vocab, F, y, vec: shipped } = shippedVocabulary(t);
  const vz = (tok: string[]): SparseVector => {
    const x = shipped(tok);
    const dv = new Float64Array(D);
    for (const w of tok) { const v = vec[w]; if (!v) continue; const j = vocab.index.get('w' + w); const idf = j === undefined ? 1 : vocab.idf[j]!; for (let a = 0; a < D; a++) dv[a]! += idf * v[a]!; }
    const n = Math.hypot(...dv) || 1;
    const idx = new Int32Array(x.idx.length + D), val = new Float32Array(x.idx.length + D);
    idx.set(x.idx); val.set(x.val);
    for (let a = 0; a < D; a++) { idx[x.idx.length + a] = F + a; val[x.idx.length + a] = (wd * dv[a]!) / n; }
    return { idx, val };
  };
  const X = t.train.map((r) => vz(r.tok));
  const W = trainOvrSvm(X, y, F + D, 7, shippedSvm({ classWeight: balancedClassWeight(y), nbSkipFrom: F }));
  const s = t.test.map((r) => Array.from(decision(W, vz(r.tok))));
  record(out, pool, t, s);
}
save(name, out);
console.log(`wd ${wd}: ${(process.cpuUsage(c0).user / 1e6).toFixed(0)} CPU-s`);
