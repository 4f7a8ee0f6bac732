// kNN member: top-30 neighbours by cosine over the shipped tf-idf vectors (vocab per task).
import { writeFileSync } from 'node:fs';
import { buildVocabulary, vectorize, type SparseVector } from '../../src/nlp/routing/features.ts';
import { DEFAULT_TRAIN_OPTIONS as O } from '../../src/nlp/routing/train.ts';
import { DIR, loadPrep, tasks } from './common.ts';
const p = loadPrep();
const out: Record<string, { gold: number[]; nn: [number, number][][] }> = {};
const c0 = process.cpuUsage();
const norm = (x: SparseVector): void => { let s = 0; for (const v of x.val) s += v * v; s = Math.sqrt(s) || 1; for (let k = 0; k < x.val.length; k++) x.val[k] = x.val[k]! / s; };
for (const t of tasks(p)) {
  const vocab = buildVocabulary(t.train.map((r) => r.tok), O.features, O.minDf);
  const X = t.train.map((r) => { const v = vectorize(r.tok, vocab, O.features); norm(v); return v; });
  // inverted index
  const F = vocab.idf.length;
  const cnt = new Int32Array(F + 1);
  for (const x of X) for (const j of x.idx) cnt[j + 1]!++;
  for (let j = 0; j < F; j++) cnt[j + 1]! += cnt[j]!;
  const pd = new Int32Array(cnt[F]!), pv = new Float32Array(cnt[F]!), pos = cnt.slice();
  X.forEach((x, i) => { for (let k = 0; k < x.idx.length; k++) { const j = x.idx[k]!; pd[pos[j]!] = i; pv[pos[j]!++] = x.val[k]!; } });
  const acc = new Float64Array(X.length);
  const gold: number[] = [], nn: [number, number][][] = [];
  for (const r of t.test) {
    const q = vectorize(r.tok, vocab, O.features); norm(q);
    acc.fill(0);
    for (let k = 0; k < q.idx.length; k++) { const j = q.idx[k]!, v = q.val[k]!; for (let a = cnt[j]!; a < cnt[j + 1]!; a++) acc[pd[a]!]! += v * pv[a]!; }
    const top = Array.from(acc.keys()).sort((a, b) => acc[b]! - acc[a]!).slice(0, 30);
    nn.push(top.map((i) => [acc[i]!, t.train[i]!.y]));
    gold.push(r.y);
  }
  out[t.name] = { gold, nn };
  console.log(t.name);
}
writeFileSync(`${DIR}/knn.json`, JSON.stringify(out));
console.log(`${((process.cpuUsage(c0).user) / 1e6).toFixed(0)} CPU-s`);
