import { sql, type Kysely } from 'kysely';

/** Data resource catalogue, shared records, calling systems, sharing requests, the signed access log, data quality. */
export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    sql`create table ds_resources (
      id serial primary key,
      code text not null unique,
      department_id integer not null references departments(id),
      name text not null,
      description text not null,
      fields jsonb not null,
      key_field text not null,
      owner text not null,
      update_frequency text not null,
      sharing_class text not null check (sharing_class in ('unconditional', 'conditional', 'none')),
      sharing_condition text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`,
    sql`create table ds_records (
      id serial primary key,
      resource_id integer not null references ds_resources(id),
      record_key text not null,
      data jsonb not null,
      updated_at timestamptz not null default now(),
      unique (resource_id, record_key)
    )`,
    sql`create table ds_systems (
      id serial primary key,
      department_id integer not null references departments(id),
      name text not null,
      key_prefix text not null unique,
      key_hash text not null,
      rate_per_minute integer not null default 60,
      status text not null default 'active' check (status in ('active', 'revoked')),
      created_at timestamptz not null default now(),
      revoked_at timestamptz
    )`,
    sql`create table ds_requests (
      id serial primary key,
      resource_id integer not null references ds_resources(id),
      system_id integer not null references ds_systems(id),
      requester_department_id integer not null references departments(id),
      fields jsonb not null,
      purpose text not null,
      legal_basis text not null,
      period_from date not null,
      period_to date not null,
      status text not null default 'pending' check (status in ('pending', 'approved', 'refused', 'revoked')),
      decision_note text,
      decided_by bigint,
      decided_at timestamptz,
      created_by bigint,
      created_at timestamptz not null default now()
    )`,
    sql`create index ds_requests_system_idx on ds_requests (system_id, resource_id, status)`,
    sql`create table ds_access_log (
      id bigserial primary key,
      at timestamptz not null,
      system_id integer not null references ds_systems(id),
      request_id integer references ds_requests(id),
      resource_id integer not null references ds_resources(id),
      requester_department_id integer not null,
      owner_department_id integer not null,
      subject_digest text,
      fields jsonb not null,
      purpose text,
      outcome text not null,
      payload_digest text,
      signature text not null
    )`,
    sql`create index ds_access_log_system_idx on ds_access_log (system_id, at)`,
    sql`create index ds_access_log_subject_idx on ds_access_log (subject_digest)`,
    sql`create table ds_quality_runs (
      id serial primary key,
      resource_id integer not null references ds_resources(id),
      at timestamptz not null default now(),
      total_rows integer not null,
      valid_rows integer not null,
      findings integer not null
    )`,
    sql`create index ds_quality_runs_resource_idx on ds_quality_runs (resource_id, at)`,
    sql`create table ds_quality_findings (
      id serial primary key,
      run_id integer not null references ds_quality_runs(id),
      resource_id integer not null references ds_resources(id),
      record_id integer not null references ds_records(id),
      field text not null,
      rule text not null,
      severity text not null,
      message text not null,
      value text not null,
      suggestion text,
      status text not null default 'open' check (status in ('open', 'approved', 'rejected', 'superseded')),
      decided_by bigint,
      decided_at timestamptz
    )`,
    sql`create index ds_quality_findings_resource_idx on ds_quality_findings (resource_id, status)`,
  ];
  for (const s of statements) await s.execute(db);
}
