/**
 * Tuning the clustering thresholds on the train half of gold.json; prints validation scores for the best setting.
 * Run: npx tsx src/nlp/hotissues/tune.ts [--quick]
 * (Earlier grids over placePenalty, mergeThreshold, noPlaceMargin, categoryWeight and placeTermWeight are recorded in
 * docs/hot-issues.md; this file keeps the last grid.)
 */
import { clusterItems, DEFAULT_OPTIONS, type ClusterOptions } from './cluster.ts';
import { scoreAgainstGold } from './evaluate.ts';
import { readGold, readMessagesFile } from './load.ts';
import { tokenize } from './text.ts';

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

function run(o: Partial<ClusterOptions>): { train: ReturnType<typeof scoreAgainstGold>; val: ReturnType<typeof scoreAgainstGold> } {
  const { index } = clusterItems(items, { ...o, tokenizer });
  const a = index.assignments();
  const sizes = new Map<number, number>();
  for (const v of a.values()) sizes.set(v, (sizes.get(v) ?? 0) + 1);
  return { train: scoreAgainstGold(a, train, sizes), val: scoreAgainstGold(a, val, sizes) };
}

const fmt = (x: number): string => x.toFixed(3);
const grid: Partial<ClusterOptions>[] = [];
for (const threshold of [0.16, 0.2, 0.25])
  for (const minCosine of [0, 0.1, 0.15, 0.2])
    for (const placeBonus of process.argv.includes('--quick') ? [0.2] : [0.2, 0.3])
      grid.push({ threshold, minCosine, placeBonus });
let best: { o: Partial<ClusterOptions>; f: number } | null = null;
for (const o of grid) {
  const r = run(o);
  // Objective: B-cubed F1 on train, with precision weighted up (merging problems/places is the worse error).
  const f = (1.25 * r.train.bcubedPrecision * r.train.bcubedRecall) / (0.25 * r.train.bcubedPrecision + r.train.bcubedRecall);
  console.log(JSON.stringify(o), 'train bcubed P/R', fmt(r.train.bcubedPrecision), fmt(r.train.bcubedRecall), 'F0.5', fmt(f));
  if (!best || f > best.f) best = { o, f };
}
if (best) {
  const r = run(best.o);
  console.log('\nbest', JSON.stringify(best.o), '(defaults', JSON.stringify({ threshold: DEFAULT_OPTIONS.threshold, placeBonus: DEFAULT_OPTIONS.placeBonus, minCosine: DEFAULT_OPTIONS.minCosine }) + ')');
  for (const [name, s] of [['train', r.train], ['validation', r.val]] as const) {
    console.log(`${name}: pairwise P ${fmt(s.pairPrecision)} R ${fmt(s.pairRecall)} F1 ${fmt(s.pairF1)}; B-cubed P ${fmt(s.bcubedPrecision)} R ${fmt(s.bcubedRecall)} F1 ${fmt(s.bcubedF1)}`);
    for (const p of s.perIssue) console.log(`  ${p.key}: ${p.size} msgs, largest share ${fmt(p.largestShare)} in ${p.predictedIssues} predicted issue(s); that issue has ${p.predictedSize} msgs`);
  }
}
