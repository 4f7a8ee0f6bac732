/** The largest record id: the tables' ids are `serial` (PostgreSQL int4). src/web/ids.ts bounds ids in addresses. */
export const MAX_RECORD_ID = 2_147_483_647;

/**
 * True when `n` can be a record id: a whole number 1 … 2147483647. Services check ids taken from a body (a form's
 * departmentId, an API client's systemId) with it before a query, which the database would otherwise refuse
 * (SQLSTATE 22003 for 3000000000), so the caller gets a field error instead of the error handler's backstop.
 */
export function isRecordId(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= MAX_RECORD_ID;
}
