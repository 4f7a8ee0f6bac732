// Sub-class scores (taxsvm.ts) back to the 7 classes: max over a class's sub-classes, log-sum-exp at temperature T,
// and the shipped SVM's scores + w · (max over the class's sub-classes). Tuning = pooled folds; val reported.
// Usage: npx tsx bench/routing-tries/taxmix.ts SUBNAME [BASE=svm]   (writes s-SUBNAME-max.json for mix.ts)
import { readFileSync } from 'node:fs';
import { computeMetrics } from '../../src/nlp/routing/linear.ts';
import { DIR, argmax, load, save, type Scores } from './common.ts';
const name = process.argv[2] ?? 'tax20';
const base = load(process.argv[3] ?? 'svm');
// ROUTING_TRIES_MODE=all: the all-raw-rows folds, no validation task (its figure is printed as NaN)
const all = process.env.ROUTING_TRIES_MODE === 'all';
const names = all ? ['f0', 'f1', 'f2', 'f3', 'f4'] : ['f0', 'f1', 'f2', 'f3', 'f4', 'val'];
const sub = Object.fromEntries(names.map((t) => [t, JSON.parse(readFileSync(`${DIR}/sub-${name}-${t}.json`, 'utf8')) as { ids: number[]; gold: number[]; parent: number[]; s: number[][] }]));
const agg = (t: string, f: (v: number[]) => number): number[][] => sub[t]!.s.map((s) => Array.from({ length: 7 }, (_, c) => f(s.filter((_, q) => sub[t]!.parent[q] === c))));
const lse = (T: number) => (v: number[]): number => { const m = Math.max(...v); return m + T * Math.log(v.reduce((a, x) => a + Math.exp((x - m) / T), 0)); };
const f1 = (S: (t: string) => number[][]): string => {
  const G: number[] = [], P: number[] = [];
  for (const t of names.slice(0, 5)) { G.push(...sub[t]!.gold); P.push(...S(t).map(argmax)); }
  const v = all ? NaN : computeMetrics(sub.val!.gold, S('val').map(argmax), 7).macroF1;
  return `${computeMetrics(G, P, 7).macroF1.toFixed(4)} / ${v.toFixed(4)}`;
};
for (const t of names) if (base[t]!.ids.join() !== sub[t]!.ids.join()) throw new Error(`task ${t}: ids differ`);
const mx: Record<string, number[][]> = Object.fromEntries(names.map((t) => [t, agg(t, (v) => Math.max(...v))]));
console.log(`tuning / val  ${name}`);
console.log(`max                      ${f1((t) => mx[t]!)}`);
for (const T of [0.1, 0.3, 1]) console.log(`log-sum-exp T ${T}        ${f1((t) => agg(t, lse(T)))}`);
for (const w of [0.1, 0.2, 0.3, 0.5, 0.7, 1, 1.5]) console.log(`svm + ${w} · max         ${f1((t) => base[t]!.s.map((s, i) => s.map((x, c) => x + w * mx[t]![i]![c]!)))}`);
const out: Scores = {};
for (const t of names) out[t] = { ids: sub[t]!.ids, gold: sub[t]!.gold, s: mx[t]! };
save(`${name}-max`, out);
