import { sql, type Kysely } from 'kysely';

/**
 * Citizen messages (网络问政 / 12345): messages, tickets with their append-only action log, the editable
 * category → department table, time limits per type, settings, routing corrections and webhook channels.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    sql`create table message_tickets (
      id bigserial primary key,
      type text not null check (type in ('咨询', '求助', '投诉', '建议', '举报')),
      title text not null,
      category text,
      confidence double precision,
      district text,
      status text not null check (status in ('received', 'dispatched', 'transferred', 'returned', 'in_progress', 'replied', 'closed', 'merged')),
      department_id integer references departments(id),
      escalated boolean not null default false,
      received_on date not null,
      limit_days integer not null check (limit_days >= 0),
      deadline date not null,
      reply text,
      reply_public text,
      replied_at timestamptz,
      closed_at timestamptz,
      rating smallint check (rating between 1 and 5),
      reopen_count integer not null default 0,
      merged_into bigint references message_tickets(id),
      version integer not null default 0,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check ((status in ('received', 'returned')) = (department_id is null) or status = 'merged')
    )`,
    sql`create index message_tickets_dept_idx on message_tickets (department_id, status, deadline)`,
    sql`create index message_tickets_queue_idx on message_tickets (status, deadline) where department_id is null`,
    sql`create table messages (
      id bigserial primary key,
      ticket_id bigint not null references message_tickets(id),
      token text not null unique,
      channel text not null,
      external_id text,
      type text not null,
      title text not null,
      content text not null,
      district text,
      address text,
      lat double precision,
      lng double precision,
      contact_name text,
      contact_phone text,
      contact_email text,
      publish_consent boolean not null default false,
      anonymous boolean not null default false,
      citizen_id bigint references users(id),
      submitted_at timestamptz not null,
      created_at timestamptz not null default now(),
      unique (channel, external_id)
    )`,
    sql`create index messages_ticket_idx on messages (ticket_id)`,
    sql`create index messages_citizen_idx on messages (citizen_id, id)`,
    sql`create table message_ticket_actions (
      id bigserial primary key,
      ticket_id bigint not null references message_tickets(id),
      at timestamptz not null,
      on_day date not null,
      actor_id bigint,
      actor_label text not null,
      action text not null,
      status_after text not null,
      department_after integer,
      note text,
      detail jsonb not null default '{}'
    )`,
    sql`create index message_ticket_actions_ticket_idx on message_ticket_actions (ticket_id, id)`,
    sql`create table message_routes (
      category text primary key,
      department_code text not null,
      updated_at timestamptz not null default now()
    )`,
    sql`insert into message_routes (category, department_code) values
      ('城乡建设', 'A-HOUSING'), ('环境保护', 'A-ECOLOGY'), ('交通运输', 'A-TRANSPORT'), ('教育文体', 'A-EDU'),
      ('劳动和社会保障', 'A-HRSS'), ('商贸旅游', 'A-MARKET'), ('卫生计生', 'A-HEALTH')`,
    sql`create table message_time_limits (
      type text primary key,
      working_days integer not null check (working_days between 1 and 365),
      updated_at timestamptz not null default now()
    )`,
    sql`insert into message_time_limits (type, working_days) values ('咨询', 3), ('求助', 3), ('投诉', 13), ('建议', 13), ('举报', 13)`,
    sql`create table message_settings (
      id integer primary key check (id = 1),
      auto_threshold double precision not null check (auto_threshold between 0 and 1),
      reopen_days integer not null check (reopen_days between 0 and 365),
      updated_at timestamptz not null default now()
    )`,
    sql`insert into message_settings (id, auto_threshold, reopen_days) values (1, 0.6, 15)`,
    sql`create table message_routing_corrections (
      id bigserial primary key,
      ticket_id bigint not null references message_tickets(id),
      at timestamptz not null,
      actor_id bigint,
      title text not null,
      content text not null,
      predicted_category text,
      predicted_confidence double precision,
      from_department_id integer,
      to_department_id integer not null,
      category text
    )`,
    sql`create table message_webhook_channels (
      code text primary key,
      secret text not null,
      created_at timestamptz not null default now()
    )`,
  ];
  for (const s of statements) await s.execute(db);
}
