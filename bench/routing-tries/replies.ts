// Weak labels for raw messages from the department their official reply names (docs/routing.md, sixth round).
// Reads shared/data/messages-with-replies (ROUTING_REPLIES overrides the path) and reply-departments.json; drops
// every message that repeats a labelled row (labelledMatcher in common.ts) and measures the weak label on those
// instead (the honest accuracy estimate: tuning-side and validation-side matches reported apart); compares the
// rest with the shipped model; writes $DIR/weak-<mode>.json for svmweak.ts.
//   npx tsx bench/routing-tries/replies.ts [majority|first|any]    (ROUTING_TRIES_MODE=all for the all-rows CV)
import { readFileSync, writeFileSync } from 'node:fs';
import { CATEGORIES } from '../../src/nlp/routing/categories.ts';
import { loadTrainingRows, readJsonLines, splitForValidation } from '../../src/nlp/routing/dataset.ts';
import { loadRoutingModel } from '../../src/nlp/routing/index.ts';
import { computeMetrics } from '../../src/nlp/routing/linear.ts';
import { getJieba, tokenizeRaw } from '../../src/nlp/routing/text.ts';
import { DEFAULT_TRAIN_OPTIONS as O, stopwordsFromRows } from '../../src/nlp/routing/train.ts';
import { DIR, labelledMatcher, type Row } from './common.ts';

const rule = process.argv[2] ?? 'majority';
const mode = process.env.ROUTING_TRIES_MODE ?? 'tuning';
const path = process.env.ROUTING_REPLIES ?? '/work/shared/data/messages-with-replies/messages_with_replies.jsonl';
const c0 = process.cpuUsage();

// ---- the department table: one leftmost-longest regex over all names ----
interface Rule { category: string | null; why: string; names: string[] }
const table = JSON.parse(readFileSync(new URL('./reply-departments.json', import.meta.url), 'utf8')) as { rules: Rule[] };
const catOf = new Map<string, number>(); // name -> class index, -1 = no signal
for (const r of table.rules) for (const n of r.names) catOf.set(n, r.category === null ? -1 : CATEGORIES.indexOf(r.category as never));
const names = [...catOf.keys()].sort((a, b) => b.length - a.length);
const re = new RegExp(names.join('|'), 'g');

/** Per class, the mentions in a reply; and the class of the first mention that carries one. */
function mentions(reply: string): { counts: number[]; first: number; names: string[] } {
  const counts = new Array<number>(7).fill(0);
  let first = -1;
  const found: string[] = [];
  for (const m of reply.matchAll(re)) {
    const k = catOf.get(m[0])!;
    found.push(m[0]);
    if (k < 0) continue;
    counts[k]!++;
    if (first < 0) first = k;
  }
  return { counts, first, names: found };
}
/** The weak label: majority = one class has more mentions than all other classes together; first = first class named; any = plurality. */
function weak(reply: string): number {
  const { counts, first } = mentions(reply);
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return -1;
  const top = counts.indexOf(Math.max(...counts));
  if (rule === 'first') return first;
  if (rule === 'any') return counts.filter((c) => c === counts[top]).length === 1 ? top : -1;
  return counts[top]! * 2 > total ? top : -1;
}

// ---- labelled rows, leak check ----
const jieba = getJieba();
const all = loadTrainingRows();
const split = splitForValidation(all, O.splitSeed, O.splitShare);
const pool = mode === 'tuning' ? split.train : all;
const stop = new Set(stopwordsFromRows(jieba, pool)); // the stop-words prep.ts used for this mode
const match = labelledMatcher(all, jieba, stop);
const side = new Map<number, string>();
for (const r of split.train) side.set(r.id, r.raw !== null ? 'tuning-raw' : 'train-segmented');
for (const r of split.validation) side.set(r.id, 'validation');

interface Msg { message_id: number; title: string; detail: string; reply: string }
const msgs = readJsonLines(path) as Msg[];
const matched: Record<string, { G: number[]; P: number[]; n: number }> = {};
const weakRows: (Row & { model: number; conf: number })[] = [];
let noLabel = 0;
const inputs: { title: string; content: string }[] = [];
const keep: { text: string; y: number; id: number }[] = [];
const nameCount = new Map<string, number>();
for (const m of msgs) {
  const text = (m.title + m.detail).replace(/\s/g, '');
  const y = weak(m.reply);
  for (const n of new Set(mentions(m.reply).names)) nameCount.set(n, (nameCount.get(n) ?? 0) + 1);
  const hit = match(text);
  if (hit) {
    const s = side.get(hit.id)!;
    const b = (matched[s] ??= { G: [], P: [], n: 0 });
    b.n++;
    if (y >= 0) { b.G.push(CATEGORIES.indexOf(hit.label)); b.P.push(y); }
    continue;
  }
  if (y < 0) { noLabel++; continue; }
  keep.push({ text, y, id: 1_000_000 + m.message_id });
  inputs.push({ title: m.title.replace(/\s/g, ''), content: m.detail.replace(/\s/g, '') });
}
const loaded = await loadRoutingModel();
if (!loaded.ok) throw new Error(loaded.error.message);
const outs = loaded.model.classifyBatch(inputs);
keep.forEach((k, i) => {
  const o = outs[i]!;
  if (!o.ok) return;
  weakRows.push({ id: k.id, y: k.y, raw: k.text, seg: null, tok: tokenizeRaw(jieba, k.text, stop), model: CATEGORIES.indexOf(o.category), conf: o.confidence });
});

// ---- report ----
console.log(`rule ${rule}, mode ${mode}: ${msgs.length} reply messages; repeat a labelled row: ${Object.values(matched).reduce((a, b) => a + b.n, 0)} (${Object.entries(matched).map(([k, v]) => `${k} ${v.n}`).join(', ')})`);
console.log(`not labelled: ${weakRows.length} with a weak label, ${noLabel} without (no department of the 7 named, or no majority)`);
for (const [k, v] of Object.entries(matched)) {
  if (!v.G.length) continue;
  const ok = v.G.filter((g, i) => g === v.P[i]).length;
  console.log(`weak label vs gold on matches (${k}): ${ok}/${v.G.length} = ${(ok / v.G.length).toFixed(3)} (of ${v.n} matches ${v.G.length} got a weak label); wrong:`,
    v.G.map((g, i) => [g, v.P[i]!] as const).filter(([g, p]) => g !== p).map(([g, p]) => `${CATEGORIES[g]}→${CATEGORIES[p]}`).join(' '));
}
{
  const G = Object.values(matched).flatMap((v) => v.G), P = Object.values(matched).flatMap((v) => v.P);
  console.log('  all matches by weak label (right/labelled):', CATEGORIES.map((c, k) => `${c} ${G.filter((g, i) => P[i] === k && g === k).length}/${P.filter((q) => q === k).length}`).join(', '));
}
const agree = weakRows.filter((r) => r.model === r.y).length;
console.log(`weak label vs shipped model on the ${weakRows.length} new messages: agree ${agree} = ${(agree / weakRows.length).toFixed(3)}; macro-F1 of the model against the weak labels ${computeMetrics(weakRows.map((r) => r.y), weakRows.map((r) => r.model), 7).macroF1.toFixed(3)}`);
for (let k = 0; k < 7; k++) {
  const rs = weakRows.filter((r) => r.y === k);
  const a = rs.filter((r) => r.model === k).length;
  const hi = rs.filter((r) => r.conf >= 0.7);
  console.log(`  ${CATEGORIES[k]}: ${rs.length} weak rows, model agrees ${a} (${(a / Math.max(1, rs.length)).toFixed(2)}); with confidence ≥ 0.7: ${hi.filter((r) => r.model === k).length}/${hi.length}`);
}
console.log('names seen (messages):', [...nameCount].sort((a, b) => b[1] - a[1]).map(([n, c]) => `${n} ${c}${catOf.get(n)! < 0 ? '∅' : ''}`).join(', '));
writeFileSync(`${DIR}/weak-${mode}.json`, JSON.stringify(weakRows));
console.log(`${((process.cpuUsage(c0).user + process.cpuUsage(c0).system) / 1e6).toFixed(0)} CPU-s`);
