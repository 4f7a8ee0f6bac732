import { validateMobile } from './mobile.ts';
import { toHalfWidth } from './normalize.ts';
import type { CheckFailure, CheckWarning } from './types.ts';

/** A valid mainland China fixed-line (landline) number. */
export interface LandlineOk {
  ok: true;
  /** `0731-88886666`, or with an extension `0731-88886666-801`. */
  normalized: string;
  /** The long-distance area code with its leading 0: `010`, `021`, `0731`. */
  areaCode: string;
  /** The local number, 7 or 8 digits. */
  local: string;
  /** The extension (分机), 1–6 digits, or null. */
  extension: string | null;
  warnings: CheckWarning[];
}

export type LandlineResult = LandlineOk | CheckFailure;

/** A valid contact phone: a mainland mobile or landline number. */
export interface PhoneOk {
  ok: true;
  kind: 'mobile' | 'landline';
  /** `13800138000` (mobile) or `0731-88886666[-801]` (landline). */
  normalized: string;
  warnings: CheckWarning[];
}

export type PhoneResult = PhoneOk | CheckFailure;

const fail = (code: string, message: string): CheckFailure => ({ ok: false, code, message });

/** Words and signs that introduce an extension: 0731-88886666 转 801, … ext. 801, … x801, … #801. */
const EXT_RE = /(?:转|分机|ext\.?|x|#)/i;

/**
 * Validates a mainland landline: the area code (`010` and `020`–`029` have three digits, the others `03xx`–`09xx`
 * four), a local number of 7 or 8 digits not starting with 0, and an optional extension of 1–6 digits. Accepts
 * spaces, hyphens, dots, parentheses (`(0731)88886666`), full-width characters, a `+86`/`0086` prefix before the
 * area code without its 0, and an extension after 转, 分机, ext, x, # or a last hyphenated group.
 *
 * Failure codes: `EMPTY`, `BAD_CHARACTER`, `NO_AREA_CODE`, `BAD_AREA_CODE`, `BAD_LENGTH`, `BAD_LOCAL`, `BAD_EXTENSION`.
 */
export function validateLandline(input: string): LandlineResult {
  const warnings: CheckWarning[] = [];
  let v = toHalfWidth(input);
  if (v !== input) warnings.push({ code: 'FULL_WIDTH', message: '含全角字符，已转换为半角' });
  v = v.trim();
  if (v === '') return fail('EMPTY', '电话号码为空');
  let ext: string | null = null;
  const m = EXT_RE.exec(v);
  if (m) {
    ext = v.slice(m.index + m[0].length).replace(/[\s\-.]/g, '');
    v = v.slice(0, m.index);
    if (!/^\d{1,6}$/.test(ext)) return fail('BAD_EXTENSION', '分机号应为 1–6 位数字');
  }
  // Groups of digits, separated by spaces, hyphens, dots or parentheses.
  if (!/^[+\d\s\-.()]+$/.test(v)) return fail('BAD_CHARACTER', '电话号码只能包含数字和分隔符（可带区号和分机号）');
  const plus = v.trim().startsWith('+');
  const groups = v.replace(/\+/g, '').split(/[\s\-.()]+/).filter(Boolean);
  let all = groups.join('');
  if (plus || all.startsWith('0086')) {
    if (!(plus ? all.startsWith('86') : true)) return fail('BAD_AREA_CODE', '不是中国大陆电话号码（国家代码应为 +86）');
    all = all.slice(plus ? 2 : 4);
    // People often keep the trunk 0 after the country code (+86 0731 88886666, +86 (0)731…): read it as the area
    // code's own 0. Two zeros are not an area code.
    if (all.startsWith('00')) return fail('BAD_AREA_CODE', '国家代码 +86 后的区号有误');
    if (!all.startsWith('0')) all = `0${all}`;
    warnings.push({ code: 'COUNTRY_PREFIX', message: '电话号码去掉国家代码 +86 后存储' });
    // The groups no longer say where an extension starts: only an explicit 转/ext marks one.
    groups.length = 0;
    groups.push(all);
  }
  if (!all.startsWith('0')) return fail('NO_AREA_CODE', '固定电话应带区号（如 0731-88886666）');
  const areaLen = /^0(?:10|2\d)/.test(all) ? 3 : 4;
  const area = all.slice(0, areaLen);
  if (!/^0(?:10|2\d|[3-9]\d\d)$/.test(area)) return fail('BAD_AREA_CODE', `区号“${area}”不是大陆长途区号`);
  let local = all.slice(areaLen);
  // A last hyphenated group after a complete number is an extension: 0731-88886666-801.
  if (ext === null && groups.length >= 2 && local.length > 8) {
    const last = groups[groups.length - 1]!;
    const rest = local.slice(0, local.length - last.length);
    if (last.length <= 6 && rest.length >= 7 && rest.length <= 8) {
      ext = last;
      local = rest;
    }
  }
  if (local.length < 7 || local.length > 8) return fail('BAD_LENGTH', `区号后的号码应为 7–8 位，实为 ${local.length} 位`);
  // Local numbers start with 2–9 in practice; 1 is let through (a citizen's 010-12345678 is not ours to refuse).
  if (local.startsWith('0')) return fail('BAD_LOCAL', '区号后的号码不能以 0 开头');
  const normalized = `${area}-${local}${ext ? `-${ext}` : ''}`;
  for (const w of warnings) w.suggestion ??= normalized;
  return { ok: true, normalized, areaCode: area, local, extension: ext, warnings };
}

/**
 * Validates a contact phone that may be a mainland mobile (`validateMobile`) or landline (`validateLandline`)
 * number. A failure reports the mobile check's reason when the input looks like a mobile number (starts with 1 or
 * +86 1), else the landline check's.
 */
export function validatePhone(input: string): PhoneResult {
  const mobile = validateMobile(input);
  if (mobile.ok) return { ok: true, kind: 'mobile', normalized: mobile.normalized, warnings: mobile.warnings };
  const landline = validateLandline(input);
  if (landline.ok) return { ok: true, kind: 'landline', normalized: landline.normalized, warnings: landline.warnings };
  const digits = toHalfWidth(input).replace(/[^\d]/g, '').replace(/^(?:0086|86)(?=1)/, '');
  return digits.startsWith('1') ? mobile : landline;
}
