import type { Generated, Selectable } from 'kysely';
import type { GeneratedTimestamp, Json, NullableTimestamp, Timestamp } from '../../db/types.ts';

export const SOURCE_KINDS = ['messages', 'rss', 'webhook', 'import'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

/** The stored analysis of one item (from `src/nlp/analysis`). */
export interface StoredAnalysis {
  sentiment: { label: 'negative' | 'neutral' | 'positive'; score: number; positive: number };
  keywords: string[];
  places: { district?: string | null; street?: string | null; estate?: string | null; raw: string }[];
  organisations: string[];
  urgency: { level: number; cues: string[] };
}

export interface OpinionSourcesTable {
  id: Generated<number>;
  code: string;
  kind: SourceKind;
  name: string;
  url: string | null;
  /** Webhook shared secret (HMAC-SHA256 key). */
  secret: string | null;
  enabled: Generated<boolean>;
  fetch_minutes: Generated<number>;
  last_fetched_at: NullableTimestamp;
  last_error: string | null;
  created_at: GeneratedTimestamp;
}

export interface OpinionItemsTable {
  id: Generated<number>;
  source: string;
  external_id: string;
  title: string;
  text: string;
  author_hash: string | null;
  published_at: Timestamp;
  likes: Generated<number>;
  dislikes: Generated<number>;
  url: string | null;
  analysis: Json<StoredAnalysis>;
  /** SHA-256 of the normalised title + text: equal across sources means the same post. */
  text_hash: string;
  /** 64-bit SimHash of character trigrams, 16 hex digits (near-duplicates differ in ≤ 3 bits). */
  simhash: string;
  /** MinHash signature of character trigrams (near-duplicates; LSH bands in opinion_item_bands). */
  minhash: string | null;
  /** The first item with the same or a nearly identical text (another source or a repost). */
  duplicate_of: number | null;
  district: string | null;
  created_at: GeneratedTimestamp;
}

export interface OpinionFetchLogTable {
  id: Generated<number>;
  source: string;
  at: GeneratedTimestamp;
  ok: boolean;
  code: string;
  message: string;
  added: Generated<number>;
}

export interface OpinionIssuesTable {
  /** The smallest item id of the issue: stable across rebuilds of the clustering. */
  id: number;
  title: string;
  summary: string;
  place: string;
  district: string | null;
  first_at: Timestamp;
  last_at: Timestamp;
  items: number;
  people: number;
  likes: number;
  negative_share: number | null;
  heat: number;
  keywords: Json<string[]>;
  daily: Json<{ day: string; count: number }[]>;
  item_ids: Json<number[]>;
  updated_at: GeneratedTimestamp;
}

export interface OpinionStateTable {
  name: string;
  holder: string | null;
  lease_until: NullableTimestamp;
  /** Highest item id clustered so far. */
  watermark: Generated<number>;
  generation: Generated<number>;
  /** Row `messages`: the newest `updatedAt` of the messages module's tickets polled so far (null: never polled). */
  cursor_at: NullableTimestamp;
}

export const LEVELS = ['blue', 'yellow', 'orange', 'red'] as const;
export type Level = (typeof LEVELS)[number];
/** CSS class of each level's tag (site.css: .tag.blue / .yellow / .orange / .red), one colour per level. */
export const LEVEL_CLS: Record<Level, string> = { blue: 'blue', yellow: 'yellow', orange: 'orange', red: 'red' };
export const LEVEL_NAMES: Record<Level, { zh: string; en: string }> = {
  blue: { zh: '蓝色', en: 'Blue' },
  yellow: { zh: '黄色', en: 'Yellow' },
  orange: { zh: '橙色', en: 'Orange' },
  red: { zh: '红色', en: 'Red' },
};
export const WARNING_STATUSES = ['open', 'assessed', 'responded', 'handling', 'closed'] as const;
export type WarningStatus = (typeof WARNING_STATUSES)[number];

export interface OpinionWarningsTable {
  id: Generated<number>;
  /** Idempotency key: `${issueId}:${burstStartDay}:${level}` for bursts, `rule:…` for rules. */
  key: string;
  issue_id: number | null;
  level: Level;
  kind: 'burst' | 'rule' | 'manual';
  title: string;
  reason: string;
  department_id: number | null;
  status: Generated<WarningStatus>;
  assessment: Json<Record<string, unknown>> | null;
  version: Generated<number>;
  raised_at: GeneratedTimestamp;
  closed_at: NullableTimestamp;
}

export interface OpinionActionsTable {
  id: Generated<number>;
  warning_id: number;
  at: GeneratedTimestamp;
  actor: string;
  action: string;
  status_after: string;
  data: Json<Record<string, unknown>>;
}

export interface OpinionTasksTable {
  id: Generated<number>;
  warning_id: number;
  department_id: number;
  description: string;
  deadline: string;
  status: Generated<'open' | 'done'>;
  result: string | null;
  created_at: GeneratedTimestamp;
  done_at: NullableTimestamp;
}

export interface OpinionNotificationsTable {
  id: Generated<number>;
  warning_id: number;
  /** 'analyst' (all analysts), 'department' or 'leader' (all staff with the `leader` role; orange and red only). */
  audience: 'analyst' | 'department' | 'leader';
  department_id: number | null;
  text: string;
  /** The warning level a leader row was sent for (one per warning and level); null on the other audiences. */
  level: Level | null;
  created_at: GeneratedTimestamp;
  read_at: NullableTimestamp;
}

declare module '../../db/types.ts' {
  interface DB {
    opinion_sources: OpinionSourcesTable;
    opinion_items: OpinionItemsTable;
    opinion_item_bands: { band: string; item_id: number };
    opinion_fetch_log: OpinionFetchLogTable;
    opinion_issues: OpinionIssuesTable;
    opinion_state: OpinionStateTable;
    opinion_warnings: OpinionWarningsTable;
    opinion_actions: OpinionActionsTable;
    opinion_tasks: OpinionTasksTable;
    opinion_notifications: OpinionNotificationsTable;
  }
}

export type SourceRow = Selectable<OpinionSourcesTable>;
export type ItemRow = Selectable<OpinionItemsTable>;
export type IssueRow = Selectable<OpinionIssuesTable>;
export type WarningRow = Selectable<OpinionWarningsTable>;
export type ActionRow = Selectable<OpinionActionsTable>;
export type TaskRow = Selectable<OpinionTasksTable>;
