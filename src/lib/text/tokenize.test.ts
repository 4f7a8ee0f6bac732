import { describe, expect, it } from 'vitest';
import { tokenize } from './tokenize.ts';
import { isStopWord } from './stopWords.ts';

describe('tokenize', () => {
  it.each([
    ['辦理居住證要什麼材料', ['办理', '居住证', '材料']],
    ['一网通办', ['一网通办']],
    ['12345热线', ['12345热线']],
    ['广安区行政审批局', ['广安区', '行政审批局']],
    ['社保卡怎么办', ['社保卡']],
    ['办社保卡', ['办', '社保卡']],
    ['', []],
    ['，。！？', []],
  ])('%s → %j', (input, expected) => {
    expect(tokenize(input)).toEqual(expected);
  });

  it('keeps stop words and punctuation-free tokens when asked', () => {
    expect(tokenize('我的社保', { keepStopWords: true })).toEqual(['我', '的', '社保']);
  });

  it('search mode adds the dictionary sub-words of long words', () => {
    const t = tokenize('居民身份证', { searchMode: true });
    expect(t).toContain('身份证');
    expect(t).toContain('居民身份证');
  });
});

describe('isStopWord', () => {
  it.each([
    ['的', true],
    ['怎么', true],
    ['，', true],
    ['社保', false],
    ['2020', false],
  ])('%s → %s', (w, expected) => {
    expect(isStopWord(w)).toBe(expected);
  });
});
