import { validateEmail } from '../cn/email.ts';
import { validateIdNumber } from '../cn/id-number.ts';
import { validateMobile } from '../cn/mobile.ts';
import { validateOrgCode } from '../cn/org-code.ts';
import { foldIdentifier, toHalfWidth } from '../cn/normalize.ts';
import { lookupRegion } from '../cn/region.ts';
import type { CheckFailure, CheckWarning } from '../cn/types.ts';
import { validateUscc } from '../cn/uscc.ts';
import { CHECK_KINDS, type CellFinding, type CheckKind } from './types.ts';
import { isCalendarDate } from '../cn/id-number.ts';

/** Options shared by the cell checkers. */
export interface CheckOptions {
  /** Today's date in China, `YYYY-MM-DD` (ID birth dates and `date` values after it are findings). */
  today: string;
  /** Accept 15-digit ID numbers with a warning (default: error with the 18-digit upgrade as suggestion). */
  allowLegacyId15?: boolean;
  /** `date` and `past-date` columns: flag dates before this year (default 1900). */
  dateMinYear?: number;
}

/** A checker for one cell value: `undefined` when the value is fine. */
export type CellChecker = (value: string) => CellFinding | undefined;

const PLACEHOLDERS = new Set(['null', 'nil', 'none', 'n/a', 'na', '#n/a', '-', '--', '/', '无', '空', '暂无', '不详', '?', '？']);

function fromFailure(kind: string, r: CheckFailure): CellFinding {
  const f: CellFinding = { rule: `${kind}.${r.code}`, severity: 'error', message: r.message };
  if (r.suggestion !== undefined) f.suggestion = r.suggestion;
  return f;
}

function fromWarnings(kind: string, warnings: CheckWarning[], normalized: string): CellFinding | undefined {
  if (warnings.length === 0) return undefined;
  const f: CellFinding = {
    rule: `${kind}.${warnings.map((w) => w.code).join('+')}`,
    severity: 'warning',
    message: warnings.map((w) => w.message).join('；'),
  };
  const suggestion = warnings.find((w) => w.suggestion !== undefined)?.suggestion ?? normalized;
  f.suggestion = suggestion;
  return f;
}

const isBlank = (v: string): boolean => v.trim() === '' || /^[\s\u3000]*$/.test(v);

const CANONICAL_DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Parses a date as people write it in Chinese records: `2025-01-02`, `2025/1/2`, `2025.1.2`, `2025年1月2日`,
 * `20250102`, with full-width digits and spaces. Returns the canonical `YYYY-MM-DD` or `undefined`.
 * Day-first or month-first forms (`02/01/2025`) are ambiguous and are not accepted.
 */
export function parseLooseDate(input: string): { date: string; valid: boolean } | undefined {
  if (CANONICAL_DATE_RE.test(input)) {
    // Fast path for the common, already canonical form.
    const valid = isCalendarDate(Number(input.slice(0, 4)), Number(input.slice(5, 7)), Number(input.slice(8, 10)));
    return { date: input, valid };
  }
  const v = toHalfWidth(input).trim();
  const m =
    /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(v) ??
    /^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?$/.exec(v) ??
    /^(\d{4})(\d{2})(\d{2})$/.exec(v);
  if (!m) return undefined;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const date = `${m[1]}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  return { date, valid: isCalendarDate(y, mo, d) };
}

function parseRange(spec: string): { min: number; max: number } | undefined {
  const m = /^range:(-?\d+(?:\.\d+)?)?\.\.(-?\d+(?:\.\d+)?)?$/.exec(spec);
  if (!m || (m[1] === undefined && m[2] === undefined)) return undefined;
  return { min: m[1] === undefined ? -Infinity : Number(m[1]), max: m[2] === undefined ? Infinity : Number(m[2]) };
}

/** True when `kind` names a check (`CHECK_KINDS` or a well-formed `range:MIN..MAX`). */
export function isCheckKind(kind: string): kind is CheckKind {
  return (CHECK_KINDS as readonly string[]).includes(kind) || parseRange(kind) !== undefined;
}

/**
 * Builds the checker of one column kind. Empty cells pass every kind except `required` (pair a kind with `required`
 * to demand a value). Rules:
 * - `cn-id`: GB 11643 checksum, birth date real and not after `today`, GB/T 2260 region (current or historical);
 *   repairs `x`→`X`, full-width, spaces (warning + suggestion); 15-digit → error with the 18-digit upgrade.
 * - `cn-uscc`: GB 32100 (alphabet, authority, organisation code check, mod-31 check); repairs case, full-width, spaces.
 * - `cn-mobile`: mainland 11-digit; repairs `+86`/`0086`, separators, full-width, spaces.
 * - `date`: `YYYY-MM-DD`; other unambiguous forms (`2025/1/2`, `2025年1月2日`, `20250102`) get a warning with the
 *   canonical form; impossible dates, ambiguous forms and years before `dateMinYear` are errors. Future dates are
 *   fine (expiry dates, appointments).
 * - `past-date`: as `date`, and a date after `today` is an error (birth dates, issue dates, dates of events).
 * - `region-code`: six digits in GB/T 2260; abolished or NBS-only statistical codes are warnings; 12-digit NBS codes
 *   ending in `000000` are repaired to their six-digit prefix.
 * - `required`: empty, whitespace-only or a placeholder (`NULL`, `无`, `-`, `N/A` …).
 * - `email`: see `validateEmail`.
 * - `cn-orgcode`: GB 11714 organisation code (8 + check character, hyphen optional).
 * - `range:MIN..MAX`: a number within the bounds; full-width digits and spaces repaired.
 */
export function makeCellChecker(kind: CheckKind, options: CheckOptions): CellChecker {
  switch (kind) {
    case 'cn-id':
      return (v) => {
        if (isBlank(v)) return undefined;
        const r = validateIdNumber(v, { today: options.today, allowLegacy15: options.allowLegacyId15 ?? false });
        return r.ok ? fromWarnings(kind, r.warnings, r.normalized) : fromFailure(kind, r);
      };
    case 'cn-uscc':
      return (v) => {
        if (isBlank(v)) return undefined;
        const r = validateUscc(v);
        return r.ok ? fromWarnings(kind, r.warnings, r.normalized) : fromFailure(kind, r);
      };
    case 'cn-mobile':
      return (v) => {
        if (isBlank(v)) return undefined;
        const r = validateMobile(v);
        return r.ok ? fromWarnings(kind, r.warnings, r.normalized) : fromFailure(kind, r);
      };
    case 'cn-orgcode':
      return (v) => {
        if (isBlank(v)) return undefined;
        const r = validateOrgCode(v);
        return r.ok ? fromWarnings(kind, r.warnings, r.normalized) : fromFailure(kind, r);
      };
    case 'email':
      return (v) => {
        if (isBlank(v)) return undefined;
        const r = validateEmail(v);
        return r.ok ? fromWarnings(kind, r.warnings, r.normalized) : fromFailure(kind, r);
      };
    case 'required':
      return (v) => {
        if (isBlank(v)) return { rule: 'required.EMPTY', severity: 'error', message: '必填项为空' };
        if (PLACEHOLDERS.has(toHalfWidth(v).trim().toLowerCase())) {
          return { rule: 'required.PLACEHOLDER', severity: 'error', message: `必填项为占位符“${v.trim()}”，不是实际值` };
        }
        return undefined;
      };
    case 'date':
    case 'past-date': {
      const minYear = options.dateMinYear ?? 1900;
      const allowFuture = kind === 'date';
      return (v) => {
        if (isBlank(v)) return undefined;
        const p = parseLooseDate(v);
        if (!p) return { rule: `${kind}.BAD_FORMAT`, severity: 'error', message: `“${v}”不是可识别的日期（应为 YYYY-MM-DD）` };
        if (!p.valid) return { rule: `${kind}.INVALID_DATE`, severity: 'error', message: `${p.date} 不是有效日期` };
        if (Number(p.date.slice(0, 4)) < minYear) {
          return { rule: `${kind}.TOO_EARLY`, severity: 'error', message: `日期 ${p.date} 早于 ${minYear} 年` };
        }
        if (!allowFuture && p.date > options.today) {
          return { rule: `${kind}.FUTURE`, severity: 'error', message: `日期 ${p.date} 晚于今天（${options.today}）` };
        }
        if (p.date !== v) {
          return { rule: `${kind}.NOT_CANONICAL`, severity: 'warning', message: '日期应写作 YYYY-MM-DD', suggestion: p.date };
        }
        return undefined;
      };
    }
    case 'region-code': {
      const cache = new Map<string, CellFinding | undefined>();
      return (v) => {
        if (isBlank(v)) return undefined;
        if (cache.has(v)) return cache.get(v);
        const { value, warnings } = foldIdentifier(v);
        let code = value;
        let f: CellFinding | undefined;
        if (/^\d{6}0{6}$/.test(code)) {
          code = code.slice(0, 6);
          warnings.push({ code: 'STAT_12_DIGIT', message: '12位统计用区划代码，县级行政区划代码应取前6位' });
        }
        const region = /^\d{6}$/.test(code) ? lookupRegion(code) : undefined;
        if (!/^\d{6}$/.test(code)) {
          f = { rule: 'region-code.BAD_FORMAT', severity: 'error', message: `行政区划代码应为6位数字：“${v}”` };
        } else if (!region) {
          f = { rule: 'region-code.UNKNOWN', severity: 'error', message: `${code} 不是现行或曾经有效的行政区划代码` };
        } else if (region.source === 'nbs2023-statistical') {
          f = { rule: 'region-code.STATISTICAL_ONLY', severity: 'warning', message: `${code}（${region.name}）是统计用代码，不是 GB/T 2260 行政区划代码` };
        } else if (!region.current) {
          f = { rule: 'region-code.NOT_CURRENT', severity: 'warning', message: `${code}（${region.fullName}）已撤销或变更，不是现行代码` };
        }
        if (!f || f.severity === 'warning') {
          const w = fromWarnings('region-code', warnings, code);
          if (w && f) {
            f = { ...f, rule: `${f.rule}+${w.rule.slice('region-code.'.length)}`, message: `${f.message}；${w.message}`, suggestion: code };
          } else if (w) f = w;
        }
        cache.set(v, f);
        return f;
      };
    }
    default: {
      const range = parseRange(kind);
      if (!range) throw new RangeError(`unknown check kind ${JSON.stringify(kind)}`);
      return (v) => {
        if (isBlank(v)) return undefined;
        const s = toHalfWidth(v).replace(/[\s,]/g, '');
        if (!/^[-+]?\d+(\.\d+)?$/.test(s)) return { rule: 'range.NOT_A_NUMBER', severity: 'error', message: `“${v}”不是数字` };
        const x = Number(s);
        if (x < range.min || x > range.max) {
          return { rule: 'range.OUT_OF_RANGE', severity: 'error', message: `${s} 超出范围 ${kind.slice(6)}` };
        }
        if (s !== v) return { rule: 'range.NOT_CANONICAL', severity: 'warning', message: '数字含全角字符、空格或千分位', suggestion: s };
        return undefined;
      };
    }
  }
}
