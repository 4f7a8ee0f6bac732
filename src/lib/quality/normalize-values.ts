import { validateIdNumber } from '../cn/id-number.ts';
import { validateMobile } from '../cn/mobile.ts';
import { foldIdentifier } from '../cn/normalize.ts';
import { validateUscc } from '../cn/uscc.ts';
import { parseLooseDate } from './checks.ts';

/** How a field's values are compared: by their canonical form for that kind. */
export type CompareKind = 'text' | 'name' | 'cn-id' | 'cn-uscc' | 'cn-mobile' | 'date' | 'region-code' | 'exact';

/**
 * Canonical form of a person's name for comparison: NFKC (full-width → half-width), no whitespace, all middle-dot
 * variants as `·` (少数民族 and foreign names: 阿依古丽·买买提), Latin lower-cased.
 */
export function canonicalName(s: string): string {
  return s
    .normalize('NFKC')
    .replace(/[\s\u200b\ufeff]+/g, '')
    .replace(/[·•・‧∙⋅.．]/g, '·')
    .toLowerCase();
}

/** Canonical form of a value for comparison ('' for empty). Invalid identifiers fall back to their folded text. */
export function canonicalValue(kind: CompareKind, value: string, today: string): string {
  if (kind === 'exact') return value;
  const t = value.trim();
  if (t === '') return '';
  switch (kind) {
    case 'name':
      return canonicalName(t);
    case 'text':
      return t.normalize('NFKC').replace(/\s+/g, ' ').trim();
    case 'cn-id': {
      const r = validateIdNumber(t, { today, allowLegacy15: true });
      return r.ok ? r.normalized : foldIdentifier(t).value.toUpperCase();
    }
    case 'cn-uscc': {
      const r = validateUscc(t);
      return r.ok ? r.normalized : foldIdentifier(t).value.toUpperCase();
    }
    case 'cn-mobile': {
      const r = validateMobile(t);
      return r.ok ? r.normalized : t.replace(/\D/g, '');
    }
    case 'date': {
      const d = parseLooseDate(t);
      return d?.valid ? d.date : t;
    }
    case 'region-code': {
      const v = foldIdentifier(t).value;
      return /^\d{6}0{6}$/.test(v) ? v.slice(0, 6) : v;
    }
  }
}
