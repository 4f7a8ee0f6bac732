import { sql, type Kysely } from 'kysely';

/**
 * Pollers read tickets changed since a point (`GET /api/v1/messages/tickets?since=…&afterId=…`): an index on
 * (updated_at, id) for that keyset order, and `updated_at` kept to the millisecond (what JSON carries) so that a
 * cursor taken from a listed ticket is exact.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    sql`update message_tickets set updated_at = date_trunc('milliseconds', updated_at) where updated_at <> date_trunc('milliseconds', updated_at)`,
    sql`alter table message_tickets alter column updated_at set default date_trunc('milliseconds', now())`,
    sql`create index message_tickets_updated_idx on message_tickets (updated_at, id)`,
  ];
  for (const s of statements) await s.execute(db);
}
