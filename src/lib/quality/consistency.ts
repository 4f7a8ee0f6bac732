import { validateIdNumber } from '../cn/id-number.ts';
import { parseLooseDate } from './checks.ts';
import type { CellFinding } from './types.ts';

/**
 * Cross-column check: the birth date written in a separate column must equal the one encoded in the ID number
 * (digits 7–14). Returns a finding for the birth-date cell, or `undefined` when they agree or either value is
 * missing or invalid on its own (those are reported by the column checks). No repair is proposed: which of the two
 * is wrong is for a person to decide.
 */
export function checkIdBirthDate(idNumber: string, birthDate: string, today: string): CellFinding | undefined {
  if (idNumber.trim() === '' || birthDate.trim() === '') return undefined;
  const id = validateIdNumber(idNumber, { today, allowLegacy15: true });
  const b = parseLooseDate(birthDate);
  if (!id.ok || !b || !b.valid) return undefined;
  if (id.birthDate === b.date) return undefined;
  return {
    rule: 'cn-id.BIRTH_DATE_MISMATCH',
    severity: 'error',
    message: `出生日期 ${b.date} 与身份证号码中的出生日期 ${id.birthDate} 不一致`,
  };
}

/**
 * Cross-column check: a sex column (`男`/`女`, `M`/`F`, `male`/`female`, `1`/`2` per GB/T 2261.1) must match the ID
 * number's sequence digit. Unknown spellings and invalid IDs are left to the other checks.
 */
export function checkIdSex(idNumber: string, sex: string, today: string): CellFinding | undefined {
  const s = sex.trim().toLowerCase();
  const declared = ['男', 'm', 'male', '1'].includes(s) ? 'male' : ['女', 'f', 'female', '2'].includes(s) ? 'female' : undefined;
  if (!declared || idNumber.trim() === '') return undefined;
  const id = validateIdNumber(idNumber, { today, allowLegacy15: true });
  if (!id.ok || id.sex === declared) return undefined;
  return {
    rule: 'cn-id.SEX_MISMATCH',
    severity: 'error',
    message: `性别“${sex.trim()}”与身份证号码（${id.sex === 'male' ? '男' : '女'}）不一致`,
  };
}
