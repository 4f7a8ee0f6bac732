import { sql, type Kysely } from 'kysely';

/**
 * Unified search: the documents every process indexes in memory (with their analysed token rows, so rebuilding needs
 * no jieba), a change sequence for freshness across processes, staff-edited synonyms, and zero-result queries.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    sql`create sequence search_documents_seq`,
    sql`create table search_documents (
      id text primary key,
      type text not null check (type in ('policy', 'service', 'reply', 'knowledge', 'disclosure')),
      source_id text not null,
      title text not null,
      body text not null,
      department text,
      date text,
      url text,
      visibility text not null default 'public' check (visibility in ('public', 'staff')),
      status text not null default 'active' check (status in ('active', 'withdrawn')),
      source_version text,
      tokens jsonb not null,
      seq bigint not null,
      updated_at timestamptz not null default now()
    )`,
    sql`create unique index search_documents_seq_idx on search_documents (seq)`,
    sql`create index search_documents_type_idx on search_documents (type, status)`,
    sql`create table search_synonyms (
      id serial primary key,
      term text not null unique,
      expansions text not null,
      updated_at timestamptz not null default now()
    )`,
    sql`create table search_misses (
      id bigserial primary key,
      query text not null,
      at timestamptz not null default now()
    )`,
    sql`create index search_misses_at_idx on search_misses (at)`,
    sql`create table search_sync_state (
      source text primary key,
      cursor text not null,
      updated_at timestamptz not null default now()
    )`,
  ];
  for (const s of statements) await s.execute(db);
}
