import { beforeAll, describe, expect, it } from 'vitest';
import { SearchIndex } from './SearchIndex.ts';
import { ANSWER_FEATURES } from './answer-features.ts';
import { answer, answerCandidatesFor, chooseWindow, splitLongSpans, DEFAULT_ANSWER_OPTIONS, loadPassageModel, RULE_MODEL } from './answer.ts';

describe('answer', () => {
  let idx: SearchIndex;
  beforeAll(() => {
    idx = new SearchIndex();
    idx.add({
      id: 'p1',
      type: 'policy',
      title: '关于支持中小微企业的若干措施',
      body:
        '关于支持中小微企业的若干措施 为应对疫情，制定以下措施。一、减免房租。对承租国有房产的中小微企业，免收2月份房租。' +
        '二、延期缴纳社会保险费。受疫情影响的企业可申请缓缴社会保险费，缓缴期最长6个月，缓缴期间免收滞纳金。三、加大金融支持。',
    });
    idx.add({
      id: 'k1',
      type: 'knowledge',
      title: '居住证办理须知',
      body: '居住证办理须知 申领居住证需提交居民身份证、居住证明和照片。办理时限为15个工作日。',
    });
    idx.add({ id: 's1', type: 'service', title: '社会保险费缓缴申请', body: '社会保险费缓缴申请服务入口。' });
  });

  it('returns the sentence window that holds the answer, with its source', () => {
    const a = answer(idx, '社保缓缴期最长多久？');
    expect('none' in a).toBe(false);
    if ('none' in a) return;
    expect(a.sourceId).toBe('p1');
    expect(a.passage).toContain('缓缴期最长6个月');
    expect(a.passage.startsWith('二、延期缴纳社会保险费')).toBe(true);
    expect(idx.get('p1')?.body.slice(a.start, a.end)).toBe(a.passage);
  });

  it('answers from knowledge articles, not from service entries', () => {
    const a = answer(idx, '申领居住证需要提交什么？');
    expect('none' in a ? null : a.sourceId).toBe('k1');
    const onlyServices = answer(idx, '社会保险费缓缴申请', { types: ['service'] });
    expect('none' in onlyServices ? null : onlyServices.sourceType).toBe('service');
  });

  it('declines when nothing matches or the question is empty', () => {
    expect(answer(idx, '')).toEqual({ none: true, reason: 'empty-question' });
    expect(answer(idx, 'xyzzy plugh')).toMatchObject({ none: true });
    expect(answer(idx, '火星探测器什么时候发射')).toMatchObject({ none: true });
  });

  it('answers from under the heading the question names, not from the lead paragraph that repeats it', () => {
    const h = new SearchIndex();
    h.add({
      id: 'h1',
      type: 'policy',
      title: '怀柔区城市管理委统筹推进复工复产',
      body:
        '怀柔区城市管理委统筹推进复工复产 怀柔区城市管理委在做好疫情防控工作前提下，统筹抓好环卫、供电、燃气、供暖等行业的复工复产工作，' +
        '加强人员管理和物资保障，全力做好城市管理领域的服务保障工作。 一、加强物资保障。多方筹措口罩、消毒液等防疫物资，保障一线作业人员需要。 ' +
        '对环卫车辆、作业工具每日消毒两次，做好台账记录，确保防疫物资供应充足，不出现断档。'.repeat(2) +
        ' 二、加强人员管理。采用管控重点人员、监控隔离人员、管好工作人员、严控外来人员的方法对人员进行管理。企业每日对上岗职工进行体温检测，实行零报告制度。',
    });
    const q = '怀柔区城市管理委在加强人员管理方面做了哪些部署？';
    const trained = answer(h, q);
    expect('none' in trained ? '' : trained.passage).toContain('采用管控重点人员');
    // The untrained rule falls for the lead paragraph (the failure the trained model was built to avoid).
    const rule = answer(h, q, { model: null });
    expect('none' in rule ? '' : rule.passage.startsWith('怀柔区城市管理委在做好疫情防控')).toBe(true);
  });

  it('uses the committed model over the top two hits; a 12-weight model reads the top hit only', () => {
    const m = loadPassageModel();
    expect(m?.features).toEqual([...ANSWER_FEATURES]);
    expect(m?.weights.length).toBe(ANSWER_FEATURES.length);
    const c = answerCandidatesFor(idx, '社会保险费缓缴', DEFAULT_ANSWER_OPTIONS);
    expect(c.hits.length).toBeLessThanOrEqual(DEFAULT_ANSWER_OPTIONS.docs);
    expect(c.candidates.every((x) => x.features.length === ANSWER_FEATURES.length && x.doc < c.hits.length)).toBe(true);
    const ruled = answer(idx, '社保缓缴期最长多久？', { model: RULE_MODEL });
    expect('none' in ruled ? null : ruled.sourceId).toBe('p1');
  });

  it('splits only sentences over the limit, at commas and colons, into pieces of at least 30 characters', () => {
    const short = '短句。';
    const long = '确定以下对口支援关系：' + '重庆市、黑龙江省支援孝感市，山东省、湖南省支援黄冈市，'.repeat(3) + '江西省支援随州市。';
    const text = short + long;
    const spans = [{ start: 0, end: short.length }, { start: short.length, end: text.length }];
    const out = splitLongSpans(text, spans, 40);
    expect(out[0]).toEqual(spans[0]);
    expect(out.length).toBeGreaterThan(2);
    expect(out.map((sp) => text.slice(sp.start, sp.end)).join('')).toBe(text);
    expect(out.slice(1, -1).every((sp) => sp.end - sp.start >= 30 && /[，：]$/.test(text.slice(sp.start, sp.end)))).toBe(true);
    expect(splitLongSpans(text, spans, 1000)).toEqual(spans);
  });

  it('picks the window most of the probability agrees on, not a lone top score (overlap temperature)', () => {
    // Document 0: a lone window at 0–300 scoring best, and three overlapping windows around 1,000–1,400 just below it.
    const cands = [
      { doc: 0, start: 0, end: 300 },
      { doc: 0, start: 1000, end: 1300 },
      { doc: 0, start: 1050, end: 1350 },
      { doc: 0, start: 1100, end: 1400 },
      { doc: 1, start: 0, end: 300 },
    ];
    const scores = [2.0, 1.6, 1.7, 1.5, 1.9];
    expect(chooseWindow(cands, scores, 0)).toBe(cands[0]);
    // At temperature 1 the middle window of the cluster overlaps the most mass.
    expect(chooseWindow(cands, scores, 1)).toBe(cands[2]);
    // Windows of another document add nothing: the same windows in document 1 make the lone one win again.
    const split = cands.map((c, i) => (i >= 1 && i <= 3 ? { ...c, doc: 1 + i } : c));
    expect(chooseWindow(split, scores, 1)).toBe(split[0]);
    // A very low temperature is the best-scored window again; nothing to choose from gives undefined.
    expect(chooseWindow(cands, scores, 0.01)).toBe(cands[0]);
    expect(chooseWindow([], [], 1)).toBeUndefined();
  });

  it('the committed model records how its window is chosen; both choices find the answer here', () => {
    const m = loadPassageModel();
    expect(typeof m?.overlapTemperature).toBe('number');
    const q = '社保缓缴期最长多久？';
    const byArgmax = answer(idx, q, { overlapTemperature: 0 });
    const byOverlap = answer(idx, q);
    expect('none' in byArgmax ? '' : byArgmax.passage).toContain('缓缴期最长6个月');
    expect('none' in byOverlap ? '' : byOverlap.passage).toContain('缓缴期最长6个月');
  });
});
