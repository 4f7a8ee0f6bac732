import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** Timestamps are read as Date and written as Date or ISO string. */
export type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** A timestamp with a database default. */
export type GeneratedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
export type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
export type Json<T = Record<string, unknown>> = ColumnType<T, string | T, string | T>;

export interface DepartmentsTable {
  id: Generated<number>;
  code: string;
  name: string;
  name_en: string | null;
  parent_id: number | null;
  created_at: GeneratedTimestamp;
}

export interface UsersTable {
  id: Generated<number>;
  kind: 'staff' | 'citizen';
  username: string | null;
  mobile: string | null;
  email: string | null;
  password_hash: string;
  display_name: string;
  real_name: string | null;
  id_number: string | null;
  department_id: number | null;
  roles: ColumnType<string[], string[] | undefined, string[]>;
  oidc_issuer: ColumnType<string | null, string | null | undefined, string | null>;
  oidc_subject: ColumnType<string | null, string | null | undefined, string | null>;
  status: Generated<'active' | 'disabled'>;
  failed_logins: Generated<number>;
  locked_until: NullableTimestamp;
  password_changed_at: GeneratedTimestamp;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

export interface SessionsTable {
  id: string;
  user_id: number;
  created_at: GeneratedTimestamp;
  expires_at: Timestamp;
  last_seen_at: GeneratedTimestamp;
}

export interface AuditEventsTable {
  id: Generated<number>;
  at: Timestamp;
  actor_id: number | null;
  actor_label: string;
  action: string;
  entity: string;
  entity_id: string | null;
  before_digest: string | null;
  after_digest: string | null;
  detail: Json;
  content_hash: string;
  seq: number | null;
  prev_hash: string | null;
  hash: string | null;
}

export interface AuditHeadTable {
  id: number;
  last_seq: number;
  last_hash: string;
  mac: string;
  sealed_at: Timestamp;
}

export interface AuditSealsTable {
  seq: number;
  first_seq: number;
  count: number;
  hash: string;
  mac: string;
  sealed_at: Timestamp;
}

export interface DB {
  departments: DepartmentsTable;
  users: UsersTable;
  sessions: SessionsTable;
  audit_events: AuditEventsTable;
  audit_head: AuditHeadTable;
  audit_seals: AuditSealsTable;
}

export type Department = Selectable<DepartmentsTable>;
export type User = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
export type AuditEventRow = Selectable<AuditEventsTable>;
