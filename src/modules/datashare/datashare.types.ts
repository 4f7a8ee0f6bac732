import type { Generated, Selectable } from 'kysely';
import type { GeneratedTimestamp, Json, NullableTimestamp, Timestamp } from '../../db/types.ts';
import type { CheckKind } from '../../lib/quality/index.ts';

export type SharingClass = 'unconditional' | 'conditional' | 'none';
export const SHARING_CLASSES: Record<SharingClass, { zh: string; en: string }> = {
  unconditional: { zh: '无条件共享', en: 'Shared unconditionally' },
  conditional: { zh: '有条件共享', en: 'Shared on conditions' },
  none: { zh: '不予共享', en: 'Not shared' },
};
export const FIELD_TYPES = ['string', 'integer', 'number', 'date', 'boolean'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** One field (data item 信息项) of a resource. */
export interface ResourceField {
  name: string;
  /** The Chinese name staff and citizens read (公民身份号码). */
  label: string;
  /** The English name for English pages; absent, they show `name`. */
  labelEn?: string;
  type: FieldType;
  personal: boolean;
  sensitive: boolean;
  /** Data-quality checks run on this field (`src/lib/quality` kinds). */
  checks?: CheckKind[];
}

export interface DsResourcesTable {
  id: Generated<number>;
  code: string;
  department_id: number;
  name: string;
  description: string;
  fields: Json<ResourceField[]>;
  key_field: string;
  owner: string;
  update_frequency: string;
  sharing_class: SharingClass;
  sharing_condition: string | null;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}
export interface DsRecordsTable {
  id: Generated<number>;
  resource_id: number;
  record_key: string;
  data: Json<Record<string, string>>;
  updated_at: GeneratedTimestamp;
}
export interface DsSystemsTable {
  id: Generated<number>;
  department_id: number;
  name: string;
  key_prefix: string;
  key_hash: string;
  rate_per_minute: Generated<number>;
  status: Generated<'active' | 'revoked'>;
  created_at: GeneratedTimestamp;
  revoked_at: NullableTimestamp;
}
export interface DsRequestsTable {
  id: Generated<number>;
  resource_id: number;
  system_id: number;
  requester_department_id: number;
  fields: Json<string[]>;
  purpose: string;
  legal_basis: string;
  period_from: string;
  period_to: string;
  status: Generated<'pending' | 'approved' | 'refused' | 'revoked'>;
  decision_note: string | null;
  decided_by: number | null;
  decided_at: NullableTimestamp;
  created_by: number | null;
  created_at: GeneratedTimestamp;
}
export interface DsAccessLogTable {
  id: Generated<number>;
  at: Timestamp;
  system_id: number;
  request_id: number | null;
  resource_id: number;
  requester_department_id: number;
  owner_department_id: number;
  subject_digest: string | null;
  fields: Json<string[]>;
  purpose: string | null;
  outcome: string;
  payload_digest: string | null;
  signature: string;
}
export interface DsQualityRunsTable {
  id: Generated<number>;
  resource_id: number;
  at: GeneratedTimestamp;
  total_rows: number;
  valid_rows: number;
  findings: number;
}
export interface DsQualityFindingsTable {
  id: Generated<number>;
  run_id: number;
  resource_id: number;
  record_id: number;
  field: string;
  rule: string;
  severity: string;
  message: string;
  value: string;
  suggestion: string | null;
  status: Generated<'open' | 'approved' | 'rejected' | 'superseded'>;
  decided_by: number | null;
  decided_at: NullableTimestamp;
}

declare module '../../db/types.ts' {
  interface DB {
    ds_resources: DsResourcesTable;
    ds_records: DsRecordsTable;
    ds_systems: DsSystemsTable;
    ds_requests: DsRequestsTable;
    ds_access_log: DsAccessLogTable;
    ds_quality_runs: DsQualityRunsTable;
    ds_quality_findings: DsQualityFindingsTable;
  }
}

export type Resource = Selectable<DsResourcesTable>;
export type RecordRow = Selectable<DsRecordsTable>;
export type SystemRow = Selectable<DsSystemsTable>;
export type ShareRequest = Selectable<DsRequestsTable>;
export type AccessLogRow = Selectable<DsAccessLogTable>;
export type QualityRun = Selectable<DsQualityRunsTable>;
export type QualityFinding = Selectable<DsQualityFindingsTable>;
