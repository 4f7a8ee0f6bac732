import { sql, type Kysely } from 'kysely';

/**
 * Photos and PDFs a citizen attaches to a message on the web form (at most 3, 5 MB each, type checked by content).
 * Kept in the database beside the message; never published.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    sql`create table message_attachments (
      id bigserial primary key,
      message_id bigint not null references messages(id),
      name text not null,
      mime text not null,
      size integer not null,
      bytes bytea not null,
      created_at timestamptz not null default now()
    )`,
    sql`create index message_attachments_message_idx on message_attachments (message_id)`,
  ];
  for (const s of statements) await s.execute(db);
}
