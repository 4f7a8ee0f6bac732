import { sql, type Kysely } from 'kysely';

/** Departments, accounts, sessions and the hash-chained audit trail. */
export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    sql`create table departments (
      id serial primary key,
      code text not null unique,
      name text not null,
      name_en text,
      parent_id integer references departments(id),
      created_at timestamptz not null default now()
    )`,
    sql`create table users (
      id bigserial primary key,
      kind text not null check (kind in ('staff', 'citizen')),
      username text unique,
      mobile text unique,
      email text unique,
      password_hash text not null,
      display_name text not null,
      real_name text,
      id_number text unique,
      department_id integer references departments(id),
      roles text[] not null default '{}',
      status text not null default 'active' check (status in ('active', 'disabled')),
      failed_logins integer not null default 0,
      locked_until timestamptz,
      password_changed_at timestamptz not null default now(),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check (kind = 'citizen' or username is not null),
      check (kind = 'staff' or mobile is not null or email is not null)
    )`,
    sql`create index users_department_idx on users (department_id)`,
    sql`create table sessions (
      id text primary key,
      user_id bigint not null references users(id) on delete cascade,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      last_seen_at timestamptz not null default now()
    )`,
    sql`create index sessions_user_idx on sessions (user_id)`,
    sql`create index sessions_expires_idx on sessions (expires_at)`,
    // Every write in the platform adds one row here in its own transaction. Rows are chained later, in batches, by
    // the sealer (seq, prev_hash, hash), so writers never wait on one another for the chain.
    sql`create table audit_events (
      id bigserial primary key,
      at timestamptz not null,
      actor_id bigint,
      actor_label text not null,
      action text not null,
      entity text not null,
      entity_id text,
      before_digest text,
      after_digest text,
      detail jsonb not null default '{}',
      content_hash text not null,
      seq bigint unique,
      prev_hash text,
      hash text
    )`,
    sql`create index audit_events_unsealed_idx on audit_events (id) where seq is null`,
    sql`create index audit_events_entity_idx on audit_events (entity, entity_id)`,
    sql`create table audit_head (
      id integer primary key check (id = 1),
      last_seq bigint not null,
      last_hash text not null,
      mac text not null,
      sealed_at timestamptz not null
    )`,
    sql`create table audit_seals (
      seq bigint primary key,
      first_seq bigint not null,
      count integer not null,
      hash text not null,
      mac text not null,
      sealed_at timestamptz not null
    )`,
    // The trail is append-only: content never changes, chain fields are set once, nothing is deleted.
    sql`create function audit_events_guard() returns trigger language plpgsql as $$
      begin
        if tg_op = 'DELETE' then
          raise exception 'audit_events is append-only';
        end if;
        if old.seq is not null or new.content_hash <> old.content_hash or new.at <> old.at
           or new.action <> old.action or new.entity <> old.entity
           or coalesce(new.entity_id, '') <> coalesce(old.entity_id, '')
           or new.detail <> old.detail or new.actor_label <> old.actor_label then
          raise exception 'audit_events is append-only';
        end if;
        return new;
      end $$`,
    sql`create trigger audit_events_append_only before update or delete on audit_events
      for each row execute function audit_events_guard()`,
  ];
  for (const s of statements) await s.execute(db);
}
