// SVM (shipped settings) + the weakly labelled reply messages of replies.ts added to every task's training part.
//   npx tsx bench/routing-tries/svmweak.ts NAME WEIGHT all|agree|conf:0.7 [DROP_CLASSES,…]
// all: every weak row; agree: only rows whose weak label the task's own model (trained on the task's training part
// without weak rows, so no fold sees a model that saw its test rows) also predicts; conf:X: agree and that model's
// softmax confidence ≥ X (scale 2.84 as the shipped default). DROP_CLASSES: weak labels of these classes are not used.
// The task's own-model predictions are cached in $DIR/weakpred-<mode>.json.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { CATEGORIES } from '../../src/nlp/routing/categories.ts';
import { buildVocabulary, vectorize } from '../../src/nlp/routing/features.ts';
import { decision, softmax } from '../../src/nlp/routing/linear.ts';
import { DEFAULT_SOFTMAX_SCALE, DEFAULT_TRAIN_OPTIONS as O, trainWeights } from '../../src/nlp/routing/train.ts';
import { DIR, argmax, record, save, startRun, tasks, type Row } from './common.ts';

const [name = 'weak', wArg = '1', filter = 'all', dropArg = ''] = process.argv.slice(2);
const weight = Number(wArg);
const drop = new Set(dropArg.split(',').filter(Boolean).map((c) => CATEGORIES.indexOf(c as never)));
const mode = process.env.ROUTING_TRIES_MODE ?? 'tuning';
const { p, out, pool, c0 } = startRun();
const weak = (JSON.parse(readFileSync(`${DIR}/weak-${mode}.json`, 'utf8')) as Row[]).filter((r) => !drop.has(r.y));
const predFile = `${DIR}/weakpred-${mode}.json`;
const preds = (existsSync(predFile) ? JSON.parse(readFileSync(predFile, 'utf8')) : {}) as Record<string, Record<number, number[]>>;
const train = (rows: Row[], w?: number[]) => {
  const vocab = buildVocabulary(rows.map((r) => r.tok), O.features, O.minDf);
  const W = trainWeights(rows.map((r) => vectorize(r.tok, vocab, O.features)), rows.map((r) => r.y), vocab.idf.length, O, w);
  return (r: Row): number[] => Array.from(decision(W, vectorize(r.tok, vocab, O.features)));
};
let used = 0;
for (const t of tasks(p)) {
  let add = weak;
  if (filter !== 'all') {
    if (!preds[t.name]) {
      const f = train(t.train);
      preds[t.name] = Object.fromEntries(JSON.parse(readFileSync(`${DIR}/weak-${mode}.json`, 'utf8')).map((r: Row) => [r.id, f(r)]));
      writeFileSync(predFile, JSON.stringify(preds));
    }
    const min = filter.startsWith('conf:') ? Number(filter.slice(5)) : 0;
    add = weak.filter((r) => {
      const s = preds[t.name]![r.id]!;
      return argmax(s) === r.y && Math.max(...softmax(s, DEFAULT_SOFTMAX_SCALE)) >= min;
    });
  }
  used += add.length;
  const rows = [...t.train, ...add];
  const f = train(rows, rows.map((_, i) => (i < t.train.length ? 1 : weight)));
  record(out, pool, t, t.test.map(f));
}
save(name, out);
console.log(`${name}: weight ${weight}, ${filter}, dropped classes [${[...drop].map((k) => CATEGORIES[k]).join(',')}], weak rows used per task ≈ ${Math.round(used / tasks(p).length)} of ${weak.length}`);
console.log(`${((process.cpuUsage(c0).user + process.cpuUsage(c0).system) / 1e6).toFixed(0)} CPU-s`);
