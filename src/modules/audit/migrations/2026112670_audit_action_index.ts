import { sql, type Kysely } from 'kysely';

/**
 * The administrator's audit page filters the trail by kind of action (the codes of a group, newest first, 50 a page):
 * an index on (action, id) reads just those entries instead of walking the whole trail backwards.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index if not exists audit_events_action_idx on audit_events (action, id)`.execute(db);
}
