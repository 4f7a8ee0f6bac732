// Combine members: calibrated probability averages and a nested LR stacker. Tuning = pooled folds f0..f4; val reported.
import { readFileSync } from 'node:fs';
import { computeMetrics, fitSoftmaxScale, softmax } from '../../src/nlp/routing/linear.ts';
import { DIR, load, type Scores } from './common.ts';
const K = 7;
const am = (a: ArrayLike<number>): number => { let b = 0; for (let k = 1; k < a.length; k++) if (a[k]! > a[b]!) b = k; return b; };
const folds = ['f0', 'f1', 'f2', 'f3', 'f4'];
export function knnScores(kk: number, pow: number): Scores {
  const j = JSON.parse(readFileSync(`${DIR}/knn.json`, 'utf8')) as Record<string, { gold: number[]; nn: [number, number][][] }>;
  const out: Scores = {};
  for (const [t, v] of Object.entries(j)) out[t] = { ids: [], gold: v.gold, s: v.nn.map((nn) => { const s = new Array(K).fill(0); for (const [sim, y] of nn.slice(0, kk)) s[y] += sim ** pow; return s; }) };
  return out;
}
const f1 = (S: Scores, tasks: string[], pred: (t: string, i: number) => number): number => {
  if (tasks.some((t) => !S[t] || members.some((m) => !M[m]![t]))) return NaN;
  const G: number[] = [], P: number[] = [];
  for (const t of tasks) S[t]!.gold.forEach((g, i) => { G.push(g); P.push(pred(t, i)); });
  return computeMetrics(G, P, K).macroF1;
};
const members = process.argv.slice(2);
const M: Record<string, Scores> = {};
for (const m of members) {
  if (m.startsWith('knn')) { const [, kk, pow] = m.split(':'); M[m] = knnScores(Number(kk), Number(pow)); }
  else M[m] = load(m);
}
const base = members[0]!;
const B = M[base]!;
// per-member softmax scale fitted on tuning OOF
const scale: Record<string, number> = {};
for (const m of members) {
  const S = M[m]!; const xs: number[][] = [], ys: number[] = [];
  for (const t of folds) S[t]!.s.forEach((s, i) => { xs.push(s); ys.push(S[t]!.gold[i]!); });
  scale[m] = fitSoftmaxScale(xs, ys);
  console.log(`${m}: tuning ${f1(S, folds, (t, i) => am(S[t]!.s[i]!)).toFixed(4)}  val ${S.val ? f1(S, ['val'], (t, i) => am(S[t]!.s[i]!)).toFixed(4) : '-'}  scale ${scale[m]!.toFixed(2)}`);
}
const prob = (m: string, t: string, i: number): Float64Array => softmax(M[m]![t]!.s[i]!, scale[m]!);
// pairwise probability average base + w * other
for (const m of members.slice(1)) {
  const row: string[] = [];
  for (const w of [0.1, 0.2, 0.3, 0.5, 0.7, 1]) {
    const pr = (t: string, i: number): number => { const a = prob(base, t, i), b = prob(m, t, i); for (let k = 0; k < K; k++) a[k] = Math.log(a[k]! + 1e-9) * 0 + a[k]! + w * b[k]!; return am(a); };
    row.push(`w${w}: ${f1(B, folds, pr).toFixed(4)}/${f1(B, ['val'], pr).toFixed(4)}`);
  }
  console.log(`${base}+w·${m} (tuning/val) ` + row.join('  '));
}
// nested LR stacker over concatenated log-probabilities of all members
const feat = (t: string, i: number): number[] => { const x: number[] = []; for (const m of members) for (const v of prob(m, t, i)) x.push(Math.log(v + 1e-6)); return x; };
function fitLr(X: number[][], y: number[], lambda: number): (x: number[]) => number[] {
  const D = X[0]!.length + 1; const W = new Float64Array(K * D); const G2 = new Float64Array(K * D).fill(1e-8);
  const cnt: number[] = new Array<number>(K).fill(0); y.forEach((q) => (cnt[q] = (cnt[q] as number) + 1)); const cw = cnt.map((n) => y.length / (K * n));
  const z = new Float64Array(K);
  for (let ep = 0; ep < 60; ep++) for (let i = 0; i < X.length; i++) {
    const x = [...X[i]!, 1]; let m = -Infinity;
    for (let k = 0; k < K; k++) { let s = 0; for (let a = 0; a < D; a++) s += W[k * D + a]! * x[a]!; z[k] = s; m = Math.max(m, s); }
    let S = 0; for (let k = 0; k < K; k++) { z[k] = Math.exp(z[k]! - m); S += z[k]!; }
    for (let k = 0; k < K; k++) { const g = (cw[y[i]!] as number) * (z[k]! / S - (y[i] === k ? 1 : 0)); for (let a = 0; a < D; a++) { const gg = g * x[a]! + lambda * W[k * D + a]!; G2[k * D + a]! += gg * gg; W[k * D + a]! -= 0.1 * gg / Math.sqrt(G2[k * D + a]!); } }
  }
  return (x0) => { const x = [...x0, 1]; const o: number[] = []; for (let k = 0; k < K; k++) { let s = 0; for (let a = 0; a < D; a++) s += W[k * D + a]! * x[a]!; o.push(s); } return o; };
}
for (const lambda of [1e-3, 1e-2]) {
  const preds: Record<string, number[]> = {};
  for (const t of folds) {
    const X: number[][] = [], y: number[] = [];
    for (const u of folds) if (u !== t) B[u]!.gold.forEach((g, i) => { X.push(feat(u, i)); y.push(g); });
    const f = fitLr(X, y, lambda); preds[t] = B[t]!.gold.map((_, i) => am(f(feat(t, i))));
  }
  const X: number[][] = [], y: number[] = [];
  for (const u of folds) B[u]!.gold.forEach((g, i) => { X.push(feat(u, i)); y.push(g); });
  const f = fitLr(X, y, lambda); if (members.every((m) => M[m]!.val)) preds.val = B.val!.gold.map((_, i) => am(f(feat('val', i))));
  console.log(`LR stacker λ${lambda} over [${members.join(', ')}]: tuning ${f1(B, folds, (t, i) => preds[t]![i]!).toFixed(4)} val ${f1(B, ['val'], (t, i) => preds[t]![i]!).toFixed(4)}`);
}
