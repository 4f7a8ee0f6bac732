// SVM member (shipped settings unless overridden via JSON argv[2]) -> scores per task.
import { buildVocabulary, vectorize } from '../../src/nlp/routing/features.ts';
import { decision } from '../../src/nlp/routing/linear.ts';
import { DEFAULT_TRAIN_OPTIONS, trainWeights } from '../../src/nlp/routing/train.ts';
import { record, startRun, tasks, save } from './common.ts';
const name = process.argv[2] ?? 'svm';
const over = JSON.parse(process.argv[3] ?? '{}') as Record<string, unknown>;
const feat = { ...DEFAULT_TRAIN_OPTIONS.features, ...((over.features as object) ?? {}) };
const opts = { ...DEFAULT_TRAIN_OPTIONS, ...over, features: feat };
const { p, out, pool, c0 } = startRun();
for (const t of tasks(p)) {
  const vocab = buildVocabulary(t.train.map((r) => r.tok), opts.features, opts.minDf);
  const X = t.train.map((r) => vectorize(r.tok, vocab, opts.features));
  const W = trainWeights(X, t.train.map((r) => r.y), vocab.idf.length, opts);
  const s = t.test.map((r) => Array.from(decision(W, vectorize(r.tok, vocab, opts.features))));
  record(out, pool, t, s);
}
save(name, out);
console.log(`${((process.cpuUsage(c0).user + process.cpuUsage(c0).system) / 1e6).toFixed(0)} CPU-s`);
