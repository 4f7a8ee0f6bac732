import { sql, type Kysely } from 'kysely';

/**
 * The address of a picture or video an Open311 client has already put online (GeoReport v2 `media_url`): kept as a
 * link on the message, never fetched by the platform.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table messages add column media_url text`.execute(db);
}
