import { CATEGORIES } from '../../src/nlp/routing/categories.ts';
import { load } from './common.ts';
const S = load(process.argv[2] ?? 'svm');
const am = (a: number[]): number => a.indexOf(Math.max(...a));
for (const set of [['f0', 'f1', 'f2', 'f3', 'f4'], ['val']]) {
  const C = Array.from({ length: 7 }, () => new Array(7).fill(0));
  for (const t of set) S[t]!.gold.forEach((g, i) => C[g]![am(S[t]!.s[i]!)]++);
  console.log(set.join(','), '(rows gold, cols pred)');
  CATEGORIES.forEach((c, k) => console.log(c.slice(0, 4).padEnd(5, '　'), C[k]!.map((v: number) => String(v).padStart(4)).join('')));
}
