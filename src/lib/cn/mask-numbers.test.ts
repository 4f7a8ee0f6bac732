import { describe, expect, it } from 'vitest';
import { maskNumbersInText } from './mask-numbers.ts';

describe('maskNumbersInText', () => {
  it.each([
    ['11010519491231002X 社保', '*** 社保'],
    ['11010519491231002x', '***'],
    ['139 1234 5678 怎么办', '*** 怎么办'],
    ['电话139-1234-5678', '电话***'],
    ['１３９１２３４５６７８', '***'],
    ['办件 YW202611270000001', '办件 YW***'],
    ['zhang.san@example.cn 邮箱', '***@*** 邮箱'],
    ['2026年 社保 12345', '2026年 社保 12345'],
    ['公积金提取', '公积金提取'],
  ])('%j → %j', (text, want) => {
    expect(maskNumbersInText(text)).toBe(want);
  });
});
