import { describe, expect, it } from 'vitest';
import { foldToSimplified } from './foldToSimplified.ts';

describe('foldToSimplified', () => {
  it.each([
    ['居住證', '居住证'],
    ['辦理營業執照', '办理营业执照'],
    ['臺灣身份證', '台湾身份证'],
    ['ＡＢＣ１２３', 'abc123'],
    ['社保　卡', '社保 卡'],
    ['COVID-19疫情', 'covid-19疫情'],
    ['已经是简体', '已经是简体'],
    ['', ''],
  ])('%s → %s', (input, expected) => {
    expect(foldToSimplified(input)).toBe(expected);
  });
});
