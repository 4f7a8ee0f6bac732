import type { CheckWarning } from './types.ts';

const FULL_WIDTH_RE = /[\uff01-\uff5e\u3000]/;

/**
 * Folds full-width ASCII (U+FF01..U+FF5E, as typed with a Chinese IME) to half-width and the ideographic space to
 * a space. Everything else is kept.
 */
export function toHalfWidth(s: string): string {
  if (!FULL_WIDTH_RE.test(s)) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xff01 && c <= 0xff5e) out += String.fromCharCode(c - 0xfee0);
    else if (c === 0x3000) out += ' ';
    else out += s[i];
  }
  return out;
}

/** Whitespace including no-break, zero-width and ideographic spaces, tabs and line breaks. */
const SPACE_RE = /[\s\u00a0\u200b\u200c\u200d\u2060\ufeff\u3000]+/g;

const ANY_SPACE_RE = /[\s\u00a0\u200b\u200c\u200d\u2060\ufeff\u3000]/;

/**
 * Applies the repairs that never change meaning — full-width → half-width, removal of all whitespace — and reports
 * each one that changed the input as a warning. `spaces: 'remove'` drops inner spaces too (identifiers), `'trim'`
 * only strips the ends (free text such as e-mail is then left for the validator to reject).
 */
export function foldIdentifier(
  input: string,
  spaces: 'remove' | 'trim' = 'remove',
): { value: string; warnings: CheckWarning[] } {
  const warnings: CheckWarning[] = [];
  let v = input;
  const half = toHalfWidth(v);
  if (half !== v) {
    warnings.push({ code: 'FULL_WIDTH', message: '含全角字符，已转换为半角' });
    v = half;
  }
  if (!ANY_SPACE_RE.test(v)) return { value: v, warnings };
  const stripped = spaces === 'remove' ? v.replace(SPACE_RE, '') : v.replace(/^[\s\u00a0\u200b\ufeff\u3000]+|[\s\u00a0\u200b\ufeff\u3000]+$/g, '');
  if (stripped !== v) {
    warnings.push({ code: 'WHITESPACE', message: '含多余空格，已去除' });
    v = stripped;
  }
  return { value: v, warnings };
}
