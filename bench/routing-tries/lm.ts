// Class-conditional language models (docs/routing.md, seventh round): per class, an interpolated Kneser–Ney
// (`kn`, one discount per order, D = n1 / (n1 + 2 n2)) or Witten–Bell (`wb`) model over (t) the token sequence
// every member sees, orders 1–3, and (c) the characters of those tokens joined without spaces, orders 3–5.
// A message's class score = its log-likelihood under the class's model / its length (per-symbol average):
// "balanced" (uniform prior, the target is macro-F1), saved as s-NAME-CFG; Bayes with the class prior
// ((LL + ln π) / length, argmax-equivalent to LL + ln π) printed. The sum of the token and character averages
// of each pair is saved as s-NAME-tXcY. Usage: lm.ts NAME kn|wb t1,t2,t3,c3,c4,c5
import { computeMetrics } from '../../src/nlp/routing/linear.ts';
import { argmax, record, save, startRun, tasks, type Scores } from './common.ts';
const name = process.argv[2] ?? 'lm';
const method = (process.argv[3] ?? 'kn') as 'kn' | 'wb';
const cfgs = (process.argv[4] ?? 't1,t2,t3,c3,c4,c5').split(',');
const K = 7;
const SEP = '\u0001', BOS = '\u0002';

/** One class's n-gram model of order N over symbol sequences (keys: symbols joined by `sep`). */
class NgramLm {
  /** Per level k (1..N): k-gram → count (raw at the top level or for Witten–Bell, continuation count below). */
  private readonly cnt: Map<string, number>[] = [];
  /** Per level k: (k−1)-gram context → [sum of the level's counts, number of distinct followers]. */
  private readonly ctx: Map<string, [number, number]>[] = [];
  private readonly D: number[] = [];
  constructor(seqs: readonly string[][], private readonly N: number, private readonly V: number, private readonly sep: string) {
    const raw: Map<string, number>[] = Array.from({ length: N + 1 }, () => new Map<string, number>());
    for (const s of seqs) {
      const p = [...Array<string>(N - 1).fill(BOS), ...s];
      for (let i = N - 1; i < p.length; i++) for (let k = 1; k <= N; k++) {
        const g = p.slice(i - k + 1, i + 1).join(sep);
        raw[k]!.set(g, (raw[k]!.get(g) ?? 0) + 1);
      }
    }
    for (let k = 1; k <= N; k++) {
      let c = raw[k]!;
      if (method === 'kn' && k < N) { // continuation counts: distinct left extensions among the (k+1)-grams
        c = new Map();
        for (const g of raw[k + 1]!.keys()) { const suf = this.drop1(g); c.set(suf, (c.get(suf) ?? 0) + 1); }
      }
      this.cnt[k] = c;
      const ctx = new Map<string, [number, number]>();
      let n1 = 0, n2 = 0;
      for (const [g, v] of c) {
        const h = this.ctxOf(g, k);
        const e = ctx.get(h); if (e) { e[0] += v; e[1] += 1; } else ctx.set(h, [v, 1]);
        if (v === 1) n1++; else if (v === 2) n2++;
      }
      this.ctx[k] = ctx;
      this.D[k] = n1 + 2 * n2 > 0 ? Math.min(0.95, Math.max(0.1, n1 / (n1 + 2 * n2))) : 0.5;
    }
  }
  /** The gram without its first symbol (sep-joined keys; for characters sep is '' and symbols are code points). */
  private drop1(g: string): string {
    if (this.sep) { const i = g.indexOf(this.sep); return i < 0 ? '' : g.slice(i + 1); }
    const cp = g.codePointAt(0)!; return g.slice(cp > 0xffff ? 2 : 1);
  }
  private ctxOf(g: string, k: number): string {
    if (k === 1) return '';
    if (this.sep) return g.slice(0, g.lastIndexOf(this.sep));
    const cp = Array.from(g); return cp.slice(0, -1).join('');
  }
  /** ln p(w | h), h the previous N−1 symbols (array), recursively interpolated down to the uniform 1/V. */
  private prob(h: string[], w: string, k: number): number {
    if (k === 0) return 1 / this.V;
    const hk = h.slice(h.length - (k - 1)); // last k−1 symbols
    const lower = this.prob(h, w, k - 1);
    const hkey = hk.join(this.sep);
    const e = this.ctx[k]!.get(hkey);
    if (!e) return lower;
    const c = this.cnt[k]!.get(k === 1 ? w : hkey + this.sep + w) ?? 0;
    if (method === 'wb') return (c + e[1] * lower) / (e[0] + e[1]);
    const D = this.D[k]!;
    return Math.max(c - D, 0) / e[0] + (D * e[1]) / e[0] * lower;
  }
  logLik(s: readonly string[]): number {
    const p = [...Array<string>(this.N - 1).fill(BOS), ...s];
    let ll = 0;
    for (let i = this.N - 1; i < p.length; i++) ll += Math.log(this.prob(p.slice(i - this.N + 1, i), p[i]!, this.N));
    return ll;
  }
}

const { p, c0 } = startRun();
const outs: Record<string, Scores> = {};
const pools: Record<string, { G: number[]; P: number[] }> = {};
const bayes: Record<string, { G: number[]; P: number[]; val?: number }> = {};
const put = (key: string, t: ReturnType<typeof tasks>[number], s: number[][]): void => {
  outs[key] ??= {}; pools[key] ??= { G: [], P: [] };
  console.log(`-- ${key}`); record(outs[key]!, pools[key]!, t, s);
};
const sym = (tok: readonly string[], kind: string): string[] => (kind === 't' ? [...tok] : Array.from(tok.join('')));
for (const t of tasks(p)) {
  const counts = Array.from({ length: K }, (_, k) => t.train.filter((r) => r.y === k).length);
  const logPrior = counts.map((n) => Math.log(n / t.train.length));
  const avg: Record<string, number[][]> = {};
  for (const cfg of cfgs) {
    const kind = cfg[0]!, N = Number(cfg.slice(1));
    const seqs = t.train.map((r) => sym(r.tok, kind));
    const types = new Set<string>(); for (const s of seqs) for (const x of s) types.add(x);
    const lms = Array.from({ length: K }, (_, k) => new NgramLm(seqs.filter((_, i) => t.train[i]!.y === k), N, types.size + 1, kind === 't' ? SEP : ''));
    const ll = t.test.map((r) => { const s = sym(r.tok, kind); return { n: s.length, l: lms.map((m) => m.logLik(s)) }; });
    avg[cfg] = ll.map(({ n, l }) => l.map((v) => (n ? v / n : 0)));
    put(`${name}-${cfg}`, t, avg[cfg]!);
    const b = bayes[cfg] ??= { G: [], P: [] };
    const pr = ll.map(({ n, l }) => argmax(l.map((v, k) => (n ? (v + logPrior[k]!) / n : logPrior[k]!))));
    if (t.name === 'val') b.val = computeMetrics(t.test.map((r) => r.y), pr, K).macroF1;
    else { b.G.push(...t.test.map((r) => r.y)); b.P.push(...pr); }
  }
  for (const a of cfgs.filter((c) => c[0] === 't')) for (const c of cfgs.filter((c) => c[0] === 'c')) {
    put(`${name}-${a}${c}`, t, avg[a]!.map((row, i) => row.map((v, k) => v + avg[c]![i]![k]!)));
  }
  console.log(`${t.name} done, ${((process.cpuUsage(c0).user + process.cpuUsage(c0).system) / 1e6).toFixed(0)} CPU-s`);
}
for (const [key, s] of Object.entries(outs)) save(key, s);
for (const [cfg, b] of Object.entries(bayes)) console.log(`${name}-${cfg} with the class prior (Bayes): tuning ${computeMetrics(b.G, b.P, K).macroF1.toFixed(4)} val ${b.val?.toFixed(4) ?? '-'}`);
console.log(`${method}: ${((process.cpuUsage(c0).user + process.cpuUsage(c0).system) / 1e6).toFixed(0)} CPU-s`);
