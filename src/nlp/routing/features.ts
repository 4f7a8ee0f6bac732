/**
 * Feature extraction: word unigrams, word bigrams and character n-grams of the stop-word-filtered token
 * sequence, each block weighted by sublinear tf × idf and L2-normalised on its own, blocks then scaled.
 */

/** Options of the feature extractor (stored in the model artefact). */
export interface FeatureOptions {
  /** Use word bigrams. */
  wordBigrams: boolean;
  /** Smallest and largest character n-gram length (over the tokens joined without spaces); 0 disables. */
  charMin: number;
  charMax: number;
  /** Relative weights of the blocks after each is L2-normalised. */
  weightWords: number;
  weightBigrams: number;
  weightChars: number;
  /** The first `leadTokens` tokens (where the title is) also count as their own block; 0 disables. */
  leadTokens: number;
  weightLead: number;
}

export const DEFAULT_FEATURE_OPTIONS: FeatureOptions = {
  wordBigrams: true,
  charMin: 2,
  charMax: 3,
  weightWords: 1,
  weightBigrams: 0.5,
  weightChars: 1,
  leadTokens: 0,
  weightLead: 0.5,
};

/** Block numbers: 0 words, 1 word bigrams, 2 character n-grams, 3 leading (title) words. */
export type Block = 0 | 1 | 2 | 3;

/** Calls `emit(key, block)` for every feature occurrence of a token sequence. */
export function forEachFeature(
  tokens: readonly string[],
  opts: FeatureOptions,
  emit: (key: string, block: Block) => void,
): void {
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as string;
    emit('w' + t, 0);
    if (opts.wordBigrams && i > 0) emit('b' + (tokens[i - 1] as string) + '|' + t, 1);
    if (i < opts.leadTokens) emit('t' + t, 3);
  }
  if (opts.charMin > 0) {
    const s = tokens.join('');
    for (let n = opts.charMin; n <= opts.charMax; n++) {
      for (let i = 0; i + n <= s.length; i++) emit('c' + s.slice(i, i + n), 2);
    }
  }
}

/** A sparse vector: parallel arrays of feature indices (ascending) and values. */
export interface SparseVector {
  idx: Int32Array;
  val: Float32Array;
}

/** The vocabulary side of a vectoriser: feature key → index, its block and idf. */
export interface Vocabulary {
  index: ReadonlyMap<string, number>;
  block: Uint8Array;
  idf: Float32Array;
}

/** Lookup tables compiled from a vocabulary so that prediction builds no feature strings. */
interface Compiled {
  words: Map<string, number>;
  bigrams: Map<string, number>;
  lead: Map<string, number>;
  /** Character n-grams. */
  chars: GramTable;
  acc: Float64Array;
  touched: Int32Array;
}

const compiledCache = new WeakMap<Vocabulary, Compiled>();

/**
 * Two independent 32-bit running hashes of UTF-16 code units, extended one unit at a time, so that one pass over
 * a string yields the hashes of its n-grams of every length from the same start (see {@link GramTable}).
 */
const H1_SEED = 0x811c9dc5;
const h1Step = (h: number, c: number): number => Math.imul(h ^ c, 16777619);
const h2Step = (h: number, c: number): number => Math.imul(h + c, 0x9e3779b1) ^ (h >>> 13);
/** Final mixes (the length takes part, so "ab" and "abc" never share a running state's hash). */
const h1Final = (h: number, n: number): number => {
  const x = h ^ n;
  return Math.imul(x ^ (x >>> 15), 0x2c1b3c6d);
};
const h2Final = (h: number, n: number): number => h ^ Math.imul(n, 0x27d4eb2d);

/**
 * Open-addressing hash table from character n-grams (identified by two 32-bit hashes, so a false match needs
 * a 64-bit collision) to feature indices, on typed arrays: no strings or boxed numbers per lookup.
 */
export class GramTable {
  /** Slots of 4 int32: hash 1, hash 2, feature index (-1 = empty), unused — one cache line fetch per probe. */
  private readonly slots: Int32Array;
  private readonly mask: number;
  /**
   * One bit per value of the top 20 bits of hash 1, set for every stored n-gram: a 128 KiB filter that stays in
   * cache and answers most lookups of absent n-grams without touching the (much larger) slot array.
   */
  private readonly filter = new Uint32Array(1 << 15);

  constructor(capacity: number) {
    let size = 1024;
    while (size < capacity * 2) size *= 2;
    this.slots = new Int32Array(size * 4);
    for (let i = 0; i < size; i++) this.slots[i * 4 + 2] = -1;
    this.mask = size - 1;
  }

  set(s: string, val: number): void {
    let a = H1_SEED;
    let b = 0;
    for (let t = 0; t < s.length; t++) {
      a = h1Step(a, s.charCodeAt(t));
      b = h2Step(b, s.charCodeAt(t));
    }
    const h1 = h1Final(a, s.length);
    const h2 = h2Final(b, s.length);
    const t = this.slots;
    let i = h1 & this.mask;
    while (t[i * 4 + 2] !== -1) {
      if (t[i * 4] === h1 && t[i * 4 + 1] === h2) return; // (astronomically unlikely) collision: keep the first
      i = (i + 1) & this.mask;
    }
    t[i * 4] = h1;
    t[i * 4 + 1] = h2;
    t[i * 4 + 2] = val;
    const f = h1 >>> 12;
    this.filter[f >>> 5] = (this.filter[f >>> 5] as number) | (1 << (f & 31));
  }

  /** Feature index of the n-gram whose final hashes are (h1, h2), or -1. */
  lookup(h1: number, h2: number): number {
    const f = h1 >>> 12;
    if (((this.filter[f >>> 5] as number) & (1 << (f & 31))) === 0) return -1;
    const t = this.slots;
    const mask = this.mask;
    let i = h1 & mask;
    for (;;) {
      const v = t[i * 4 + 2] as number;
      if (v === -1) return -1;
      if (t[i * 4] === h1 && t[i * 4 + 1] === h2) return v;
      i = (i + 1) & mask;
    }
  }

  /** Feature index of s[at, at+n), or -1. */
  get(s: string, at: number, n: number): number {
    let a = H1_SEED;
    let b = 0;
    for (let t = 0; t < n; t++) {
      a = h1Step(a, s.charCodeAt(at + t));
      b = h2Step(b, s.charCodeAt(at + t));
    }
    return this.lookup(h1Final(a, n), h2Final(b, n));
  }

  /**
   * Calls `hit(feature)` for every n-gram of `s` with charMin ≤ n ≤ charMax that is in the table, in the order
   * (length, start) of {@link forEachFeature} would not matter for counting; one pass, running hashes.
   */
  forEachGram(s: string, charMin: number, charMax: number, hit: (j: number) => void): void {
    const len = s.length;
    for (let i = 0; i < len; i++) {
      let a = H1_SEED;
      let b = 0;
      const end = Math.min(charMax, len - i);
      for (let n = 1; n <= end; n++) {
        const c = s.charCodeAt(i + n - 1);
        a = h1Step(a, c);
        b = h2Step(b, c);
        if (n >= charMin) {
          const j = this.lookup(h1Final(a, n), h2Final(b, n));
          if (j >= 0) hit(j);
        }
      }
    }
  }
}

function compile(vocab: Vocabulary): Compiled {
  let c = compiledCache.get(vocab);
  if (c) return c;
  c = {
    words: new Map(),
    bigrams: new Map(),
    lead: new Map(),
    chars: new GramTable([...vocab.index.keys()].filter((k) => k[0] === 'c').length),
    acc: new Float64Array(vocab.idf.length),
    touched: new Int32Array(vocab.idf.length),
  };
  for (const [key, j] of vocab.index) {
    const body = key.slice(1);
    if (key[0] === 'w') c.words.set(body, j);
    else if (key[0] === 'b') c.bigrams.set(body, j);
    else if (key[0] === 't') c.lead.set(body, j);
    else if (key[0] === 'c') c.chars.set(body, j);
  }
  compiledCache.set(vocab, c);
  return c;
}

/**
 * Turns a token sequence into a tf-idf vector over `vocab` (unknown features ignored); the same features as
 * {@link forEachFeature}, looked up without building their key strings.
 * tf is sublinear (1 + ln tf); each block is L2-normalised and multiplied by its weight.
 */
export function vectorize(tokens: readonly string[], vocab: Vocabulary, opts: FeatureOptions): SparseVector {
  const c = compile(vocab);
  const { acc, touched } = c;
  let nt = 0;
  const hit = (j: number | undefined): void => {
    if (j === undefined || j < 0) return;
    if (acc[j] === 0) touched[nt++] = j;
    acc[j] = (acc[j] as number) + 1;
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as string;
    hit(c.words.get(t));
    if (opts.wordBigrams && i > 0) hit(c.bigrams.get((tokens[i - 1] as string) + '|' + t));
    if (i < opts.leadTokens) hit(c.lead.get(t));
  }
  if (opts.charMin > 0) {
    const s = tokens.join('');
    for (let n = opts.charMin; n <= opts.charMax; n++) {
      for (let i = 0; i + n <= s.length; i++) hit(c.chars.get(s, i, n));
    }
  }
  const idx = touched.slice(0, nt).sort();
  const val = new Float32Array(nt);
  const norms = [0, 0, 0, 0];
  for (let k = 0; k < nt; k++) {
    const j = idx[k] as number;
    const v = (1 + Math.log(acc[j] as number)) * (vocab.idf[j] as number);
    acc[j] = 0;
    val[k] = v;
    const b = vocab.block[j] as number;
    norms[b] = (norms[b] as number) + v * v;
  }
  const w = [opts.weightWords, opts.weightBigrams, opts.weightChars, opts.weightLead];
  const scale = norms.map((n, b) => (n > 0 ? (w[b] as number) / Math.sqrt(n) : 0));
  for (let k = 0; k < nt; k++) {
    val[k] = (val[k] as number) * (scale[vocab.block[idx[k] as number] as number] as number);
  }
  return { idx, val };
}

/** Reference implementation of {@link vectorize} through feature key strings (slow; used by tests). */
export function vectorizeByKeys(tokens: readonly string[], vocab: Vocabulary, opts: FeatureOptions): SparseVector {
  const counts = new Map<number, number>();
  forEachFeature(tokens, opts, (key) => {
    const j = vocab.index.get(key);
    if (j !== undefined) counts.set(j, (counts.get(j) ?? 0) + 1);
  });
  const idx = Int32Array.from(counts.keys()).sort();
  const val = new Float32Array(idx.length);
  const norms = [0, 0, 0, 0];
  for (let k = 0; k < idx.length; k++) {
    const j = idx[k] as number;
    const v = (1 + Math.log(counts.get(j) as number)) * (vocab.idf[j] as number);
    val[k] = v;
    norms[vocab.block[j] as number]! += v * v;
  }
  const w = [opts.weightWords, opts.weightBigrams, opts.weightChars, opts.weightLead];
  const scale = norms.map((n, b) => (n > 0 ? (w[b] as number) / Math.sqrt(n) : 0));
  for (let k = 0; k < idx.length; k++) val[k] = (val[k] as number) * (scale[vocab.block[idx[k] as number] as number] as number);
  return { idx, val };
}

/**
 * Builds a vocabulary from training token sequences: features present in at least `minDf` documents,
 * smoothed idf = ln((1 + N) / (1 + df)) + 1.
 */
export function buildVocabulary(docs: readonly (readonly string[])[], opts: FeatureOptions, minDf: number): Vocabulary {
  const df = new Map<string, number>();
  const blockOf = new Map<string, number>();
  for (const toks of docs) {
    const seen = new Set<string>();
    forEachFeature(toks, opts, (key, block) => {
      if (seen.has(key)) return;
      seen.add(key);
      df.set(key, (df.get(key) ?? 0) + 1);
      blockOf.set(key, block);
    });
  }
  const keys = [...df.keys()].filter((k) => (df.get(k) as number) >= minDf).sort();
  const index = new Map<string, number>();
  const block = new Uint8Array(keys.length);
  const idf = new Float32Array(keys.length);
  const n = docs.length;
  keys.forEach((k, j) => {
    index.set(k, j);
    block[j] = blockOf.get(k) as number;
    idf[j] = Math.log((1 + n) / (1 + (df.get(k) as number))) + 1;
  });
  return { index, block, idf };
}

/** The weights {@link FastScorer} needs (the layout of `LinearWeights` in linear.ts). */
export interface ScorerWeights {
  nClasses: number;
  /** Feature-major: `w[j * nClasses + k]`. */
  w: Float32Array;
  bias: Float32Array;
}

/** Largest term frequency whose logarithm is tabulated. */
const LOG_TABLE_SIZE = 256;
const LOG_TABLE = Float64Array.from({ length: LOG_TABLE_SIZE }, (_, i) => (i > 0 ? Math.log(i) : 0));

/**
 * The prediction hot path: from jieba's raw tokens straight to decision scores, with no intermediate token
 * array, feature vector or key strings. Equal, bit for bit, to `decision(weights, vectorize(filtered tokens))`
 * (same float32 roundings, same summation order; tested).
 *
 * Each distinct token is classified once (kept or dropped, its word and lead feature) and remembered in a
 * per-scorer cache of at most `maxCachedTokens` entries; beyond that, new tokens are looked up directly.
 * Character n-grams of all lengths are looked up in one pass with running hashes. Not re-entrant (it reuses
 * buffers); one scorer per thread.
 */
export class FastScorer {
  private readonly c: Compiled;
  private readonly cache = new Map<string, number>();
  private wordOf: Int32Array = new Int32Array(1024);
  private leadOf: Int32Array = new Int32Array(1024);
  private nIds = 0;
  private readonly kept: string[] = [];
  private readonly vals: Float32Array;
  private readonly norms = new Float64Array(4);
  private readonly blockWeight: Float64Array;
  /** Per feature, the K class weights then the idf (one 32-byte record for K = 7: one cache line at most). */
  private readonly rec: Float32Array;
  private readonly stride: number;
  /** Term counts (Uint32: a quarter of the cache footprint of doubles) and the features touched. */
  private readonly acc: Uint32Array;
  private readonly touched: Int32Array;

  constructor(
    private readonly vocab: Vocabulary,
    private readonly opts: FeatureOptions,
    private readonly weights: ScorerWeights,
    private readonly keep: (token: string) => boolean,
    private readonly maxCachedTokens = 200_000,
  ) {
    this.c = compile(vocab);
    const F = vocab.idf.length;
    const K = weights.nClasses;
    this.vals = new Float32Array(F);
    this.acc = new Uint32Array(F);
    this.touched = new Int32Array(F);
    this.stride = K + 1;
    this.rec = new Float32Array(F * this.stride);
    for (let j = 0; j < F; j++) {
      for (let k = 0; k < K; k++) this.rec[j * this.stride + k] = weights.w[j * K + k] as number;
      this.rec[j * this.stride + K] = vocab.idf[j] as number;
    }
    this.blockWeight = Float64Array.from([opts.weightWords, opts.weightBigrams, opts.weightChars, opts.weightLead]);
  }

  /** Cache id of a new token: ≥ 0, or -1 when it is dropped, -2 when kept but the cache is full. */
  private learn(t: string): number {
    if (!this.keep(t)) {
      if (this.cache.size < this.maxCachedTokens) this.cache.set(t, -1);
      return -1;
    }
    if (this.cache.size >= this.maxCachedTokens) return -2;
    const id = this.nIds++;
    if (id >= this.wordOf.length) {
      const grow = (a: Int32Array): Int32Array => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.wordOf = grow(this.wordOf);
      this.leadOf = grow(this.leadOf);
    }
    this.wordOf[id] = this.c.words.get(t) ?? -1;
    this.leadOf[id] = this.c.lead.get(t) ?? -1;
    this.cache.set(t, id);
    return id;
  }

  /** Decision scores (one per class, bias included) of jieba's unfiltered tokens of a normalised text. */
  score(rawTokens: readonly string[], out: Float64Array = new Float64Array(this.weights.nClasses)): Float64Array {
    const { chars } = this.c;
    const { acc, touched } = this;
    const opts = this.opts;
    const kept = this.kept;
    let nt = 0;
    let nk = 0;
    for (let i = 0; i < rawTokens.length; i++) {
      const t = rawTokens[i] as string;
      let id = this.cache.get(t);
      if (id === undefined) id = this.learn(t);
      if (id === -1) continue;
      const wj = id >= 0 ? (this.wordOf[id] as number) : (this.c.words.get(t) ?? -1);
      if (wj >= 0) {
        if (acc[wj] === 0) touched[nt++] = wj;
        acc[wj] = (acc[wj] as number) + 1;
      }
      if (opts.wordBigrams && nk > 0) {
        const bj = this.c.bigrams.get((kept[nk - 1] as string) + '|' + t);
        if (bj !== undefined) {
          if (acc[bj] === 0) touched[nt++] = bj;
          acc[bj] = (acc[bj] as number) + 1;
        }
      }
      if (nk < opts.leadTokens) {
        const lj = id >= 0 ? (this.leadOf[id] as number) : (this.c.lead.get(t) ?? -1);
        if (lj >= 0) {
          if (acc[lj] === 0) touched[nt++] = lj;
          acc[lj] = (acc[lj] as number) + 1;
        }
      }
      kept[nk++] = t;
    }
    if (opts.charMin > 0 && nk > 0) {
      kept.length = nk;
      const s = kept.join('');
      const len = s.length;
      const cmin = opts.charMin;
      const cmax = opts.charMax;
      for (let i = 0; i < len; i++) {
        let a = H1_SEED;
        let b = 0;
        const end = Math.min(cmax, len - i);
        for (let n = 1; n <= end; n++) {
          const ch = s.charCodeAt(i + n - 1);
          a = h1Step(a, ch);
          b = h2Step(b, ch);
          if (n >= cmin) {
            const j = chars.lookup(h1Final(a, n), h2Final(b, n));
            if (j >= 0) {
              if (acc[j] === 0) touched[nt++] = j;
              acc[j] = (acc[j] as number) + 1;
            }
          }
        }
      }
    }
    kept.length = 0;
    const idx = touched.subarray(0, nt).sort();
    const { block } = this.vocab;
    const { rec, stride } = this;
    const K = this.weights.nClasses;
    const vals = this.vals;
    const norms = this.norms;
    norms.fill(0);
    for (let k = 0; k < nt; k++) {
      const j = idx[k] as number;
      const tf = acc[j] as number;
      acc[j] = 0;
      const v = (1 + (tf < LOG_TABLE_SIZE ? (LOG_TABLE[tf] as number) : Math.log(tf))) * (rec[j * stride + K] as number);
      vals[k] = v;
      const bl = block[j] as number;
      norms[bl] = (norms[bl] as number) + v * v;
    }
    for (let bl = 0; bl < 4; bl++) {
      const n = norms[bl] as number;
      norms[bl] = n > 0 ? (this.blockWeight[bl] as number) / Math.sqrt(n) : 0;
    }
    const { bias } = this.weights;
    for (let k = 0; k < K; k++) out[k] = bias[k] as number;
    for (let t = 0; t < nt; t++) {
      const j = idx[t] as number;
      const v = Math.fround((vals[t] as number) * (norms[block[j] as number] as number));
      const base = j * stride;
      for (let k = 0; k < K; k++) out[k] = (out[k] as number) + (rec[base + k] as number) * v;
    }
    return out;
  }
}
