/**
 * Routing benchmark: validation macro-F1 (fixed seeded split, raw text) and `yiwang classify` throughput.
 *
 *   npx tsx bench/routing.ts                # validation + throughput (about 2 minutes on 2 cores)
 *   npx tsx bench/routing.ts --speed-only   # throughput only
 *   npx tsx bench/routing.ts --repeat 10 --runs 5 --workers 2
 *   npx tsx bench/routing.ts --cv 5         # k-fold cross-validated macro-F1 on raw-text rows, then exit (k trainings)
 *   npx tsx bench/routing.ts --cv 5 --tuning   # the same inside the fixed split's training part only (the
 *                                              # validation messages are never seen): how settings are chosen
 *   npx tsx bench/routing.ts --cv 5 --tuning --lr-mix 0.15   # the same with W_svm + 0.15 · W_logreg (tried, not kept)
 *
 * Throughput: the 2,801 unlabelled official test messages (datasets/routing/unlabelled-official-test.jsonl.gz,
 * title + detail verbatim) repeated `--repeat` times, piped through `node bin/yiwang.js classify`; start-up is
 * measured with a one-line input and reported separately. Medians of `--runs` runs.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CATEGORIES } from '../src/nlp/routing/categories.ts';
import { DATASET_DIR, loadTrainingRows, readJsonLines, splitForValidation } from '../src/nlp/routing/dataset.ts';
import { loadRoutingModel } from '../src/nlp/routing/index.ts';
import { getJieba } from '../src/nlp/routing/text.ts';
import { crossValidate, DEFAULT_TRAIN_OPTIONS, validate } from '../src/nlp/routing/train.ts';

const args = process.argv.slice(2);
const arg = (name: string, def: number): number => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const REPEAT = arg('--repeat', 10);
const RUNS = arg('--runs', 5);
const speedOnly = args.includes('--speed-only');
const WORKERS = arg('--workers', 2);
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)] ?? 0;
};
const root = join(dirname(fileURLToPath(import.meta.url)), '..');

console.log(`machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), node ${process.version}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);

const CV = arg('--cv', 0);
/** Training options of this run: the shipped defaults, or with `--lr-mix β` the SVM + logistic-regression mix. */
const OPTS = { ...DEFAULT_TRAIN_OPTIONS, lrMix: arg('--lr-mix', DEFAULT_TRAIN_OPTIONS.lrMix) };
if (OPTS.lrMix !== DEFAULT_TRAIN_OPTIONS.lrMix) console.log(`lrMix ${OPTS.lrMix} (not the shipped ${DEFAULT_TRAIN_OPTIONS.lrMix})`);
if (CV > 1) {
  const c0 = process.cpuUsage();
  const tuning = args.includes('--tuning');
  const all = loadTrainingRows();
  const pool = tuning ? splitForValidation(all, OPTS.splitSeed, OPTS.splitShare).train : all;
  const cv = crossValidate(getJieba(), pool, OPTS, CV);
  const c = process.cpuUsage(c0);
  const where = tuning ? 'inside the training part of the fixed split (tuning side; validation rows unseen)' : 'over all rows';
  console.log(`\n${cv.folds}-fold cross-validation on raw text ${where} (${cv.rows} messages, each scored once by a model trained without it):`);
  console.log(`  macro-F1 ${cv.macroF1.toFixed(4)} (pooled), accuracy ${cv.accuracy.toFixed(4)}; per fold ${cv.foldMacroF1.map((f) => f.toFixed(3)).join(' ')}`);
  console.log(`  ${((c.user + c.system) / 1e6).toFixed(0)} CPU-s`);
  process.exit(0);
}

if (!speedOnly) {
  const t0 = Date.now();
  const v = validate(getJieba(), loadTrainingRows(), OPTS);
  console.log(`\nvalidation split (seed ${DEFAULT_TRAIN_OPTIONS.splitSeed}, ${v.validationRows} raw messages held out, ${v.trainRows} training rows), trained in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  console.log(`  macro-F1 ${v.macroF1.toFixed(4)}  accuracy ${v.accuracy.toFixed(4)}  ECE ${v.ece.toFixed(3)}  softmax scale ${v.softmaxScale.toFixed(2)}`);
  for (const c of CATEGORIES) {
    const p = v.perClass[c];
    console.log(`  ${c.padEnd(8, '　')} F1 ${p.f1.toFixed(3)}  P ${p.precision.toFixed(3)}  R ${p.recall.toFixed(3)}  n ${p.support}`);
  }
  console.log('  confidence threshold → share routed automatically, accuracy of those:');
  for (const t of v.thresholds)
    console.log(`    ≥ ${t.threshold.toFixed(2)}: ${(t.coverage * 100).toFixed(1)}% routed, ${(t.accuracy * 100).toFixed(1)}% correct; ${((1 - t.coverage) * 100).toFixed(1)}% to manual queue`);
}

// Throughput.
const msgs = readJsonLines(join(DATASET_DIR, 'unlabelled-official-test.jsonl.gz')) as { message_id: number; title: string; detail: string }[];
const lines: string[] = [];
for (let r = 0; r < REPEAT; r++) for (const m of msgs) lines.push(JSON.stringify({ id: `${r}-${m.message_id}`, title: m.title, content: m.detail }));
const dir = mkdtempSync(join(tmpdir(), 'routing-bench-'));
const big = join(dir, 'big.jsonl');
const one = join(dir, 'one.jsonl');
writeFileSync(big, lines.join('\n') + '\n');
writeFileSync(one, (lines[0] ?? '') + '\n');
/** CPU seconds (user + system) of waited-for children, from /proc/self/stat (Linux; 0 elsewhere). */
const childCpu = (): number => {
  try {
    const f = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(f[13]) + Number(f[14])) / 100; // cutime, cstime in clock ticks (USER_HZ = 100)
  } catch {
    return 0;
  }
};
const run = (file: string): { ms: number; cpu: number } => {
  const fd = openSync(file, 'r');
  const c0 = childCpu();
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [join(root, 'bin/yiwang.js'), 'classify', '--workers', String(WORKERS)], {
    stdio: [fd, 'ignore', 'inherit'],
    cwd: root,
  });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  closeSync(fd);
  if (r.status !== 0) throw new Error(`classify exited with ${r.status}`);
  return { ms, cpu: childCpu() - c0 };
};
const startups: number[] = [];
const totals: number[] = [];
const startCpu: number[] = [];
const totalCpu: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const a = run(one);
  const b = run(big);
  startups.push(a.ms);
  totals.push(b.ms);
  startCpu.push(a.cpu);
  totalCpu.push(b.cpu);
}
rmSync(dir, { recursive: true, force: true });
const n = lines.length;
const tStart = median(startups);
const tTotal = median(totals);
console.log(`\nyiwang classify --workers ${WORKERS}, ${n} real messages (2,801 × ${REPEAT}), median of ${RUNS} runs, load average now ${loadavg().map((l) => l.toFixed(1)).join(' ')}:`);
console.log(`  start-up (1 message): ${tStart.toFixed(0)} ms`);
console.log(`  total: ${tTotal.toFixed(0)} ms → ${(n / (tTotal / 1000)).toFixed(0)} messages/s including start-up`);
console.log(`  excluding start-up: ${(n / ((tTotal - tStart) / 1000)).toFixed(0)} messages/s`);
const cStart = median(startCpu);
const cTotal = median(totalCpu);
console.log(`  CPU time (user + sys, all threads): start-up ${cStart.toFixed(2)} s, total ${cTotal.toFixed(2)} s → ${(n / Math.max(0.01, cTotal - cStart)).toFixed(0)} messages per CPU-second excluding start-up`);
console.log('  (on a shared machine wall-clock figures fall with the load; CPU-seconds do not, and 2 idle cores give about twice the per-CPU-second rate)');

// In-process, model loaded (no JSON, no pipes).
const loaded = await loadRoutingModel();
if (loaded.ok) {
  const inputs = msgs.map((m) => ({ title: m.title, content: m.detail }));
  const rates: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = process.hrtime.bigint();
    loaded.model.classifyBatch(inputs);
    rates.push(inputs.length / (Number(process.hrtime.bigint() - t) / 1e9));
  }
  console.log(`  in-process classifyBatch: ${median(rates).toFixed(0)} messages/s`);
}
