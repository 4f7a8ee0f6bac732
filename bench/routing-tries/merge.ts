// Merges score files of a run split over processes (ft.ts onlyTasks) into one and prints its figures.
// Usage: npx tsx bench/routing-tries/merge.ts OUT IN1 IN2 ...   (reads and writes $DIR/s-*.json)
import { computeMetrics } from '../../src/nlp/routing/linear.ts';
import { argmax, load, save, type Scores } from './common.ts';
const [outName, ...ins] = process.argv.slice(2);
const out: Scores = Object.assign({}, ...ins.map((n) => load(n)));
const G: number[] = [], P: number[] = [];
for (const t of ['f0', 'f1', 'f2', 'f3', 'f4']) { if (!out[t]) throw new Error(`task ${t} missing`); G.push(...out[t].gold); P.push(...out[t].s.map(argmax)); }
const v = out.val ? computeMetrics(out.val.gold, out.val.s.map(argmax), 7).macroF1.toFixed(4) : '-';
console.log(`${outName}: tuning CV ${computeMetrics(G, P, 7).macroF1.toFixed(4)}, val ${v}`);
save(outName!, out);
