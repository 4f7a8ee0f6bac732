import { describe, expect, it } from 'vitest';
import { sentenceMatches, sentenceSpans, windowScore } from './passage.ts';
import { deriveTitle } from './deriveTitle.ts';
import { containsAnswer, rankingMetrics, splitByKey } from './evaluate.ts';

describe('sentenceSpans', () => {
  it('splits at sentence ends, keeps closing quotes, drops the gaps', () => {
    const t = '第一句。“第二句！”第三句？  第四段\n第五行';
    expect(sentenceSpans(t).map((s) => t.slice(s.start, s.end))).toEqual(['第一句。', '“第二句！”', '第三句？', '第四段', '第五行']);
  });
  it('starts at `from`', () => {
    const t = '标题 正文一。正文二。';
    expect(sentenceSpans(t, 3).map((s) => t.slice(s.start, s.end))).toEqual(['正文一。', '正文二。']);
  });
});

describe('sentenceMatches / windowScore', () => {
  it('counts each group once per window', () => {
    const t = '社保缓缴。社保补缴。公积金。';
    const spans = sentenceSpans(t);
    const per = sentenceMatches(t, spans, [
      { text: '社保', weight: 2, group: '社保' },
      { text: '缓缴', weight: 3, group: '缓缴' },
      { text: '公积金', weight: 1, group: '公积金' },
    ]);
    expect(windowScore(per, 0, 0)).toBe(5);
    expect(windowScore(per, 0, 1)).toBe(5);
    expect(windowScore(per, 1, 2)).toBe(3);
  });
});

describe('deriveTitle', () => {
  it.each([
    ['工业和信息化部组织开展负压救护车重点生产企业督导检查 2020年2月4日，为做好…', '工业和信息化部组织开展负压救护车重点生产企业督导检查'],
    ['财政部 税务总局 关于支持疫情防控有关捐赠税收政策的公告 财政部 税务总局公告', '财政部 税务总局 关于支持疫情防控有关捐赠税收政策的公告'],
    ['紧急公告。广大市民朋友', '紧急公告'],
    ['一行', '一行'],
  ])('%s → %s', (text, title) => {
    expect(deriveTitle(text)).toBe(title);
  });
});

describe('evaluation helpers', () => {
  it('splitByKey is deterministic and independent of order', () => {
    const items = Array.from({ length: 200 }, (_, i) => `q${i}`);
    const a = splitByKey(items, (x) => x);
    const b = splitByKey([...items].reverse(), (x) => x);
    expect(new Set(a.validation)).toEqual(new Set(b.validation));
    expect(a.validation.length + a.tune.length).toBe(200);
    expect(a.validation.length).toBeGreaterThan(30);
    expect(a.validation.length).toBeLessThan(90);
  });
  it('rankingMetrics computes Recall@k and MRR', () => {
    const m = rankingMetrics([['a', 'b'], ['x', 'y', 'c'], ['z']], ['b', 'c', 'q'], 2);
    expect(m.recallAtK).toBeCloseTo(1 / 3);
    expect(m.mrr).toBeCloseTo((1 / 2 + 1 / 3) / 3);
  });
  it('containsAnswer ignores whitespace', () => {
    expect(containsAnswer('开户名：红十字会 账 号：123', '账号：123')).toBe(true);
    expect(containsAnswer('abc', 'abd')).toBe(false);
  });
});
