// Three-member probability average (docs/routing.md, seventh round): p_base + w1 · p_a + w2 · p_b, each member's
// softmax scale fitted on the tuning-side out-of-fold scores as in mix.ts; (w1, w2) over a grid, the best by the
// tuning figure, the validation figure of the same weights printed; "nested": the weights chosen on 4 folds'
// pooled scores, applied to the 5th (an honest figure for the grid search). Usage: mix3.ts BASE A B [W1 W2]
// (with W1 W2: also the figure of those fixed weights, e.g. for ROUTING_TRIES_MODE=all, which has no 'val').
import { computeMetrics, fitSoftmaxScale, softmax } from '../../src/nlp/routing/linear.ts';
import { argmax, load, type Scores } from './common.ts';
const folds = ['f0', 'f1', 'f2', 'f3', 'f4'];
const names = process.argv.slice(2, 5);
const M: Scores[] = names.map(load);
const scale = M.map((S) => {
  const xs: number[][] = [], ys: number[] = [];
  for (const t of folds) S[t]!.s.forEach((s, i) => { xs.push(s); ys.push(S[t]!.gold[i]!); });
  return fitSoftmaxScale(xs, ys);
});
const f1 = (ts: string[], w: number[]): number => {
  const G: number[] = [], P: number[] = [];
  for (const t of ts) M[0]![t]!.gold.forEach((g, i) => {
    const a = new Array<number>(7).fill(0);
    M.forEach((S, m) => { const pr = softmax(S[t]!.s[i]!, scale[m]!); for (let k = 0; k < 7; k++) a[k]! += w[m]! * pr[k]!; });
    G.push(g); P.push(argmax(a));
  });
  return computeMetrics(G, P, 7).macroF1;
};
const grid = [0, 0.1, 0.2, 0.3, 0.5, 0.7, 1];
const rows: { w1: number; w2: number; tune: number }[] = [];
for (const w1 of grid) for (const w2 of grid) rows.push({ w1, w2, tune: f1(folds, [1, w1, w2]) });
rows.sort((a, b) => b.tune - a.tune);
for (const r of rows.slice(0, 5)) console.log(`${names[0]} + ${r.w1}·${names[1]} + ${r.w2}·${names[2]}: tuning ${r.tune.toFixed(4)} val ${M.every((S) => S.val) ? f1(['val'], [1, r.w1, r.w2]).toFixed(4) : '-'}`);
const nestG: number[] = [], nestP: number[] = [];
for (const held of folds) {
  const rest = folds.filter((t) => t !== held);
  let best = { w1: 0, w2: 0, f: -1 };
  for (const w1 of grid) for (const w2 of grid) { const f = f1(rest, [1, w1, w2]); if (f > best.f) best = { w1, w2, f }; }
  M[0]![held]!.gold.forEach((g, i) => {
    const a = new Array<number>(7).fill(0);
    M.forEach((S, m) => { const pr = softmax(S[held]!.s[i]!, scale[m]!); for (let k = 0; k < 7; k++) a[k]! += [1, best.w1, best.w2][m]! * pr[k]!; });
    nestG.push(g); nestP.push(argmax(a));
  });
  console.log(`  ${held}: weights ${best.w1}, ${best.w2} chosen on the other folds`);
}
console.log(`nested (weights chosen without the held-out fold): tuning ${computeMetrics(nestG, nestP, 7).macroF1.toFixed(4)}`);
if (process.argv[5] !== undefined) {
  const w = [1, Number(process.argv[5]), Number(process.argv[6] ?? 0)];
  console.log(`fixed weights ${w[1]}, ${w[2]}: folds ${folds.map((t) => f1([t], w).toFixed(3)).join(' ')} pooled ${f1(folds, w).toFixed(4)} val ${M.every((S) => S.val) ? f1(['val'], w).toFixed(4) : '-'}`);
}
