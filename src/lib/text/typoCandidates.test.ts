import { describe, expect, it } from 'vitest';
import { pinyinKey, typoCandidates } from './typoCandidates.ts';

const vocab = ['居住证', '社会保险', '复工复产', '账户'];
const known = (w: string): boolean => vocab.includes(w);
const byPinyin = new Map<string, string[]>();
for (const w of vocab) byPinyin.set(pinyinKey(w), [...(byPinyin.get(pinyinKey(w)) ?? []), w]);

describe('typoCandidates', () => {
  it.each([
    ['居往证', ['居住证']], // near-form 往/住
    ['居主证', ['居住证']], // homophone
    ['复公复产', ['复工复产']], // homophone
    ['帐户', ['账户']], // near-form 帐/账
    ['居住证', []], // known word: nothing to correct
    ['天气', []], // nothing close
    ['a', []],
  ])('%s → %j', (word, expected) => {
    expect(typoCandidates(word, known, byPinyin)).toEqual(expected);
  });
});
