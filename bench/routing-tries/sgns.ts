// Word vectors by our own skip-gram with negative sampling on unlabelled text only (no labelled raw-text row).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATASET_DIR, loadTrainingRows, readJsonLines, splitForValidation } from '../../src/nlp/routing/dataset.ts';
import { DIR, labelledHeads, rawHead } from './common.ts';
import { getJieba, tokenizeRaw, tokenizeSegmented } from '../../src/nlp/routing/text.ts';
import { DEFAULT_TRAIN_OPTIONS as O, stopwordsFromRows } from '../../src/nlp/routing/train.ts';
import { makeRng } from '../../src/nlp/routing/linear.ts';
const cfg = { d: 64, win: 5, neg: 5, epochs: 5, lr: 0.025, minCount: 3, sample: 1e-4, ...JSON.parse(process.argv[2] ?? '{}') };
const c0 = process.cpuUsage();
const jieba = getJieba();
const all = loadTrainingRows();
const pool = splitForValidation(all, O.splitSeed, O.splitShare).train;
const stop = new Set(stopwordsFromRows(jieba, pool));
const heads = labelledHeads(all);
const docs: string[][] = pool.filter((r) => r.raw === null).map((r) => tokenizeSegmented(r.segmented ?? '', stop));
for (const f of [join(DATASET_DIR, 'unlabelled-official-test.jsonl.gz'), join(DATASET_DIR, '../hot-issue-messages/messages_with_votes.jsonl.gz')]) {
  for (const m of readJsonLines(f) as { title: string; detail: string }[]) {
    const s = (m.title + m.detail).replace(/\s/g, '');
    if (!heads.has(rawHead(s))) docs.push(tokenizeRaw(jieba, s, stop));
  }
}
const cnt = new Map<string, number>();
for (const d of docs) for (const t of d) cnt.set(t, (cnt.get(t) ?? 0) + 1);
const vocab = [...cnt.keys()].filter((t) => cnt.get(t)! >= cfg.minCount).sort();
const id = new Map(vocab.map((t, i) => [t, i]));
const V = vocab.length, D = cfg.d;
const total = docs.reduce((s, d) => s + d.length, 0);
console.log(`docs ${docs.length}, tokens ${total}, vocab ${V}`);
// unigram^0.75 table
const table = new Int32Array(1e6);
{ let z = 0; const pw = vocab.map((t) => cnt.get(t)! ** 0.75); for (const p of pw) z += p; let i = 0, acc = pw[0]! / z; for (let a = 0; a < table.length; a++) { table[a] = i; if (a / table.length > acc && i < V - 1) { i++; acc += pw[i]! / z; } } }
const rng = makeRng(3);
const Win = new Float32Array(V * D), Wout = new Float32Array(V * D);
for (let i = 0; i < Win.length; i++) Win[i] = (rng() - 0.5) / D;
const seqs = docs.map((d) => Int32Array.from(d.map((t) => id.get(t) ?? -1).filter((x) => x >= 0)));
const keepP = vocab.map((t) => { const f = cnt.get(t)! / total; return Math.min(1, (Math.sqrt(f / cfg.sample) + 1) * cfg.sample / f); });
const g = new Float32Array(D);
let step = 0; const steps = cfg.epochs * total;
for (let ep = 0; ep < cfg.epochs; ep++) {
  for (const s0 of seqs) {
    const s = s0.filter((w) => rng() < keepP[w]!);
    for (let i = 0; i < s.length; i++) {
      step++;
      const lr = Math.max(cfg.lr * 1e-4, cfg.lr * (1 - step / steps));
      const b = 1 + Math.floor(rng() * cfg.win);
      const w = s[i]!;
      for (let j = Math.max(0, i - b); j <= Math.min(s.length - 1, i + b); j++) {
        if (j === i) continue;
        const c = s[j]!; const ci = c * D;
        g.fill(0);
        for (let n = 0; n <= cfg.neg; n++) {
          const tgt = n === 0 ? w : table[Math.floor(rng() * table.length)]!;
          if (n > 0 && tgt === w) continue;
          const to = tgt * D; let dot = 0;
          for (let a = 0; a < D; a++) dot += Win[ci + a]! * Wout[to + a]!;
          const sg = 1 / (1 + Math.exp(-dot));
          const gr = lr * ((n === 0 ? 1 : 0) - sg);
          for (let a = 0; a < D; a++) { g[a]! += gr * Wout[to + a]!; Wout[to + a]! += gr * Win[ci + a]!; }
        }
        for (let a = 0; a < D; a++) Win[ci + a]! += g[a]!;
      }
    }
  }
  console.log(`epoch ${ep + 1} ${(process.cpuUsage(c0).user / 1e6).toFixed(0)} CPU-s`);
}
const out: Record<string, number[]> = {};
vocab.forEach((t, i) => (out[t] = Array.from(Win.subarray(i * D, i * D + D), (x) => Math.round(x * 1e4) / 1e4)));
writeFileSync(`${DIR}/vec.json`, JSON.stringify(out));
// sanity: neighbours
const nb = (t: string): string => { const i = id.get(t); if (i === undefined) return '-'; const q = Win.subarray(i * D, i * D + D); const nq = Math.hypot(...q);
  return vocab.map((u, j) => { const v = Win.subarray(j * D, j * D + D); let s = 0; for (let a = 0; a < D; a++) s += q[a]! * v[a]!; return [u, s / (nq * Math.hypot(...v) + 1e-9)] as [string, number]; }).sort((a, b) => b[1] - a[1]).slice(1, 6).map((x) => x[0]).join(' '); };
for (const t of ['物业', '油烟', '公交', '社保', '医院', '学校']) console.log(t, '→', nb(t));
