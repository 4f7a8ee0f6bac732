import { sql, type Kysely } from 'kysely';

/** The postal address and postcode of a request answered by post (邮寄); null for the other ways. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table disclosure_requests add column postal_address text, add column postcode text`.execute(db);
}
