import { validateEmail, validateIdNumber, validateMobile } from '../../lib/cn/index.ts';
import { chinaDate } from '../../lib/calendar/date.ts';
import type { FieldError } from '../../lib/errors.ts';
import { STAFF_ROLES, type StaffRole } from './permissions.ts';
import { isRecordId } from '../../lib/record-id.ts';

export interface RegisterInput {
  mobile?: string;
  email?: string;
  password: string;
  realName: string;
  idNumber: string;
}

export interface RegisterData {
  mobile: string | null;
  email: string | null;
  password: string;
  realName: string;
  idNumber: string;
}

/** Password rules: 8–128 characters with at least two of letters, digits and other characters. */
export function checkPassword(pw: unknown, field = 'password'): FieldError | undefined {
  if (typeof pw !== 'string' || pw.length < 8) return { field, message: '密码至少 8 位。', messageEn: 'The password needs at least 8 characters.' };
  if (pw.length > 128) return { field, message: '密码不能超过 128 位。', messageEn: 'The password can have at most 128 characters.' };
  const classes = [/[A-Za-z]/, /\d/, /[^A-Za-z\d]/].filter((re) => re.test(pw)).length;
  if (classes < 2) return { field, message: '密码需包含字母、数字、符号中的至少两种。', messageEn: 'The password needs two of: letters, digits, symbols.' };
  return undefined;
}

const str = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');

/** Validates a citizen registration; returns every field error at once. */
export function parseRegistration(raw: Record<string, unknown>, now = new Date()): { ok: true; value: RegisterData } | { ok: false; fields: FieldError[] } {
  const fields: FieldError[] = [];
  const mobileIn = str(raw.mobile);
  const emailIn = str(raw.email);
  let mobile: string | null = null;
  let email: string | null = null;
  if (!mobileIn && !emailIn) fields.push({ field: 'mobile', message: '请填写手机号或电子邮箱。' });
  if (mobileIn) {
    const m = validateMobile(mobileIn);
    if (m.ok) mobile = m.normalized;
    else fields.push({ field: 'mobile', message: m.message });
  }
  if (emailIn) {
    const e = validateEmail(emailIn);
    if (e.ok) email = e.normalized;
    else fields.push({ field: 'email', message: e.message });
  }
  const realName = str(raw.realName);
  if (!realName) fields.push({ field: 'realName', message: '请填写真实姓名。' });
  else if (realName.length > 50 || /[<>{}\d]/.test(realName)) fields.push({ field: 'realName', message: '姓名格式不正确。' });
  const idIn = str(raw.idNumber);
  let idNumber = '';
  if (!idIn) fields.push({ field: 'idNumber', message: '请填写身份证号码。' });
  else {
    const r = validateIdNumber(idIn, { today: chinaDate(now) });
    if (r.ok) idNumber = r.normalized;
    else fields.push({ field: 'idNumber', message: r.message });
  }
  const pwErr = checkPassword(raw.password);
  if (pwErr) fields.push(pwErr);
  if (raw.passwordConfirm !== undefined && raw.passwordConfirm !== raw.password) {
    fields.push({ field: 'passwordConfirm', message: '两次输入的密码不一致。' });
  }
  if (fields.length) return { ok: false, fields };
  return { ok: true, value: { mobile, email, password: raw.password as string, realName, idNumber } };
}

export interface StaffInput {
  username: string;
  password: string;
  displayName: string;
  departmentId: number | null;
  roles: StaffRole[];
}

export function parseStaff(raw: Record<string, unknown>): { ok: true; value: StaffInput } | { ok: false; fields: FieldError[] } {
  const fields: FieldError[] = [];
  const username = str(raw.username);
  if (!/^[a-z][a-z0-9_.-]{2,31}$/.test(username)) fields.push({ field: 'username', message: '用户名为 3–32 位小写字母、数字、点、下划线或连字符，以字母开头。', messageEn: 'The username has 3–32 lower-case letters, digits, dots, underscores or hyphens and starts with a letter.' });
  const displayName = str(raw.displayName);
  if (!displayName || displayName.length > 50) fields.push({ field: 'displayName', message: '请填写姓名（50 字以内）。', messageEn: 'Enter the name (at most 50 characters).' });
  const pwErr = checkPassword(raw.password);
  if (pwErr) fields.push(pwErr);
  const access = parseStaffAccess(raw);
  fields.push(...access.fields);
  if (fields.length) return { ok: false, fields };
  return { ok: true, value: { username, password: raw.password as string, displayName, departmentId: access.departmentId, roles: access.roles } };
}

/**
 * The roles and department of a staff account (creating one or changing it): roles known and at least one, a
 * department number the database can hold, and one for the department-scoped roles (clerk, department head).
 * Returns what was read and every problem.
 */
export function parseStaffAccess(raw: Record<string, unknown>): { roles: StaffRole[]; departmentId: number | null; fields: FieldError[] } {
  const fields: FieldError[] = [];
  const rolesRaw = Array.isArray(raw.roles) ? raw.roles : typeof raw.roles === 'string' ? [raw.roles] : [];
  const roles = rolesRaw.filter((r): r is StaffRole => (STAFF_ROLES as readonly unknown[]).includes(r));
  if (!rolesRaw.length) fields.push({ field: 'roles', message: '请至少选择一个角色。', messageEn: 'Choose at least one role.' });
  else if (roles.length !== rolesRaw.length) fields.push({ field: 'roles', message: `角色须为：${STAFF_ROLES.join(', ')}。`, messageEn: `Roles must be among: ${STAFF_ROLES.join(', ')}.` });
  let departmentId: number | null = null;
  if (raw.departmentId !== undefined && raw.departmentId !== null && raw.departmentId !== '') {
    const n = Number(raw.departmentId);
    if (!isRecordId(n)) fields.push({ field: 'departmentId', message: '部门编号不正确。', messageEn: 'The department number is not valid.' });
    else departmentId = n;
  }
  if (departmentId === null && roles.some((r) => r === 'clerk' || r === 'dept_head')) {
    fields.push({ field: 'departmentId', message: '经办人员和部门负责人必须属于一个部门。', messageEn: 'Clerks and department heads must belong to a department.' });
  }
  return { roles: [...new Set(roles)], departmentId, fields };
}
