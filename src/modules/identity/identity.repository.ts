import { sql } from 'kysely';
import type { Tx } from '../../db/tx.ts';
import type { Department, NewUser, User } from '../../db/types.ts';

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

  async recordFailure(db: Tx, id: number, max: number, lockUntil: Date): Promise<{ failed_logins: number; locked_until: Date | null }> {
    return db
      .updateTable('users')
      .set({
        failed_logins: sql`case when failed_logins + 1 >= ${max} then 0 else failed_logins + 1 end`,
        locked_until: sql`case when failed_logins + 1 >= ${max} then ${lockUntil}::timestamptz else locked_until end`,
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .returning(['failed_logins', 'locked_until'])
      .executeTakeFirstOrThrow();
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
