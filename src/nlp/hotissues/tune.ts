/**
 * Tuning the clustering thresholds on the train issues of gold.json; prints a grouped cross-validation over the train
 * issues and the validation scores of the chosen setting.
 * Run: npx tsx src/nlp/hotissues/tune.ts [--quick]
 *
 * Every setting of the grid clusters the whole file once; the scores on any subset of gold issues are then cheap. The
 * setting is chosen on the train issues only (objective: B-cubed F0.5, precision weighted up because merging problems
 * or places is the worse error; among settings within 0.01 of the best, the highest pairwise F1). The cross-validation repeats that choice with one of five groups of train issues left
 * out and scores the left-out group, so the figure says how well the choice carries to issues it did not see. The six
 * validation issues are never used to choose. (Earlier grids are recorded in docs/hot-issues.md; this file keeps the
 * last one.)
 */
import { clusterItems, DEFAULT_OPTIONS, type ClusterOptions } from './cluster.ts';
import { scoreAgainstGold, type GoldIssue, type GoldScores } from './evaluate.ts';
import { readGold, readMessagesFile } from './load.ts';
import { tokenize } from './text.ts';
import { mulberry32 } from '../../lib/random.ts';

const { items } = readMessagesFile();
const gold = readGold();
const train = gold.filter((g) => g.split === 'train');
const val = gold.filter((g) => g.split === 'validation');
const memo = new Map<string, string[]>();
const tokenizer = (t: string, b: boolean): string[] => {
  const k = (b ? '1' : '0') + t;
  let v = memo.get(k);
  if (!v) memo.set(k, (v = tokenize(t, b)));
  return v;
};

type Run = { o: Partial<ClusterOptions>; assign: Map<string | number, number>; sizes: Map<number, number> };
function run(o: Partial<ClusterOptions>): Run {
  const { index } = clusterItems(items, { ...o, tokenizer });
  const assign = index.assignments();
  const sizes = new Map<number, number>();
  for (const v of assign.values()) sizes.set(v, (sizes.get(v) ?? 0) + 1);
  return { o, assign, sizes };
}
const objective = (s: GoldScores): number =>
  (1.25 * s.bcubedPrecision * s.bcubedRecall) / (0.25 * s.bcubedPrecision + s.bcubedRecall || 1);
const score = (r: Run, g: GoldIssue[]): GoldScores => scoreAgainstGold(r.assign, g, r.sizes);

const fmt = (x: number): string => x.toFixed(3);
const quick = process.argv.includes('--quick');
const grid: Partial<ClusterOptions>[] = [];
for (const noPlaceMinCosine of quick ? [0.15, 0.35] : [0.15, 0.25, 0.3, 0.35, 0.45])
  for (const samePlaceGapDays of quick ? [180, 540] : [180, 365, 540, 730])
    for (const placePenalty of [0.3])
      for (const threshold of quick ? [0.16] : [0.16, 0.2]) grid.push({ noPlaceMinCosine, samePlaceGapDays, placePenalty, threshold });

const runs: Run[] = [];
for (const o of grid) {
  const r = run(o);
  runs.push(r);
  const s = score(r, train);
  console.log(JSON.stringify(o), 'train B-cubed P/R', fmt(s.bcubedPrecision), fmt(s.bcubedRecall), 'F0.5', fmt(objective(s)), 'pairwise F1', fmt(s.pairF1));
}
// The objective is flat near its top (settings within 0.01 differ by a message or two), so among the settings within
// 0.01 of the best F0.5 the one with the highest pairwise F1 is taken (both on the issues given, never validation).
const best = (g: GoldIssue[]): Run => {
  const scored = runs.map((r) => {
    const s = score(r, g);
    return { r, f: objective(s), pair: s.pairF1 };
  });
  const top = Math.max(...scored.map((x) => x.f));
  let b: { r: Run; pair: number } | null = null;
  for (const x of scored) if (x.f >= top - 0.01 && (!b || x.pair > b.pair + 1e-9)) b = x;
  return (b as { r: Run }).r;
};

// Grouped 5-fold cross-validation over the train issues (seeded shuffle, mulberry32 seed 6).
const rnd = mulberry32(6);
const shuffled = train.slice();
for (let i = shuffled.length - 1; i > 0; i--) {
  const j = Math.floor(rnd() * (i + 1));
  [shuffled[i], shuffled[j]] = [shuffled[j] as GoldIssue, shuffled[i] as GoldIssue];
}
const K = 5;
const cvF1: number[] = [];
const cvPair: number[] = [];
console.log('\ncross-validation over train issues (choose on 4 groups, score the 5th):');
for (let k = 0; k < K; k++) {
  const held = shuffled.filter((_, i) => i % K === k);
  const rest = shuffled.filter((_, i) => i % K !== k);
  const r = best(rest);
  // Only pairs among held-out messages are scored (a merge with an issue of another group is not seen here).
  const s = score(r, held);
  cvF1.push(s.bcubedF1);
  cvPair.push(s.pairF1);
  console.log(`  fold ${k + 1}: chose ${JSON.stringify(r.o)}; held-out ${held.map((g) => g.key).join(', ')}: B-cubed P ${fmt(s.bcubedPrecision)} R ${fmt(s.bcubedRecall)} F1 ${fmt(s.bcubedF1)}`);
}
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
console.log(`  mean held-out B-cubed F1 ${fmt(mean(cvF1))}, pairwise F1 ${fmt(mean(cvPair))}`);

const chosen = best(train);
console.log(`\nchosen on all train issues: ${JSON.stringify(chosen.o)} (defaults ${JSON.stringify({
  noPlaceMinCosine: DEFAULT_OPTIONS.noPlaceMinCosine,
  samePlaceGapDays: DEFAULT_OPTIONS.samePlaceGapDays,
  placePenalty: DEFAULT_OPTIONS.placePenalty,
  threshold: DEFAULT_OPTIONS.threshold,
})})`);
const original = train.filter((g) => !g.theme_check);
const theme = train.filter((g) => g.theme_check);
for (const [name, g] of [['train (original 10)', original], ['train theme checks', theme], ['train (all)', train], ['validation', val]] as const) {
  const s = score(chosen, g);
  console.log(`${name}: pairwise P ${fmt(s.pairPrecision)} R ${fmt(s.pairRecall)} F1 ${fmt(s.pairF1)}; B-cubed P ${fmt(s.bcubedPrecision)} R ${fmt(s.bcubedRecall)} F1 ${fmt(s.bcubedF1)}`);
  if (name !== 'train (all)') {
    for (const p of s.perIssue) if (p.size > 1 || p.predictedSize > 1) console.log(`  ${p.key}: ${p.size} msgs, largest share ${fmt(p.largestShare)} in ${p.predictedIssues} predicted issue(s); that issue has ${p.predictedSize} msgs`);
  }
}
