import { describe, expect, it } from 'vitest';
import { orgCodeCheckChar, usccCheckChar, validateUscc } from './uscc.ts';

describe('validateUscc — real codes', () => {
  // 91350100M000100Y43 is the example of GB 32100-2015; the others are public registrations
  // (华为技术有限公司, 深圳市腾讯计算机系统有限公司, 阿里巴巴（中国）有限公司 …).
  it.each([
    ['91350100M000100Y43', '工商', '350100', '福建省福州市'],
    ['914403001922038216', '工商', '440300', '广东省深圳市'],
    ['91440300708461136T', '工商', '440300', '广东省深圳市'],
    ['91330100716105852F', '工商', '330100', '浙江省杭州市'],
    ['91110108551385082Q', '工商', '110108', '北京市海淀区'],
    ['91310000MA1FL1MMXL', '工商', '310000', '上海市'],
  ])('%s', (code, authority, regionCode, regionName) => {
    expect(validateUscc(code)).toMatchObject({ ok: true, normalized: code, authority, regionCode, regionName, warnings: [] });
  });

  // Department codes of 广安市广安区 as published in the official Sichuan catalogue
  // (datasets of the shared data: gov-service-items-sichuan-guangan; 40 of 40 distinct full codes validate).
  it.each([
    ['11511300008778693M', '机构编制', '511300'],
    ['11511301008778386B', '机构编制', '511301'],
    ['115113010087783353', '机构编制', '511301'],
    ['1151130100877801XA', '机构编制', '511301'],
    ['11511300MB1A21304N', '机构编制', '511300'],
    ['11511301MB0T669970', '机构编制', '511301'],
  ])('government department %s', (code, authority, regionCode) => {
    expect(validateUscc(code)).toMatchObject({ ok: true, authority, regionCode });
  });

  it('the same catalogue also has truncated and lower-case codes', () => {
    expect(validateUscc('1151130000877869M')).toMatchObject({ ok: false, code: 'BAD_LENGTH' });
    expect(validateUscc('11511301452259996u')).toMatchObject({ ok: true, normalized: '11511301452259996U' });
  });

  it('repairs lower case, full width and spaces with a suggestion', () => {
    for (const input of ['91350100m000100y43', '９１３５０１００Ｍ０００１００Ｙ４３', '9135 0100 M000 100Y 43']) {
      const r = validateUscc(input);
      expect(r.ok).toBe(true);
      if (!r.ok) continue;
      expect(r.normalized).toBe('91350100M000100Y43');
      expect(r.warnings.length).toBeGreaterThan(0);
      expect(r.warnings.every((w) => w.suggestion === '91350100M000100Y43')).toBe(true);
    }
  });
});

describe('validateUscc — invalid codes', () => {
  it.each([
    ['', 'EMPTY'],
    ['91350100M000100Y4', 'BAD_LENGTH'],
    // I, O, Z, S, V are not in the alphabet.
    ['91350100M000100YO3', 'BAD_CHARACTER'],
    ['91350100I000100Y43', 'BAD_CHARACTER'],
    ['9135010-M000100Y43', 'BAD_CHARACTER'],
    // B is not a registration authority; 9 (工商) has no organisation type 5.
    ['B1350100M000100Y43', 'BAD_AUTHORITY'],
    ['95350100M000100Y43', 'BAD_ORG_TYPE'],
    ['913501A0M000100Y43', 'BAD_REGION_FORMAT'],
    // Last character changed.
    ['91350100M000100Y44', 'BAD_CHECKSUM'],
    ['91440300708461136U', 'BAD_CHECKSUM'],
    // A digit inside the organisation code changed: its own check character (GB 11714) fails first.
    ['91350100M000200Y43', 'BAD_ORG_CODE_CHECKSUM'],
    ['914403001922038226', 'BAD_ORG_CODE_CHECKSUM'],
  ])('%j → %s', (input, code) => {
    const r = validateUscc(input);
    expect(r).toMatchObject({ ok: false, code });
    expect(!r.ok && r.message).toMatch(/[\u4e00-\u9fff]/);
  });
});

describe('check characters', () => {
  it('mod 31 over the GB 32100 alphabet', () => {
    expect(usccCheckChar('91350100M000100Y4')).toBe('3');
    expect(usccCheckChar('91440300708461136')).toBe('T');
    expect(usccCheckChar('9135010OM000100Y4')).toBeUndefined();
  });
  it('GB 11714 organisation code (X for 10)', () => {
    expect(orgCodeCheckChar('19220382')).toBe('1');
    expect(orgCodeCheckChar('MA1FL1MM')).toBe('X');
  });
});
