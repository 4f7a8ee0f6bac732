import { sql, type Kysely } from 'kysely';

/** 好差评: one rating per completed case, rectification tasks for bad ratings, appeals. */
export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    sql`create table svc_ratings (
      id bigserial primary key,
      case_id bigint not null unique references svc_cases(id),
      item_id integer not null references svc_items(id),
      department_id integer references departments(id),
      rater_id bigint not null references users(id),
      level integer not null check (level between 1 and 5),
      indicators jsonb not null default '{}',
      comment text,
      appeal_status text not null default 'none' check (appeal_status in ('none', 'appealed', 'upheld', 'rejected')),
      appeal_reason text,
      excluded boolean not null default false,
      created_at timestamptz not null default now()
    )`,
    sql`create index svc_ratings_department_idx on svc_ratings (department_id)`,
    sql`create index svc_ratings_item_idx on svc_ratings (item_id)`,
    sql`create table svc_rectifications (
      id bigserial primary key,
      rating_id bigint not null unique references svc_ratings(id),
      department_id integer references departments(id),
      due_on date not null,
      status text not null default 'open' check (status in ('open', 'done')),
      callback_note text,
      created_at timestamptz not null default now(),
      closed_at timestamptz
    )`,
    sql`create index svc_rectifications_open_idx on svc_rectifications (department_id, status, due_on)`,
  ];
  for (const s of statements) await s.execute(db);
}
