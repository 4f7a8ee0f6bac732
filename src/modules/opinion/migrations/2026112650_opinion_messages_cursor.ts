import { sql, type Kysely } from 'kysely';

/**
 * The messages poller's position survives restarts: the newest `updatedAt` of the platform's tickets taken in, kept
 * on a row `messages` of `opinion_state` (written by `pollMessages` in the transaction that stores the items).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table opinion_state add column cursor_at timestamptz`.execute(db);
}
