import type { ColumnType, Generated, Selectable } from 'kysely';
import type { GeneratedTimestamp, Json, NullableTimestamp, Timestamp } from '../../db/types.ts';
import type { TicketStatus } from './flow.ts';

/** Message types (留言类型). */
export const MESSAGE_TYPES = ['咨询', '求助', '投诉', '建议', '举报'] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

/** Where a message came in. */
export const CHANNELS = ['web', 'api', 'open311', 'import', 'webhook', 'hotline'] as const;
export type Channel = (typeof CHANNELS)[number];

export interface MessagesTable {
  id: Generated<number>;
  ticket_id: number;
  token: string;
  channel: Channel;
  external_id: string | null;
  type: MessageType;
  title: string;
  content: string;
  district: string | null;
  address: string | null;
  lat: number | null;
  lng: number | null;
  contact_name: string | null;
  contact_phone: string | null;
  contact_email: string | null;
  publish_consent: boolean;
  anonymous: boolean;
  citizen_id: number | null;
  submitted_at: Timestamp;
  /** Open311 `media_url`: an http(s) address the client hosts; shown to staff as a link, never fetched. */
  media_url: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: GeneratedTimestamp;
}

export interface MessageTicketsTable {
  id: Generated<number>;
  type: MessageType;
  title: string;
  category: string | null;
  confidence: number | null;
  district: string | null;
  status: TicketStatus;
  department_id: number | null;
  escalated: Generated<boolean>;
  received_on: string;
  limit_days: number;
  deadline: string;
  reply: string | null;
  reply_public: string | null;
  replied_at: NullableTimestamp;
  closed_at: NullableTimestamp;
  rating: number | null;
  reopen_count: Generated<number>;
  merged_into: number | null;
  version: Generated<number>;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

export interface MessageTicketActionsTable {
  id: Generated<number>;
  ticket_id: number;
  at: Timestamp;
  on_day: string;
  actor_id: number | null;
  actor_label: string;
  action: string;
  status_after: TicketStatus;
  department_after: number | null;
  note: string | null;
  detail: Json;
}

export interface MessageRoutesTable {
  category: string;
  department_code: string;
  updated_at: GeneratedTimestamp;
}

export interface MessageTimeLimitsTable {
  type: MessageType;
  working_days: number;
  updated_at: GeneratedTimestamp;
}

export interface MessageSettingsTable {
  id: number;
  auto_threshold: number;
  reopen_days: number;
  updated_at: GeneratedTimestamp;
}

export interface MessageRoutingCorrectionsTable {
  id: Generated<number>;
  ticket_id: number;
  at: Timestamp;
  actor_id: number | null;
  title: string;
  content: string;
  predicted_category: string | null;
  predicted_confidence: number | null;
  from_department_id: number | null;
  to_department_id: number;
  category: string | null;
}

export interface MessageWebhookChannelsTable {
  code: string;
  secret: string;
  created_at: GeneratedTimestamp;
}

export interface MessageAttachmentsTable {
  id: Generated<number>;
  message_id: number;
  name: string;
  mime: string;
  size: number;
  bytes: Buffer;
  created_at: GeneratedTimestamp;
}

declare module '../../db/types.ts' {
  interface DB {
    messages: MessagesTable;
    message_attachments: MessageAttachmentsTable;
    message_tickets: MessageTicketsTable;
    message_ticket_actions: MessageTicketActionsTable;
    message_routes: MessageRoutesTable;
    message_time_limits: MessageTimeLimitsTable;
    message_settings: MessageSettingsTable;
    message_routing_corrections: MessageRoutingCorrectionsTable;
    message_webhook_channels: MessageWebhookChannelsTable;
  }
}

export type MessageRow = Selectable<MessagesTable>;
export type TicketRow = Selectable<MessageTicketsTable>;
export type ActionRow = Selectable<MessageTicketActionsTable>;
export type CorrectionRow = Selectable<MessageRoutingCorrectionsTable>;
