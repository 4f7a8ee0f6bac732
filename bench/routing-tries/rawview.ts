// A raw-text view member (docs/routing.md, seventh round): a second linear SVM (shipped C, NB scaling, class
// balancing) over character 1–4-grams (sublinear tf × idf, L2-normalised, seen in ≥ 2 training documents) of the
// RAW text — NFKC, lower case, whitespace collapsed; function words, letters, digits and punctuation kept, no
// stop-words dropped. Training rows: `raw` = only the rows of the task's training part that have raw text;
// `seg` = also the segmented-only rows, as the source team's tokens joined without spaces; `tok` = also those rows
// as our tokens joined (what every member sees). SEGWEIGHT (default 1) weights the segmented-only rows.
// Usage: rawview.ts NAME raw|seg|tok [SEGWEIGHT] [CHARMAX]; then mix.ts svm NAME.
import { buildVocabulary, vectorize, type FeatureOptions } from '../../src/nlp/routing/features.ts';
import { decision, trainOvrSvm } from '../../src/nlp/routing/linear.ts';
import { normalizeText } from '../../src/nlp/routing/text.ts';
import { DEFAULT_TRAIN_OPTIONS as O } from '../../src/nlp/routing/train.ts';
import { balancedClassWeight, record, save, shippedSvm, startRun, tasks, type Row } from './common.ts';
const name = process.argv[2] ?? 'rv';
const mode = (process.argv[3] ?? 'raw') as 'raw' | 'seg' | 'tok';
const segWeight = Number(process.argv[4] ?? 1);
const charMax = Number(process.argv[5] ?? 4);
// One "token" per message (its whole text): only the character block carries weight.
const F: FeatureOptions = { wordBigrams: false, charMin: 1, charMax, weightWords: 0, weightBigrams: 0, weightChars: 1, leadTokens: 0, weightLead: 0 };
const textOf = (r: Row): string | null => {
  if (r.raw !== null) return normalizeText(r.raw);
  if (mode === 'raw') return null;
  return mode === 'seg' ? normalizeText(r.seg ?? '').replace(/ /g, '') : r.tok.join('');
};
const { p, out, pool, c0 } = startRun();
for (const t of tasks(p)) {
  const train = t.train.filter((r) => textOf(r) !== null);
  const docs = train.map((r) => [textOf(r)!]);
  const vocab = buildVocabulary(docs, F, O.minDf);
  const X = docs.map((d) => vectorize(d, vocab, F));
  const y = train.map((r) => r.y);
  const sampleWeight = segWeight === 1 ? undefined : train.map((r) => (r.raw !== null ? 1 : segWeight));
  const W = trainOvrSvm(X, y, vocab.idf.length, 7, { ...shippedSvm({ classWeight: balancedClassWeight(y) }), sampleWeight });
  const s = t.test.map((r) => Array.from(decision(W, vectorize([textOf(r)!], vocab, F))));
  console.log(`${t.name}: ${train.length} training rows, ${vocab.idf.length} features`);
  record(out, pool, t, s);
}
save(name, out);
console.log(`${name} (${mode}, seg weight ${segWeight}, chars 1-${charMax}): ${((process.cpuUsage(c0).user + process.cpuUsage(c0).system) / 1e6).toFixed(0)} CPU-s`);
