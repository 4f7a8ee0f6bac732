import { describe, expect, it } from 'vitest';
import { buildVocabulary, DEFAULT_FEATURE_OPTIONS, forEachFeature, vectorize, vectorizeByKeys, type FeatureOptions } from './features.ts';

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
