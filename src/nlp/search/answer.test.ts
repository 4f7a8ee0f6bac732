import { beforeAll, describe, expect, it } from 'vitest';
import { SearchIndex } from './SearchIndex.ts';
import { answer } from './answer.ts';

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
});
