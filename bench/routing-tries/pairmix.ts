// One-vs-one refinement (pair.ts) of the OvR SVM (s-BASE.json): re-decide the top two a, b by the (a, b) model
// when the OvR margin s_a − s_b is below a threshold; also plain one-vs-one voting and OvR + w · mean pairwise value.
// Usage: npx tsx bench/routing-tries/pairmix.ts PAIRNAME [BASE=svm]
import { readFileSync } from 'node:fs';
import { computeMetrics } from '../../src/nlp/routing/linear.ts';
import { DIR, argmax, load } from './common.ts';
const name = process.argv[2] ?? 'pair';
const base = load(process.argv[3] ?? 'svm');
// ROUTING_TRIES_MODE=all: the all-raw-rows folds, no validation task (its figure is printed as NaN)
const all = process.env.ROUTING_TRIES_MODE === 'all';
const names = all ? ['f0', 'f1', 'f2', 'f3', 'f4'] : ['f0', 'f1', 'f2', 'f3', 'f4', 'val'];
const pr = Object.fromEntries(names.map((t) => [t, JSON.parse(readFileSync(`${DIR}/pair-${name}-${t}.json`, 'utf8')) as { ids: number[]; gold: number[]; d: number[][] }]));
for (const t of names) if (base[t]!.ids.join() !== pr[t]!.ids.join()) throw new Error(`task ${t}: ids differ`);
const f1 = (pred: (t: string, i: number) => number): string => {
  const G: number[] = [], P: number[] = [];
  for (const t of names.slice(0, 5)) pr[t]!.gold.forEach((g, i) => { G.push(g); P.push(pred(t, i)); });
  const v = all ? NaN : computeMetrics(pr.val!.gold, pr.val!.gold.map((_, i) => pred('val', i)), 7).macroF1;
  return `${computeMetrics(G, P, 7).macroF1.toFixed(4)} / ${v.toFixed(4)}`;
};
const top2 = (s: number[]): [number, number] => { const o = s.map((_, k) => k).sort((x, y) => s[y]! - s[x]!); return [o[0]!, o[1]!]; };
console.log(`tuning / val  ${name} over ${process.argv[3] ?? 'svm'}`);
console.log(`OvR alone                        ${f1((t, i) => argmax(base[t]!.s[i]!))}`);
let changed = 0;
for (const thr of [0.1, 0.2, 0.3, 0.5, 1, Infinity]) {
  changed = 0;
  const r = f1((t, i) => { const s = base[t]!.s[i]!; const [a, b] = top2(s); if (s[a]! - s[b]! < thr && pr[t]!.d[i]![a * 7 + b]! < 0) { if (t !== 'val') changed++; return b; } return a; });
  console.log(`top-2 by the pair model, margin < ${String(thr).padEnd(8)} ${r}  (${changed} tuning messages changed)`);
}
{ // where the pair model prefers the OvR's second choice: is the gold label that second choice, the first, or neither?
  const n = { second: 0, first: 0, neither: 0 };
  for (const t of names.slice(0, 5)) base[t]!.s.forEach((s, i) => { const [a, b] = top2(s); if (pr[t]!.d[i]![a * 7 + b]! < 0) { const g = pr[t]!.gold[i]; if (g === b) n.second++; else if (g === a) n.first++; else n.neither++; } });
  console.log(`tuning messages where the pair model prefers the second choice, by gold label: ${JSON.stringify(n)}`);
}
console.log(`one-vs-one vote                  ${f1((t, i) => { const d = pr[t]!.d[i]!; const v = Array.from({ length: 7 }, (_, a) => { let n = 0; for (let b = 0; b < 7; b++) if (b !== a && d[a * 7 + b]! > 0) n++; return n + 1e-3 * base[t]!.s[i]![a]!; }); return argmax(v); })}`);
for (const w of [0.1, 0.3, 0.5, 1]) console.log(`OvR + ${w} · mean pairwise value     ${f1((t, i) => { const d = pr[t]!.d[i]!; return argmax(base[t]!.s[i]!.map((x, a) => { let m = 0; for (let b = 0; b < 7; b++) if (b !== a) m += d[a * 7 + b]!; return x + (w * m) / 6; })); })}`);
