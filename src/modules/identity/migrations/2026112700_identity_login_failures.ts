import { sql, type Kysely } from 'kysely';

/**
 * Failed sign-ins counted per identifier typed (username, mobile or e-mail), whether or not an account has it, so a
 * lock-out answers the same for an unknown identifier as for an existing account. The key is an HMAC of the
 * normalised identifier under the signing secret: the table never holds the identifier itself. A row ends at
 * `expires_at` (the end of the lock, or of the counting window after the last failure).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table login_failures (
    key text primary key,
    failures integer not null default 0,
    locked_until timestamptz,
    expires_at timestamptz not null
  )`.execute(db);
  await sql`create index login_failures_expires_idx on login_failures (expires_at)`.execute(db);
}
