import { describe, expect, it } from 'vitest';
import { DUPLICATE_THRESHOLD, likelyDuplicates, similarity, UNIFORM_DF } from './similar.ts';
import { shippedDocFreq } from './similar-df.ts';

const a = { title: 'A2区景蓉华苑小区停车收费过高', content: '景蓉华苑业委会制定的停车收费标准太高，请相关部门核查。', district: 'A2区', address: '桂花坪街道景蓉华苑' };
const dfq = shippedDocFreq();

describe('similar messages', () => {
  it('loads the shipped document frequencies', () => {
    expect(dfq.n).toBeGreaterThan(1000);
    // A common bigram is frequent, an estate name rare.
    expect(dfq.df.get('小区') ?? 0).toBeGreaterThan(dfq.df.get('蓉华') ?? 0);
  });

  it('finds a repeat of the same issue at the same place, not an unrelated message', () => {
    const b = { title: '景蓉华苑停车收费太高', content: '小区业委会停车收费标准过高，希望核查。', district: 'A2区', address: '景蓉华苑' };
    const c = { title: 'A7区公交线路调整建议', content: '建议增加早高峰公交班次。', district: 'A7区', address: null };
    const d = { title: 'A2区某小区停车位收费问题', content: '我们小区物业乱收停车费。', district: 'A2区', address: null };
    const r = likelyDuplicates(a, [c, b, d], dfq);
    expect(r[0]?.item).toBe(b);
    expect(r.map((x) => x.item)).not.toContain(c);
    expect(similarity(a, b, dfq)).toBeGreaterThan(similarity(a, d, dfq));
  });

  it('halves the score of the same complaint in another district', () => {
    const same = { ...a, address: null };
    const other = { ...same, district: 'A5区' };
    expect(similarity(a, other, dfq)).toBeCloseTo(similarity(a, same, dfq) / 2, 6);
    expect(similarity(a, a, UNIFORM_DF)).toBeCloseTo(1, 6);
    expect(DUPLICATE_THRESHOLD).toBeGreaterThan(0);
  });
});
