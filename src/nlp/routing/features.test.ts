import { describe, expect, it } from 'vitest';
import { buildVocabulary, DEFAULT_FEATURE_OPTIONS, FastScorer, forEachFeature, GramTable, vectorize, vectorizeByKeys, type FeatureOptions } from './features.ts';

const OPTS: FeatureOptions = { ...DEFAULT_FEATURE_OPTIONS, wordBigrams: true, leadTokens: 2 };
const DOCS = [
  ['公司', '拖欠', '工资', '社保'],
  ['拖欠', '工资', '农民工', '工资'],
  ['小区', '噪音', '扰民', '噪音'],
  ['𠮷野家', '噪音', '公司'], // a character outside the BMP (two UTF-16 units)
];

describe('features', () => {
  it('emits words, bigrams, character n-grams and lead words', () => {
    const keys: string[] = [];
    forEachFeature(['拖欠', '工资'], OPTS, (k) => keys.push(k));
    expect(keys.sort()).toEqual(['b拖欠|工资', 'c拖欠', 'c拖欠工', 'c欠工', 'c欠工资', 'c工资', 't工资', 't拖欠', 'w工资', 'w拖欠'].sort());
  });

  it('the fast vectoriser equals the key-string one, with L2-normalised blocks', () => {
    const vocab = buildVocabulary(DOCS, OPTS, 1);
    for (const d of [...DOCS, ['工资', '噪音', '没见过的词']]) {
      const a = vectorize(d, vocab, OPTS);
      const b = vectorizeByKeys(d, vocab, OPTS);
      expect([...a.idx]).toEqual([...b.idx]);
      [...a.val].forEach((v, k) => expect(v).toBeCloseTo(b.val[k] as number, 6));
      const norms = [0, 0, 0, 0];
      a.idx.forEach((j, k) => {
        norms[vocab.block[j] as number]! += (a.val[k] as number) ** 2;
      });
      const weights = [OPTS.weightWords, OPTS.weightBigrams, OPTS.weightChars, OPTS.weightLead];
      norms.forEach((n, blk) => {
        if (n > 0) expect(Math.sqrt(n)).toBeCloseTo(weights[blk] as number, 5);
      });
    }
  });

  it('ignores features seen in fewer than minDf documents', () => {
    const vocab = buildVocabulary(DOCS, OPTS, 2);
    expect(vocab.index.has('w工资')).toBe(true); // in 2 documents
    expect(vocab.index.has('w社保')).toBe(false); // in 1
  });
});

describe('FastScorer', () => {
  const vocab = buildVocabulary(DOCS, OPTS, 1);
  const K = 3;
  const F = vocab.idf.length;
  const w = Float32Array.from({ length: F * K }, (_, i) => Math.sin(i * 12.9898) * 2);
  const weights = { nClasses: K, w, bias: Float32Array.from([0.1, -0.2, 0.3]) };
  const reference = (toks: readonly string[]): number[] => {
    const x = vectorize(toks, vocab, OPTS);
    const out = [...weights.bias];
    x.idx.forEach((j, t) => {
      for (let k = 0; k < K; k++) out[k] = (out[k] as number) + (w[j * K + k] as number) * (x.val[t] as number);
    });
    return out;
  };
  const drop = new Set(['的', '，']);

  for (const maxCached of [200_000, 2]) {
    it(`drops filtered tokens and equals vectorize + dot product (cache of ${maxCached})`, () => {
      const scorer = new FastScorer(vocab, OPTS, weights, (t) => !drop.has(t), maxCached);
      for (const raw of [...DOCS, ['工资', '的', '噪音', '，', '没见过的词', '工资'], [], ['的']]) {
        const kept = raw.filter((t) => !drop.has(t));
        for (let i = 0; i < 2; i++) expect([...scorer.score(raw)]).toEqual(reference(kept));
      }
    });
  }

  it('finds character n-grams by running hashes exactly as by their strings', () => {
    const table = new GramTable(4);
    ['工资', '拖欠工', '𠮷野'].forEach((g, i) => table.set(g, i));
    expect(table.get('拖欠工资', 2, 2)).toBe(0);
    expect(table.get('拖欠工资', 0, 3)).toBe(1);
    expect(table.get('𠮷野家', 0, 3)).toBe(2); // 𠮷 is two UTF-16 units
    expect(table.get('拖欠工资', 0, 2)).toBe(-1);
  });
});
