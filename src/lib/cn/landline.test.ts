import { describe, expect, it } from 'vitest';
import { validateLandline, validatePhone } from './landline.ts';

describe('validateLandline', () => {
  it.each([
    ['0731-88886666', '0731-88886666', []],
    ['010-12345678', '010-12345678', []],
    ['02112345678', '021-12345678', []],
    ['073188886666', '0731-88886666', []],
    ['0991-7654321', '0991-7654321', []],
    ['(0731)88886666', '0731-88886666', []],
    ['0731 8888 6666', '0731-88886666', []],
    ['0731-88886666-801', '0731-88886666-801', []],
    ['010-12345678-1', '010-12345678-1', []],
    ['0731-88886666 转 801', '0731-88886666-801', []],
    ['0731-88886666分机801', '0731-88886666-801', []],
    ['010-12345678 ext. 2345', '010-12345678-2345', []],
    ['010-12345678#2345', '010-12345678-2345', []],
    ['+86 731 8888 6666', '0731-88886666', ['COUNTRY_PREFIX']],
    ['0086-10-12345678', '010-12345678', ['COUNTRY_PREFIX']],
    ['+86 0731 88886666', '0731-88886666', ['COUNTRY_PREFIX']],
    ['0086-010-12345678', '010-12345678', ['COUNTRY_PREFIX']],
    ['+86 (0)731 8888 6666', '0731-88886666', ['COUNTRY_PREFIX']],
    ['０７３１－８８８８６６６６', '0731-88886666', ['FULL_WIDTH']],
  ])('%j → %j (warnings %j)', (input, normalized, codes) => {
    const r = validateLandline(input);
    expect(r).toMatchObject({ ok: true, normalized });
    if (r.ok) expect(r.warnings.map((w) => w.code)).toEqual(codes);
  });

  it.each([
    ['', 'EMPTY'],
    ['88886666', 'NO_AREA_CODE'],
    ['13800138000', 'NO_AREA_CODE'],
    ['0131-88886666', 'BAD_AREA_CODE'],
    ['+86 00731 88886666', 'BAD_AREA_CODE'],
    ['+44 20 7946 0958', 'BAD_AREA_CODE'],
    ['0731-888866', 'BAD_LENGTH'],
    ['0731-888866667', 'BAD_LENGTH'],
    ['0731-08886666', 'BAD_LOCAL'],
    ['0731-88886666 转 abc', 'BAD_EXTENSION'],
    ['0731-88886666 转 1234567', 'BAD_EXTENSION'],
    ['电话0731-88886666', 'BAD_CHARACTER'],
  ])('%j → %s', (input, code) => {
    expect(validateLandline(input)).toMatchObject({ ok: false, code });
  });
});

describe('validatePhone', () => {
  it.each([
    ['13800138000', 'mobile', '13800138000'],
    ['+86 138 0013 8000', 'mobile', '13800138000'],
    ['0731-88886666', 'landline', '0731-88886666'],
    ['010-12345678-123', 'landline', '010-12345678-123'],
  ])('%j is a %s number → %j', (input, kind, normalized) => {
    expect(validatePhone(input)).toMatchObject({ ok: true, kind, normalized });
  });

  it('says why a mobile-looking number fails as a mobile, any other as a landline', () => {
    expect(validatePhone('1380013800')).toMatchObject({ ok: false, code: 'BAD_LENGTH', message: '手机号码应为11位，实为10位' });
    expect(validatePhone('+86 138 0013 800')).toMatchObject({ ok: false, code: 'BAD_LENGTH' });
    expect(validatePhone('0731-888866')).toMatchObject({ ok: false, code: 'BAD_LENGTH', message: '区号后的号码应为 7–8 位，实为 6 位' });
    expect(validatePhone('88886666')).toMatchObject({ ok: false, code: 'NO_AREA_CODE' });
  });
});
