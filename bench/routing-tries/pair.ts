// Fifth round, own idea: one-vs-one refinement of the OvR SVM's top two. OvR scores of two classes come from two
// separate "class against all others" problems, so the boundary between two confusable classes (城乡建设 /
// 商贸旅游 on 物业 and 电梯, 交通运输 / 城乡建设 on roads) is never trained directly. Here every pair of classes gets
// its own SVM (shipped features and settings, NB scaling, trained on the two classes' rows only, balanced between
// them); the OvR SVM's (s-BASE.json) top two classes a, b are then re-decided by the (a, b) model. Written scores:
// s-NAME-pair.json = per task the pairwise decision values d[a][b] (positive: a) flattened, for pairmix.ts.
// Usage: npx tsx bench/routing-tries/pair.ts NAME [tasks=f0,f1,f2,f3,f4,val]
import { writeFileSync } from 'node:fs';
import { decision, trainOvrSvm } from '../../src/nlp/routing/linear.ts';
import { DIR, loadPrep, shippedSvm, shippedVocabulary, tasks } from './common.ts';
const name = process.argv[2] ?? 'pair';
const only = (process.argv[3] ?? 'f0,f1,f2,f3,f4,val').split(',');
const p = loadPrep();
const c0 = process.cpuUsage();
for (const t of tasks(p).filter((t) => only.includes(t.name))) {
  const { F, y, vec } = shippedVocabulary(t);
  const X = t.train.map((r) => vec(r.tok));
  const Xt = t.test.map((r) => vec(r.tok));
  const d: number[][] = t.test.map(() => new Array<number>(49).fill(0)); // d[i][a * 7 + b]
  for (let a = 0; a < 7; a++) for (let b = a + 1; b < 7; b++) {
    const ids = y.flatMap((q, i) => (q === a || q === b ? [i] : []));
    const yy = ids.map((i) => (y[i] === a ? 0 : 1));
    const na = yy.filter((q) => q === 0).length, nb = yy.length - na;
    // a 2-class OvR (its class 1 is nearly the mirror image of class 0; class 0's score is used)
    const W = trainOvrSvm(ids.map((i) => X[i]!), yy, F, 2, shippedSvm({ classWeight: [yy.length / (2 * na), yy.length / (2 * nb)] }));
    Xt.forEach((x, i) => { const v = Math.round(decision(W, x)[0]! * 1e5) / 1e5; d[i]![a * 7 + b] = v; d[i]![b * 7 + a] = -v; });
  }
  writeFileSync(`${DIR}/pair-${name}-${t.name}.json`, JSON.stringify({ ids: t.test.map((r) => r.id), gold: t.test.map((r) => r.y), d }));
  console.log(`${t.name}: ${(process.cpuUsage(c0).user / 1e6).toFixed(0)} CPU-s`);
}
