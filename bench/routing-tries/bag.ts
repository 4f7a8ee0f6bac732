// Bagging (sixth round's second idea): B shipped-settings SVMs, each on a bootstrap sample of the task's training
// part (drawn as per-row multiplicities, passed as trainOvrSvm's sampleWeight; rows drawn 0 times take no part; the
// vocabulary is the whole training part's), decision scores averaged. Saves NAME (all B) and NAME-3 (first 3 bags).
//   npx tsx bench/routing-tries/bag.ts NAME B [TASKS]      e.g. bag5 5 f0,f1,f2 & bag5b 5 f3,f4,val; then merge.ts
import { decision, makeRng } from '../../src/nlp/routing/linear.ts';
import { DEFAULT_TRAIN_OPTIONS as O, trainWeights } from '../../src/nlp/routing/train.ts';
import { record, save, shippedVocabulary, startRun, tasks, type Scores } from './common.ts';

const [name = 'bag', bArg = '5', only = ''] = process.argv.slice(2);
const B = Number(bArg);
const { p, out, pool, c0 } = startRun();
const out3: Scores = {};
const pool3 = { G: [] as number[], P: [] as number[] };
for (const t of tasks(p).filter((t) => !only || only.split(',').includes(t.name))) {
  const { F, y, vec } = shippedVocabulary(t);
  const X = t.train.map((r) => vec(r.tok));
  const Xt = t.test.map((r) => vec(r.tok));
  const sum = Xt.map(() => new Array<number>(7).fill(0));
  for (let b = 0; b < B; b++) {
    const rng = makeRng(1000 + b);
    const counts = new Array<number>(X.length).fill(0);
    for (let i = 0; i < X.length; i++) counts[Math.floor(rng() * X.length)]!++;
    const W = trainWeights(X, y, F, O, counts);
    Xt.forEach((x, i) => decision(W, x).forEach((v, k) => (sum[i]![k]! += v / B)));
    if (b === 2) record(out3, pool3, t, sum.map((s) => s.map((v) => (v * B) / 3)));
  }
  record(out, pool, t, sum);
}
save(name, out);
save(`${name}-3`, out3);
console.log(`${((process.cpuUsage(c0).user + process.cpuUsage(c0).system) / 1e6).toFixed(0)} CPU-s`);
