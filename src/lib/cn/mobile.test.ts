import { describe, expect, it } from 'vitest';
import { validateMobile } from './mobile.ts';

describe('validateMobile', () => {
  it.each([
    ['13800138000', []],
    ['19912345678', []],
    ['16612345678', []],
    ['+8613800138000', ['COUNTRY_PREFIX']],
    ['+86 138 0013 8000', ['WHITESPACE', 'COUNTRY_PREFIX']],
    ['008613800138000', ['COUNTRY_PREFIX']],
    ['8613800138000', ['COUNTRY_PREFIX']],
    ['138-0013-8000', ['SEPARATORS']],
    ['１３８００１３８０００', ['FULL_WIDTH']],
  ])('%j is valid → 13800138000-style with warnings %j', (input, codes) => {
    const r = validateMobile(input);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.normalized).toMatch(/^1[3-9]\d{9}$/);
    expect(r.warnings.map((w) => w.code)).toEqual(codes);
    for (const w of r.warnings) expect(w.suggestion).toBe(r.normalized);
  });

  it.each([
    ['', 'EMPTY'],
    ['1380013800', 'BAD_LENGTH'],
    ['138001380001', 'BAD_LENGTH'],
    ['12800138000', 'BAD_PREFIX'],
    ['23800138000', 'BAD_PREFIX'],
    ['+85291234567', 'BAD_PREFIX'],
    ['010-12345678', 'BAD_PREFIX'],
    ['138OO138000', 'BAD_CHARACTER'],
    ['电话13800138000', 'BAD_CHARACTER'],
  ])('%j → %s', (input, code) => {
    expect(validateMobile(input)).toMatchObject({ ok: false, code });
  });
});
