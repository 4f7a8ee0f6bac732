import { sql, type Kysely } from 'kysely';

/** Public-opinion monitoring: sources, items, fetch log, persisted hot issues, clustering lease, warnings and the loop. */
export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    sql`create table opinion_sources (
      id serial primary key,
      code text not null unique,
      kind text not null check (kind in ('messages', 'rss', 'webhook', 'import')),
      name text not null,
      url text,
      secret text,
      enabled boolean not null default true,
      fetch_minutes integer not null default 15,
      last_fetched_at timestamptz,
      last_error text,
      created_at timestamptz not null default now()
    )`,
    sql`create table opinion_items (
      id serial primary key,
      source text not null,
      external_id text not null,
      title text not null,
      text text not null,
      author_hash text,
      published_at timestamptz not null,
      likes integer not null default 0,
      dislikes integer not null default 0,
      url text,
      analysis jsonb not null,
      text_hash text not null,
      simhash text not null,
      duplicate_of integer,
      district text,
      created_at timestamptz not null default now(),
      unique (source, external_id)
    )`,
    sql`create index opinion_items_hash_idx on opinion_items (text_hash)`,
    sql`create index opinion_items_sim1_idx on opinion_items (substr(simhash, 1, 4))`,
    sql`create index opinion_items_sim2_idx on opinion_items (substr(simhash, 5, 4))`,
    sql`create index opinion_items_sim3_idx on opinion_items (substr(simhash, 9, 4))`,
    sql`create index opinion_items_sim4_idx on opinion_items (substr(simhash, 13, 4))`,
    sql`create index opinion_items_time_idx on opinion_items (published_at)`,
    sql`create table opinion_fetch_log (
      id serial primary key,
      source text not null,
      at timestamptz not null default now(),
      ok boolean not null,
      code text not null,
      message text not null,
      added integer not null default 0
    )`,
    sql`create table opinion_issues (
      id integer primary key,
      title text not null,
      summary text not null,
      place text not null,
      district text,
      first_at timestamptz not null,
      last_at timestamptz not null,
      items integer not null,
      people integer not null,
      likes integer not null,
      negative_share double precision,
      heat double precision not null,
      keywords jsonb not null,
      daily jsonb not null,
      item_ids jsonb not null,
      updated_at timestamptz not null default now()
    )`,
    sql`create index opinion_issues_heat_idx on opinion_issues (heat desc)`,
    sql`create table opinion_state (
      name text primary key,
      holder text,
      lease_until timestamptz,
      watermark integer not null default 0,
      generation integer not null default 0
    )`,
    sql`insert into opinion_state (name) values ('cluster')`,
    sql`create table opinion_warnings (
      id serial primary key,
      key text not null unique,
      issue_id integer,
      level text not null check (level in ('blue', 'yellow', 'orange', 'red')),
      kind text not null,
      title text not null,
      reason text not null,
      department_id integer references departments(id),
      status text not null default 'open' check (status in ('open', 'assessed', 'responded', 'handling', 'closed')),
      assessment jsonb,
      version integer not null default 0,
      raised_at timestamptz not null default now(),
      closed_at timestamptz
    )`,
    sql`create table opinion_actions (
      id serial primary key,
      warning_id integer not null references opinion_warnings(id),
      at timestamptz not null default now(),
      actor text not null,
      action text not null,
      status_after text not null,
      data jsonb not null
    )`,
    sql`create index opinion_actions_warning_idx on opinion_actions (warning_id, id)`,
    sql`create table opinion_tasks (
      id serial primary key,
      warning_id integer not null references opinion_warnings(id),
      department_id integer not null references departments(id),
      description text not null,
      deadline date not null,
      status text not null default 'open' check (status in ('open', 'done')),
      result text,
      created_at timestamptz not null default now(),
      done_at timestamptz
    )`,
    sql`create table opinion_notifications (
      id serial primary key,
      warning_id integer not null references opinion_warnings(id),
      audience text not null check (audience in ('analyst', 'department')),
      department_id integer,
      text text not null,
      created_at timestamptz not null default now(),
      read_at timestamptz
    )`,
  ];
  for (const s of statements) await s.execute(db);
}
