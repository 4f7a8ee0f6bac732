/**
 * Learning curve of the sentiment model: what would the validation rows be worth as training rows? Trains the
 * shipped settings (`DEFAULT_TRAIN`) with about `--rows` training rows of one corpus left out (whole normalised texts,
 * drawn by `mulberry32(seed)`: `leaveOutRows` in data.ts), once per seed, and compares each model row by row with the
 * model trained on the full training split, on the fixed validation split (never trained on by either):
 *
 *   npx tsx bench/sentiment-tries/curve.ts [--corpus chnsenticorp|weibo|waimai|shopping|all] [--rows 1200]
 *                                          [--seeds 1,2,3] [--baseline FILE]
 *
 * `--corpus all` leaves out, of every corpus, as many rows as its validation split holds (1,200 / 4,000 / 1,000 /
 * 3,000): the mirror image of what `train.ts --final` adds.
 *
 * `--baseline FILE`: an artefact trained on the full training split with the default options
 * (`npx tsx src/nlp/sentiment/train.ts --out FILE`; not the committed one if that was trained with `--final`);
 * without it the baseline is trained first. ≈ 1 CPU-minute and 600 MB per training, so not run by `npm run bench`.
 * Results: docs/sentiment.md, "Learning curve".
 */
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CORPORA, loadSplits, VALIDATION_SIZE, type Corpus, type Example } from '../../src/nlp/sentiment/data.ts';
import { loadSentimentModel } from '../../src/nlp/sentiment/model.ts';
import { parseCorpusList } from '../../src/nlp/sentiment/train.ts';
import { DEFAULT_TRAIN, trainSentiment } from '../../src/nlp/sentiment/trainer.ts';

const args = process.argv.slice(2);
const arg = (name: string, def: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? (args[i + 1] ?? def) : def;
};
// --corpus all: as many rows of every corpus as its validation split holds (what `train.ts --final` adds)
const ALL = arg('corpus', 'chnsenticorp') === 'all';
const corpus = ALL ? 'all' : (parseCorpusList(arg('corpus', 'chnsenticorp'))[0] ?? 'chnsenticorp');
const rows = Number(arg('rows', '1200'));
const leave: Partial<Record<Corpus, number>> = ALL ? { ...VALIDATION_SIZE } : { [corpus]: rows };
const seeds = arg('seeds', '1,2,3').split(',').map(Number);
const baselineFile = arg('baseline', '');
const load = (): string => loadavg().map((x) => x.toFixed(1)).join(' ');
const log = (s: string): void => void process.stderr.write(`  | ${s}\n`);

const { validation } = loadSplits(DEFAULT_TRAIN.dataDir);

/** Per corpus, 1 where the artefact in `file` gets the validation row right (positive ≥ 0.5 is positive). */
function rightRows(file: string): Record<Corpus, Uint8Array> {
  const loaded = loadSentimentModel(file);
  if (!loaded.ok) throw new Error(loaded.error);
  const model = loaded.model;
  const out = {} as Record<Corpus, Uint8Array>;
  for (const c of CORPORA) out[c] = Uint8Array.from(validation[c], (e: Example) => ((model.predict(e.text).positive >= 0.5 ? 1 : 0) === e.label ? 1 : 0));
  return out;
}

/** Trains with the default options and `leaveOut`, writes to a temporary file; returns the file and the CPU seconds. */
function train(name: string, leaveOut?: { rows: Partial<Record<Corpus, number>>; seed: number }): string {
  const out = join(tmpdir(), `sentiment-curve-${name}.bin.gz`);
  const c0 = process.cpuUsage();
  const l0 = load();
  const r = trainSentiment({ ...DEFAULT_TRAIN, out, ...(leaveOut ? { leaveOut } : {}), log });
  if (!r.ok) throw new Error(r.error);
  const c = process.cpuUsage(c0);
  console.log(`trained ${name}: ${((c.user + c.system) / 1e6).toFixed(1)} s CPU, load average ${l0} -> ${load()}`);
  return out;
}

const sum = (a: Uint8Array): number => a.reduce((s, x) => s + x, 0);
const acc = (a: Uint8Array): string => (sum(a) / a.length).toFixed(4);
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? (s[(s.length - 1) / 2] as number) : ((s[s.length / 2 - 1] as number) + (s[s.length / 2] as number)) / 2;
};

console.log(`learning curve: ${Object.entries(leave).map(([c, n]) => `${n} ${c}`).join(', ')} training rows left out (whole texts), seeds ${seeds.join(', ')}; load average ${load()}`);
const full = rightRows(baselineFile || train('full'));
console.log(`full training split: ${CORPORA.map((c) => `${c} ${acc(full[c])}`).join('  ')}`);
const diffs: Record<Corpus, number[]> = { chnsenticorp: [], weibo: [], waimai: [], shopping: [] };
for (const seed of seeds) {
  const r = rightRows(train(`${corpus}-${ALL ? 'validation-sizes' : rows}-seed${seed}`, { rows: leave, seed }));
  const parts = CORPORA.map((c) => {
    const f = full[c];
    const v = r[c];
    let lost = 0;
    let gained = 0;
    for (let i = 0; i < f.length; i++) {
      if (f[i] && !v[i]) lost++;
      else if (!f[i] && v[i]) gained++;
    }
    const d = ((sum(f) - sum(v)) / f.length) * 100;
    diffs[c].push(d);
    return `${c} ${acc(v)} (full − this ${d >= 0 ? '+' : ''}${d.toFixed(2)} points: ${lost} rows lost, ${gained} gained)`;
  });
  console.log(`seed ${seed}: ${parts.join('  ')}`);
}
console.log(`median over seeds, full − left out (points): ${CORPORA.map((c) => `${c} ${median(diffs[c]) >= 0 ? '+' : ''}${median(diffs[c]).toFixed(2)}`).join('  ')}`);
