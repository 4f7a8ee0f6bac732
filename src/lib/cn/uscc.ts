import { foldIdentifier } from './normalize.ts';
import { lookupRegion } from './region.ts';
import type { CheckFailure, CheckWarning } from './types.ts';

/** A valid unified social credit code (统一社会信用代码, GB 32100-2015). */
export interface UsccOk {
  ok: true;
  /** 18 upper-case characters. */
  normalized: string;
  /** Registration authority (登记管理部门), e.g. `工商`. */
  authority: string;
  /** Position 2: organisation type digit within that authority. */
  orgType: string;
  /** Positions 3–8: the registering authority's region code (GB/T 2260; `100000` = national). */
  regionCode: string;
  /** Full region name when the code is known, else undefined. */
  regionName: string | undefined;
  /** Positions 9–17: the organisation code (组织机构代码, GB 11714), with its own check character. */
  organizationCode: string;
  warnings: CheckWarning[];
}

export type UsccResult = UsccOk | CheckFailure;

/** The 31 characters of GB 32100 (no I, O, Z, S, V), in value order 0..30. */
export const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2] as const;

/** Registration authority codes of GB 32100 and the organisation types each may use. */
const AUTHORITIES: Record<string, { name: string; types: string }> = {
  '1': { name: '机构编制', types: '1239' },
  '2': { name: '外交', types: '19' },
  '3': { name: '司法行政', types: '123459' },
  '4': { name: '文化', types: '19' },
  '5': { name: '民政', types: '1239' },
  '6': { name: '旅游', types: '19' },
  '7': { name: '宗教', types: '129' },
  '8': { name: '工会', types: '19' },
  '9': { name: '工商', types: '123' },
  A: { name: '中央军委改革和编制办公室', types: '19' },
  N: { name: '农业', types: '1239' },
  Y: { name: '其他', types: '1' },
};

/** Check character (position 18) of the first 17 characters of a USCC; `undefined` if a character is outside the alphabet. */
export function usccCheckChar(body17: string): string | undefined {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = USCC_ALPHABET.indexOf(body17[i] ?? '');
    if (v < 0) return undefined;
    sum += v * (USCC_WEIGHTS[i] ?? 0);
  }
  return USCC_ALPHABET[(31 - (sum % 31)) % 31];
}

/** Check character (9th) of an 8-character GB 11714 organisation code body (digits and upper-case letters). */
export function orgCodeCheckChar(body8: string): string | undefined {
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const c = body8.charCodeAt(i);
    let v: number;
    if (c >= 48 && c <= 57) v = c - 48;
    else if (c >= 65 && c <= 90) v = c - 55;
    else return undefined;
    sum += v * (ORG_WEIGHTS[i] ?? 0);
  }
  const r = 11 - (sum % 11);
  return r === 10 ? 'X' : r === 11 ? '0' : String(r);
}

const fail = (code: string, message: string): CheckFailure => ({ ok: false, code, message });

/**
 * Validates a unified social credit code: 18 characters of the GB 32100 alphabet, a known registration authority
 * and organisation type, the organisation-code check character inside it (positions 9–17) and the mod-31 check
 * character. Lower case, full-width characters and spaces are repaired with a warning.
 *
 * Failure codes: `EMPTY`, `BAD_LENGTH`, `BAD_CHARACTER`, `BAD_AUTHORITY`, `BAD_ORG_TYPE`, `BAD_REGION_FORMAT`,
 * `BAD_ORG_CODE_CHECKSUM`, `BAD_CHECKSUM`.
 */
export function validateUscc(input: string): UsccResult {
  const { value: folded, warnings } = foldIdentifier(input);
  if (folded === '') return fail('EMPTY', '统一社会信用代码为空');
  let v = folded;
  const upper = v.toUpperCase();
  if (upper !== v) {
    warnings.push({ code: 'LOWERCASE', message: '统一社会信用代码中的字母应为大写' });
    v = upper;
  }
  if (v.length !== 18) return fail('BAD_LENGTH', `统一社会信用代码应为18位，实为${v.length}位`);
  for (let i = 0; i < 18; i++) {
    const ch = v[i] ?? '';
    if (!USCC_ALPHABET.includes(ch)) {
      const hint = 'IOZSV'.includes(ch) ? `（代码不使用字母 I、O、Z、S、V）` : '';
      return fail('BAD_CHARACTER', `第${i + 1}位字符“${ch}”无效${hint}`);
    }
  }
  const auth = AUTHORITIES[v[0] ?? ''];
  if (!auth) return fail('BAD_AUTHORITY', `登记管理部门代码“${v[0]}”无效`);
  if (!auth.types.includes(v[1] ?? '')) return fail('BAD_ORG_TYPE', `机构类别代码“${v[1]}”与登记管理部门（${auth.name}）不符`);
  const regionCode = v.slice(2, 8);
  if (!/^\d{6}$/.test(regionCode)) return fail('BAD_REGION_FORMAT', `第3–8位登记管理机关行政区划码应为6位数字`);
  const org = v.slice(8, 17);
  if (orgCodeCheckChar(org.slice(0, 8)) !== org[8]) {
    return fail('BAD_ORG_CODE_CHECKSUM', '第9–17位组织机构代码的校验码错误');
  }
  if (usccCheckChar(v.slice(0, 17)) !== v[17]) return fail('BAD_CHECKSUM', '统一社会信用代码校验码错误');
  for (const w of warnings) w.suggestion ??= v;
  const region = regionCode === '100000' ? undefined : lookupRegion(regionCode);
  return {
    ok: true,
    normalized: v,
    authority: auth.name,
    orgType: v[1] ?? '',
    regionCode,
    regionName: regionCode === '100000' ? '全国' : region?.fullName,
    organizationCode: org,
    warnings,
  };
}
