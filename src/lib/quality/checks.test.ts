import { describe, expect, it } from 'vitest';
import { isCheckKind, makeCellChecker, parseLooseDate } from './checks.ts';
import { checkIdBirthDate, checkIdSex } from './consistency.ts';
import type { CheckKind } from './types.ts';

const today = '2026-11-26';
const check = (kind: CheckKind, v: string) => makeCellChecker(kind, { today })(v);

type Row = [CheckKind, string, string | undefined, 'error' | 'warning' | undefined, string | undefined];

// [kind, value, rule (undefined = no finding), severity, suggestion]
const table: Row[] = [
  ['cn-id', '11010519491231002X', undefined, undefined, undefined],
  ['cn-id', '', undefined, undefined, undefined],
  ['cn-id', '11010519491231002x', 'cn-id.LOWERCASE_X', 'warning', '11010519491231002X'],
  ['cn-id', '１１０１０５１９４９１２３１００２Ｘ', 'cn-id.FULL_WIDTH', 'warning', '11010519491231002X'],
  ['cn-id', ' 11010519491231002X', 'cn-id.WHITESPACE', 'warning', '11010519491231002X'],
  ['cn-id', '１１０１０５１９４９１２３１００２ｘ ', 'cn-id.FULL_WIDTH+WHITESPACE+LOWERCASE_X', 'warning', '11010519491231002X'],
  ['cn-id', '110105194912310021', 'cn-id.BAD_CHECKSUM', 'error', undefined],
  ['cn-id', '110105491231002', 'cn-id.LEGACY_15', 'error', '11010519491231002X'],
  ['cn-id', '1101051949123100', 'cn-id.BAD_LENGTH', 'error', undefined],
  ['cn-uscc', '91350100M000100Y43', undefined, undefined, undefined],
  ['cn-uscc', '91350100m000100y43', 'cn-uscc.LOWERCASE', 'warning', '91350100M000100Y43'],
  ['cn-uscc', '91350100M000100Y44', 'cn-uscc.BAD_CHECKSUM', 'error', undefined],
  ['cn-mobile', '13800138000', undefined, undefined, undefined],
  ['cn-mobile', '138 0013 8000', 'cn-mobile.WHITESPACE', 'warning', '13800138000'],
  ['cn-mobile', '+86-13800138000', 'cn-mobile.COUNTRY_PREFIX+SEPARATORS', 'warning', '13800138000'],
  ['cn-mobile', '12800138000', 'cn-mobile.BAD_PREFIX', 'error', undefined],
  ['date', '2025-10-01', undefined, undefined, undefined],
  ['date', '2025/10/1', 'date.NOT_CANONICAL', 'warning', '2025-10-01'],
  ['date', '2025年10月1日', 'date.NOT_CANONICAL', 'warning', '2025-10-01'],
  ['date', '20251001', 'date.NOT_CANONICAL', 'warning', '2025-10-01'],
  ['date', '２０２５－１０－０１', 'date.NOT_CANONICAL', 'warning', '2025-10-01'],
  ['date', '2025-02-29', 'date.INVALID_DATE', 'error', undefined],
  ['date', '01/10/2025', 'date.BAD_FORMAT', 'error', undefined],
  ['date', '2027-01-01', undefined, undefined, undefined], // an expiry date may lie ahead
  ['past-date', '2027-01-01', 'past-date.FUTURE', 'error', undefined],
  ['past-date', '2026-11-26', undefined, undefined, undefined],
  ['past-date', '2026/11/26', 'past-date.NOT_CANONICAL', 'warning', '2026-11-26'],
  ['date', '1850-01-01', 'date.TOO_EARLY', 'error', undefined],
  ['region-code', '511602', undefined, undefined, undefined],
  ['region-code', '110228', 'region-code.NOT_CURRENT', 'warning', undefined],
  ['region-code', '130171', 'region-code.STATISTICAL_ONLY', 'warning', undefined],
  ['region-code', '511602000000', 'region-code.STAT_12_DIGIT', 'warning', '511602'],
  ['region-code', '５１１６０２', 'region-code.FULL_WIDTH', 'warning', '511602'],
  ['region-code', '999999', 'region-code.UNKNOWN', 'error', undefined],
  ['region-code', '51160', 'region-code.BAD_FORMAT', 'error', undefined],
  ['required', '张三', undefined, undefined, undefined],
  ['required', '', 'required.EMPTY', 'error', undefined],
  ['required', ' \u3000', 'required.EMPTY', 'error', undefined],
  ['required', 'NULL', 'required.PLACEHOLDER', 'error', undefined],
  ['required', '无', 'required.PLACEHOLDER', 'error', undefined],
  ['cn-orgcode', '68236467-9', undefined, undefined, undefined],
  ['cn-orgcode', '68236467-8', 'cn-orgcode.BAD_CHECKSUM', 'error', undefined],
  ['email', 'a@b.cn', undefined, undefined, undefined],
  ['email', 'a@b', 'email.BAD_DOMAIN', 'error', undefined],
  ['range:0..150', '35', undefined, undefined, undefined],
  ['range:0..150', '151', 'range.OUT_OF_RANGE', 'error', undefined],
  ['range:0..150', '-1', 'range.OUT_OF_RANGE', 'error', undefined],
  ['range:0..150', '３５', 'range.NOT_CANONICAL', 'warning', '35'],
  ['range:0..', 'abc', 'range.NOT_A_NUMBER', 'error', undefined],
];

describe('makeCellChecker', () => {
  it.each(table)('%s %j → %s', (kind, value, rule, severity, suggestion) => {
    const f = check(kind, value);
    if (rule === undefined) {
      expect(f).toBeUndefined();
      return;
    }
    expect(f).toMatchObject({ rule, severity });
    expect(f?.message).toMatch(/[\u4e00-\u9fff]/);
    expect(f?.suggestion).toBe(suggestion);
  });

  it('moves the earliest year when asked', () => {
    expect(makeCellChecker('date', { today, dateMinYear: 1800 })('1850-01-01')).toBeUndefined();
  });

  it('knows its kinds', () => {
    for (const k of ['cn-id', 'cn-uscc', 'cn-mobile', 'date', 'region-code', 'required', 'range:1..2', 'range:..5']) {
      expect(isCheckKind(k)).toBe(true);
    }
    for (const k of ['cn-foo', 'range:', 'range:a..b', 'range:..']) expect(isCheckKind(k)).toBe(false);
  });
});

describe('parseLooseDate', () => {
  it.each([
    ['2025-1-2', '2025-01-02'],
    ['2025.01.02', '2025-01-02'],
    ['2025 年 1 月 2 号', '2025-01-02'],
  ])('%j → %s', (s, d) => expect(parseLooseDate(s)).toEqual({ date: d, valid: true }));
  it('rejects ambiguous forms', () => expect(parseLooseDate('1/2/2025')).toBeUndefined());
});

describe('cross-column consistency', () => {
  it('birth-date column vs ID number', () => {
    expect(checkIdBirthDate('11010519491231002X', '1949-12-31', today)).toBeUndefined();
    expect(checkIdBirthDate('11010519491231002X', '1949年12月31日', today)).toBeUndefined();
    expect(checkIdBirthDate('11010519491231002X', '1949-12-30', today)).toMatchObject({ rule: 'cn-id.BIRTH_DATE_MISMATCH', severity: 'error' });
    expect(checkIdBirthDate('110105194912310021', '1949-12-30', today)).toBeUndefined(); // invalid ID: reported elsewhere
  });
  it('sex column vs ID number (17th digit odd = male)', () => {
    expect(checkIdSex('11010519491231002X', '女', today)).toBeUndefined();
    expect(checkIdSex('11010519491231002X', '男', today)).toMatchObject({ rule: 'cn-id.SEX_MISMATCH' });
    expect(checkIdSex('110101199003070134', 'M', today)).toBeUndefined();
    expect(checkIdSex('110101199003070134', '未知', today)).toBeUndefined();
  });
});
