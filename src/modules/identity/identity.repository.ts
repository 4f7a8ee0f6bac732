import { sql } from 'kysely';
import type { Tx } from '../../db/tx.ts';
import type { Department, NewUser, User } from '../../db/types.ts';
import type { ColumnType } from 'kysely';

/** Failed sign-ins per identifier typed (an HMAC of it, never the identifier); see the migration. */
export interface LoginFailuresTable {
  key: string;
  failures: ColumnType<number, number | undefined, number>;
  locked_until: ColumnType<Date | null, Date | null | undefined, Date | null>;
  expires_at: ColumnType<Date, Date, Date>;
}

declare module '../../db/types.ts' {
  interface DB {
    login_failures: LoginFailuresTable;
  }
}

/** SQL for departments, accounts and sessions. */
export const identityRepository = {
  async findUserByLogin(db: Tx, login: { username?: string; mobile?: string; email?: string }): Promise<User | undefined> {
    let q = db.selectFrom('users').selectAll();
    if (login.username !== undefined) q = q.where('username', '=', login.username);
    else if (login.mobile !== undefined) q = q.where('mobile', '=', login.mobile);
    else if (login.email !== undefined) q = q.where('email', '=', login.email);
    else return undefined;
    return q.executeTakeFirst();
  },

  async findUserByOidc(db: Tx, issuer: string, subject: string): Promise<User | undefined> {
    return db.selectFrom('users').selectAll().where('oidc_issuer', '=', issuer).where('oidc_subject', '=', subject).executeTakeFirst();
  },

  async findUser(db: Tx, id: number): Promise<User | undefined> {
    return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  },

  async findTaken(db: Tx, v: { username?: string | null; mobile?: string | null; email?: string | null; idNumber?: string | null }) {
    const conds = [];
    if (v.username) conds.push(sql<boolean>`username = ${v.username}`);
    if (v.mobile) conds.push(sql<boolean>`mobile = ${v.mobile}`);
    if (v.email) conds.push(sql<boolean>`email = ${v.email}`);
    if (v.idNumber) conds.push(sql<boolean>`id_number = ${v.idNumber}`);
    if (!conds.length) return [];
    return db
      .selectFrom('users')
      .select(['username', 'mobile', 'email', 'id_number'])
      .where(sql<boolean>`(${sql.join(conds, sql` or `)})`)
      .execute();
  },

  async insertUser(db: Tx, u: NewUser): Promise<User> {
    return db.insertInto('users').values(u).returningAll().executeTakeFirstOrThrow();
  },

  /** When the identifier's lock ends, or undefined when it is not locked now. */
  async identifierLockedUntil(db: Tx, key: string, now: Date): Promise<Date | undefined> {
    const r = await db.selectFrom('login_failures').select('locked_until').where('key', '=', key).where('locked_until', '>', now).executeTakeFirst();
    return r?.locked_until ?? undefined;
  },

  /**
   * When the identifier's lock ends, or undefined when it is not locked now, read under the row's lock inside a
   * sign-in's transaction: an insert-or-touch of the key's row, so it waits for a failed sign-in of the same key that
   * is counting (and maybe locking) it right now, existing row or new, and then reads what that one wrote. A new row
   * it inserts is empty and expired (the caller clears the key when it signs in).
   */
  async identifierLockedUntilForUpdate(db: Tx, key: string, now: Date): Promise<Date | undefined> {
    const r = await db
      .insertInto('login_failures')
      .values({ key, failures: 0, locked_until: null, expires_at: now })
      .onConflict((oc) => oc.column('key').doUpdateSet({ failures: sql<number>`login_failures.failures` }))
      .returning('locked_until')
      .executeTakeFirstOrThrow();
    return r.locked_until !== null && r.locked_until.getTime() > now.getTime() ? r.locked_until : undefined;
  },

  /**
   * Counts a failed sign-in for an identifier (known or not): the `max`-th failure within the window locks it until
   * `until` and starts the count again; a row whose window has passed counts from 1. Touches this key's row only:
   * expired rows of other keys are left to `deleteExpiredIdentifierFailures` (two sign-ins that each deleted the other's
   * expired row in their transaction deadlocked on their own rows). A key locked already (a request that passed the
   * lock check just before another locked it) is left as it is and answers `alreadyLocked`: its failure is not counted
   * and the lock neither ends nor starts again.
   */
  async recordIdentifierFailure(db: Tx, key: string, max: number, now: Date, until: Date): Promise<{ lockedUntil: Date | null; alreadyLocked: boolean }> {
    const n = sql<number>`(case when login_failures.expires_at <= ${now}::timestamptz then 1 else login_failures.failures + 1 end)`;
    const r = await db
      .insertInto('login_failures')
      .values({ key, failures: 1 >= max ? 0 : 1, locked_until: 1 >= max ? until : null, expires_at: until })
      .onConflict((oc) => oc.column('key').doUpdateSet({
        failures: sql<number>`case when ${n} >= ${max} then 0 else ${n} end`,
        locked_until: sql<Date | null>`case when ${n} >= ${max} then ${until}::timestamptz else null end`,
        expires_at: until,
      }).where(sql<boolean>`(login_failures.locked_until is null or login_failures.locked_until <= ${now}::timestamptz)`))
      .returning('locked_until')
      .executeTakeFirst();
    return r ? { lockedUntil: r.locked_until, alreadyLocked: false } : { lockedUntil: null, alreadyLocked: true };
  },

  /** Forgets the failures and locks of these identifier keys; returns how many were there. */
  async clearIdentifiers(db: Tx, keys: string[]): Promise<number> {
    if (!keys.length) return 0;
    const r = await db.deleteFrom('login_failures').where('key', 'in', keys).executeTakeFirst();
    return Number(r.numDeletedRows);
  },

  async recordSuccess(db: Tx, id: number): Promise<void> {
    await db.updateTable('users').set({ failed_logins: 0, locked_until: null }).where('id', '=', id).execute();
  },

  async setPassword(db: Tx, id: number, hash: string): Promise<void> {
    const now = new Date();
    await db.updateTable('users').set({ password_hash: hash, password_changed_at: now, updated_at: now }).where('id', '=', id).execute();
  },

  async setStatus(db: Tx, id: number, status: 'active' | 'disabled'): Promise<void> {
    await db.updateTable('users').set({ status, updated_at: new Date() }).where('id', '=', id).execute();
  },

  /** Sets a new password chosen by an administrator, clearing the failed-login count and any lock. */
  async resetPassword(db: Tx, id: number, hash: string): Promise<void> {
    const now = new Date();
    await db.updateTable('users').set({ password_hash: hash, password_changed_at: now, failed_logins: 0, locked_until: null, updated_at: now }).where('id', '=', id).execute();
  },

  async setAccess(db: Tx, id: number, v: { roles: string[]; departmentId: number | null }): Promise<User> {
    return db.updateTable('users').set({ roles: v.roles, department_id: v.departmentId, updated_at: new Date() }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
  },

  /** A staff account, its row locked until the transaction ends. */
  async findStaffForUpdate(db: Tx, id: number): Promise<User | undefined> {
    return db.selectFrom('users').selectAll().where('id', '=', id).where('kind', '=', 'staff').forUpdate().executeTakeFirst();
  },

  /**
   * The ids of the active system administrators, their rows locked: two administrators removing each other at the
   * same moment wait for one another, so one active system administrator always remains.
   */
  async lockActiveSysAdmins(db: Tx): Promise<number[]> {
    const rows = await db.selectFrom('users').select('id').where('kind', '=', 'staff').where('status', '=', 'active')
      .where(sql<boolean>`'sys_admin' = any(roles)`).orderBy('id').forUpdate().execute();
    return rows.map((r) => r.id);
  },

  async listStaff(db: Tx, scope: 'all' | number[], limit: number, offset: number): Promise<User[]> {
    let q = db.selectFrom('users').selectAll().where('kind', '=', 'staff').orderBy('id').limit(limit).offset(offset);
    if (scope !== 'all') {
      if (!scope.length) return [];
      q = q.where('department_id', 'in', scope);
    }
    return q.execute();
  },

  async insertSession(db: Tx, id: string, userId: number, expiresAt: Date): Promise<void> {
    await db.insertInto('sessions').values({ id, user_id: userId, expires_at: expiresAt }).execute();
  },

  /** A session and its account in one round trip (every authenticated request asks). */
  async findSessionUser(db: Tx, id: string): Promise<{ created_at: Date; expires_at: Date; last_seen_at: Date; user: User } | undefined> {
    const r = await db
      .selectFrom('sessions as s')
      .innerJoin('users as u', 'u.id', 's.user_id')
      .selectAll('u')
      .select(['s.created_at as session_created_at', 's.expires_at as session_expires_at', 's.last_seen_at as session_last_seen_at'])
      .where('s.id', '=', id)
      .executeTakeFirst();
    if (!r) return undefined;
    const { session_created_at, session_expires_at, session_last_seen_at, ...user } = r;
    return { created_at: session_created_at, expires_at: session_expires_at, last_seen_at: session_last_seen_at, user };
  },

  async touchSession(db: Tx, id: string, expiresAt: Date): Promise<void> {
    await db.updateTable('sessions').set({ last_seen_at: new Date(), expires_at: expiresAt }).where('id', '=', id).execute();
  },

  async deleteSession(db: Tx, id: string): Promise<number> {
    const r = await db.deleteFrom('sessions').where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows);
  },

  /** Ends the account's sessions (all but `except`); returns how many ended. */
  async deleteUserSessions(db: Tx, userId: number, except?: string): Promise<number> {
    let q = db.deleteFrom('sessions').where('user_id', '=', userId);
    if (except) q = q.where('id', '<>', except);
    const r = await q.executeTakeFirst();
    return Number(r.numDeletedRows);
  },

  /**
   * Deletes expired `login_failures` rows, skipping (never waiting on) rows a sign-in holds, 1,000 a statement so a
   * sign-in whose own expired row is among them waits one short statement at most; meant to run on its own (not inside
   * a sign-in's transaction). Returns how many went.
   */
  async deleteExpiredIdentifierFailures(db: Tx, now: Date): Promise<number> {
    let total = 0;
    for (;;) {
      const r = await sql`delete from login_failures where key in (select key from login_failures where expires_at <= ${now}::timestamptz limit 1000 for update skip locked)`.execute(db);
      const n = Number(r.numAffectedRows ?? 0);
      total += n;
      if (n < 1000) return total;
    }
  },

  async deleteExpiredSessions(db: Tx): Promise<number> {
    const r = await db.deleteFrom('sessions').where('expires_at', '<', new Date()).executeTakeFirst();
    return Number(r.numDeletedRows);
  },

  async listDepartments(db: Tx): Promise<Department[]> {
    return db.selectFrom('departments').selectAll().orderBy('id').execute();
  },

  async findDepartment(db: Tx, id: number): Promise<Department | undefined> {
    return db.selectFrom('departments').selectAll().where('id', '=', id).executeTakeFirst();
  },

  async findDepartmentByCode(db: Tx, code: string): Promise<Department | undefined> {
    return db.selectFrom('departments').selectAll().where('code', '=', code).executeTakeFirst();
  },

  async insertDepartment(db: Tx, d: { code: string; name: string; name_en?: string | null; parent_id?: number | null }): Promise<Department> {
    return db.insertInto('departments').values(d).returningAll().executeTakeFirstOrThrow();
  },

  async ping(db: Tx): Promise<void> {
    await sql`select 1`.execute(db);
  },
};
