import { foldIdentifier } from './normalize.ts';
import { orgCodeCheckChar } from './uscc.ts';
import type { CheckFailure, CheckWarning } from './types.ts';

/** A valid organisation code (组织机构代码, GB 11714-1997), the predecessor of the credit code (positions 9–17 of it). */
export interface OrgCodeOk {
  ok: true;
  /** Canonical form `XXXXXXXX-C` (8 characters, hyphen, check character). */
  normalized: string;
  warnings: CheckWarning[];
}

export type OrgCodeResult = OrgCodeOk | CheckFailure;

const fail = (code: string, message: string): CheckFailure => ({ ok: false, code, message });

/**
 * Validates an organisation code: 8 digits or upper-case letters and a check character (`0`–`9` or `X`), written
 * with or without the hyphen (both are common; `normalized` has it, as printed on the certificate). Lower case,
 * full-width characters and spaces are repairs with a warning. Failure codes: `EMPTY`, `BAD_FORMAT`,
 * `BAD_CHECKSUM`.
 */
export function validateOrgCode(input: string): OrgCodeResult {
  const { value: folded, warnings } = foldIdentifier(input);
  if (folded === '') return fail('EMPTY', '组织机构代码为空');
  let v = folded.toUpperCase();
  if (v !== folded) warnings.push({ code: 'LOWERCASE', message: '组织机构代码中的字母应为大写' });
  const m = /^([0-9A-Z]{8})-?([0-9X])$/.exec(v);
  if (!m) return fail('BAD_FORMAT', '组织机构代码应为8位数字或大写字母加1位校验码（如 68236467-9）');
  const [, body, check] = m;
  if (orgCodeCheckChar(body ?? '') !== check) return fail('BAD_CHECKSUM', '组织机构代码校验码错误');
  const canonical = `${body}-${check}`;
  v = canonical;
  for (const w of warnings) w.suggestion ??= v;
  return { ok: true, normalized: v, warnings };
}
