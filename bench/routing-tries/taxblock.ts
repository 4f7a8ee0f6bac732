// Taxonomy level 2 as a feature block: per message, the evidence of each of the 43 level-2 groups of the 7 classes
// (taxo.ts: weighted counts of their name words, whatever the message's class), log(1 + e), L2-normalised, × wb,
// appended to the shipped features (NB-scaled like the rest: the values are counts). Shipped settings otherwise.
// Usage: npx tsx bench/routing-tries/taxblock.ts NAME WB
import type { SparseVector } from '../../src/nlp/routing/features.ts';
import { decision, trainOvrSvm } from '../../src/nlp/routing/linear.ts';
import { balancedClassWeight, record, save, shippedSvm, shippedVocabulary, startRun, tasks } from './common.ts';
import { groupEvidence, taxonomyGroups } from './taxo.ts';
const name = process.argv[2] ?? 'taxb';
const wb = Number(process.argv[3] ?? 0.5);
const groups = taxonomyGroups();
const D = groups.length;
const { p, out, pool, c0 } = startRun();
for (const t of tasks(p)) {
  const { F, y, vec } = shippedVocabulary(t);
  const vz = (tok: string[]): SparseVector => {
    const x = vec(tok);
    const e = Array.from(groupEvidence(groups, tok), (v) => Math.log1p(v));
    const n = Math.hypot(...e) || 1;
    const nz = e.flatMap((v, q) => (v > 0 ? [q] : []));
    const idx = new Int32Array(x.idx.length + nz.length), val = new Float32Array(x.idx.length + nz.length);
    idx.set(x.idx); val.set(x.val);
    nz.forEach((q, k) => { idx[x.idx.length + k] = F + q; val[x.idx.length + k] = (wb * e[q]!) / n; });
    return { idx, val };
  };
  const X = t.train.map((r) => vz(r.tok));
  const W = trainOvrSvm(X, y, F + D, 7, shippedSvm({ classWeight: balancedClassWeight(y) }));
  record(out, pool, t, t.test.map((r) => Array.from(decision(W, vz(r.tok)))));
}
save(name, out);
console.log(`wb ${wb}: ${(process.cpuUsage(c0).user / 1e6).toFixed(0)} CPU-s`);
