// SVM member (shipped settings unless overridden via JSON argv[2]) -> scores per task.
import { CATEGORIES } from '../../src/nlp/routing/categories.ts';
import { buildVocabulary, vectorize } from '../../src/nlp/routing/features.ts';
import { decision, computeMetrics } from '../../src/nlp/routing/linear.ts';
import { DEFAULT_TRAIN_OPTIONS, trainWeights } from '../../src/nlp/routing/train.ts';
import { loadPrep, tasks, save, type Scores } from './common.ts';
const name = process.argv[2] ?? 'svm';
const over = JSON.parse(process.argv[3] ?? '{}') as Record<string, unknown>;
const feat = { ...DEFAULT_TRAIN_OPTIONS.features, ...((over.features as object) ?? {}) };
const opts = { ...DEFAULT_TRAIN_OPTIONS, ...over, features: feat };
const c0 = process.cpuUsage();
const p = loadPrep();
const out: Scores = {};
const am = (a: number[]): number => a.indexOf(Math.max(...a));
let G: number[] = [], P: number[] = [];
for (const t of tasks(p)) {
  const vocab = buildVocabulary(t.train.map((r) => r.tok), opts.features, opts.minDf);
  const X = t.train.map((r) => vectorize(r.tok, vocab, opts.features));
  const W = trainWeights(X, t.train.map((r) => r.y), vocab.idf.length, opts);
  const s = t.test.map((r) => Array.from(decision(W, vectorize(r.tok, vocab, opts.features))));
  out[t.name] = { ids: t.test.map((r) => r.id), gold: t.test.map((r) => r.y), s };
  const g = t.test.map((r) => r.y), pr = s.map(am);
  const f1 = computeMetrics(g, pr, CATEGORIES.length).macroF1;
  if (t.name !== 'val') { G.push(...g); P.push(...pr); }
  else console.log(`tuning CV ${computeMetrics(G, P, 7).macroF1.toFixed(4)}`);
  console.log(t.name, f1.toFixed(4));
}
save(name, out);
console.log(`${((process.cpuUsage(c0).user + process.cpuUsage(c0).system) / 1e6).toFixed(0)} CPU-s`);
