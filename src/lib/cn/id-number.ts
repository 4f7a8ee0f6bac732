import { foldIdentifier } from './normalize.ts';
import { lookupRegion } from './region.ts';
import type { CheckFailure, CheckWarning } from './types.ts';

/** A valid citizen ID number (居民身份证号码, GB 11643-1999). */
export interface IdNumberOk {
  ok: true;
  /** The 18-character number in canonical form (half-width, upper-case `X`; upgraded when the input had 15 digits). */
  normalized: string;
  /** `YYYY-MM-DD`. */
  birthDate: string;
  /** From the sequence code's last digit: odd = male. */
  sex: 'male' | 'female';
  /** First six digits: where the number was first issued. */
  regionCode: string;
  /** Full name of that region (province + prefecture + county) as last known, e.g. `北京市朝阳区`. */
  regionName: string;
  /** False when the code has since been abolished or renamed away (the ID stays valid). */
  regionCurrent: boolean;
  /**
   * True for the numbers of 港澳台居民居住证 (residence permits of Hong Kong, Macao and Taiwan residents, issued since
   * 2018 in the same 18-digit format with address code 810000, 820000 or 830000).
   */
  hmtResidencePermit: boolean;
  /** True when the input was a 15-digit legacy number (only accepted with `allowLegacy15`). */
  legacy15: boolean;
  /** Repairs that were needed to get `normalized` (lower-case `x`, full-width digits, spaces, 15→18 upgrade). */
  warnings: CheckWarning[];
}

export type IdNumberResult = IdNumberOk | CheckFailure;

export interface IdNumberOptions {
  /** Today's date in China, `YYYY-MM-DD`: birth dates after it are rejected. */
  today: string;
  /**
   * Accept 15-digit numbers (issued until 1999, invalid since 2013) as valid, upgraded to 18 digits, with a warning.
   * Default false: they fail with code `LEGACY_15` and the upgraded number as suggestion.
   */
  allowLegacy15?: boolean;
  /** Earliest accepted birth year (default 1800; GB 11643 itself uses an 1880 example). */
  minBirthYear?: number;
}

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';

/**
 * ISO 7064 MOD 11-2 check character of the first 17 digits of an ID number (`0`–`9` or `X`).
 * `body` must be 17 ASCII digits.
 */
export function idNumberCheckChar(body: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (body.charCodeAt(i) - 48) * (WEIGHTS[i] ?? 0);
  return CHECK_CHARS[sum % 11] ?? '?';
}

/** Upgrades a 15-digit legacy number (YYMMDD birth date, born 19xx) to 18 digits. Input must be 15 ASCII digits. */
export function upgradeIdNumber15(id15: string): string {
  const body = id15.slice(0, 6) + '19' + id15.slice(6);
  return body + idNumberCheckChar(body);
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/** True when `y-m-d` is a real Gregorian calendar date. */
export function isCalendarDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  if (m === 2) return d <= ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28);
  return d <= (MONTH_DAYS[m - 1] ?? 0);
}

/** Address codes of the 港澳台居民居住证 numbers (GB 11643 format, not GB/T 2260 counties). */
const HMT_PERMIT_CODES: Record<string, string | undefined> = {
  '810000': '香港特别行政区（港澳台居民居住证）',
  '820000': '澳门特别行政区（港澳台居民居住证）',
  '830000': '台湾地区（港澳台居民居住证）',
};

const fail = (code: string, message: string, suggestion?: string): CheckFailure =>
  suggestion === undefined ? { ok: false, code, message } : { ok: false, code, message, suggestion };

/**
 * Validates a mainland citizen ID number: 18 characters, checksum (ISO 7064 MOD 11-2), a real birth date not after
 * `today`, and a region code that exists or existed in GB/T 2260. Safe repairs (full-width characters, spaces,
 * lower-case `x`) are applied and reported as warnings; 15-digit legacy numbers are recognised and the 18-digit
 * upgrade offered.
 *
 * Failure codes: `EMPTY`, `BAD_FORMAT`, `BAD_LENGTH`, `LEGACY_15`, `BAD_CHECKSUM`, `BAD_BIRTH_DATE`,
 * `FUTURE_BIRTH_DATE`, `UNKNOWN_REGION`.
 */
export function validateIdNumber(input: string, options: IdNumberOptions): IdNumberResult {
  const { value: folded, warnings } = foldIdentifier(input);
  if (folded === '') return fail('EMPTY', '身份证号码为空');
  let v = folded;
  if (v.endsWith('x')) {
    v = v.slice(0, -1) + 'X';
    warnings.push({ code: 'LOWERCASE_X', message: '校验码 x 应为大写 X' });
  }
  let legacy15 = false;
  if (v.length === 15) {
    if (!/^\d{15}$/.test(v)) return fail('BAD_FORMAT', '15位身份证号码应全部为数字');
    legacy15 = true;
    v = upgradeIdNumber15(v);
  } else if (v.length !== 18) {
    if (!/^[\dX]*$/.test(v)) return fail('BAD_FORMAT', '身份证号码只能由数字和末位 X 组成');
    return fail('BAD_LENGTH', `身份证号码应为18位，实为${v.length}位`);
  }
  if (!/^\d{17}[\dX]$/.test(v)) return fail('BAD_FORMAT', '身份证号码前17位应为数字，末位为数字或 X');

  // 15-digit numbers carry no check digit: the upgrade computed one, so only the 18-digit form is checked.
  if (!legacy15 && idNumberCheckChar(v) !== v[17]) return fail('BAD_CHECKSUM', '身份证号码校验码错误（可能有数字录入错误）');

  const y = Number(v.slice(6, 10));
  const m = Number(v.slice(10, 12));
  const d = Number(v.slice(12, 14));
  const minYear = options.minBirthYear ?? 1800;
  if (y < minYear || !isCalendarDate(y, m, d)) return fail('BAD_BIRTH_DATE', `出生日期 ${v.slice(6, 14)} 不是有效日期`);
  const birthDate = `${v.slice(6, 10)}-${v.slice(10, 12)}-${v.slice(12, 14)}`;
  if (birthDate > options.today) return fail('FUTURE_BIRTH_DATE', `出生日期 ${birthDate} 晚于今天`);

  const regionCode = v.slice(0, 6);
  const hmt = legacy15 ? undefined : HMT_PERMIT_CODES[regionCode];
  const region = hmt ? undefined : lookupRegion(regionCode);
  if (!hmt && (!region || region.source === 'nbs2023-statistical' || region.level === 'province')) {
    return fail('UNKNOWN_REGION', `地址码 ${regionCode} 不是现行或曾经有效的行政区划代码`);
  }

  if (legacy15) {
    const w: CheckWarning = { code: 'LEGACY_15', message: '15位旧身份证号码，应升级为18位', suggestion: v };
    if (!options.allowLegacy15) return fail(w.code, w.message, v);
    warnings.push(w);
  }
  if (warnings.length > 0) for (const w of warnings) w.suggestion ??= v;

  return {
    ok: true,
    normalized: v,
    birthDate,
    sex: (v.charCodeAt(16) - 48) % 2 === 1 ? 'male' : 'female',
    regionCode,
    regionName: hmt ?? region?.fullName ?? '',
    regionCurrent: hmt ? true : (region?.current ?? false),
    hmtResidencePermit: hmt !== undefined,
    legacy15,
    warnings,
  };
}
