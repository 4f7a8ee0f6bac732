import { createHash, createHmac, randomBytes } from 'node:crypto';
import { hash as argonHash, verify as argonVerify } from '@node-rs/argon2';
import type { Tx } from '../../db/tx.ts';
import { inTransaction } from '../../db/tx.ts';
import type { Department, User } from '../../db/types.ts';
import { maskIdNumber, maskName, maskPhone, validateIdNumber } from '../../lib/cn/index.ts';
import { chinaDate } from '../../lib/calendar/date.ts';
import { commonError, ok, type FieldError, type Result } from '../../lib/errors.ts';
import type { AuditLog } from '../audit/audit.service.ts';
import { identityError } from './identity.errors.ts';
import { identityRepository as repo } from './identity.repository.ts';
import { parseRegistration, parseStaff, parseStaffAccess, checkPassword } from './identity.schema.ts';
import { isRecordId } from '../../lib/record-id.ts';
import { actorOf, authorize, departmentScope, type Principal, type StaffRole, STAFF_ROLES } from './permissions.ts';

export interface IdentityOptions {
  /** Idle limit: a session unused this long ends (sliding). */
  sessionHours: number;
  /** Absolute limit: a session ends this long after sign-in however busy it is (at least sessionHours). */
  sessionMaxHours: number;
  loginMaxFailures: number;
  loginLockMinutes: number;
  /** Keys the failed-login counts: HMAC of the normalised identifier, so the table never holds an identifier. */
  loginKeySecret: string;
}

/** What pages and the API may show of an account; personal data masked unless the viewer is its owner. */
export interface AccountView {
  id: number;
  kind: 'staff' | 'citizen';
  username: string | null;
  displayName: string;
  mobile: string | null;
  email: string | null;
  idNumber: string | null;
  departmentId: number | null;
  roles: string[];
  status: string;
}

/** How many "already registered" answers one address gets in a row (each within an hour) before an hour's refusal. */
export const REGISTER_TAKEN_LIMIT = 5;

// A real argon2id hash, so that a login for an unknown account costs the same time as one for a known account.
let dummyHash: Promise<string> | undefined;
function getDummyHash(): Promise<string> {
  dummyHash ??= argonHash(randomBytes(16).toString('hex'));
  return dummyHash;
}

/**
 * One spelling per identifier typed at login, as the account lookup reads it: trimmed and lower-case; a mobile
 * number without +86/0086, spaces or dashes.
 */
export function normaliseLoginIdentifier(identifier: string): string {
  const s = identifier.trim().toLowerCase();
  const phone = s.replace(/^(\+86|0086)/, '').replace(/[\s-]/g, '');
  return /^\d+$/.test(phone) ? phone : s;
}

export function sessionIdOf(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

export function principalOf(u: User): Principal {
  if (u.kind === 'citizen') return { kind: 'citizen', id: u.id };
  return {
    kind: 'staff',
    id: u.id,
    roles: u.roles.filter((r): r is StaffRole => (STAFF_ROLES as readonly string[]).includes(r)),
    departmentId: u.department_id,
  };
}

export function viewAccount(u: User, masked: boolean): AccountView {
  return {
    id: u.id,
    kind: u.kind,
    username: u.username,
    displayName: masked && u.kind === 'citizen' ? maskName(u.display_name) : u.display_name,
    mobile: u.mobile && masked ? maskPhone(u.mobile) : u.mobile,
    email: u.email && masked ? u.email.replace(/^(.).*(@.*)$/, '$1***$2') : u.email,
    idNumber: u.id_number && masked ? maskIdNumber(u.id_number) : u.id_number,
    departmentId: u.department_id,
    roles: u.kind === 'citizen' ? ['citizen'] : u.roles,
    status: u.status,
  };
}

export class IdentityService {
  constructor(
    private readonly db: Tx,
    private readonly audit: AuditLog,
    private readonly opts: IdentityOptions,
  ) {}

  /**
   * Registers a citizen (real name and ID number checked); returns the account or field errors. A mobile, e-mail or ID
   * number already registered is said (MOBILE_TAKEN …), since the new account is signed in at once and no code is
   * sent to the phone first; to keep that from serving as a directory, `from.address` may receive at most
   * REGISTER_TAKEN_LIMIT such answers, each within an hour of the previous one, and is then refused (RATE_LIMITED)
   * for an hour, in every process (counted in `login_failures` under an HMAC of the address).
   */
  async registerCitizen(raw: Record<string, unknown>, from?: { address: string }): Promise<Result<User>> {
    const probeKey = from ? createHmac('sha256', this.opts.loginKeySecret).update(`register:${from.address}`).digest('base64url') : undefined;
    if (probeKey && (await repo.identifierLockedUntil(this.db, probeKey, new Date()))) return commonError('RATE_LIMITED');
    const r = await this.insertCitizen(raw);
    if (probeKey && !r.ok && (r.error.code === 'MOBILE_TAKEN' || r.error.code === 'EMAIL_TAKEN' || r.error.code === 'ID_NUMBER_TAKEN')) {
      const now = new Date();
      const rec = await repo.recordIdentifierFailure(this.db, probeKey, REGISTER_TAKEN_LIMIT, now, new Date(now.getTime() + 3600_000));
      // Probes sent at once all pass the check above: one counted after the lock gets no answer either.
      if (rec.alreadyLocked) return commonError('RATE_LIMITED');
    }
    return r;
  }

  private async insertCitizen(raw: Record<string, unknown>): Promise<Result<User>> {
    const parsed = parseRegistration(raw);
    if (!parsed.ok) return commonError('VALIDATION_FAILED', parsed.fields);
    const v = parsed.value;
    const passwordHash = await argonHash(v.password);
    return inTransaction(this.db, async (tx) => {
      const taken = await repo.findTaken(tx, { mobile: v.mobile, email: v.email, idNumber: v.idNumber });
      if (taken.some((t) => v.mobile && t.mobile === v.mobile)) return identityError('MOBILE_TAKEN', [{ field: 'mobile', message: '该手机号已注册。' }]);
      if (taken.some((t) => v.email && t.email === v.email)) return identityError('EMAIL_TAKEN', [{ field: 'email', message: '该电子邮箱已注册。' }]);
      if (taken.some((t) => t.id_number === v.idNumber)) return identityError('ID_NUMBER_TAKEN', [{ field: 'idNumber', message: '该身份证号已注册。' }]);
      const user = await repo.insertUser(tx, {
        kind: 'citizen',
        mobile: v.mobile,
        email: v.email,
        password_hash: passwordHash,
        display_name: v.realName,
        real_name: v.realName,
        id_number: v.idNumber,
        roles: [],
      });
      await this.audit.record(tx, {
        actor: { id: user.id, label: `citizen:${user.id}` },
        action: 'account.register',
        entity: 'user',
        entityId: user.id,
        after: viewAccount(user, false),
      });
      return ok(user);
    });
  }

  /**
   * Creates a staff account (system administrators only). Every problem is reported at once: the form's own errors
   * together with a username already taken and a department that does not exist.
   */
  async createStaff(p: Principal, raw: Record<string, unknown>): Promise<Result<User>> {
    const auth = authorize(p, 'staff.create');
    if (!auth.ok) return auth;
    const parsed = parseStaff(raw);
    if (!parsed.ok) {
      const dept = Number(raw.departmentId);
      const known = await this.staffConflicts(this.db, typeof raw.username === 'string' ? raw.username.trim() : '', isRecordId(dept) ? dept : null);
      return commonError('VALIDATION_FAILED', [...parsed.fields, ...known.map((k) => k.field).filter((f) => !parsed.fields.some((x) => x.field === f.field))]);
    }
    const v = parsed.value;
    const passwordHash = await argonHash(v.password);
    return inTransaction(this.db, async (tx) => {
      const conflicts = await this.staffConflicts(tx, v.username, v.departmentId);
      if (conflicts.length) return identityError(conflicts[0]!.code, conflicts.map((c) => c.field));
      const user = await repo.insertUser(tx, {
        kind: 'staff',
        username: v.username,
        password_hash: passwordHash,
        display_name: v.displayName,
        department_id: v.departmentId,
        roles: v.roles,
      });
      await this.audit.record(tx, { actor: actorOf(p), action: 'account.create', entity: 'user', entityId: user.id, after: viewAccount(user, false), detail: { roles: v.roles, departmentId: v.departmentId } });
      return ok(user);
    });
  }

  /** A department that does not exist and a username already taken (the department first: the API's error code when both). */
  private async staffConflicts(db: Tx, username: string, departmentId: number | null): Promise<{ code: 'DEPARTMENT_NOT_FOUND' | 'USERNAME_TAKEN'; field: FieldError }[]> {
    const out: { code: 'DEPARTMENT_NOT_FOUND' | 'USERNAME_TAKEN'; field: FieldError }[] = [];
    if (departmentId !== null && !(await repo.findDepartment(db, departmentId))) out.push({ code: 'DEPARTMENT_NOT_FOUND', field: { field: 'departmentId', message: '部门不存在。', messageEn: 'No such department.' } });
    if (username && (await repo.findTaken(db, { username })).length) out.push({ code: 'USERNAME_TAKEN', field: { field: 'username', message: '该用户名已被使用。', messageEn: 'This username is taken.' } });
    return out;
  }

  /** What the administrator's accounts page shows: staff accounts (masked, as the API) and the departments to choose from. */
  async staffAdmin(p: Principal, limit = 100, offset = 0): Promise<Result<{ staff: AccountView[]; departments: Department[] }>> {
    const auth = authorize(p, 'staff.create');
    if (!auth.ok) return auth;
    const rows = await repo.listStaff(this.db, 'all', Math.min(Math.max(limit, 1), 500), Math.max(offset, 0));
    return ok({ staff: rows.map((u) => viewAccount(u, true)), departments: await repo.listDepartments(this.db) });
  }

  /** One staff account for its administrator's page (USER_NOT_FOUND for a citizen or no account), with the departments. */
  async staffAccount(p: Principal, id: number): Promise<Result<{ account: AccountView; departments: Department[] }>> {
    const auth = authorize(p, 'staff.edit');
    if (!auth.ok) return auth;
    const u = await repo.findUser(this.db, id);
    if (!u || u.kind !== 'staff') return identityError('USER_NOT_FOUND');
    return ok({ account: viewAccount(u, true), departments: await repo.listDepartments(this.db) });
  }

  /**
   * Disables or enables a staff account (`staff.disable`). Disabling ends all its sessions at once; an administrator
   * cannot disable their own account (CANNOT_DISABLE_SELF) nor the last active system administrator (LAST_SYS_ADMIN),
   * each with the field `status`. Setting the status it already has changes nothing and writes no audit entry.
   */
  async setStaffStatus(p: Principal, id: number, status: 'active' | 'disabled'): Promise<Result<AccountView>> {
    const auth = authorize(p, 'staff.disable');
    if (!auth.ok) return auth;
    if (status === 'disabled' && p.kind === 'staff' && p.id === id) {
      return identityError('CANNOT_DISABLE_SELF', [{ field: 'status', message: '不能停用自己的账号。', messageEn: 'You cannot disable your own account.' }]);
    }
    return inTransaction(this.db, async (tx) => {
      const admins = status === 'disabled' ? await repo.lockActiveSysAdmins(tx) : [];
      const u = await repo.findStaffForUpdate(tx, id);
      if (!u) return identityError('USER_NOT_FOUND');
      if (u.status === status) return ok(viewAccount(u, true));
      if (status === 'disabled' && admins.includes(id) && admins.length === 1) {
        return identityError('LAST_SYS_ADMIN', [{ field: 'status', message: '这是唯一启用的系统管理员账号，不能停用。', messageEn: 'This is the only active system administrator; it cannot be disabled.' }]);
      }
      await repo.setStatus(tx, id, status);
      const ended = status === 'disabled' ? await repo.deleteUserSessions(tx, id) : 0;
      await this.audit.record(tx, {
        actor: actorOf(p), action: status === 'disabled' ? 'account.disable' : 'account.enable', entity: 'user', entityId: id,
        before: viewAccount(u, false), after: viewAccount({ ...u, status }, false), detail: { status, ...(status === 'disabled' ? { sessionsEnded: ended } : {}) },
      });
      return ok(viewAccount({ ...u, status }, true));
    });
  }

  /**
   * Sets a new initial password for a staff account (`staff.edit`; the rule of createStaff, and `passwordConfirm`
   * equal when given). All its sessions end, and the failed-login count and any lock are cleared.
   */
  async resetStaffPassword(p: Principal, id: number, password: unknown, confirm?: unknown): Promise<Result<void>> {
    const auth = authorize(p, 'staff.edit');
    if (!auth.ok) return auth;
    const fields: FieldError[] = [];
    const pwErr = checkPassword(password);
    if (pwErr) fields.push(pwErr);
    if (confirm !== undefined && confirm !== password) fields.push({ field: 'passwordConfirm', message: '两次输入的密码不一致。', messageEn: 'The two passwords differ.' });
    const exists = await repo.findUser(this.db, id);
    if (!exists || exists.kind !== 'staff') return identityError('USER_NOT_FOUND');
    if (fields.length) return commonError('VALIDATION_FAILED', fields);
    const h = await argonHash(password as string);
    return inTransaction(this.db, async (tx) => {
      const u = await repo.findStaffForUpdate(tx, id);
      if (!u) return identityError('USER_NOT_FOUND');
      await repo.resetPassword(tx, id, h);
      const cleared = await repo.clearIdentifiers(tx, this.loginKeysOf(u));
      const ended = await repo.deleteUserSessions(tx, id);
      // Never the password nor its hash: only that it was reset, and what else happened.
      await this.audit.record(tx, { actor: actorOf(p), action: 'account.password.reset', entity: 'user', entityId: id, detail: { sessionsEnded: ended, unlocked: cleared > 0 || u.failed_logins > 0 || u.locked_until !== null } });
      return ok(undefined);
    });
  }

  /**
   * Changes a staff account's roles and department (`staff.edit`; the rules of createStaff). Its sessions go on; the
   * next request is checked with the new roles, as every request reads the account afresh. Every problem is reported
   * at once: the form's own, a department that does not exist (DEPARTMENT_NOT_FOUND when alone), and taking the
   * role from the last active system administrator (LAST_SYS_ADMIN when alone).
   */
  async updateStaffAccess(p: Principal, id: number, raw: Record<string, unknown>): Promise<Result<AccountView>> {
    const auth = authorize(p, 'staff.edit');
    if (!auth.ok) return auth;
    const v = parseStaffAccess(raw);
    return inTransaction(this.db, async (tx) => {
      const admins = await repo.lockActiveSysAdmins(tx);
      const u = await repo.findStaffForUpdate(tx, id);
      if (!u) return identityError('USER_NOT_FOUND');
      const found: { code: 'DEPARTMENT_NOT_FOUND' | 'LAST_SYS_ADMIN'; field: FieldError }[] = [];
      if (v.departmentId !== null && !(await repo.findDepartment(tx, v.departmentId))) found.push({ code: 'DEPARTMENT_NOT_FOUND', field: { field: 'departmentId', message: '部门不存在。', messageEn: 'No such department.' } });
      if (admins.length === 1 && admins[0] === id && !v.roles.includes('sys_admin')) {
        found.push({ code: 'LAST_SYS_ADMIN', field: { field: 'roles', message: '这是唯一启用的系统管理员账号，不能取消其系统管理员角色。', messageEn: 'This is the only active system administrator; it keeps that role.' } });
      }
      if (v.fields.length) return commonError('VALIDATION_FAILED', [...v.fields, ...found.map((f) => f.field).filter((f) => !v.fields.some((x) => x.field === f.field))]);
      if (found.length) return identityError(found[0]!.code, found.map((f) => f.field));
      const after = await repo.setAccess(tx, id, { roles: v.roles, departmentId: v.departmentId });
      await this.audit.record(tx, {
        actor: actorOf(p), action: 'account.update', entity: 'user', entityId: id,
        before: viewAccount(u, false), after: viewAccount(after, false), detail: { roles: after.roles, departmentId: after.department_id },
      });
      return ok(viewAccount(after, true));
    });
  }

  /** The departments, for the administrator's departments page (which also creates them). */
  async departmentAdmin(p: Principal): Promise<Result<Department[]>> {
    const auth = authorize(p, 'department.create');
    if (!auth.ok) return auth;
    return ok(await repo.listDepartments(this.db));
  }

  /**
   * Checks a login (staff username, mobile or e-mail) and opens a session. Failures are counted per identifier typed,
   * whether or not an account has it: the `loginMaxFailures`-th within `loginLockMinutes` of the previous one locks that
   * identifier for `loginLockMinutes` (ACCOUNT_LOCKED, even for the right password). An unknown identifier gets the
   * same answers (LOGIN_FAILED, then ACCOUNT_LOCKED) after the same password-hash work, so neither the answer nor its
   * time tells whether an account exists.
   */
  async login(identifier: unknown, password: unknown): Promise<Result<{ token: string; user: User; expiresAt: Date; cookieExpiresAt: Date }>> {
    if (typeof identifier !== 'string' || typeof password !== 'string' || !identifier.trim() || !password || password.length > 256 || identifier.length > 256) {
      return commonError('VALIDATION_FAILED', [
        ...(typeof identifier !== 'string' || !identifier.trim() ? [{ field: 'identifier', message: '请填写账号。' }] : []),
        ...(typeof password !== 'string' || !password ? [{ field: 'password', message: '请填写密码。' }] : []),
      ]);
    }
    const id = identifier.trim();
    const key = this.loginKey(id);
    const user =
      (await repo.findUserByLogin(this.db, { username: id.toLowerCase() })) ??
      (await repo.findUserByLogin(this.db, { mobile: id.replace(/^(\+86|0086)/, '').replace(/[\s-]/g, '') })) ??
      (await repo.findUserByLogin(this.db, { email: id.toLowerCase() }));
    if (await repo.identifierLockedUntil(this.db, key, new Date())) {
      // The same hash work as a check, so a lock does not answer faster than a wrong password.
      await argonVerify(await getDummyHash(), password).catch(() => false);
      return identityError('ACCOUNT_LOCKED');
    }
    const good = user ? await argonVerify(user.password_hash, password).catch(() => false) : await argonVerify(await getDummyHash(), password).catch(() => false);
    if (!user || !good) {
      const now = new Date();
      const until = new Date(now.getTime() + this.opts.loginLockMinutes * 60_000);
      const r = await inTransaction(this.db, async (tx) => {
        const after = await repo.recordIdentifierFailure(tx, key, this.opts.loginMaxFailures, now, until);
        const locked = after.alreadyLocked || (after.lockedUntil !== null && after.lockedUntil.getTime() > now.getTime());
        await this.audit.record(tx, { actor: { id: null, label: 'anonymous' }, action: 'login.failed', entity: 'user', entityId: user?.id ?? null, detail: { locked } });
        return locked;
      });
      return identityError(r ? 'ACCOUNT_LOCKED' : 'LOGIN_FAILED');
    }
    if (user.status !== 'active') return identityError('ACCOUNT_DISABLED');
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + this.opts.sessionHours * 3600_000);
    // The cookie lasts until the absolute end: the idle limit slides on the server, which a cookie's date cannot follow.
    const cookieExpiresAt = new Date(Date.now() + this.opts.sessionMaxHours * 3600_000);
    const signedIn = await inTransaction(this.db, async (tx) => {
      await repo.recordSuccess(tx, user.id);
      // The lock again, after the slow hash and under the key's row lock: failed sign-ins running meanwhile may have
      // locked the identifier; a right password then answers ACCOUNT_LOCKED too, and their count is kept. (The users
      // row first, then the key's, as a password reset takes them.)
      if (await repo.identifierLockedUntilForUpdate(tx, key, new Date())) return false;
      await repo.clearIdentifiers(tx, [key]);
      await repo.insertSession(tx, sessionIdOf(token), user.id, expiresAt);
      await this.audit.record(tx, { actor: actorOf(principalOf(user)), action: 'login', entity: 'session', entityId: user.id });
      return true;
    });
    if (!signedIn) return identityError('ACCOUNT_LOCKED');
    return ok({ token, user, expiresAt, cookieExpiresAt });
  }

  /** The failed-login key of an identifier typed at login (see normaliseLoginIdentifier). */
  private loginKey(identifier: string): string {
    return createHmac('sha256', this.opts.loginKeySecret).update(`login:${normaliseLoginIdentifier(identifier)}`).digest('base64url');
  }

  /** The failed-login keys of every identifier an account signs in with. */
  private loginKeysOf(u: User): string[] {
    return [u.username, u.mobile, u.email].filter((v): v is string => !!v).map((v) => this.loginKey(v));
  }

  /**
   * Signs in with an identity asserted by the configured OpenID Connect provider. The first time, a citizen account
   * is created from the provider's claims (name; ID number when the provider releases a valid one) and linked to
   * the provider's subject; later sign-ins find it by that link. Staff accounts are never created this way.
   */
  async loginWithOidc(issuer: string, subject: string, claims: { name?: unknown; idNumber?: unknown; mobile?: unknown; email?: unknown }): Promise<Result<{ token: string; user: User; expiresAt: Date; cookieExpiresAt: Date }>> {
    if (!subject || subject.length > 255) return commonError('VALIDATION_FAILED', [{ field: 'sub', message: '身份认证服务返回的用户标识无效。' }]);
    const user = await inTransaction(this.db, async (tx) => {
      const found = await repo.findUserByOidc(tx, issuer, subject);
      if (found) return found;
      const name = typeof claims.name === 'string' && claims.name.trim() ? claims.name.trim().slice(0, 50) : '统一身份认证用户';
      const id = typeof claims.idNumber === 'string' ? validateIdNumber(claims.idNumber, { today: chinaDate(new Date()) }) : undefined;
      const idNumber = id?.ok && !(await repo.findTaken(tx, { idNumber: id.normalized })).length ? id.normalized : null;
      const created = await repo.insertUser(tx, {
        kind: 'citizen', password_hash: '!', display_name: name, real_name: name, id_number: idNumber,
        roles: [], oidc_issuer: issuer, oidc_subject: subject,
      });
      await this.audit.record(tx, { actor: { id: created.id, label: `citizen:${created.id}` }, action: 'account.register.oidc', entity: 'user', entityId: created.id, after: viewAccount(created, false) });
      return created;
    });
    if (user.status !== 'active') return identityError('ACCOUNT_DISABLED');
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + this.opts.sessionHours * 3600_000);
    // The cookie lasts until the absolute end: the idle limit slides on the server, which a cookie's date cannot follow.
    const cookieExpiresAt = new Date(Date.now() + this.opts.sessionMaxHours * 3600_000);
    await inTransaction(this.db, async (tx) => {
      await repo.insertSession(tx, sessionIdOf(token), user.id, expiresAt);
      await this.audit.record(tx, { actor: actorOf(principalOf(user)), action: 'login.oidc', entity: 'session', entityId: user.id });
    });
    return ok({ token, user, expiresAt, cookieExpiresAt });
  }

  /** The account behind a session token, or undefined when the token is unknown, expired or the account disabled. */
  async resolveSession(token: string | undefined): Promise<{ user: User; principal: Principal; sessionId: string } | undefined> {
    if (!token || token.length > 100) return undefined;
    const sid = sessionIdOf(token);
    const s = await repo.findSessionUser(this.db, sid);
    if (!s || s.expires_at.getTime() <= Date.now()) return undefined;
    // Absolute expiry: a stolen bearer token or cookie kept busy does not live for ever.
    const end = s.created_at.getTime() + this.opts.sessionMaxHours * 3600_000;
    if (end <= Date.now()) return undefined;
    const user = s.user;
    if (user.status !== 'active') return undefined;
    // Sliding expiry, written at most every five minutes to keep reads cheap; never beyond the absolute end.
    if (Date.now() - s.last_seen_at.getTime() > 5 * 60_000) {
      await repo.touchSession(this.db, sid, new Date(Math.min(end, Date.now() + this.opts.sessionHours * 3600_000)));
    }
    return { user, principal: principalOf(user), sessionId: sid };
  }

  async logout(token: string | undefined, p: Principal): Promise<void> {
    if (!token) return;
    await inTransaction(this.db, async (tx) => {
      const n = await repo.deleteSession(tx, sessionIdOf(token));
      if (n) await this.audit.record(tx, { actor: actorOf(p), action: 'logout', entity: 'session', entityId: p.kind === 'anonymous' || p.kind === 'system' ? null : p.id });
    });
  }

  /**
   * Changes the caller's password; other sessions of the account are closed. Every problem is reported at once: an
   * empty or wrong current password, a weak new one, a confirmation that differs (VALIDATION_FAILED with each field;
   * WRONG_PASSWORD when the current password is the only problem).
   */
  async changePassword(p: Principal, sessionId: string, current: unknown, next: unknown, confirm?: unknown): Promise<Result<void>> {
    if (p.kind === 'anonymous' || p.kind === 'system') return commonError('UNAUTHENTICATED');
    const user = await repo.findUser(this.db, p.id);
    if (!user) return commonError('UNAUTHENTICATED');
    const fields: FieldError[] = [];
    const given = typeof current === 'string' && current !== '';
    if (!given) fields.push({ field: 'currentPassword', message: '请填写当前密码。', messageEn: 'Enter your current password.' });
    else if (!(await argonVerify(user.password_hash, current).catch(() => false))) {
      fields.push({ field: 'currentPassword', message: '当前密码不正确。', messageEn: 'The current password is wrong.' });
    }
    const pwErr = checkPassword(next, 'newPassword');
    if (pwErr) fields.push(pwErr);
    if (confirm !== undefined && confirm !== next) fields.push({ field: 'passwordConfirm', message: '两次输入的密码不一致。', messageEn: 'The two new passwords differ.' });
    if (fields.length === 1 && given && fields[0]!.field === 'currentPassword') return identityError('WRONG_PASSWORD', fields);
    if (fields.length) return commonError('VALIDATION_FAILED', fields);
    const h = await argonHash(next as string);
    await inTransaction(this.db, async (tx) => {
      await repo.setPassword(tx, user.id, h);
      await repo.deleteUserSessions(tx, user.id, sessionId);
      await this.audit.record(tx, { actor: actorOf(p), action: 'account.password', entity: 'user', entityId: user.id });
    });
    return ok(undefined);
  }

  /** Staff accounts the caller may see (their department unless their role spans departments). */
  async listStaff(p: Principal, limit = 100, offset = 0): Promise<Result<AccountView[]>> {
    const auth = authorize(p, 'staff.list');
    if (!auth.ok) return auth;
    const rows = await repo.listStaff(this.db, departmentScope(p), Math.min(Math.max(limit, 1), 500), Math.max(offset, 0));
    return ok(rows.map((u) => viewAccount(u, true)));
  }

  async profile(p: Principal): Promise<Result<AccountView>> {
    if (p.kind === 'anonymous' || p.kind === 'system') return commonError('UNAUTHENTICATED');
    const user = await repo.findUser(this.db, p.id);
    if (!user) return commonError('UNAUTHENTICATED');
    // Even on their own page the ID number is shown masked: the page may be seen over a shoulder or cached.
    return ok(viewAccount(user, true));
  }

  async departments(): Promise<Department[]> {
    return repo.listDepartments(this.db);
  }

  async department(id: number): Promise<Department | undefined> {
    return repo.findDepartment(this.db, id);
  }

  /** Creates a department (system administrators only); every problem is reported at once, typed values aside. */
  async createDepartment(p: Principal, raw: Record<string, unknown>): Promise<Result<Department>> {
    const auth = authorize(p, 'department.create');
    if (!auth.ok) return auth;
    const code = typeof raw.code === 'string' ? raw.code.trim() : '';
    const name = typeof raw.name === 'string' ? raw.name.trim() : '';
    const nameEn = typeof raw.nameEn === 'string' ? raw.nameEn.trim() : '';
    const fields: FieldError[] = [];
    const codeOk = /^[A-Za-z0-9_.-]{1,40}$/.test(code);
    if (!codeOk) fields.push({ field: 'code', message: '部门编码为 1–40 位字母、数字或 _ . -。', messageEn: 'The code has 1–40 letters, digits or _ . -.' });
    if (!name || name.length > 100) fields.push({ field: 'name', message: '请填写部门名称（100 字以内）。', messageEn: 'Enter the name (at most 100 characters).' });
    if (nameEn.length > 200) fields.push({ field: 'nameEn', message: '英文名称不能超过 200 个字符。', messageEn: 'The English name can have at most 200 characters.' });
    const parentId = raw.parentId === undefined || raw.parentId === null || raw.parentId === '' ? null : Number(raw.parentId);
    const parentOk = parentId === null || isRecordId(parentId);
    if (!parentOk) fields.push({ field: 'parentId', message: '上级部门编号不正确。', messageEn: 'The parent department number is not valid.' });
    const conflicts = async (tx: Tx) => {
      const out: { code: 'DEPARTMENT_CODE_TAKEN' | 'DEPARTMENT_NOT_FOUND'; field: FieldError }[] = [];
      if (codeOk && (await repo.findDepartmentByCode(tx, code))) out.push({ code: 'DEPARTMENT_CODE_TAKEN', field: { field: 'code', message: '部门编码已存在。', messageEn: 'This department code exists.' } });
      if (parentOk && parentId !== null && !(await repo.findDepartment(tx, parentId))) out.push({ code: 'DEPARTMENT_NOT_FOUND', field: { field: 'parentId', message: '上级部门不存在。', messageEn: 'No such parent department.' } });
      return out;
    };
    if (fields.length) {
      const known = await conflicts(this.db);
      const all = [...fields, ...known.map((k) => k.field)];
      return commonError('VALIDATION_FAILED', all);
    }
    return inTransaction(this.db, async (tx) => {
      const found = await conflicts(tx);
      // The parent first, as before: an API client sending a missing parent keeps getting DEPARTMENT_NOT_FOUND.
      const first = found.find((c) => c.code === 'DEPARTMENT_NOT_FOUND') ?? found[0];
      if (first) return identityError(first.code, found.map((c) => c.field));
      const d = await repo.insertDepartment(tx, { code, name, name_en: nameEn || null, parent_id: parentId });
      await this.audit.record(tx, { actor: actorOf(p), action: 'department.create', entity: 'department', entityId: d.id, after: d });
      return ok(d);
    });
  }

  async purgeExpiredSessions(): Promise<number> {
    return repo.deleteExpiredSessions(this.db);
  }

  /** Deletes the expired failed-login and registration-probe counts (`login_failures`); returns how many went. */
  async purgeExpiredLoginFailures(now = new Date()): Promise<number> {
    return repo.deleteExpiredIdentifierFailures(this.db, now);
  }

  /**
   * Once per installation (src/server.ts): deletes expired sessions and expired `login_failures` rows now and then
   * every `everyMs`. They are ignored anyway; without this their rows stayed for ever. Returns the stop function.
   */
  startSessionPurge(everyMs: number, onError: (err: unknown) => void): () => Promise<void> {
    let running: Promise<unknown> = Promise.resolve();
    const run = () => {
      running = this.purgeExpiredSessions().catch(onError).then(() => this.purgeExpiredLoginFailures().catch(onError));
    };
    run();
    const timer = setInterval(run, everyMs);
    timer.unref();
    return async () => {
      clearInterval(timer);
      await running;
    };
  }

  async ping(): Promise<void> {
    await repo.ping(this.db);
  }
}
