// Learning curve of the shipped routing settings (docs/routing.md "Learning curve"): the split's training part is
// subsampled to a share of its rows (seeded, 3 draws below 100 %), the shipped settings are fitted on the sample
// and scored on the fixed validation split's raw text (unquantised). Shows what more labelled rows would be worth.
//   npx tsx bench/routing-tries/curve.ts [shares=0.25,0.5,0.75,1] [draws=3]
import { CATEGORIES } from '../../src/nlp/routing/categories.ts';
import { loadTrainingRows, splitForValidation } from '../../src/nlp/routing/dataset.ts';
import { computeMetrics, makeRng, shuffle } from '../../src/nlp/routing/linear.ts';
import { getJieba } from '../../src/nlp/routing/text.ts';
import { DEFAULT_TRAIN_OPTIONS as O, fit, scoreTexts } from '../../src/nlp/routing/train.ts';

const shares = (process.argv[2] ?? '0.25,0.5,0.75,1').split(',').map(Number);
const draws = Number(process.argv[3] ?? 3);
const jieba = getJieba();
const split = splitForValidation(loadTrainingRows(), O.splitSeed, O.splitShare);
const gold = split.validation.map((r) => CATEGORIES.indexOf(r.label));
const texts = split.validation.map((r) => r.raw as string);
const argmax = (a: Float64Array): number => a.indexOf(Math.max(...a));
const c0 = process.cpuUsage();
for (const share of shares) {
  const figures: number[] = [];
  for (let d = 0; d < (share >= 1 ? 1 : draws); d++) {
    const rows = share >= 1 ? split.train : shuffle([...split.train], makeRng(100 + d)).slice(0, Math.round(split.train.length * share));
    const t = fit(jieba, rows, [], O);
    const pred = scoreTexts(jieba, t, texts, O.features).map(argmax);
    figures.push(computeMetrics(gold, pred, 7).macroF1);
  }
  const sorted = [...figures].sort((a, b) => a - b);
  const n = Math.round(split.train.length * Math.min(1, share));
  console.log(`share ${share} (${n} rows): macro-F1 ${figures.map((f) => f.toFixed(4)).join(' ')}; median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(4)}`);
}
const c = process.cpuUsage(c0);
console.log(`${((c.user + c.system) / 1e6).toFixed(0)} CPU-s`);
