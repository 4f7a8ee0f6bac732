/**
 * Search benchmark: quality on the policy questions (tuning and validation splits) and speed at 100k documents.
 *
 *   npx tsx bench/search.ts                 # full run (about 4 CPU-minutes)
 *   npx tsx bench/search.ts --docs 20000    # smaller synthetic collection
 *   npx tsx bench/search.ts --quality-only
 *   npx tsx bench/search.ts --speed-only    # no quality, rebuild, answers, suggestions or withdrawals; query timing for
 *                                           # the default (pruned, count 1,000) and exhaustive scoring only
 *
 * Prints Recall@5 and MRR for the right document with the 599 policies indexed, answer containment, then, on a
 * synthetic collection generated from the real policies (paragraphs recombined), index build rate (from text and
 * from stored rows), memory, and query latency percentiles / throughput (medians of several runs).
 */
import { cpus, loadavg, totalmem } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { SearchIndex } from '../src/nlp/search/SearchIndex.ts';
import { answer } from '../src/nlp/search/answer.ts';
import { containsAnswer, rankingMetrics, splitByKey } from '../src/nlp/search/evaluate.ts';
import { loadPolicyDocs, loadPolicyQuestions, type PolicyQuestion } from '../src/nlp/search/policyData.ts';
import { sentenceSpans } from '../src/nlp/search/passage.ts';
import { DOC_TYPES, type IndexRow, type SearchDoc } from '../src/nlp/search/types.ts';
import { loadCatalogue } from '../src/modules/onestop/catalogue.ts';
import { mulberry32 } from '../src/lib/random.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const args = process.argv.slice(2);
const arg = (name: string, def: number): number => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const N_DOCS = arg('--docs', 100_000);
const RUNS = arg('--runs', 3);
const qualityOnly = args.includes('--quality-only');
const speedOnly = args.includes('--speed-only');

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)] ?? 0;
};
const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? 0;
};
const cpuSeconds = (since: NodeJS.CpuUsage): number => {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1e6;
};
const mb = (b: number): string => `${(b / 1024 / 1024).toFixed(0)} MB`;
const f3 = (x: number): string => x.toFixed(3);


const load = (): string => loadavg().map((x) => x.toFixed(1)).join(' ');
console.log(`# search benchmark — ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${mb(totalmem())} RAM, Node ${process.version}; load average ${load()}`);

// ---------------------------------------------------------------------------------------------------------------
// Quality.
const policies = loadPolicyDocs();
const questions = loadPolicyQuestions();
const { tune, validation } = splitByKey(questions, (q) => q.qid);
const qIndex = new SearchIndex();
for (const d of policies) qIndex.add(d);

function quality(name: string, set: PolicyQuestion[]): void {
  const ranked = set.map((q) => qIndex.search(q.question, { top: 10, noSnippets: true }).hits.map((h) => h.id));
  const m = rankingMetrics(ranked, set.map((q) => q.docid), 5);
  let contained = 0;
  let declined = 0;
  let rightSource = 0;
  let len = 0;
  for (const q of set) {
    const a = answer(qIndex, q.question);
    if ('none' in a) {
      declined++;
      continue;
    }
    len += a.passage.length;
    if (a.sourceId === q.docid) rightSource++;
    if (containsAnswer(a.passage, q.answer)) contained++;
  }
  console.log(
    `${name.padEnd(11)} n=${String(set.length).padStart(3)}  Recall@5 ${f3(m.recallAtK)}  MRR ${f3(m.mrr)}  ` +
      `answer contains reference ${f3(contained / set.length)}  (source right ${f3(rightSource / set.length)}, ` +
      `declined ${declined}, mean passage ${Math.round(len / Math.max(1, set.length - declined))} chars)`,
  );
}
if (!speedOnly) {
  console.log('\n## Quality (599 policies indexed; validation split seeded, never tuned on)');
  quality('tuning', tune);
  quality('validation', validation);
  quality('all', questions);
}

if (qualityOnly) process.exit(0);

// ---------------------------------------------------------------------------------------------------------------
// Synthetic collection: each document takes a title from one policy and 1–5 consecutive sentence groups from
// random policies (≈ paragraphs), so vocabulary and lengths stay real.
console.log(`\n## Speed at ${N_DOCS.toLocaleString('en')} synthetic documents (recombined from the real policies)`);
const rnd = mulberry32(20261126);
const chunks: string[] = [];
for (const p of policies) {
  const spans = sentenceSpans(p.body);
  for (let i = 0; i < spans.length; i += 3) {
    const a = spans[i];
    const b = spans[Math.min(spans.length - 1, i + 2)];
    if (a && b) chunks.push(p.body.slice(a.start, b.end));
  }
}
const departments = ['人社局', '医保局', '公安局', '住建局', '市场监管局', '税务局', '卫健委', '教育局', '民政局', '行政审批局'];
const synth: SearchDoc[] = [];
for (let i = 0; i < N_DOCS; i++) {
  const src = policies[Math.floor(rnd() * policies.length)];
  const parts = 1 + Math.floor(rnd() * 5);
  let body = '';
  for (let k = 0; k < parts; k++) body += (k ? ' ' : '') + (chunks[Math.floor(rnd() * chunks.length)] ?? '');
  const day = 1 + Math.floor(rnd() * 2000);
  synth.push({
    id: `s${i}`,
    type: DOC_TYPES[Math.floor(rnd() * DOC_TYPES.length)] ?? 'policy',
    title: `${src?.title ?? ''}（${i}）`,
    body,
    department: departments[Math.floor(rnd() * departments.length)] ?? '人社局',
    date: new Date(Date.UTC(2020, 0, day)).toISOString().slice(0, 10),
  });
}
const chars = synth.reduce((s, d) => s + d.title.length + d.body.length, 0);
console.log(`collection: ${synth.length.toLocaleString('en')} documents, ${(chars / 1e6).toFixed(1)} M characters (mean ${Math.round(chars / synth.length)})`);

gc();
const heap0 = process.memoryUsage();
let t0 = performance.now();
let cpu0 = process.cpuUsage();
const big = new SearchIndex();
const rows: IndexRow[] = [];
for (const d of synth) rows.push(big.add(d));
const buildText = (performance.now() - t0) / 1000;
const buildCpu = cpuSeconds(cpu0);
gc();
const heap1 = process.memoryUsage();
t0 = performance.now();
big.compact();
const compactS = (performance.now() - t0) / 1000;
console.log(
  `index build from text (fold + jieba + postings): ${buildText.toFixed(1)} s = ${Math.round(synth.length / buildText).toLocaleString('en')} docs/s ` +
    `(CPU ${buildCpu.toFixed(1)} s = ${Math.round(synth.length / buildCpu).toLocaleString('en')} docs/s per core); then compact() ${compactS.toFixed(1)} s`,
);
gc();
const heap2 = process.memoryUsage();
const rowChars = rows.reduce((s, r) => s + r.titleTokens.length + r.bodyTokens.length, 0);
// The bench also holds the rows (token strings, 2 bytes a character): subtract them. Document text is shared with
// the generated documents (made before the baseline), so it is not in the delta: add 2 bytes a character for it.
console.log(
  `memory of the compacted index (after GC; text not included, ${mb(chars * 2)} more): heap +${mb(heap2.heapUsed - heap0.heapUsed - rowChars * 2)} ` +
    `(not counting the ${mb(rowChars * 2)} of rows the bench holds), typed arrays +${mb(heap2.arrayBuffers - heap0.arrayBuffers)}; ` +
    `rss ${mb(heap2.rss)}; typed arrays before compaction +${mb(heap1.arrayBuffers - heap0.arrayBuffers)}`,
);
console.log(`stored token rows: ${(rowChars / 1e6).toFixed(1)} M characters (${(rowChars / chars).toFixed(2)}× the text)`);

// Rebuild from rows (start-up path): median of RUNS.
const rebuild: number[] = [];
const rebuildCpu: number[] = [];
for (let r = 0; r < (speedOnly ? 0 : Math.max(1, Math.min(RUNS, 2))); r++) {
  t0 = performance.now();
  cpu0 = process.cpuUsage();
  const again = SearchIndex.fromRows(rows);
  rebuild.push((performance.now() - t0) / 1000);
  rebuildCpu.push(cpuSeconds(cpu0));
  if (again.size !== big.size) throw new Error('rebuild size mismatch');
}
const rb = median(rebuild);
if (!speedOnly) console.log(
  `index rebuild from stored rows (no jieba): ${rb.toFixed(1)} s = ${Math.round(synth.length / rb).toLocaleString('en')} docs/s ` +
    `(CPU ${median(rebuildCpu).toFixed(1)} s; median of ${rebuild.length})`,
);
rows.length = 0;

// Queries: the real questions (long) and short search-box queries: the 1,135 catalogue item names without their
// bracketed qualifiers (≤ 12 characters) plus a few everyday, pinyin, Traditional and mistyped ones.
const catalogueNames = [...new Set(loadCatalogue().map((r) => r.name.replace(/[（(【[].*?[）)】\]]/g, '').trim()).filter((n) => n.length >= 2 && n.length <= 12))];
const short = ['居住证', '社保', '社保缓缴', '公积金提取', '复工复产', '口罩', '减免房租', '个体工商户', '医保报销', 'jzz', 'fugongfuchan', '居住證', '稳岗返还', '贷款贴息', '健康码', '居往证', ...catalogueNames];
const long = questions.map((q) => q.question);
const NOW = Date.UTC(2026, 10, 26);
for (const q of [...long.slice(0, 50), ...short.slice(0, 50)]) big.search(q, { now: NOW }); // warm-up (suggest vocab, pinyin map, JIT)
/** Runs a query mix RUNS times; medians over runs of the per-run percentiles. */
function timeMix(queries: readonly string[], pruning: boolean, countDepth: number): { wall50: number; wall95: number; wall99: number; cpu50: number; cpu95: number; cpuQps: number; read: number; probes: number; all: number; bounded: number } {
  big.pruning = pruning;
  let bounded = 0;
  const w50: number[] = [], w95: number[] = [], w99: number[] = [], c50: number[] = [], c95: number[] = [], cq: number[] = [];
  let read = 0;
  let probes = 0;
  for (let r = 0; r < RUNS; r++) {
    const times: number[] = [];
    const cpuTimes: number[] = [];
    for (const q of queries) {
      const c = process.cpuUsage();
      const s = performance.now();
      const res = big.search(q, { top: 10, now: NOW, countDepth });
      times.push(performance.now() - s);
      if (res.totalIsLowerBound) bounded++;
      cpuTimes.push(cpuSeconds(c) * 1000);
      read += big.lastScan.postings;
      probes += big.lastScan.probes;
    }
    w50.push(pct(times, 0.5));
    w95.push(pct(times, 0.95));
    w99.push(pct(times, 0.99));
    c50.push(pct(cpuTimes, 0.5));
    c95.push(pct(cpuTimes, 0.95));
    cq.push(queries.length / (cpuTimes.reduce((a, b) => a + b, 0) / 1000));
  }
  big.pruning = true;
  // Postings of the terms a query scores (what exhaustive scoring reads).
  let all = 0;
  for (const q of queries) {
    big.pruning = false;
    big.search(q, { top: 10, now: NOW, noSnippets: true });
    all += big.lastScan.postings;
    big.pruning = true;
  }
  const n = queries.length * RUNS;
  return { wall50: median(w50), wall95: median(w95), wall99: median(w99), cpu50: median(c50), cpu95: median(c95), cpuQps: median(cq), read: read / n, probes: probes / n, all: all / queries.length, bounded: bounded / n };
}
const f2 = (x: number): string => x.toFixed(2);
console.log(`search (top 10, snippets, facets), median of ${RUNS} runs; load average before ${load()}:`);
for (const [name, qs] of [[`long (${long.length} policy questions)`, long], [`short (${short.length}: catalogue item names ≤ 12 chars and 16 everyday queries)`, short]] as const) {
  // Total and facets over the best 1,000 hits (the default), and over every hit above the cutoff (as before 2026-11-26).
  // (count 100: what a smaller depth would buy; not the default.) The first 100 queries once untimed (JIT warm-up).
  for (const q of qs.slice(0, 100)) big.search(q, { top: 10, now: NOW });
  const variants = [[true, 1000, 'pruned, count 1,000'], [true, 100, 'pruned, count 100'], [true, Infinity, 'pruned, count all'], [false, 1000, 'exhaustive']] as const;
  for (const [pruning, depth, label] of variants.filter((v) => !speedOnly || v[1] === 1000)) {
    const m = timeMix(qs, pruning, depth);
    console.log(
      `  ${name}, ${label}: total 1000+ on ${(100 * m.bounded).toFixed(0)}% of queries; CPU p50 ${f2(m.cpu50)} ms, p95 ${f2(m.cpu95)} ms (${Math.round(m.cpuQps)} queries/s per core); ` +
        `wall p50 ${f2(m.wall50)} ms, p95 ${f2(m.wall95)} ms, p99 ${f2(m.wall99)} ms; postings read ${Math.round(m.read)} of ${Math.round(m.all)} a query, ${Math.round(m.probes)} candidate look-ups`,
    );
  }
}
console.log(`  load average after: ${load()}`);
if (speedOnly) process.exit(0);

// Answers at 100k.
const at: number[] = [];
for (const q of questions.slice(0, 200)) {
  const s = performance.now();
  answer(big, q.question, { now: NOW });
  at.push(performance.now() - s);
}
console.log(`answer() at ${N_DOCS.toLocaleString('en')} documents: p50 ${pct(at, 0.5).toFixed(2)} ms, p95 ${pct(at, 0.95).toFixed(2)} ms`);

// Suggest.
t0 = performance.now();
big.suggest('ju');
const suggestBuild = performance.now() - t0;
const st: number[] = [];
for (const p of ['j', 'jz', 'jzz', 'ju', 'juzhu', '居', '居住', '社', 'fg', '复工', 'gjj', '公积']) {
  const s = performance.now();
  big.suggest(p);
  st.push(performance.now() - s);
}
console.log(`suggest: first call builds the completion table in ${(suggestBuild / 1000).toFixed(1)} s, then p95 ${pct(st, 0.95).toFixed(2)} ms`);

// Withdrawals.
t0 = performance.now();
for (let i = 0; i < 1000; i++) big.remove(`s${i * 7}`);
const rmMs = performance.now() - t0;
t0 = performance.now();
big.compact();
console.log(`remove 1,000 documents: ${rmMs.toFixed(0)} ms; compaction of ${N_DOCS.toLocaleString('en')}: ${(performance.now() - t0).toFixed(0)} ms`);
console.log(`load average at the end: ${load()} (other jobs share these cores: wall-clock figures include their load)`);
