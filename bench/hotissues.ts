/**
 * Hot-issue benchmark: clustering throughput, memory at 1 million synthetic items, gold-set scores and the top ten
 * issues of datasets/hot-issue-messages.
 *
 *   node --expose-gc --import tsx bench/hotissues.ts   # full run (1,000,000 synthetic items), clean heap figures
 *   npx tsx bench/hotissues.ts                 # the same without forced GC
 *   npx tsx bench/hotissues.ts --items 200000  # smaller synthetic run
 */
import { cpus, totalmem } from 'node:os';
import { clusterItems, HotIssueIndex, type HotIssueItem } from '../src/nlp/hotissues/cluster.ts';
import { scoreAgainstGold, type GoldIssue } from '../src/nlp/hotissues/evaluate.ts';
import { readGold, readMessagesFile } from '../src/nlp/hotissues/load.ts';
import { formatIssueTable } from '../src/nlp/hotissues/report.ts';
import { parseTime } from '../src/nlp/hotissues/time.ts';

const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const SYNTH = arg('--items', 1_000_000);
const RUNS = arg('--runs', 3);
const median = (xs: number[]): number => {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
};
const mb = (b: number): string => `${(b / 1024 / 1024).toFixed(0)} MB`;

console.log(`machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${mb(totalmem())} RAM, Node ${process.version}`);
const { items, errors } = readMessagesFile();
console.log(`data: ${items.length} messages (${errors.length} bad lines) from datasets/hot-issue-messages`);

// 1. Batch clustering of the real file (observe + add in time order + consolidate), median of RUNS.
// The machine is shared: CPU time of this process is reported beside wall time (items per CPU-second).
const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const times: number[] = [];
const cpuTimes: number[] = [];
let last: ReturnType<typeof clusterItems> | null = null;
for (let r = 0; r < RUNS; r++) {
  const t0 = performance.now();
  const c0 = cpuMs();
  last = clusterItems(items);
  times.push(performance.now() - t0);
  cpuTimes.push(cpuMs() - c0);
}
const batchMs = median(times);
const batchCpu = median(cpuTimes);
console.log(`\nbatch clustering of ${items.length} messages (two passes: term statistics, then clustering), median of ${RUNS} runs: ` +
  `${batchMs.toFixed(0)} ms wall = ${Math.round((items.length / batchMs) * 1000)} items/s; ${batchCpu.toFixed(0)} ms CPU = ${Math.round((items.length / batchCpu) * 1000)} items per CPU-second`);

// 2. Gold-set scores.
if (last) {
  const a = last.index.assignments();
  const sizes = new Map<number, number>();
  for (const v of a.values()) sizes.set(v, (sizes.get(v) ?? 0) + 1);
  const gold: GoldIssue[] = readGold();
  // The original train issues, the theme checks (one issue per station or kindergarten, singletons for messages that
  // share only a theme; in the train split) and the validation issues, each scored on its own.
  const parts = {
    train: gold.filter((g) => g.split === 'train' && !g.theme_check),
    'theme checks (train)': gold.filter((g) => g.theme_check),
    validation: gold.filter((g) => g.split === 'validation'),
  };
  for (const [split, part] of Object.entries(parts)) {
    const s = scoreAgainstGold(a, part, sizes);
    console.log(
      `gold ${split} (${s.issues} issues, ${s.messages} messages): pairwise P ${s.pairPrecision.toFixed(3)} R ${s.pairRecall.toFixed(3)} F1 ${s.pairF1.toFixed(3)}; ` +
        `B-cubed P ${s.bcubedPrecision.toFixed(3)} R ${s.bcubedRecall.toFixed(3)} F1 ${s.bcubedF1.toFixed(3)}`,
    );
    for (const p of s.perIssue) {
      if (p.size === 1 && p.predictedSize === 1) continue;
      console.log(`   ${p.key}: ${p.size} msgs, ${(p.largestShare * 100).toFixed(0)}% in one issue (of ${p.predictedIssues}); that issue has ${p.predictedSize} msgs`);
    }
  }
  console.log(`\ntop ten hot issues (${last.index.issueCount} issues in all):`);
  const top = last.index.issues({ top: 10 });
  console.log(formatIssueTable(top));
  for (const [k, iss] of top.entries()) {
    console.log(`${k + 1}. ${iss.summary} | heat ${iss.heat} | ${iss.items} msgs, ${iss.people} people, ${iss.likes} likes | e.g. ${iss.representatives.map((r) => `${r.id} ${r.title}`).join(' / ')}`);
  }
}

// 3. Streaming throughput and memory at SYNTH synthetic items, made by recombining real messages: the title of one
// message, the first sentence of its text followed by a sentence of another message, a new author, and the time
// shifted by a whole number of years (0–9) plus a few days, so issues recur over a 10-year stream.
function* synthetic(n: number): Generator<HotIssueItem> {
  let seed = 12345;
  const rnd = (): number => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed / 4294967296;
  };
  const base = items.map((m) => ({ m, t: parseTime(m.time) ?? 0 }));
  const sentences = items.map((m) => m.text.replace(/\s+/g, '').split(/[。！？!?]/).filter((x) => x.length > 5));
  const YEAR = 365 * 86_400_000;
  for (let i = 0; i < n; i++) {
    const k = Math.floor(rnd() * base.length);
    const b = base[k] as { m: HotIssueItem; t: number };
    const other = sentences[Math.floor(rnd() * sentences.length)] ?? [];
    const own = sentences[k] ?? [];
    yield {
      id: `s${i}`,
      title: b.m.title,
      text: `${own[0] ?? ''}。${other[Math.floor(rnd() * other.length)] ?? ''}。`,
      time: b.t + Math.floor(i / (n / 10)) * YEAR + Math.floor(rnd() * 5) * 86_400_000,
      likes: b.m.likes,
      author: `u${Math.floor(rnd() * 500_000)}`,
    };
  }
}
if (SYNTH > 0) {
  const gcNote = typeof globalThis.gc === 'function' ? '' : ' (run with --expose-gc for a cleaner heap figure)';
  (globalThis as { gc?: () => void }).gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  const index = new HotIssueIndex();
  const t0 = performance.now();
  const c0 = cpuMs();
  let n = 0;
  const CHUNK = Math.max(10_000, Math.floor(SYNTH / 10));
  const perChunk: number[] = [];
  let chunkCpu = c0;
  for (const it of synthetic(SYNTH)) {
    index.add(it);
    n++;
    if (n % CHUNK === 0) {
      const c = cpuMs();
      perChunk.push((CHUNK / (c - chunkCpu)) * 1000);
      chunkCpu = c;
      (globalThis as { gc?: () => void }).gc?.();
      const heap = process.memoryUsage().heapUsed - heap0;
      console.log(`  … ${n} items, ${index.issueCount} issues, ${Math.round(perChunk[perChunk.length - 1] ?? 0)} items per CPU-second in the last ${CHUNK}, heap ${mb(heap)} above start`);
    }
  }
  const addMs = performance.now() - t0;
  const addCpu = cpuMs() - c0;
  const t1 = performance.now();
  const c1 = cpuMs();
  const merges = index.consolidate();
  const consMs = performance.now() - t1;
  const consCpu = cpuMs() - c1;
  (globalThis as { gc?: () => void }).gc?.();
  const mem = process.memoryUsage();
  console.log(`\nstreaming ${n} synthetic items (recombined real messages, one by one, term statistics updated as they come):`);
  console.log(`  add: ${(addMs / 1000).toFixed(1)} s wall = ${Math.round((n / addMs) * 1000)} items/s; ${(addCpu / 1000).toFixed(1)} s CPU = ${Math.round((n / addCpu) * 1000)} items per CPU-second; median per chunk ${Math.round(median(perChunk.length ? perChunk : [0]))}, first chunk ${Math.round(perChunk[0] ?? 0)}, last ${Math.round(perChunk[perChunk.length - 1] ?? 0)}`);
  console.log(`  consolidate: ${(consMs / 1000).toFixed(1)} s wall, ${(consCpu / 1000).toFixed(1)} s CPU, ${merges} merges; ${index.issueCount} issues, ${index.vocabularySize} terms`);
  console.log(`  memory after ${n} items: heap used ${mb(mem.heapUsed - heap0)} above start, rss ${mb(mem.rss)}${gcNote}`);
}
