import { describe, expect, it } from 'vitest';
import { parseCorrections, splitForValidation, type RoutingRow } from './dataset.ts';
import { buildFoldPairs, CharFolder, deriveStopwords, getJieba, isNoiseToken, normalizeText, tokenizeRaw, tokenizeSegmented } from './text.ts';

describe('text normalisation', () => {
  it('folds full-width characters and whitespace', () => {
    expect(normalizeText('  Ａ市\r\n\t\tＡ３区，１２３ ')).toBe('a市 a3区,123');
  });

  it('treats punctuation, bare numbers and single letters as noise, words not', () => {
    for (const t of ['，', '2019', '3.5', 'a', '!']) expect(isNoiseToken(t)).toBe(true);
    for (const t of ['公积金', 'a3', 'wifi']) expect(isNoiseToken(t)).toBe(false);
  });

  it('cuts raw text into the same tokens as the source team segmented text once stop-words are dropped', () => {
    const stop = new Set(['的', '了', '我', '在']);
    const raw = 'A市西湖建筑集团占道施工有安全隐患，我在路口的加油站看到了。';
    const toks = tokenizeRaw(getJieba(), raw, stop);
    expect(toks).toContain('安全隐患');
    expect(toks).toContain('加油站');
    for (const s of stop) expect(toks).not.toContain(s);
    expect(tokenizeSegmented('市 西湖 的 安全隐患 ， 2019', stop)).toEqual(['市', '西湖', '安全隐患']);
  });

  it('folds Traditional characters that the training text never uses, and leaves other text alone', () => {
    const toSimplified = (s: string): string => s.replace(/資/g, '资').replace(/個/g, '个').replace(/么/g, '幺');
    const pairs = buildFoldPairs(toSimplified, new Set(['么']));
    expect(pairs).toBe('個个資资'); // 么 occurs in the (Simplified) training text, so it is not folded
    const f = new CharFolder(pairs);
    expect(f.fold('拖欠工資三個月，什么')).toBe('拖欠工资三个月，什么');
    const plain = '拖欠工资';
    expect(f.fold(plain)).toBe(plain);
  });

  it('derives stop-words as tokens the source team (almost) always dropped', () => {
    const pairs = [
      { rawTokens: ['我', '的', '公积金', '问题'], segmentedTokens: ['公积金', '问题'] },
      { rawTokens: ['我', '的', '社保', '问题'], segmentedTokens: ['社保'] },
      { rawTokens: ['他', '社保'], segmentedTokens: ['社保'] },
    ];
    // '问题' was kept once out of two, '他' seen only once: neither is a stop-word.
    expect(deriveStopwords(pairs)).toEqual(['我', '的']);
  });
});

describe('corrections and validation split', () => {
  it('parses corrections and reports bad lines without stopping', () => {
    const text = [
      JSON.stringify({ content: '工资拖欠', category: '劳动和社会保障' }),
      'not json',
      JSON.stringify({ content: '', category: '城乡建设' }),
      JSON.stringify({ content: '噪音', category: '外星事务' }),
      JSON.stringify({ title: '油烟', content: '饭店油烟', category: '环境保护' }),
    ].join('\n');
    const r = parseCorrections(text);
    expect(r.corrections).toEqual([
      { content: '工资拖欠', category: '劳动和社会保障' },
      { title: '油烟', content: '饭店油烟', category: '环境保护' },
    ]);
    expect(r.errors.map((e) => e.line)).toEqual([2, 3, 4]);
  });

  it('holds out raw rows only, stratified, seeded, and drops duplicates of held-out rows from training', () => {
    const rows: RoutingRow[] = [];
    for (let i = 0; i < 200; i++) {
      const label = i % 2 ? '城乡建设' : '教育文体';
      rows.push({ id: i, label, raw: i < 100 ? `原文${i}` : null, segmented: `分词 ${i}` });
    }
    rows.push({ id: 999, label: '城乡建设', raw: null, segmented: '分词 1' }); // duplicate of row 1
    const a = splitForValidation(rows, 5, 0.4);
    const b = splitForValidation(rows, 5, 0.4);
    expect(a.validation.map((r) => r.id)).toEqual(b.validation.map((r) => r.id));
    expect(a.validation).toHaveLength(40);
    expect(a.validation.every((r) => r.raw !== null)).toBe(true);
    expect(a.validation.filter((r) => r.label === '城乡建设')).toHaveLength(20);
    const trainIds = new Set(a.train.map((r) => r.id));
    for (const v of a.validation) expect(trainIds.has(v.id)).toBe(false);
    const heldSeg = new Set(a.validation.map((r) => r.segmented));
    for (const t of a.train) expect(heldSeg.has(t.segmented)).toBe(false);
    expect(trainIds.has(999)).toBe(!a.validation.some((r) => r.id === 1));
  });
});
