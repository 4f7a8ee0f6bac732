import { describe, expect, it } from 'vitest';
import { validateOrgCode } from './org-code.ts';

describe('validateOrgCode (GB 11714)', () => {
  // Real codes from the dept_code column of the 广安区 service catalogue, written with and without the hyphen.
  it.each([
    ['68236467-9', '68236467-9', []],
    ['76726532-X', '76726532-X', []],
    ['008779522', '00877952-2', []],
    ['74468656X', '74468656-X', []],
    ['00877844x', '00877844-X', ['LOWERCASE']],
    ['６８２３６４６７－９', '68236467-9', ['FULL_WIDTH']],
    // Embedded in a credit code (positions 9–17): MA1FL1MM-X of 91310000MA1FL1MMXL.
    ['MA1FL1MM-X', 'MA1FL1MM-X', []],
  ])('%j → %s', (input, normalized, codes) => {
    const r = validateOrgCode(input);
    expect(r).toMatchObject({ ok: true, normalized });
    expect(r.ok && r.warnings.map((w) => w.code)).toEqual(codes);
  });

  it.each([
    ['', 'EMPTY'],
    ['0087790701', 'BAD_FORMAT'],
    ['6823646-9', 'BAD_FORMAT'],
    ['68236467-A', 'BAD_FORMAT'],
    ['68236467-8', 'BAD_CHECKSUM'],
    ['130501003', 'BAD_CHECKSUM'],
  ])('%j → %s', (input, code) => expect(validateOrgCode(input)).toMatchObject({ ok: false, code }));
});
