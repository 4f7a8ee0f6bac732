import { describe, expect, it } from 'vitest';
import { maskIdNumber } from './mask-id-number.ts';
import { maskName } from './mask-name.ts';
import { maskPhone } from './mask-phone.ts';

describe('maskIdNumber', () => {
  it.each([
    ['11010519491231002X', '110105********002X'],
    ['110105491231002', '110105*****1002'],
    ['A1234567', '****4567'],
    ['12345', '*****'],
    ['', ''],
  ])('%j → %j', (input, out) => expect(maskIdNumber(input)).toBe(out));

  it('never shows the birth date', () => expect(maskIdNumber('11010519491231002X')).not.toContain('1949'));
});

describe('maskPhone', () => {
  it.each([
    ['13812341234', '138****1234'],
    ['+86 138 1234 1234', '138****1234'],
    ['0086-13812341234', '138****1234'],
    ['１３９１２３４０９６８', '139****0968'],
    ['＋８６ １３８ １２３４ １２３４', '138****1234'],
    ['010-62345678', '010-****5678'],
    ['0731-88886666', '0731-****6666'],
    ['(0731) 8888 666', '0731-***8666'],
    ['0731-88886666 转 801', '0731-****6666-***'],
    ['+86 10 6234 5678', '010-****5678'],
    ['+44 20 7946 0958', '********0958'],
    ['12345', '*****'],
    ['', ''],
  ])('%j → %j', (input, out) => expect(maskPhone(input)).toBe(out));
});

describe('maskName', () => {
  it.each([
    ['张三', '张*'],
    ['王小明', '王*明'],
    ['欧阳娜娜', '欧**娜'],
    ['李', '*'],
    ['John Smith', 'J*** S****'],
    ['', ''],
  ])('%j → %j', (input, out) => expect(maskName(input)).toBe(out));
});
