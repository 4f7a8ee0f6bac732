import type { ColumnType, Generated, Selectable } from 'kysely';
import type { GeneratedTimestamp, Json, NullableTimestamp } from '../../db/types.ts';
import type { FormDefinition } from './form.ts';

/** A required material of a service (申请材料). */
export interface Material {
  key: string;
  name: string;
  required: boolean;
  /** Electronic certificate type that replaces the paper (免提交), e.g. `居民户口簿`. */
  certType?: string;
  note?: string;
  /** The file types accepted for this material (a photo: `['jpg', 'png']`); all of PDF, JPG and PNG when absent. */
  types?: FileType[];
}

/** A file type an upload may have, as citizens name it (checked by content: `sniffMime`). */
export type FileType = 'pdf' | 'jpg' | 'png';

/** How a required material was supplied: an uploaded file or an electronic certificate the citizen holds (免提交). */
export type AttachedMaterial =
  | { source: 'upload'; fileId: number; name: string }
  | { source: 'certificate'; certificateId: number; number: string; certType: string };

/** The national guide elements of a service item (办事指南). */
export interface Guide {
  summary?: string;
  legalBasis?: string[];
  conditions?: string[];
  materials?: Material[];
  fees?: string;
  channels?: string[];
  process?: string[];
  faq?: { q: string; a: string }[];
  /** Where the guide was written from. */
  note?: string;
}

export interface SvcItemsTable {
  id: Generated<number>;
  code: string;
  basic_code: string | null;
  name: string;
  task_type: string;
  department_name: string;
  department_id: number | null;
  source: Generated<string>;
  official_url: string | null;
  status: Generated<'draft' | 'published' | 'retired'>;
  online: Generated<boolean>;
  legal_days: number | null;
  promised_days: number | null;
  issues_cert: string | null;
  guide: Json<Guide>;
  form: ColumnType<FormDefinition | null, string | FormDefinition | null | undefined, string | FormDefinition | null>;
  version: Generated<number>;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

export interface SvcCasesTable {
  id: Generated<number>;
  case_no: string;
  item_id: number;
  applicant_id: number;
  department_id: number | null;
  status: string;
  version: Generated<number>;
  data: Json<Record<string, unknown>>;
  materials: Json<Record<string, AttachedMaterial>>;
  client_token: string;
  submitted_at: NullableTimestamp;
  accepted_on: string | null;
  /** Day by which a submitted case must be accepted or refused (受理 decision, 5 working days). */
  accept_due: ColumnType<string | null, string | null | undefined, string | null>;
  legal_deadline: string | null;
  promised_deadline: string | null;
  paused: Generated<boolean>;
  escalated: Generated<boolean>;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

export interface SvcCaseActionsTable {
  id: Generated<number>;
  case_id: number;
  seq: number;
  action: string;
  from_status: string | null;
  to_status: string;
  actor_id: number | null;
  actor_label: string;
  comment: string | null;
  detail: Json<Record<string, unknown>>;
  on_date: string;
  at: GeneratedTimestamp;
}

export interface SvcFilesTable {
  id: Generated<number>;
  owner_id: number;
  case_id: number | null;
  material: string;
  name: string;
  mime: string;
  size: number;
  sha256: string;
  created_at: GeneratedTimestamp;
}

export interface SvcCertificatesTable {
  id: Generated<number>;
  number: string;
  cert_type: string;
  holder_id: number;
  department_id: number | null;
  case_id: number | null;
  title: string;
  data: Json<Record<string, unknown>>;
  key_id: number | null;
  signature: string | null;
  status: Generated<'valid' | 'revoked'>;
  revoked_reason: string | null;
  valid_until: string | null;
  issued_at: GeneratedTimestamp;
  revoked_at: NullableTimestamp;
}

export interface SvcDeptKeysTable {
  id: Generated<number>;
  department_id: number | null;
  public_key: string;
  private_enc: string;
  active: Generated<boolean>;
  created_at: GeneratedTimestamp;
  retired_at: NullableTimestamp;
}

export interface SvcHolidaysTable {
  date: string;
  kind: 'off' | 'work';
  holiday: string | null;
  year: number;
}

export interface SvcOutboxTable {
  id: Generated<number>;
  user_id: number | null;
  case_id: number | null;
  channel: string;
  subject: string;
  body: string;
  status: Generated<'pending' | 'sent' | 'failed'>;
  attempts: Generated<number>;
  created_at: GeneratedTimestamp;
  sent_at: NullableTimestamp;
}

export interface SvcRatingsTable {
  id: Generated<number>;
  case_id: number;
  item_id: number;
  department_id: number | null;
  rater_id: number;
  level: number;
  indicators: Json<Record<string, number>>;
  comment: string | null;
  appeal_status: Generated<'none' | 'appealed' | 'upheld' | 'rejected'>;
  appeal_reason: string | null;
  excluded: Generated<boolean>;
  created_at: GeneratedTimestamp;
}

export interface SvcRectificationsTable {
  id: Generated<number>;
  rating_id: number;
  department_id: number | null;
  due_on: string;
  status: Generated<'open' | 'done'>;
  callback_note: string | null;
  created_at: GeneratedTimestamp;
  closed_at: NullableTimestamp;
}

declare module '../../db/types.ts' {
  interface DB {
    svc_items: SvcItemsTable;
    svc_cases: SvcCasesTable;
    svc_case_actions: SvcCaseActionsTable;
    svc_files: SvcFilesTable;
    svc_certificates: SvcCertificatesTable;
    svc_dept_keys: SvcDeptKeysTable;
    svc_holidays: SvcHolidaysTable;
    svc_outbox: SvcOutboxTable;
    svc_ratings: SvcRatingsTable;
    svc_rectifications: SvcRectificationsTable;
  }
}

export type ServiceItem = Selectable<SvcItemsTable>;
export type CaseRow = Selectable<SvcCasesTable>;
export type CaseActionRow = Selectable<SvcCaseActionsTable>;
export type FileRow = Selectable<SvcFilesTable>;
export type CertificateRow = Selectable<SvcCertificatesTable>;
export type RatingRow = Selectable<SvcRatingsTable>;
export type RectificationRow = Selectable<SvcRectificationsTable>;
