import { describe, expect, it } from 'vitest';
import { likelyDuplicates, similarity } from './similar.ts';

const a = { title: 'A2区景蓉华苑小区停车收费过高', content: '景蓉华苑业委会制定的停车收费标准太高，请相关部门核查。', district: 'A2区', address: '桂花坪街道景蓉华苑' };

describe('similar messages', () => {
  it('finds a repeat of the same issue at the same place', () => {
    const b = { title: '景蓉华苑停车收费太高', content: '小区业委会停车收费标准过高，希望核查。', district: 'A2区', address: '景蓉华苑' };
    const c = { title: 'A7区公交线路调整建议', content: '建议增加早高峰公交班次。', district: 'A7区', address: null };
    const r = likelyDuplicates(a, [c, b]);
    expect(r.map((x) => x.item)).toEqual([b]);
  });

  it('scores the same complaint in another district lower than in the same one', () => {
    const same = { ...a, title: '景蓉华苑小区停车收费过高', address: null };
    const other = { ...same, district: 'A5区' };
    expect(similarity(a, same).score).toBeGreaterThan(similarity(a, other).score);
  });
});
