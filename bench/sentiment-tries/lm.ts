/**
 * Experiment (docs/sentiment.md, "fifth round"): a class-conditional character n-gram language model (Peng &
 * Schuurmans 2003) as a further member for reviews, measured by 5-fold CV on the training rows with the folds of
 * `src/nlp/sentiment/cv.ts`.
 *
 *   npx tsx bench/sentiment-tries/lm.ts [--cache /tmp/sentiment-oof.json] [--lm-cache /tmp/sentiment-lm-oof.json]
 *                                 [--max-order 6] [--folds-run K] [--lm-train specialist|chnsenticorp] [--validation [--model FILE]]
 *
 * Model: one character LM on the positive, one on the negative specialist rows (ChnSentiCorp + shopping
 * 酒店/计算机/书籍, as the review specialist) of four folds, over the characters of the normalised text (`normaliseText`)
 * padded with max-order − 1 start symbols and one end symbol; a character not seen in the fold's training rows is
 * one unknown symbol (uniform base distribution over the vocabulary + 1). One count trie per class up to
 * `max-order` gives every variant: orders 3–6 × smoothing
 *   kn:   interpolated modified Kneser–Ney (Chen & Goodman: three discounts per order from the count-of-counts;
 *         continuation counts below the top order),
 *   wb:   interpolated Witten–Bell (= PPM-C's escape, blended instead of backed off),
 *   ppmd: PPM-D's escape, blended: raw counts discounted by 0.5, escape = 0.5 · distinct successors / count.
 * The member's score is log P(text | pos) − log P(text | neg), summed (`sum`), divided by the number of predicted
 * symbols (`mean`) or by its square root (`sqrt`). `--lm-train chnsenticorp` trains the LMs on the ChnSentiCorp rows only
 * (a variant; use another `--lm-cache`). Every row of the held-out fold (all corpora) is scored, so the
 * other corpora can be checked too; the scores are cached in `--lm-cache`.
 *
 * Mixing, exactly like the CNN of the fourth round: the score is calibrated by a one-dimensional logistic fit
 * (scale and bias, which includes the log-prior) on the ChnSentiCorp rows used for the choice, then
 *   z = z_shipped + β · p(domain) · min(1, length / 30) · (z_lm − shift − z_shipped)
 * over a grid of β and shift. The best point chosen on the same rows is optimistic; the nested figure chooses
 * variant, calibration, β and shift on four folds' out-of-fold scores and applies them to the fifth.
 *
 * The shipped blend's out-of-fold logits are read from `--cache` (see `bench/sentiment-tries/common.ts`; computed there by
 * `outOfFoldLogits` when missing, ≈ 160 s of CPU). `--validation` trains one LM pair on all the specialist training
 * rows and mixes it into a model trained without the validation rows (`--model FILE`, default the committed one, which
 * is refused when trained with `--final`) on the ChnSentiCorp validation split at the point chosen by CV (reported
 * only; nothing is chosen on it).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { loadSplits } from '../../src/nlp/sentiment/data.ts';
import { loadSentimentModel, MODEL_PATH } from '../../src/nlp/sentiment/model.ts';
import { normaliseText } from '../../src/nlp/sentiment/features.ts';
import { DEFAULT_TRAIN } from '../../src/nlp/sentiment/trainer.ts';
import { arg, args, checkHeldOutModel, cpuS, K, loadShippedOutOfFold, log, VALIDATION } from './common.ts';

const CACHE = arg('cache', '/tmp/sentiment-oof.json');
const LM_CACHE = arg('lm-cache', '/tmp/sentiment-lm-oof.json');
const MAXN = Number(arg('max-order', '6'));
const FOLDS_RUN = Number(arg('folds-run', '5'));
checkHeldOutModel();
const LM_TRAIN = arg('lm-train', 'specialist');
const ORDERS = [3, 4, 5, 6].filter((x) => x <= MAXN);
const METHODS = ['kn', 'wb', 'ppmd'] as const;
type Method = (typeof METHODS)[number];
const LMS: { order: number; method: Method }[] = ORDERS.flatMap((order) => METHODS.map((method) => ({ order, method })));
const NORMS = ['sum', 'mean', 'sqrt'] as const;
const BETAS = [0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1];
const SHIFTS = [-0.4, -0.2, 0, 0.2, 0.4];

const inc = (a: Int32Array | number[], i: number): void => void (a[i] = (a[i] as number) + 1);
const UNK = 0;
const BOS = 1;
const EOS = 2;

/**
 * Count trie of the character n-grams (lengths 1 … MAXN) of one class. Node 0 is the empty string; a node's parent
 * is its prefix. `raw` = occurrences (n-grams ending in the start symbol are contexts only: 0), `cont` = number of
 * distinct characters seen before it (Kneser–Ney continuation count). Per context node: sum and count-of-counts
 * (1, 2, ≥ 3) of its children's raw and continuation counts.
 */
class Trie {
  size = 1;
  parent = new Int32Array(1 << 16);
  ch = new Int32Array(1 << 16);
  depth = new Uint8Array(1 << 16);
  raw = new Int32Array(1 << 16);
  private slots = new Int32Array(1 << 17);
  private mask = (1 << 17) - 1;
  cont!: Int32Array;
  rSum!: Int32Array;
  rN = [] as Int32Array[];
  cSum!: Int32Array;
  cN = [] as Int32Array[];
  /** Discounts D1, D2, D3+ per n-gram length, for raw and for continuation counts. */
  dRaw: number[][] = [];
  dCont: number[][] = [];

  private hash(p: number, c: number): number {
    let h = Math.imul(p ^ Math.imul(c, 0x85ebca6b), 0x9e3779b1);
    h ^= h >>> 15;
    return h & this.mask;
  }

  child(p: number, c: number): number {
    if (p < 0) return -1;
    for (let s = this.hash(p, c); ; s = (s + 1) & this.mask) {
      const id = (this.slots[s] as number) - 1;
      if (id < 0) return -1;
      if (this.parent[id] === p && this.ch[id] === c) return id;
    }
  }

  private grow(): void {
    const cap = this.parent.length * 2;
    const ext = <T extends Int32Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(cap);
      b.set(a);
      return b;
    };
    this.parent = ext(this.parent, (n) => new Int32Array(n));
    this.ch = ext(this.ch, (n) => new Int32Array(n));
    this.depth = ext(this.depth, (n) => new Uint8Array(n));
    this.raw = ext(this.raw, (n) => new Int32Array(n));
    this.slots = new Int32Array(cap * 2);
    this.mask = cap * 2 - 1;
    for (let id = 1; id < this.size; id++) {
      let s = this.hash(this.parent[id] as number, this.ch[id] as number);
      while (this.slots[s] !== 0) s = (s + 1) & this.mask;
      this.slots[s] = id + 1;
    }
  }

  private add(p: number, c: number): number {
    const found = this.child(p, c);
    if (found >= 0) return found;
    if (this.size * 2 >= this.parent.length) this.grow();
    const id = this.size++;
    this.parent[id] = p;
    this.ch[id] = c;
    this.depth[id] = (this.depth[p] as number) + 1;
    let s = this.hash(p, c);
    while (this.slots[s] !== 0) s = (s + 1) & this.mask;
    this.slots[s] = id + 1;
    return id;
  }

  /** Counts the n-grams of one padded sequence. */
  addText(seq: Int32Array): void {
    for (let a = 0; a < seq.length; a++) {
      let node = 0;
      for (let j = 0; j < MAXN && a + j < seq.length; j++) {
        const c = seq[a + j] as number;
        node = this.add(node, c);
        if (c !== BOS) this.raw[node] = (this.raw[node] as number) + 1;
      }
    }
  }

  /** Continuation counts, context statistics and discounts (after all texts are added). */
  finish(): void {
    const n = this.size;
    this.cont = new Int32Array(n);
    const chars = new Int32Array(MAXN);
    for (let m = 1; m < n; m++) {
      if ((this.raw[m] as number) === 0 || (this.depth[m] as number) < 2) continue;
      // suffix of m without its first character
      let d = this.depth[m] as number;
      for (let x = m; x > 0; x = this.parent[x] as number) chars[--d] = this.ch[x] as number;
      let g = 0;
      for (let j = 1; j < (this.depth[m] as number); j++) g = this.child(g, chars[j] as number);
      this.cont[g] = (this.cont[g] as number) + 1;
    }
    this.rSum = new Int32Array(n);
    this.cSum = new Int32Array(n);
    this.rN = [0, 1, 2].map(() => new Int32Array(n));
    this.cN = [0, 1, 2].map(() => new Int32Array(n));
    // count-of-counts per n-gram length (1 … 4) for the discounts
    const rc = Array.from({ length: MAXN + 1 }, () => [0, 0, 0, 0, 0]);
    const cc = Array.from({ length: MAXN + 1 }, () => [0, 0, 0, 0, 0]);
    for (let m = 1; m < n; m++) {
      const h = this.parent[m] as number;
      const r = this.raw[m] as number;
      const c = this.cont[m] as number;
      const d = this.depth[m] as number;
      this.rSum[h] = (this.rSum[h] as number) + r;
      this.cSum[h] = (this.cSum[h] as number) + c;
      if (r > 0) inc(this.rN[Math.min(r, 3) - 1] as Int32Array, h);
      if (c > 0) inc(this.cN[Math.min(c, 3) - 1] as Int32Array, h);
      if (r >= 1 && r <= 4) inc(rc[d] as number[], r);
      if (c >= 1 && c <= 4) inc(cc[d] as number[], c);
    }
    const discounts = (q: number[]): number[] => {
      const [, n1, n2, n3, n4] = q as [number, number, number, number, number];
      if (!n1 || !n2 || !n3 || !n4) return [0.5, 1, 1.5];
      const Y = n1 / (n1 + 2 * n2);
      return [Math.max(0.05, 1 - (2 * Y * n2) / n1), Math.max(0.05, 2 - (3 * Y * n3) / n2), Math.max(0.05, 3 - (4 * Y * n4) / n3)];
    };
    this.dRaw = rc.map(discounts);
    this.dCont = cc.map(discounts);
  }
}

/** P(w | context) under one variant; ctx[d] = node of the last d symbols, full[d] = node of those followed by w. */
function symbolProb(t: Trie, ctx: Int32Array, full: Int32Array, V: number, order: number, method: Method): number {
  let p = 1 / (V + 1);
  for (let d = 1; d <= order; d++) {
    const h = ctx[d - 1] as number;
    if (h < 0) break;
    const m = full[d] as number;
    if (method === 'kn') {
      const top = d === order;
      const S = (top ? t.rSum[h] : t.cSum[h]) as number;
      if (S === 0) continue;
      const N = top ? t.rN : t.cN;
      const D = ((top ? t.dRaw : t.dCont)[d] as number[]);
      const c = m >= 0 ? ((top ? t.raw[m] : t.cont[m]) as number) : 0;
      const disc = c === 0 ? 0 : (D[Math.min(c, 3) - 1] as number);
      const gamma = (D[0] as number) * ((N[0] as Int32Array)[h] as number) + (D[1] as number) * ((N[1] as Int32Array)[h] as number) + (D[2] as number) * ((N[2] as Int32Array)[h] as number);
      p = (Math.max(c - disc, 0) + gamma * p) / S;
    } else {
      const S = t.rSum[h] as number;
      if (S === 0) continue;
      const T = ((t.rN[0] as Int32Array)[h] as number) + ((t.rN[1] as Int32Array)[h] as number) + ((t.rN[2] as Int32Array)[h] as number);
      const c = m >= 0 ? (t.raw[m] as number) : 0;
      p = method === 'wb' ? (c + T * p) / (S + T) : (Math.max(c - 0.5, 0) + 0.5 * T * p) / S;
    }
  }
  return p;
}

/**
 * Log-probability of a padded sequence (the symbols after the start symbols) under every variant of `LMS`;
 * `out[v]` += log P. `V` = vocabulary size of the base distribution.
 */
function scoreText(t: Trie, seq: Int32Array, V: number, out: Float64Array): void {
  const ctx = new Int32Array(MAXN).fill(-1); // ctx[d] = node of the last d symbols
  const full = new Int32Array(MAXN + 1);
  // the start symbols form the first contexts
  ctx[0] = 0;
  for (let d = 1; d < MAXN; d++) ctx[d] = t.child(ctx[d - 1] as number, BOS);
  for (let pos = MAXN - 1; pos < seq.length; pos++) {
    const w = seq[pos] as number;
    for (let d = 1; d <= MAXN; d++) full[d] = t.child(ctx[d - 1] as number, w);
    LMS.forEach(({ order, method }, v) => {
      out[v] = (out[v] as number) + Math.log(symbolProb(t, ctx, full, V, order, method));
    });
    for (let d = MAXN - 1; d >= 1; d--) ctx[d] = full[d] as number;
  }
}

const o = loadShippedOutOfFold(CACHE);
log(`rows ${o.y.length}; cache ${CACHE}; ${cpuS().toFixed(0)} s CPU`);
const norm = o.text.map((t) => [...normaliseText(t)]);

interface LmScores {
  /** Per row: log P(text|pos) − log P(text|neg) per variant of LMS (empty when not scored). */
  lr: number[][];
  /** Per row: number of predicted symbols (characters + end). */
  n: number[];
  /** Per row: log(n_pos / n_neg) of the LM pair's training rows. */
  prior: number[];
  lms: string[];
}

/** Trains an LM pair on `trainRows` and scores `testTexts`. */
function lmPair(trainRows: number[], testTexts: string[][]): { lr: number[][]; n: number[]; prior: number } {
  const vocab = new Map<string, number>();
  for (const i of trainRows) for (const c of norm[i] as string[]) if (!vocab.has(c)) vocab.set(c, vocab.size + 3);
  const V = vocab.size + 1; // characters + end symbol
  const encode = (cs: string[]): Int32Array => {
    const s = new Int32Array(MAXN - 1 + cs.length + 1).fill(BOS);
    cs.forEach((c, j) => (s[MAXN - 1 + j] = vocab.get(c) ?? UNK));
    s[s.length - 1] = EOS;
    return s;
  };
  const tries = [new Trie(), new Trie()];
  const count = [0, 0];
  for (const i of trainRows) {
    const y = o.y[i] as number;
    (tries[y] as Trie).addText(encode(norm[i] as string[]));
    inc(count, y);
  }
  for (const t of tries) t.finish();
  log(`  LM pair: ${trainRows.length} rows (${count[1]} positive), vocabulary ${V}, trie nodes ${tries[1]?.size} / ${tries[0]?.size} (${cpuS().toFixed(0)} s CPU)`);
  const lr: number[][] = [];
  const n: number[] = [];
  for (const cs of testTexts) {
    const seq = encode(cs);
    const pos = new Float64Array(LMS.length);
    const neg = new Float64Array(LMS.length);
    scoreText(tries[1] as Trie, seq, V, pos);
    scoreText(tries[0] as Trie, seq, V, neg);
    lr.push([...pos].map((x, v) => x - (neg[v] as number)));
    n.push(cs.length + 1);
  }
  return { lr, n, prior: Math.log((count[1] as number) / (count[0] as number)) };
}

/** `--selftest`: every variant's P(· | context) sums to 1 over the symbols, at contexts taken from real texts. */
function selfTest(rows: number[]): void {
  const vocab = new Map<string, number>();
  for (const i of rows) for (const c of norm[i] as string[]) if (!vocab.has(c)) vocab.set(c, vocab.size + 3);
  const V = vocab.size + 1;
  const t = new Trie();
  const seqs = rows.map((i) => {
    const cs = norm[i] as string[];
    const s = new Int32Array(MAXN - 1 + cs.length + 1).fill(BOS);
    cs.forEach((c, j) => (s[MAXN - 1 + j] = vocab.get(c) ?? UNK));
    s[s.length - 1] = EOS;
    return s;
  });
  for (const s of seqs) t.addText(s);
  t.finish();
  let worst = 0;
  for (const s of seqs.slice(0, 40)) {
    for (const pos of [MAXN - 1, MAXN + 2, s.length - 1]) {
      if (pos >= s.length) continue;
      const ctx = new Int32Array(MAXN).fill(-1);
      ctx[0] = 0;
      for (let d = 1; d < MAXN; d++) ctx[d] = nodeOf(t, s.slice(pos - d, pos));
      for (const { order, method } of LMS) {
        let sum = 0;
        const full = new Int32Array(MAXN + 1);
        for (let w = 0; w <= V + 1; w++) {
          if (w === BOS) continue;
          for (let d = 1; d <= MAXN; d++) full[d] = t.child(ctx[d - 1] as number, w);
          sum += symbolProb(t, ctx, full, V, order, method);
        }
        worst = Math.max(worst, Math.abs(sum - 1));
      }
    }
  }
  console.log(`self-test: ${rows.length} rows, trie ${t.size} nodes; largest |Σ P(w | h) − 1| over 120 contexts × ${LMS.length} variants: ${worst.toExponential(2)}`);
}
function nodeOf(t: Trie, cs: Int32Array): number {
  let node = 0;
  for (const c of cs) node = t.child(node, c);
  return node;
}

const all = [...Array(o.y.length).keys()];
const specRows = all.filter((i) => (LM_TRAIN === 'chnsenticorp' ? o.corpus[i] === 'chnsenticorp' : (o.spec[i] as number) > 0));
if (args.includes('--selftest')) {
  selfTest(specRows.slice(0, 3000));
  process.exit(0);
}
let S: LmScores;
if (existsSync(LM_CACHE)) S = JSON.parse(readFileSync(LM_CACHE, 'utf8')) as LmScores;
else if (VALIDATION) throw new Error(`--validation needs the cross-validated scores in ${LM_CACHE}: run without --validation first`);
else {
  S = { lr: all.map(() => []), n: all.map(() => 0), prior: all.map(() => 0), lms: LMS.map((l) => `${l.method}${l.order}`) };
  for (let k = 0; k < Math.min(K, FOLDS_RUN); k++) {
    const test = all.filter((i) => o.fold[i] === k);
    const r = lmPair(specRows.filter((i) => o.fold[i] !== k), test.map((i) => norm[i] as string[]));
    test.forEach((i, j) => {
      S.lr[i] = r.lr[j] as number[];
      S.n[i] = r.n[j] as number;
      S.prior[i] = r.prior;
    });
    log(`fold ${k + 1}: scored ${test.length} rows (${cpuS().toFixed(0)} s CPU)`);
  }
  if (FOLDS_RUN >= K) writeFileSync(LM_CACHE, JSON.stringify(S));
}

// ---------------------------------------------------------------------------------------------------------------
const gate = (i: number): number => (o.pr[i] as number) * Math.min(1, (o.len[i] as number) / 30);
const base = (i: number): number => (o.zg[i] as number) + 0.8 * gate(i) * ((o.zs[i] as number) - 0.2 - (o.zg[i] as number));
const VARIANTS = S.lms.flatMap((name, v) => NORMS.map((nm) => ({ name: `${name}/${nm}`, v, nm })));
const raw = (lr: number[][], n: number[], v: number, nm: string, i: number): number => {
  const x = (lr[i] as number[])[v] as number;
  const len = n[i] as number;
  return nm === 'sum' ? x : nm === 'mean' ? x / len : x / Math.sqrt(len);
};

/** One-dimensional logistic fit y ~ σ(a·x + b) by Newton steps (x standardised first). */
function platt(xs: number[], ys: number[]): [number, number] {
  const mu = xs.reduce((s, x) => s + x, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mu) ** 2, 0) / xs.length) || 1;
  let a = 0;
  let b = 0;
  for (let it = 0; it < 30; it++) {
    let ga = 0;
    let gb = 0;
    let haa = 1e-6;
    let hab = 0;
    let hbb = 1e-6;
    xs.forEach((x0, j) => {
      const x = (x0 - mu) / sd;
      const p = 1 / (1 + Math.exp(-(a * x + b)));
      const g = p - (ys[j] as number);
      const h = p * (1 - p);
      ga += g * x;
      gb += g;
      haa += h * x * x;
      hab += h * x;
      hbb += h;
    });
    const det = haa * hbb - hab * hab;
    a -= (hbb * ga - hab * gb) / det;
    b -= (haa * gb - hab * ga) / det;
  }
  return [a / sd, b - (a * mu) / sd];
}

interface Point {
  variant: (typeof VARIANTS)[number];
  a: number;
  b: number;
  beta: number;
  shift: number;
}
const mixed = (p: Point, lmOf: (i: number) => number, zb: (i: number) => number, i: number): number =>
  zb(i) + p.beta * gate(i) * (p.a * lmOf(i) + p.b - p.shift - zb(i));
const accOf = (rows: number[], z: (i: number) => number): number => rows.filter((i) => (z(i) >= 0 ? 1 : 0) === o.y[i]).length / rows.length;

/** Best (variant, calibration, β, shift) on `rows` (all points, best first). */
function grid(rows: number[]): [number, Point][] {
  const res: [number, Point][] = [];
  for (const variant of VARIANTS) {
    const lmOf = (i: number): number => raw(S.lr, S.n, variant.v, variant.nm, i);
    const [a, b] = platt(rows.map(lmOf), rows.map((i) => o.y[i] as number));
    for (const beta of BETAS) for (const shift of SHIFTS) {
      const p = { variant, a, b, beta, shift };
      res.push([accOf(rows, (i) => mixed(p, lmOf, base, i)), p]);
    }
  }
  return res.sort((x, y) => y[0] - x[0]);
}
const describe = (p: Point): string => `${p.variant.name} β ${p.beta} shift ${p.shift} (scale ${p.a.toPrecision(3)}, bias ${p.b.toFixed(3)})`;
const CORPORA = ['chnsenticorp', 'waimai', 'shopping', 'weibo'];

if (!VALIDATION) {
  const folds = Math.min(K, FOLDS_RUN);
  const rowsOf = (c: string): number[] => all.filter((i) => o.corpus[i] === c && (o.fold[i] as number) < folds);
  const csc = rowsOf('chnsenticorp');
  console.log(`class-conditional character LM (Peng & Schuurmans), max order ${MAXN}; ${csc.length} ChnSentiCorp rows out of fold; ${cpuS().toFixed(0)} s CPU so far`);
  console.log(`shipped blend: ${CORPORA.map((c) => `${c} ${accOf(rowsOf(c), base).toFixed(4)}`).join(', ')}`);

  // the LM alone: Bayes decision (log-likelihood ratio + log-prior ≥ 0), and a threshold chosen on the other folds
  console.log('LM alone on ChnSentiCorp: Bayes (sum + log-prior ≥ 0) | nested threshold sum / mean / sqrt | at 0 without prior, mean');
  for (let v = 0; v < S.lms.length; v++) {
    const bayes = accOf(csc, (i) => ((S.lr[i] as number[])[v] as number) + (S.prior[i] as number));
    const nested = NORMS.map((nm) => {
      let ok = 0;
      for (let k = 0; k < folds; k++) {
        const inner = csc.filter((i) => o.fold[i] !== k);
        const xs = inner.map((i) => raw(S.lr, S.n, v, nm, i)).sort((x, y) => x - y);
        let best = -1;
        let thr = 0;
        for (let q = 0; q <= 200; q++) {
          const t = xs[Math.min(xs.length - 1, Math.floor((q / 200) * xs.length))] as number;
          const a = accOf(inner, (i) => raw(S.lr, S.n, v, nm, i) - t);
          if (a > best) [best, thr] = [a, t];
        }
        ok += csc.filter((i) => o.fold[i] === k && ((raw(S.lr, S.n, v, nm, i) - thr >= 0 ? 1 : 0) === o.y[i])).length;
      }
      return (ok / csc.length).toFixed(4);
    });
    console.log(`  ${S.lms[v]}: ${bayes.toFixed(4)} | ${nested.join(' / ')} | ${accOf(csc, (i) => raw(S.lr, S.n, v, 'mean', i)).toFixed(4)}`);
  }

  // mixed into the shipped blend: best points on the same rows (optimistic)
  const g = grid(csc);
  console.log(`mixed, chosen on the same rows (optimistic), top 8 of ${g.length}:`);
  for (const [a, p] of g.slice(0, 8)) console.log(`  ${a.toFixed(4)}  ${describe(p)}`);
  const byLm = new Map<string, [number, Point]>();
  for (const r of g) if (!byLm.has(r[1].variant.name)) byLm.set(r[1].variant.name, r);
  console.log('  best per variant: ' + [...byLm.values()].map(([a, p]) => `${p.variant.name} ${a.toFixed(4)} (β ${p.beta}, ${p.shift})`).join('; '));
  const best = (g[0] as [number, Point])[1];
  const lmBest = (i: number): number => raw(S.lr, S.n, best.variant.v, best.variant.nm, i);
  console.log(`  other corpora at that point: ${CORPORA.map((c) => `${c} ${accOf(rowsOf(c), base).toFixed(4)} → ${accOf(rowsOf(c), (i) => mixed(best, lmBest, base, i)).toFixed(4)}`).join(', ')}`);

  // how different are the errors? the LM alone (best variant, Bayes decision on its calibrated score) against the blend
  const lmCal = (i: number): number => best.a * lmBest(i) + best.b;
  const wrongB = csc.filter((i) => (base(i) >= 0 ? 1 : 0) !== o.y[i]);
  const rightB = csc.filter((i) => (base(i) >= 0 ? 1 : 0) === o.y[i]);
  const lmRight = (i: number): boolean => (lmCal(i) >= 0 ? 1 : 0) === o.y[i];
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
  const zb = csc.map(base);
  const zl = csc.map(lmCal);
  const [mb, ml] = [mean(zb), mean(zl)];
  const corr = zb.reduce((a, x, j) => a + (x - mb) * ((zl[j] as number) - ml), 0) / Math.sqrt(zb.reduce((a, x) => a + (x - mb) ** 2, 0) * zl.reduce((a, x) => a + (x - ml) ** 2, 0));
  console.log(`  errors (${best.variant.name}, calibrated, ≥ 0): blend wrong on ${wrongB.length}, of which the LM right on ${wrongB.filter(lmRight).length}; blend right on ${rightB.length}, of which the LM wrong on ${rightB.filter((i) => !lmRight(i)).length}; correlation of the logits ${corr.toFixed(3)}`);

  // nested: everything chosen on four folds' out-of-fold rows, applied to the fifth
  const okBy = new Map<string, number>(CORPORA.map((c) => [c, 0]));
  const okBase = new Map<string, number>(CORPORA.map((c) => [c, 0]));
  const okFixed = new Map<string, number>();
  for (let k = 0; k < folds; k++) {
    const inner = csc.filter((i) => o.fold[i] !== k);
    const gi = grid(inner);
    const p = (gi[0] as [number, Point])[1];
    const lmOf = (i: number): number => raw(S.lr, S.n, p.variant.v, p.variant.nm, i);
    for (const c of CORPORA) {
      const rows = rowsOf(c).filter((i) => o.fold[i] === k);
      okBy.set(c, (okBy.get(c) as number) + rows.filter((i) => (mixed(p, lmOf, base, i) >= 0 ? 1 : 0) === o.y[i]).length);
      okBase.set(c, (okBase.get(c) as number) + rows.filter((i) => (base(i) >= 0 ? 1 : 0) === o.y[i]).length);
    }
    // nested with the variant fixed (β, shift and calibration still chosen inside)
    const seen = new Set<string>();
    for (const [, q] of gi) {
      if (seen.has(q.variant.name)) continue;
      seen.add(q.variant.name);
      const lq = (i: number): number => raw(S.lr, S.n, q.variant.v, q.variant.nm, i);
      const rows = csc.filter((i) => o.fold[i] === k);
      okFixed.set(q.variant.name, (okFixed.get(q.variant.name) ?? 0) + rows.filter((i) => (mixed(q, lq, base, i) >= 0 ? 1 : 0) === o.y[i]).length);
    }
    console.log(`nested fold ${k + 1}: chose ${describe(p)} (inner ${(gi[0] as [number, Point])[0].toFixed(4)}); fold ChnSentiCorp ${accOf(csc.filter((i) => o.fold[i] === k), base).toFixed(4)} → ${accOf(csc.filter((i) => o.fold[i] === k), (i) => mixed(p, lmOf, base, i)).toFixed(4)}`);
  }
  console.log(`nested CV: ${CORPORA.map((c) => `${c} ${((okBase.get(c) as number) / rowsOf(c).length).toFixed(4)} → ${((okBy.get(c) as number) / rowsOf(c).length).toFixed(4)}`).join(', ')}`);
  console.log('nested ChnSentiCorp with the variant fixed (β, shift, calibration chosen inside): ' + [...okFixed].sort((x, y) => y[1] - x[1]).map(([nm, ok]) => `${nm} ${(ok / csc.length).toFixed(4)}`).join('; '));
  console.log(`${cpuS().toFixed(0)} s CPU in all`);
} else {
  // one LM pair on all the specialist training rows; the point chosen by CV on the cached out-of-fold scores
  const csc = all.filter((i) => o.corpus[i] === 'chnsenticorp');
  const point = (grid(csc)[0] as [number, Point])[1];
  const { validation } = loadSplits(DEFAULT_TRAIN.dataDir);
  const vt = validation.chnsenticorp;
  const r = lmPair(specRows, vt.map((e) => [...normaliseText(e.text)]));
  const loaded = loadSentimentModel(arg('model', MODEL_PATH));
  if (!loaded.ok) throw new Error(loaded.error);
  const model = loaded.model;
  const zv = vt.map((e) => {
    const t = normaliseText(e.text);
    return model.logit(t, model.segment(t));
  });
  const gv = vt.map((e) => (model.reviewProbability(e.text) ?? 0) * Math.min(1, normaliseText(e.text).length / 30));
  const acc = (z: (j: number) => number): number => vt.filter((e, j) => (z(j) >= 0 ? 1 : 0) === e.label).length / vt.length;
  const lmOf = (p: Point) => (j: number): number => raw(r.lr, r.n, p.variant.v, p.variant.nm, j);
  const mix = (p: Point, j: number): number => (zv[j] as number) + p.beta * (gv[j] as number) * (p.a * lmOf(p)(j) + p.b - p.shift - (zv[j] as number));
  console.log(`validation, ChnSentiCorp ${vt.length} rows; committed model's logit (no sarcasm rule): ${acc((j) => zv[j] as number).toFixed(4)}`);
  console.log(`LM alone, Bayes (sum + log-prior): ${S.lms.map((nm, v) => `${nm} ${acc((j) => ((r.lr[j] as number[])[v] as number) + r.prior).toFixed(4)}`).join(', ')}`);
  console.log(`mixed at the CV-chosen point ${describe(point)}: ${acc((j) => mix(point, j)).toFixed(4)}`);
  console.log(`${cpuS().toFixed(0)} s CPU in all`);
}
