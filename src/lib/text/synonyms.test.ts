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

  // 27 Nov (H10): everyday names of catalogue needs (bench/search-everyday.ts found them missing).
  it.each([
    ['残疾证', '残疾人证'],
    ['领养', '收养'],
    ['丢了', '挂失'],
    ['丢失', '补办'],
    ['公司注册', '设立登记'],
    ['注册公司', '设立登记'],
    ['开小店', '个体工商户'],
    ['饭馆', '食品经营'],
    ['看病报销', '门诊'],
    ['交社保', '参保登记'],
    ['当兵', '征兵'],
    ['参军', '征兵'],
    ['退伍', '退役'],
  ])('%s → includes %s', (from, to) => {
    expect(map.get(from)).toContain(to);
  });

  it('当兵 and 参军 mean enlisting, not leaving the army (退役 is only for 退伍 / 复员)', () => {
    expect(map.get('当兵')).not.toContain('退役');
    expect(map.get('参军')).not.toContain('退役');
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
