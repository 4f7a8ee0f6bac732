import { describe, expect, it } from 'vitest';
import { toPinyin } from './toPinyin.ts';
import { pinyinInitials } from './pinyinInitials.ts';

describe('toPinyin', () => {
  it.each([
    ['居住证', ['ju', 'zhu', 'zheng']],
    ['社保', ['she', 'bao']],
    ['绿色', ['lv', 'se']],
    ['', []],
  ])('%s → %j', (input, expected) => {
    expect(toPinyin(input)).toEqual(expected);
  });

  it('keeps Latin and digits as runs and drops spaces', () => {
    expect(toPinyin('12345热线 ABC')).toEqual(['12345', 're', 'xian', 'abc']);
  });
});

describe('pinyinInitials', () => {
  it.each([
    ['居住证', 'jzz'],
    ['社保卡', 'sbk'],
    ['住房公积金', 'zfgjj'],
    ['12345热线', '1rx'],
    ['', ''],
  ])('%s → %s', (input, expected) => {
    expect(pinyinInitials(input)).toBe(expected);
  });
});
