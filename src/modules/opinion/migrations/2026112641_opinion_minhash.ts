import { sql, type Kysely } from 'kysely';

/** Near-duplicates by MinHash LSH: a signature per item and its band keys (SimHash alone missed light edits). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table opinion_items add column minhash text`.execute(db);
  await sql`create table opinion_item_bands (
    band text not null,
    item_id integer not null,
    primary key (band, item_id)
  )`.execute(db);
}
