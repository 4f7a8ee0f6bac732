import { foldIdentifier } from './normalize.ts';
import type { CheckFailure, CheckWarning } from './types.ts';

/** A valid e-mail address. */
export interface EmailOk {
  ok: true;
  /** Trimmed, half-width, domain in lower case; the local part is kept as typed. */
  normalized: string;
  warnings: CheckWarning[];
}

export type EmailResult = EmailOk | CheckFailure;

const fail = (code: string, message: string): CheckFailure => ({ ok: false, code, message });

const LOCAL_RE = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const LABEL_RE = /^(?!-)[\p{L}\p{N}-]{1,63}(?<!-)$/u;

/**
 * Validates an e-mail address as people use them (not the full RFC 5322 grammar): one `@`, a dot-atom local part of
 * at most 64 characters, a domain of at least two labels with a letter TLD, total length ≤ 254. Full-width
 * characters (`＠`, `．`) and surrounding spaces are repaired with a warning; an upper-case domain is lowered.
 *
 * Failure codes: `EMPTY`, `BAD_FORMAT`, `BAD_LOCAL_PART`, `BAD_DOMAIN`, `TOO_LONG`.
 */
export function validateEmail(input: string): EmailResult {
  const { value: folded, warnings } = foldIdentifier(input.replace(/。/g, '.'), 'trim');
  if (folded === '') return fail('EMPTY', '电子邮箱为空');
  if (input.includes('。')) warnings.push({ code: 'FULL_WIDTH', message: '含中文句号，已转换为“.”' });
  const at = folded.lastIndexOf('@');
  if (at < 0 || folded.indexOf('@') !== at) return fail('BAD_FORMAT', '电子邮箱应含且只含一个“@”');
  const local = folded.slice(0, at);
  const domain = folded.slice(at + 1);
  if (folded.length > 254) return fail('TOO_LONG', '电子邮箱过长');
  if (local.length === 0 || local.length > 64 || !LOCAL_RE.test(local)) return fail('BAD_LOCAL_PART', '“@”前的用户名格式不正确');
  const labels = domain.split('.');
  const tld = labels[labels.length - 1] ?? '';
  if (labels.length < 2 || !labels.every((l) => LABEL_RE.test(l)) || !/^(\p{L}{2,63}|xn--[a-z0-9-]+)$/iu.test(tld)) {
    return fail('BAD_DOMAIN', '“@”后的域名格式不正确');
  }
  const lower = domain.toLowerCase();
  if (lower !== domain) warnings.push({ code: 'UPPERCASE_DOMAIN', message: '域名应为小写' });
  const normalized = `${local}@${lower}`;
  for (const w of warnings) w.suggestion ??= normalized;
  return { ok: true, normalized, warnings };
}
