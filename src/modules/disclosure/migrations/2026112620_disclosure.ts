import { sql, type Kysely } from 'kysely';

/** Disclosure catalogue (categories, documents) and disclosure on request (依申请公开). */
export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    sql`create table disclosure_categories (
      id serial primary key,
      code text not null unique,
      parent_id integer references disclosure_categories(id),
      name text not null,
      name_en text,
      sort integer not null default 0
    )`,
    sql`create table disclosure_documents (
      id serial primary key,
      index_no text not null unique,
      category_id integer not null references disclosure_categories(id),
      department_id integer not null references departments(id),
      title text not null,
      issuer text not null,
      doc_number text,
      issued_on date not null,
      valid_from date,
      valid_until date,
      validity text not null default 'valid' check (validity in ('valid', 'amended', 'repealed', 'expired')),
      body text not null,
      attachments jsonb not null default '[]',
      keywords text not null default '',
      status text not null default 'draft' check (status in ('draft', 'review', 'published', 'withdrawn')),
      review_note text,
      withdrawn_reason text,
      published_at timestamptz,
      withdrawn_at timestamptz,
      created_by bigint,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`,
    sql`create index disclosure_documents_cat_idx on disclosure_documents (category_id, status, issued_on desc)`,
    sql`create index disclosure_documents_dept_idx on disclosure_documents (department_id, status, issued_on desc)`,
    sql`create index disclosure_documents_changed_idx on disclosure_documents (updated_at)`,
    sql`create table disclosure_requests (
      id serial primary key,
      ref_no text not null unique,
      applicant_user_id bigint not null references users(id),
      applicant_kind text not null check (applicant_kind in ('citizen', 'company')),
      applicant_name text not null,
      applicant_code text not null,
      contact_phone text,
      department_id integer not null references departments(id),
      description text not null,
      purpose text,
      delivery text not null default 'online' check (delivery in ('online', 'post', 'pickup')),
      status text not null default 'received' check (status in ('received', 'clarifying', 'answered')),
      received_on date not null,
      pauses jsonb not null default '[]',
      extended boolean not null default false,
      extension_reason text,
      outcome text,
      legal_ground text,
      answer_text text,
      answered_on date,
      answer_published boolean not null default false,
      published_answer text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`,
    sql`create index disclosure_requests_dept_idx on disclosure_requests (department_id, status)`,
    sql`create index disclosure_requests_user_idx on disclosure_requests (applicant_user_id)`,
  ];
  for (const s of statements) await s.execute(db);
}
