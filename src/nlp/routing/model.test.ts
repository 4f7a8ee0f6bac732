import { beforeAll, describe, expect, it } from 'vitest';
import { CATEGORIES, loadRoutingModel, type RoutingModel } from './index.ts';

// Hand-written messages whose category is not in doubt (not taken from the training data).
const CLEAR: [string, string, string][] = [
  ['小区楼下烧烤店油烟扰民', '小区楼下烧烤店每天晚上排放大量油烟，空气污染严重，噪音也很大，希望环保部门来检查处理。', '环境保护'],
  ['公司拖欠工资', '我在某公司上班，公司已经拖欠我们三个月工资，也没有给我们缴纳社保和养老保险，请劳动监察部门帮忙。', '劳动和社会保障'],
  ['孩子上学问题', '我家孩子今年要上小学，学校说不在划片范围内不能入学，请问教育局如何办理入学手续？', '教育文体'],
  ['医院乱收费', '我母亲在市人民医院住院，医院重复收费，医生还让我们买很贵的药，请卫生部门调查。', '卫生计生'],
  ['出租车拒载', '昨晚在火车站打出租车，司机拒载还要求不打表，一口价一百元，请交通运输部门管管出租车。', '交通运输'],
  ['商家卖假货不退款', '在商场买了一台电视是假冒伪劣产品，商家拒绝退货退款，请市场监管部门处理消费纠纷。', '商贸旅游'],
  // Not 物业 or 电梯: in this data those split between 城乡建设 and 商贸旅游 (lifts are 质监, market supervision).
  ['拆迁补偿不合理', '我家房屋被征收拆迁，安置补偿标准太低，安置房至今没有交付，开发商也迟迟不办房产证。', '城乡建设'],
];

let model: RoutingModel;
beforeAll(async () => {
  const r = await loadRoutingModel();
  if (!r.ok) throw new Error(r.error.message);
  model = r.model;
});

describe('routing model', () => {
  it('routes clear messages to the right category', () => {
    for (const [title, content, expected] of CLEAR) {
      const out = model.classify({ title, content });
      expect(out.ok).toBe(true);
      if (out.ok) expect(out.category, `${title}`).toBe(expected);
    }
  });

  it('gives a confidence in 0..1 equal to the top score, with scores summing to 1 over the 7 categories', () => {
    for (const [title, content] of CLEAR) {
      const out = model.classify({ title, content });
      if (!out.ok) throw new Error('unexpected error');
      expect(Object.keys(out.scores).sort()).toEqual([...CATEGORIES].sort());
      const values = Object.values(out.scores);
      expect(values.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
      expect(out.confidence).toBe(Math.max(...values));
      expect(out.confidence).toBeGreaterThan(0);
      expect(out.confidence).toBeLessThanOrEqual(1);
    }
  });

  it('is less confident on a message with no routing signal than on a clear one', () => {
    const vague = model.classify({ content: '你好，请问一下这个问题怎么办？谢谢。' });
    const clear = model.classify({ title: CLEAR[1]![0], content: CLEAR[1]![1] });
    if (!vague.ok || !clear.ok) throw new Error('unexpected error');
    expect(vague.confidence).toBeLessThan(clear.confidence);
  });

  it('gives the same results in a batch as one by one, in order', () => {
    const inputs = CLEAR.map(([title, content]) => ({ title, content }));
    const batch = model.classifyBatch([...inputs].reverse()).reverse();
    expect(batch).toEqual(inputs.map((i) => model.classify(i)));
  });

  it('understands full-width text and needs no title', () => {
    const a = model.classify({ content: '公司拖欠工资三个月，社保也没交。' });
    const b = model.classify({ content: '公司拖欠工资３个月，社保也没交！' });
    if (!a.ok || !b.ok) throw new Error('unexpected error');
    expect(a.category).toBe('劳动和社会保障');
    expect(b.category).toBe(a.category);
  });

  it('understands Traditional characters', () => {
    const simp = model.classify({ content: '我家孩子今年要上小学，学校说不能入学，请问教育局如何办理入学手续？' });
    const trad = model.classify({ content: '我家孩子今年要上小學，學校說不能入學，請問教育局如何辦理入學手續？' });
    if (!simp.ok || !trad.ok) throw new Error('unexpected error');
    expect(simp.category).toBe('教育文体');
    expect(trad.category).toBe('教育文体');
    expect(trad.confidence).toBeCloseTo(simp.confidence, 2);
  });

  it('returns errors as values for bad input', () => {
    const cases: [unknown, string][] = [
      [{ content: '' }, 'CONTENT_MISSING'],
      [{ content: '   ' }, 'CONTENT_MISSING'],
      [{}, 'CONTENT_MISSING'],
      [{ content: 42 }, 'CONTENT_NOT_STRING'],
      [{ content: '噪音', title: 5 }, 'TITLE_NOT_STRING'],
      [{ content: '噪'.repeat(100_001) }, 'CONTENT_TOO_LONG'],
    ];
    for (const [input, code] of cases) {
      const out = model.classify(input as { content: string });
      expect(out.ok).toBe(false);
      if (!out.ok) expect(out.error.code).toBe(code);
    }
  });
});

describe('prediction hot path', () => {
  it('gives exactly the reference scores (token array → sparse vector → decision) on varied inputs', () => {
    const texts = [
      ...CLEAR.map(([t, c]) => t + c),
      '', // no tokens: only the biases
      '   ！！！ 123 abc',
      '公司拖欠工资工资工资工资工资工资工资工资，社保社保社保',
      '啊'.repeat(5000), // one n-gram repeated thousands of times
      '國家醫院亂收費，請衛生部門調查', // Traditional, folded
      '𠮷野家小区噪音扰民', // outside the BMP
    ];
    for (const t of texts) {
      // twice: the second call goes through the token cache
      for (let i = 0; i < 2; i++) expect([...model.decisionScores(t)]).toEqual([...model.decisionScoresReference(t)]);
    }
  });
});
