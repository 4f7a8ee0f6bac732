import { readFileSync } from 'node:fs';
import { computeMetrics } from '../../src/nlp/routing/linear.ts';
import { DIR, load } from './common.ts';
const kn = JSON.parse(readFileSync(`${DIR}/knn.json`, 'utf8')) as Record<string, { gold: number[]; nn: [number, number][][] }>;
const S = load('svm');
const am = (a: number[]): number => a.indexOf(Math.max(...a));
for (const th of [0.7, 0.8, 0.9, 0.95]) for (const set of [['f0', 'f1', 'f2', 'f3', 'f4'], ['val']]) {
  let n = 0, nnOk = 0, svmOk = 0; const G: number[] = [], P: number[] = [];
  for (const t of set) kn[t]!.gold.forEach((g, i) => { const [sim, y] = kn[t]!.nn[i]![0]!; const sp = am(S[t]!.s[i]!); let p = sp;
    if (sim >= th) { n++; if (y === g) nnOk++; if (sp === g) svmOk++; p = y; } G.push(g); P.push(p); });
  console.log(`θ ${th} ${set.length > 1 ? 'tuning' : 'val'}: n ${n}, 1-NN right ${nnOk}, SVM right ${svmOk}; override F1 ${computeMetrics(G, P, 7).macroF1.toFixed(4)}`);
}
