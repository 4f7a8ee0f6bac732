import { foldIdentifier } from './normalize.ts';
import type { CheckFailure, CheckWarning } from './types.ts';

/** A valid mainland China mobile number. */
export interface MobileOk {
  ok: true;
  /** 11 digits, no prefix or separators, e.g. `13800138000`. */
  normalized: string;
  warnings: CheckWarning[];
}

export type MobileResult = MobileOk | CheckFailure;

const fail = (code: string, message: string): CheckFailure => ({ ok: false, code, message });

/**
 * Validates a mainland mobile number: 11 digits starting `13`–`19`. Accepts (and reports as a repair) full-width
 * digits, spaces, hyphens, dots and parentheses, and the country prefixes `+86`, `0086`, `86`.
 *
 * Failure codes: `EMPTY`, `BAD_CHARACTER`, `BAD_LENGTH`, `BAD_PREFIX`.
 */
export function validateMobile(input: string): MobileResult {
  const { value: folded, warnings } = foldIdentifier(input);
  if (folded === '') return fail('EMPTY', '手机号码为空');
  let v = folded.replace(/[-.()]/g, '');
  if (!/^\+?\d+$/.test(v)) return fail('BAD_CHARACTER', '手机号码只能包含数字（可带 +86 前缀）');
  let prefixed = false;
  if (v.startsWith('+86')) {
    v = v.slice(3);
    prefixed = true;
  } else if (v.startsWith('0086')) {
    v = v.slice(4);
    prefixed = true;
  } else if (v.startsWith('+')) {
    return fail('BAD_PREFIX', '不是中国大陆手机号码（国家代码应为 +86）');
  } else if (v.length === 13 && v.startsWith('861')) {
    v = v.slice(2);
    prefixed = true;
  }
  if (v.length !== 11) return fail('BAD_LENGTH', `手机号码应为11位，实为${v.length}位`);
  if (!/^1[3-9]/.test(v)) return fail('BAD_PREFIX', `号段“${v.slice(0, 3)}”不是大陆手机号段（应以13–19开头）`);
  if (prefixed) warnings.push({ code: 'COUNTRY_PREFIX', message: '手机号码去掉国家代码 +86 后存储' });
  if (/[-.()]/.test(folded)) warnings.push({ code: 'SEPARATORS', message: '手机号码含分隔符，已去除' });
  for (const w of warnings) w.suggestion ??= v;
  return { ok: true, normalized: v, warnings };
}
