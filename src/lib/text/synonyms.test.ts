import { describe, expect, it } from 'vitest';
import { buildSynonymMap, DEFAULT_SYNONYMS } from './synonyms.ts';

describe('DEFAULT_SYNONYMS', () => {
  const map = buildSynonymMap(DEFAULT_SYNONYMS);
  it.each([
    ['社保', '社会保险'],
    ['身份证', '居民身份证'],
    ['公积金', '住房公积金'],
    ['办', '办理'],
  ])('%s → includes %s', (from, to) => {
    expect(map.get(from)).toContain(to);
  });

  it('is plain, serialisable data', () => {
    expect(JSON.parse(JSON.stringify(DEFAULT_SYNONYMS))).toEqual(DEFAULT_SYNONYMS);
  });
});

describe('buildSynonymMap', () => {
  it('merges rules, trims, drops empty and self targets', () => {
    const m = buildSynonymMap([
      { from: ' 医保 ', to: ['医疗保险', ''] },
      { from: '医保', to: ['医疗保障', '医保', '医疗保险'] },
      { from: '', to: ['x'] },
    ]);
    expect(m.get('医保')).toEqual(['医疗保险', '医疗保障']);
    expect(m.size).toBe(1);
  });
});
