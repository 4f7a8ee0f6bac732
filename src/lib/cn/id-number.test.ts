import { describe, expect, it } from 'vitest';
import { idNumberCheckChar, upgradeIdNumber15, validateIdNumber } from './id-number.ts';

const today = '2026-11-26';

describe('validateIdNumber — valid numbers', () => {
  // 11010519491231002X and 440524188001010014 are the examples printed in GB 11643-1999 itself.
  it.each([
    ['11010519491231002X', '1949-12-31', 'female', '110105', '北京市朝阳区'],
    ['440524188001010014', '1880-01-01', 'male', '440524', '广东省汕头市潮阳县'],
    ['110101199003070134', '1990-03-07', 'male', '110101', '北京市东城区'],
    // 110228 密云县 was abolished in 2015 (now 110118 密云区): IDs issued there keep the old code.
    ['110228198001010032', '1980-01-01', 'male', '110228', '北京市密云县'],
    // 2000-02-29 is a leap day.
    ['110105200002290021', '2000-02-29', 'female', '110105', '北京市朝阳区'],
    // Born today is allowed.
    ['11010520261126002X', '2026-11-26', 'female', '110105', '北京市朝阳区'],
  ])('%s', (id, birthDate, sex, regionCode, regionName) => {
    const r = validateIdNumber(id, { today });
    expect(r).toMatchObject({ ok: true, normalized: id, birthDate, sex, regionCode, regionName, warnings: [] });
  });

  it('accepts 港澳台居民居住证 numbers (address code 810000/820000/830000)', () => {
    const body = '81000019900101002';
    const r = validateIdNumber(body + idNumberCheckChar(body), { today });
    expect(r).toMatchObject({ ok: true, regionCode: '810000', hmtResidencePermit: true, sex: 'female' });
    expect(r.ok && r.regionName).toContain('香港');
    const r2 = validateIdNumber('11010519491231002X', { today });
    expect(r2.ok && r2.hmtResidencePermit).toBe(false);
  });

  it('reports a historical region as not current', () => {
    const r = validateIdNumber('110228198001010032', { today });
    expect(r.ok && r.regionCurrent).toBe(false);
    const r2 = validateIdNumber('110101199003070134', { today });
    expect(r2.ok && r2.regionCurrent).toBe(true);
  });
});

describe('validateIdNumber — safe repairs become warnings with a suggestion', () => {
  it.each([
    ['11010519491231002x', 'LOWERCASE_X'],
    ['１１０１０５１９４９１２３１００２Ｘ', 'FULL_WIDTH'],
    [' 110105 19491231 002X ', 'WHITESPACE'],
    ['110105194912310O2X'.replace('O', '0') + '\u3000', 'WHITESPACE'],
  ])('%j → %s', (input, code) => {
    const r = validateIdNumber(input, { today });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.normalized).toBe('11010519491231002X');
    expect(r.warnings.map((w) => w.code)).toContain(code);
    expect(r.warnings.every((w) => w.suggestion === '11010519491231002X')).toBe(true);
  });
});

describe('validateIdNumber — invalid numbers', () => {
  it.each([
    ['', 'EMPTY'],
    ['11010519491231002', 'BAD_LENGTH'],
    ['11010519491231002X1', 'BAD_LENGTH'],
    ['1101051949123100X2', 'BAD_FORMAT'],
    ['11010519491231002A', 'BAD_FORMAT'],
    ['1101051949一231002X', 'BAD_FORMAT'],
    // One digit changed from the valid example: the checksum catches it.
    ['110105194912310021', 'BAD_CHECKSUM'],
    ['11010519491231012X', 'BAD_CHECKSUM'],
    // Two adjacent digits swapped.
    ['11010519491321002X', 'BAD_CHECKSUM'],
    // Checksums made valid, but impossible dates / future / unknown region.
    ['110105199002300000'.slice(0, 17) + idNumberCheckChar('11010519900230000'), 'BAD_BIRTH_DATE'],
    ['11010519011301000'.slice(0, 17) + idNumberCheckChar('11010519011301000'), 'BAD_BIRTH_DATE'],
    ['11010520270101002' + idNumberCheckChar('11010520270101002'), 'FUTURE_BIRTH_DATE'],
    ['11010520261127002' + idNumberCheckChar('11010520261127002'), 'FUTURE_BIRTH_DATE'],
    ['99999919900101002' + idNumberCheckChar('99999919900101002'), 'UNKNOWN_REGION'],
    // 110000 is the province (直辖市) itself, not an issuing county.
    ['11000019900101002' + idNumberCheckChar('11000019900101002'), 'UNKNOWN_REGION'],
    // 130171 is an NBS statistical code (石家庄高新区), never a GB/T 2260 code.
    ['13017119900101002' + idNumberCheckChar('13017119900101002'), 'UNKNOWN_REGION'],
  ])('%j → %s', (input, code) => {
    const r = validateIdNumber(input, { today });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.code).toBe(code);
    expect(r.message).toMatch(/[\u4e00-\u9fff]/);
    expect(r.suggestion).toBeUndefined();
  });
});

describe('15-digit legacy numbers', () => {
  it('computes the 18-digit upgrade (insert 19, append check digit)', () => {
    // 15-digit form of the GB 11643 example 11010519491231002X.
    expect(upgradeIdNumber15('110105491231002')).toBe('11010519491231002X');
  });

  it('fails with the upgrade as suggestion by default', () => {
    expect(validateIdNumber('110105491231002', { today })).toEqual({
      ok: false,
      code: 'LEGACY_15',
      message: expect.stringContaining('15位') as string,
      suggestion: '11010519491231002X',
    });
  });

  it('is accepted with allowLegacy15, upgraded, with a warning', () => {
    const r = validateIdNumber('110105491231002', { today, allowLegacy15: true });
    expect(r).toMatchObject({ ok: true, normalized: '11010519491231002X', legacy15: true, birthDate: '1949-12-31' });
    expect(r.ok && r.warnings.map((w) => w.code)).toEqual(['LEGACY_15']);
  });

  it('still checks date and region of a 15-digit number', () => {
    expect(validateIdNumber('110105491331002', { today })).toMatchObject({ ok: false, code: 'BAD_BIRTH_DATE' });
    expect(validateIdNumber('999999491231002', { today })).toMatchObject({ ok: false, code: 'UNKNOWN_REGION' });
  });
});

describe('idNumberCheckChar', () => {
  it.each([
    ['11010519491231002', 'X'],
    ['44052418800101001', '4'],
    ['11010119900307013', '4'],
  ])('%s → %s', (body, ch) => expect(idNumberCheckChar(body)).toBe(ch));
});
