// Taxonomy level 2 as auxiliary targets: each training row gets a weak level-2 label (taxo.ts: the group of its
// own level-1 class whose name words occur most; none → the class's residual sub-class; groups with fewer than
// `minRows` rows in the task's training part are merged into the residual), then an OvR SVM (shipped settings,
// parent's class weight) over the sub-classes. Writes the raw sub-class scores and the parent of each sub-class
// per task to $DIR/sub-<name>.json; taxmix.ts turns them into 7 class scores (max, log-sum-exp, SVM + w · max).
// Usage: npx tsx bench/routing-tries/taxsvm.ts NAME [minRows=20] [tasks=f0,f1,f2,f3,f4,val]
import { writeFileSync } from 'node:fs';
import { decision, trainOvrSvm } from '../../src/nlp/routing/linear.ts';
import { balancedClassWeight, DIR, loadPrep, shippedSvm, shippedVocabulary, tasks } from './common.ts';
import { taxonomyGroups, weakLabel } from './taxo.ts';
const name = process.argv[2] ?? 'tax';
const minRows = Number(process.argv[3] ?? 20);
const only = (process.argv[4] ?? 'f0,f1,f2,f3,f4,val').split(',');
const groups = taxonomyGroups();
const p = loadPrep();
const c0 = process.cpuUsage();
for (const t of tasks(p).filter((t) => only.includes(t.name))) {
  const { F, y, vec } = shippedVocabulary(t);
  const X = t.train.map((r) => vec(r.tok));
  const weak = t.train.map((r) => weakLabel(groups, r.tok, r.y));
  const n = new Map<number, number>();
  for (const q of weak) n.set(q, (n.get(q) ?? 0) + 1);
  // sub-class ids: 0..6 residual of each class, then one per kept group
  const subOf = new Map<number, number>();
  const parent: number[] = [0, 1, 2, 3, 4, 5, 6];
  groups.forEach((g, q) => { if ((n.get(q) ?? 0) >= minRows) { subOf.set(q, parent.length); parent.push(g.parent); } });
  const sub = weak.map((q, i) => subOf.get(q) ?? y[i]!);
  const S = parent.length;
  const W = trainOvrSvm(X, sub, F, S, shippedSvm({ classWeight: balancedClassWeight(y, parent) }));
  const s = t.test.map((r) => Array.from(decision(W, vec(r.tok)), (v) => Math.round(v * 1e5) / 1e5));
  writeFileSync(`${DIR}/sub-${name}-${t.name}.json`, JSON.stringify({ ids: t.test.map((r) => r.id), gold: t.test.map((r) => r.y), parent, s }));
  console.log(`${t.name}: ${S} sub-classes, ${weak.filter((q) => subOf.has(q)).length}/${weak.length} rows in a level-2 group, ${(process.cpuUsage(c0).user / 1e6).toFixed(0)} CPU-s`);
}
