// fastText-style supervised member: hashed word/bigram/char n-gram embeddings averaged, softmax, SGD.
// init "vec" (fifth round): the rows of the word and lead features start from our SGNS vectors (sgns.ts, $DIR/vec.json;
// d must be their 64 dimensions) times initScale; other rows random as before.
import { readFileSync } from 'node:fs';
import { makeRng, shuffle, computeMetrics } from '../../src/nlp/routing/linear.ts';
import { DIR, loadPrep, tasks, save, type Scores, type Row } from './common.ts';
const cfg = { name: 'ft', B: 1 << 18, d: 32, epochs: 10, lr: 0.5, bigrams: true, cmin: 2, cmax: 3, lead: 8, balance: 1, seed: 1, onlyFolds: false, init: 'random', initScale: 1, onlyTasks: '', ...JSON.parse(process.argv[2] ?? '{}') };
const hash = (s: string): number => { let h = 0x811c9dc5; for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619); return (h >>> 0) % cfg.B; };
function feats(tok: string[]): Int32Array {
  const out: number[] = [];
  for (let i = 0; i < tok.length; i++) {
    out.push(hash('w' + tok[i]));
    if (cfg.bigrams && i > 0) out.push(hash('b' + tok[i - 1] + '|' + tok[i]));
    if (i < cfg.lead) out.push(hash('t' + tok[i]));
  }
  const s = tok.join('');
  for (let n = cfg.cmin; n <= cfg.cmax; n++) for (let i = 0; i + n <= s.length; i++) out.push(hash('c' + s.slice(i, i + n)));
  return Int32Array.from(out);
}
const K = 7;
const vec = cfg.init === 'vec' ? (JSON.parse(readFileSync(`${DIR}/vec.json`, 'utf8')) as Record<string, number[]>) : null;
function train(rows: Row[]) {
  const { B, d } = cfg;
  const rng = makeRng(cfg.seed);
  const E = new Float32Array(B * d);
  for (let i = 0; i < E.length; i++) E[i] = (rng() * 2 - 1) / d;
  if (cfg.init === 'vec') {
    for (const [w, v] of Object.entries(vec!)) {
      if (v.length !== d) throw new Error(`vectors have ${v.length} dimensions, d is ${d}`);
      for (const key of ['w' + w, 't' + w]) { const b = hash(key) * d; for (let a = 0; a < d; a++) E[b + a] = cfg.initScale * v[a]!; }
    }
  }
  const Ow = new Float32Array(K * d);
  const F = rows.map((r) => feats(r.tok));
  const y = rows.map((r) => r.y);
  const counts = Array.from({ length: K }, (_, k) => y.filter((q) => q === k).length);
  const cw = counts.map((n) => (y.length / (K * n)) ** cfg.balance);
  const order = Array.from({ length: rows.length }, (_, i) => i);
  const h = new Float64Array(d), gh = new Float64Array(d), z = new Float64Array(K);
  const total = cfg.epochs * rows.length; let step = 0;
  for (let ep = 0; ep < cfg.epochs; ep++) {
    shuffle(order, rng);
    for (const i of order) {
      const lr = cfg.lr * (1 - step++ / total);
      const f = F[i]!; if (f.length === 0) continue;
      h.fill(0);
      for (const j of f) { const b = j * d; for (let a = 0; a < d; a++) h[a]! += E[b + a]!; }
      for (let a = 0; a < d; a++) h[a]! /= f.length;
      let m = -Infinity;
      for (let k = 0; k < K; k++) { let s = 0; for (let a = 0; a < d; a++) s += Ow[k * d + a]! * h[a]!; z[k] = s; m = Math.max(m, s); }
      let S = 0; for (let k = 0; k < K; k++) { z[k] = Math.exp(z[k]! - m); S += z[k]!; }
      gh.fill(0);
      const w = cw[y[i]!]!;
      for (let k = 0; k < K; k++) {
        const g = w * lr * ((y[i] === k ? 1 : 0) - z[k]! / S);
        for (let a = 0; a < d; a++) { gh[a]! += g * Ow[k * d + a]!; Ow[k * d + a]! += g * h[a]!; }
      }
      for (let a = 0; a < d; a++) gh[a]! /= f.length;
      for (const j of f) { const b = j * d; for (let a = 0; a < d; a++) E[b + a]! += gh[a]!; }
    }
  }
  return (tok: string[]): number[] => {
    const f = feats(tok); h.fill(0);
    for (const j of f) { const b = j * d; for (let a = 0; a < d; a++) h[a]! += E[b + a]!; }
    for (let a = 0; a < d; a++) h[a]! /= Math.max(1, f.length);
    const out: number[] = [];
    for (let k = 0; k < K; k++) { let s = 0; for (let a = 0; a < d; a++) s += Ow[k * d + a]! * h[a]!; out.push(s); }
    return out;
  };
}
const c0 = process.cpuUsage();
const p = loadPrep();
const out: Scores = {};
const am = (a: number[]): number => a.indexOf(Math.max(...a));
const G: number[] = [], P: number[] = [];
// onlyTasks "f0,f1": run these tasks only (to split a run over processes; merge the s-*.json files afterwards)
for (const t of tasks(p, !cfg.onlyFolds).filter((t) => !cfg.onlyTasks || (cfg.onlyTasks as string).split(',').includes(t.name))) {
  const f = train(t.train);
  const s = t.test.map((r) => f(r.tok));
  out[t.name] = { ids: t.test.map((r) => r.id), gold: t.test.map((r) => r.y), s };
  const g = t.test.map((r) => r.y), pr = s.map(am);
  if (t.name !== 'val') { G.push(...g); P.push(...pr); }
  console.log(t.name, computeMetrics(g, pr, K).macroF1.toFixed(4));
}
console.log(`tuning CV ${computeMetrics(G, P, K).macroF1.toFixed(4)}  ${JSON.stringify(cfg)}`);
save(cfg.name, out);
console.log(`${(process.cpuUsage(c0).user / 1e6).toFixed(0)} CPU-s`);
