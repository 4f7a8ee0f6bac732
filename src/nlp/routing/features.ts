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

/** Two independent 32-bit hashes of the UTF-16 code units s[i, i+n); the pair identifies the n-gram. */
function gramHash1(s: string, i: number, n: number): number {
  let h = 0x811c9dc5 ^ n;
  for (let t = 0; t < n; t++) h = Math.imul(h ^ s.charCodeAt(i + t), 16777619);
  h ^= h >>> 15;
  return Math.imul(h, 0x2c1b3c6d);
}
function gramHash2(s: string, i: number, n: number): number {
  let h = n;
  for (let t = 0; t < n; t++) h = Math.imul(h + s.charCodeAt(i + t), 0x9e3779b1) ^ (h >>> 13);
  return h;
}

/**
 * Open-addressing hash table from character n-grams (identified by two 32-bit hashes, so a false match needs
 * a 64-bit collision) to feature indices, on typed arrays: no strings or boxed numbers per lookup.
 */
class GramTable {
  /** Slots of 4 int32: hash 1, hash 2, feature index (-1 = empty), unused — one cache line fetch per probe. */
  private readonly slots: Int32Array;
  private readonly mask: number;

  constructor(capacity: number) {
    let size = 1024;
    while (size < capacity * 2) size *= 2;
    this.slots = new Int32Array(size * 4);
    for (let i = 0; i < size; i++) this.slots[i * 4 + 2] = -1;
    this.mask = size - 1;
  }

  set(s: string, val: number): void {
    const h1 = gramHash1(s, 0, s.length);
    const h2 = gramHash2(s, 0, s.length);
    const t = this.slots;
    let i = h1 & this.mask;
    while (t[i * 4 + 2] !== -1) {
      if (t[i * 4] === h1 && t[i * 4 + 1] === h2) return; // (astronomically unlikely) collision: keep the first
      i = (i + 1) & this.mask;
    }
    t[i * 4] = h1;
    t[i * 4 + 1] = h2;
    t[i * 4 + 2] = val;
  }

  /** Feature index of s[at, at+n), or -1. */
  get(s: string, at: number, n: number): number {
    const h1 = gramHash1(s, at, n);
    const h2 = gramHash2(s, at, n);
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
