import { describe, expect, it } from 'vitest';
import { createAnalyser } from './analyse.ts';
import { extractKeywords } from './keywords.ts';
import { extractOrganisations } from './organisations.ts';
import { extractPlaces } from './places.ts';
import { compileUrgency, detectUrgency } from './urgency.ts';

describe('places', () => {
  it('reads an anonymised district with its street, grouping coarse to fine', () => {
    const p = extractPlaces('座落在A市A3区联丰路米兰春天G2栋320，一家影楼');
    expect(p[0]).toEqual({ district: 'A3区', street: '联丰路', raw: 'A市A3区联丰路' });
  });
  it('reads county, town and village as one place', () => {
    const p = extractPlaces('反映A7县春华镇金鼎村水泥路、自来水到户的问题');
    expect(p[0]).toMatchObject({ district: 'A7县', street: '春华镇', estate: '金鼎村' });
  });
  it('reads 街道 and estates (小区, 花园, 苑) with their names, not the words before them', () => {
    const p = extractPlaces('位于A市A2区桂花坪街道的宿舍区（景蓉华苑)出现乱象；另外金晖优步花园也一样，麓谷明珠小区更严重');
    expect(p).toContainEqual(expect.objectContaining({ district: 'A2区', street: '桂花坪街道' }));
    const estates = p.map((x) => x.estate).filter(Boolean);
    expect(estates).toEqual(expect.arrayContaining(['景蓉华苑', '金晖优步花园', '麓谷明珠小区']));
  });
  it('ignores words that merely end like places', () => {
    const p = extractPlaces('希望给道路安装好路名牌，我们小区的路灯坏了，这条路太堵');
    expect(p).toEqual([]);
  });
  it('does not repeat a place already given in full', () => {
    const p = extractPlaces('A2区黄兴路步行街很乱。黄兴路晚上尤其吵。');
    expect(p.filter((x) => x.street === '黄兴路')).toHaveLength(1);
  });
  it('reads a real-name city and district', () => {
    expect(extractPlaces('长沙市岳麓区麓谷街道')[0]).toMatchObject({ district: '岳麓区', street: '麓谷街道' });
  });
});

describe('organisations', () => {
  it('finds bodies and companies by suffix, read leftwards to the name', () => {
    const o = extractOrganisations('请A市A3区住建局和税务局查一下美顺物业，还有A市公安局');
    expect(o).toEqual(expect.arrayContaining(['A市A3区住建局', '税务局', '美顺物业', 'A市公安局']));
  });
  it('skips generic mentions of 政府 and 该公司', () => {
    const o = extractOrganisations('希望政府重视，该公司不管，物业公司也不管');
    expect(o).toEqual([]);
  });
  it('keeps the government of a named place', () => {
    expect(extractOrganisations('A市人民政府已经回复')).toContain('A市人民政府');
  });
});

describe('urgency', () => {
  it('is 0 without cues', () => {
    expect(detectUrgency('请问公积金怎么提取')).toEqual({ level: 0, cues: [] });
  });
  it('rates life-threatening cues 3 and lists them by category', () => {
    const u = detectUrgency('小区昨晚发生火灾，有人受伤');
    expect(u.level).toBe(3);
    expect(u.cues).toEqual(expect.arrayContaining(['safety:火灾', 'safety:受伤']));
  });
  it('raises the level with an intensifier, to 3 only with strong cues in two categories', () => {
    expect(detectUrgency('工地噪音扰民').level).toBe(1);
    expect(detectUrgency('工地噪音扰民，情况紧急').level).toBe(2);
    expect(detectUrgency('工地噪音扰民，请尽快处理').level).toBe(1); // 尽快 is formulaic, not urgency
    expect(detectUrgency('化工厂污染严重，几百人聚集在门口').level).toBe(2);
    expect(detectUrgency('化工厂污染严重，几百人聚集在门口，情况紧急').level).toBe(3);
    expect(detectUrgency('化工厂污染严重，情况紧急').level).toBe(2);
  });
  it('reads a fire hazard as a risk, a fire as an emergency', () => {
    expect(detectUrgency('楼道堆放杂物，存在火灾隐患').level).toBe(2);
    expect(detectUrgency('楼道昨晚发生火灾').level).toBe(3);
    expect(detectUrgency('楼道堆满杂物，一旦发生火灾后果不堪设想').level).toBe(1);
  });
  it('ignores a negated cue', () => {
    expect(detectUrgency('经检查没有安全隐患').level).toBe(0);
  });
  it('uses the lexicon it is given', () => {
    const m = compileUrgency({ categories: { safety: { '3': ['测试词'] } }, intensifiers: [], negators: ['没有'] });
    expect(m.match('出现测试词').level).toBe(3);
    expect(m.match('火灾').level).toBe(0);
  });
});

describe('keywords', () => {
  it('ranks rare content words above filler and drops numbers and stop words', () => {
    const words = ['希望', '相关部门', '解决', '小区', '电梯', '故障', '电梯', '2019', '年', '问题', '故障'];
    const k = extractKeywords(words, 3);
    expect(k.slice(0, 2).sort()).toEqual(['故障', '电梯']);
    expect(k).not.toContain('2019');
    expect(k).not.toContain('希望');
  });
});

describe('analyseItem', () => {
  const created = createAnalyser();
  if (!created.ok) throw new Error(created.error);
  const an = created.analyser;
  it('analyses a complaint: negative, places, urgency, keywords', () => {
    const a = an.analyse({
      title: 'A3区某工地夜间施工噪音扰民',
      text: 'A市A3区联丰路米兰春天小区附近工地夜间施工，噪音扰民严重，投诉多次没人管，情况紧急！',
    });
    expect(a.sentiment.label).toBe('negative');
    expect(a.places[0]).toMatchObject({ district: 'A3区', street: '联丰路' });
    expect(a.urgency.level).toBeGreaterThanOrEqual(2);
    expect(a.keywords).toEqual(expect.arrayContaining(['噪音', '扰民']));
  });
  it('reads a plain question as neutral in the government domain', () => {
    expect(an.analyse({ text: '请问A市公积金怎么提取？' }).sentiment.label).toBe('neutral');
  });
  it('analyses a batch in order', () => {
    const out = an.analyseBatch([{ text: '服务很好，非常满意，谢谢' }, { text: '态度恶劣，太差了，非常不满意' }]);
    expect(out.map((o) => o.sentiment.label)).toEqual(['positive', 'negative']);
  });
});
