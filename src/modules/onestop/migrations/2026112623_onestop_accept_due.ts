import { sql, type Kysely } from 'kysely';

/** The day by which a submitted case must be accepted or refused (5 working days after submission). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table svc_cases add column accept_due date`.execute(db);
}
