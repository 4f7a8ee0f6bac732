import type { Kysely } from 'kysely';
import type { DB } from './types.ts';

/**
 * A handle on the database or on an open transaction. Services pass it from one repository to another so that a
 * change and its audit entry commit together; they never issue SQL with it themselves.
 */
export type Tx = Kysely<DB>;

/** Runs `fn` in one transaction; everything written through `tx` commits or rolls back together. */
export function inTransaction<T>(db: Kysely<DB>, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction().execute(fn);
}
