import { sql, type Kysely } from 'kysely';

/** Knowledge base: articles (owning department, visibility, review-by date, links) and their versions. */
export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    sql`create table knowledge_articles (
      id serial primary key,
      department_id integer not null references departments(id),
      visibility text not null default 'public' check (visibility in ('public', 'staff')),
      review_by date,
      status text not null default 'draft' check (status in ('draft', 'reviewed', 'published', 'archived')),
      title text not null,
      body text not null,
      links jsonb not null default '{"services":[],"policies":[]}',
      current_version integer not null default 1,
      published_version integer,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`,
    sql`create index knowledge_articles_dept_idx on knowledge_articles (department_id, status)`,
    sql`create table knowledge_versions (
      article_id integer not null references knowledge_articles(id),
      version integer not null,
      title text not null,
      body text not null,
      status text not null check (status in ('draft', 'reviewed', 'published', 'archived')),
      author_id bigint,
      reviewer_id bigint,
      created_at timestamptz not null default now(),
      primary key (article_id, version)
    )`,
  ];
  for (const s of statements) await s.execute(db);
}
