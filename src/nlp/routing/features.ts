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

/**
 * Turns a token sequence into a tf-idf vector over `vocab` (unknown features ignored).
 * tf is sublinear (1 + ln tf); each block is L2-normalised and multiplied by its weight.
 */
export function vectorize(tokens: readonly string[], vocab: Vocabulary, opts: FeatureOptions): SparseVector {
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
    const b = vocab.block[j] as number;
    norms[b] = (norms[b] as number) + v * v;
  }
  const w = [opts.weightWords, opts.weightBigrams, opts.weightChars, opts.weightLead];
  const scale = norms.map((n, b) => (n > 0 ? (w[b] as number) / Math.sqrt(n) : 0));
  for (let k = 0; k < idx.length; k++) {
    val[k] = (val[k] as number) * (scale[vocab.block[idx[k] as number] as number] as number);
  }
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
