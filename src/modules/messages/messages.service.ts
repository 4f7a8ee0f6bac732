import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { isRecordId, MAX_RECORD_ID } from '../../lib/record-id.ts';
import type { Tx } from '../../db/tx.ts';
import { inTransaction } from '../../db/tx.ts';
import { addDays, caseClock, chinaDate, computeDeadline, parseIsoTime, plausibleInstant, shippedCalendar, type Calendar, type CaseStatus } from '../../lib/calendar/index.ts';
import { maskName, maskPhone } from '../../lib/cn/index.ts';
import { maskAddress } from '../../lib/cn/mask-address.ts';
import { commonError, ok, type DomainError, type FieldError, type Result } from '../../lib/errors.ts';
import type { AuditLog } from '../audit/audit.service.ts';
import { MAX_FILE_BYTES, safeFileName, sniffMime } from '../../lib/files.ts';
import { actorOf, ANONYMOUS, departmentScope, spansDepartments, SYSTEM, type Principal } from '../identity/permissions.ts';
import type { TodoItem } from '../identity/workbench.ts';
import { NO_CLASSIFIER, type Classification, type MessageClassifier } from './classifier.ts';
import { applyAction, OPEN_STATUSES, type ActionKind, type TicketState, type TicketStatus } from './flow.ts';
import { messagesError } from './messages.errors.ts';
import { authorizeMessages } from './messages.permissions.ts';
import { messagesRepository as repo } from './messages.repository.ts';
import { MAX_IMPORT_CONTENT, parseMessage, type DistrictLevel, type MessageInput } from './messages.schema.ts';
import { MESSAGE_TYPES, type ActionRow, type Channel, type MessageRow, type MessageType, type TicketRow } from './messages.types.ts';
import { redactPersonalData } from './redact.ts';
import { parseReuseRef, type KnowledgeSource, type ReusableAnswer } from './reuse.ts';
import { EMPTY_DRAFT_HINT, replyHints, type ReplyHints } from './reply-hints.ts';
import { DUPLICATE_THRESHOLD, likelyDuplicates } from './similar.ts';
import { shippedDocFreq } from './similar-df.ts';

export interface MessagesOptions {
  allowAnonymous: boolean;
  classifier?: MessageClassifier;
  /** Loads the classifier on first use (the module passes the routing model's loader; start-up stays fast). */
  loadClassifier?: () => Promise<MessageClassifier>;
  /** The clock (tests move it). */
  now?: () => Date;
  calendar?: Calendar;
  /** The knowledge module, when present: articles and answers offered on the reply screen. */
  knowledge?: KnowledgeSource | undefined;
  /**
   * The city's 区县 (`YIWANG_CITY_CODE`, or the demo city's): the form offers them as a list, and messages from the
   * form, the API, Open311 and the hotline must name one of them (imports and webhooks keep what they carry).
   * Absent or empty: a free-text field.
   */
  districts?: readonly string[] | undefined;
  /**
   * `town` for a city without 区县 (东莞、中山、儋州、嘉峪关: the level below the city is 镇/街道): the field is then
   * 所在镇街, free text. Default `county` (所在区县).
   */
  districtLevel?: DistrictLevel | undefined;
}

/** Channels whose district is checked against the city's 区县 (other systems' data is taken as it comes). */
const CHECKED_DISTRICT: ReadonlySet<Channel> = new Set(['web', 'api', 'open311', 'hotline']);

export interface SubmitOptions {
  channel: Channel;
  /** Id in the source system (import, webhook); a second submission with the same id returns the first ticket. */
  externalId?: string | null;
  submittedAt?: Date;
  /** A category chosen by the submitter (Open311 service code); skips the classifier. */
  category?: string;
  defaultType?: MessageType;
  maxContent?: number;
  /** Files sent with the web form or the API (checked here: at most 3, 5 MB each, JPEG, PNG or PDF by content). */
  attachments?: readonly { name: string; bytes: Buffer; truncated: boolean }[];
  /** Open311 `media_url`, already checked by the caller (an http(s) URL of at most 2,000 characters). */
  mediaUrl?: string;
}

/** A checked attachment, ready to store. */
export interface CheckedFile { name: string; mime: string; bytes: Buffer }

/** At most this many files a message. */
export const MAX_ATTACHMENTS = 3;

/** TOO_MANY_ATTACHMENTS under the field `files`, in both languages. */
export function tooManyFiles(): { ok: false; error: DomainError } {
  return messagesError('TOO_MANY_ATTACHMENTS', [{ field: 'files', message: `最多上传 ${MAX_ATTACHMENTS} 个附件，请重新选择。`, messageEn: `Attach at most ${MAX_ATTACHMENTS} files; choose them again.` }]);
}

/**
 * The files of a message checked: at most MAX_ATTACHMENTS (TOO_MANY_ATTACHMENTS), none cut at the 5 MB limit
 * (FILE_TOO_LARGE), each a JPEG, PNG or PDF by its first bytes, never by its name (FILE_TYPE_NOT_ALLOWED). Empty
 * parts (a file input left empty) are skipped. The field error is under `files` (the form's input, the API's field).
 */
export function checkAttachments(files: readonly { name: string; bytes: Buffer; truncated: boolean }[]): Result<CheckedFile[]> {
  const given = files.filter((f) => f.bytes.length > 0 || f.name);
  const problem = (code: 'FILE_TOO_LARGE' | 'FILE_TYPE_NOT_ALLOWED', message: string, messageEn: string) => commonError(code, [{ field: 'files', message, messageEn }]);
  if (given.length > MAX_ATTACHMENTS) return tooManyFiles();
  const out: CheckedFile[] = [];
  for (const f of given) {
    const name = safeFileName(f.name);
    if (f.truncated || f.bytes.length > MAX_FILE_BYTES) return problem('FILE_TOO_LARGE', `附件“${name}”超过 5 MB，请压缩后重新选择。`, `“${name}” is larger than 5 MB; make it smaller and choose it again.`);
    const mime = sniffMime(f.bytes);
    if (!mime) return problem('FILE_TYPE_NOT_ALLOWED', `附件“${name}”不是 JPG、PNG 图片或 PDF 文件，请重新选择。`, `“${name}” is not a JPG or PNG picture or a PDF; choose another file.`);
    out.push({ name, mime, bytes: f.bytes });
  }
  return ok(out);
}

export interface SubmitOutcome {
  ticketId: number;
  messageId: number;
  token: string;
  status: TicketStatus;
  departmentId: number | null;
  category: string | null;
  confidence: number | null;
  autoDispatched: boolean;
  deadline: string;
  /** True when this was a repeat of an earlier submission with the same external id (nothing new stored). */
  replayed: boolean;
}

/** Filters and paging of the staff ticket list (see `MessagesService.list`). */
export interface TicketListOptions {
  queue?: boolean;
  statuses?: TicketStatus[];
  since?: string | Date;
  afterId?: number;
  /** 1–500, default 100. */
  limit?: number;
  /** 0–2147483647, default 0. */
  offset?: number;
}

/** A line of 我的留言: the citizen's own message and where its ticket stands. */
export interface MyMessage { id: number; token: string; title: string; type: string; status: TicketStatus; submittedAt: string; deadline: string; department: string | null }

/** A message as staff or its author see it; contact data masked unless the viewer needs it. */
export interface MessageView {
  id: number;
  channel: string;
  type: string;
  title: string;
  content: string;
  district: string | null;
  address: string | null;
  lat: number | null;
  lng: number | null;
  contactName: string | null;
  contactPhone: string | null;
  publishConsent: boolean;
  anonymous: boolean;
  submittedAt: string;
  /** Only to staff who see the ticket and to the signed-in author: the files sent with it (no bytes; `url` serves one). */
  attachments?: AttachmentView[];
  /** Only to staff who see the ticket and to the signed-in author: the Open311 `media_url` (an outside address). */
  mediaUrl?: string | null;
}

/** An attachment as listed to its author and to staff: fetch it at `url` (the same people only). */
export interface AttachmentView { id: number; name: string; type: string; size: number; url: string }

export interface ActionView {
  at: string;
  action: string;
  actor: string;
  statusAfter: string;
  departmentAfter: number | null;
  note: string | null;
}

export interface TicketView {
  id: number;
  type: string;
  title: string;
  category: string | null;
  confidence: number | null;
  district: string | null;
  status: TicketStatus;
  departmentId: number | null;
  inQueue: boolean;
  escalated: boolean;
  receivedOn: string;
  limitDays: number;
  deadline: string;
  clock: CaseStatus | null;
  overdueWorkingDays: number;
  reply: string | null;
  replyPublic: string | null;
  repliedAt: string | null;
  rating: number | null;
  reopenCount: number;
  mergedInto: number | null;
  version: number;
  /** When the ticket last changed (the database's clock, to the millisecond): the cursor of pollers. */
  updatedAt: string;
  /** Quality hints, in the answer to a reply. */
  hints?: ReplyHints;
  messages: MessageView[];
  actions: ActionView[];
}

export interface ActionArgs {
  departmentId?: number | null;
  category?: string | null;
  note?: string | null;
  reply?: string | null;
  rating?: number | null;
  /** The version the caller saw (optimistic concurrency); absent = the current one. */
  version?: number | null;
}

export interface ImportRowError {
  row: number;
  message: string;
  fields?: FieldError[];
}

export interface ImportReport {
  created: number;
  replayed: number;
  errors: ImportRowError[];
  tickets: number[];
}

const STAFF_ACTIONS: Partial<Record<ActionKind, Parameters<typeof authorizeMessages>[1]>> = {
  dispatch: 'message.dispatch',
  transfer: 'message.transfer',
  return: 'message.return',
  accept: 'message.accept',
  reply: 'message.reply',
  callback: 'message.callback',
  close: 'message.close',
  reopen: 'message.reopen',
};

const isoOrNull = (d: Date | null): string | null => (d ? d.toISOString() : null);

/**
 * Citizen messages and their tickets: intake with automatic routing, the ticket flow with its append-only action
 * log, time limits in working days, escalation, routing corrections, duplicates, replies with redaction.
 */
export class MessagesService {
  private classifier: MessageClassifier | undefined;
  private knowledge: KnowledgeSource | undefined;
  private loading: Promise<MessageClassifier> | undefined;
  private readonly now: () => Date;
  private readonly calendar: Calendar;
  private readonly deadlines = new Map<string, string>();
  private deadlineRows: Calendar['rows'] | undefined;

  constructor(
    private readonly db: Tx,
    private readonly audit: AuditLog,
    private readonly opts: MessagesOptions,
  ) {
    this.classifier = opts.classifier ?? (opts.loadClassifier ? undefined : NO_CLASSIFIER);
    this.knowledge = opts.knowledge;
    this.now = opts.now ?? (() => new Date());
    this.calendar = opts.calendar ?? shippedCalendar();
  }

  /** The city's 区县 for the form's 所在区县 list; empty when none is configured (the field is free text). */
  districts(): readonly string[] {
    return this.opts.districts ?? [];
  }

  /** What the district field names: 区县, or 镇/街道 in a city without 区县. */
  districtLevel(): DistrictLevel {
    return this.opts.districtLevel ?? 'county';
  }

  /** Replaces the classifier (the module loads the trained model after start-up; tests inject their own). */
  useClassifier(c: MessageClassifier): void {
    this.classifier = c;
  }

  /** Replaces the knowledge source of the reply screen (undefined: as if the knowledge module were absent). */
  useKnowledge(k: KnowledgeSource | undefined): void {
    this.knowledge = k;
  }

  /** Suggests a category for a text (null when the model cannot say). Synchronous: other modules call it. */
  classify(title: string, content: string): Classification | null {
    try {
      return (this.classifier ?? NO_CLASSIFIER).classify({ title, content });
    } catch {
      return null;
    }
  }

  /** Loads the classifier now if it is not loaded yet (called in the background after start-up). */
  async warmUp(): Promise<void> {
    await this.classifyLoaded('', '预热');
  }

  /** Like {@link classify}, but waits for a classifier still loading. */
  private async classifyLoaded(title: string, content: string): Promise<Classification | null> {
    if (!this.classifier) {
      this.loading ??= (this.opts.loadClassifier ?? (async () => NO_CLASSIFIER))().catch(() => NO_CLASSIFIER);
      const c = await this.loading;
      this.classifier ??= c;
    }
    return this.classify(title, content);
  }

  private today(): string {
    return chinaDate(this.now());
  }

  /**
   * Takes in a message: validates it, classifies it, stores message and ticket, and dispatches it to the
   * department of its category when the confidence reaches the threshold (else the manual queue holds it).
   */
  async submit(p: Principal, raw: Record<string, unknown>, o: SubmitOptions): Promise<Result<SubmitOutcome>> {
    if (p.kind === 'anonymous' && !this.opts.allowAnonymous) return messagesError('ANONYMOUS_NOT_ALLOWED');
    if (p.kind === 'staff') {
      const a = authorizeMessages(p, o.channel === 'import' ? 'message.import' : 'message.hotline');
      if (!a.ok) return a;
    }
    const parsed = parseMessage(raw, {
      ...(o.maxContent ? { maxContent: o.maxContent } : {}),
      ...(o.defaultType ? { defaultType: o.defaultType } : {}),
      ...(CHECKED_DISTRICT.has(o.channel) ? { districts: this.opts.districts } : {}),
      districtLevel: this.districtLevel(),
    });
    const files = checkAttachments(o.attachments ?? []);
    // A refused file answers its own code (FILE_TOO_LARGE…), its fields listing the message's other problems too.
    if (!files.ok) return { ok: false, error: { ...files.error, fields: [...(parsed.ok ? [] : parsed.fields), ...(files.error.fields ?? [])] } };
    if (!parsed.ok) return commonError('VALIDATION_FAILED', parsed.fields);
    const extId = o.externalId ? String(o.externalId).slice(0, 200) : null;
    if (extId) {
      const prev = await repo.findMessageByExternal(this.db, o.channel, extId);
      if (prev) return ok(await this.replayOutcome(prev));
    }
    const v = parsed.value;
    const cls: Classification | null = o.category !== undefined ? { category: o.category, confidence: 1 } : await this.classifyLoaded(v.title, v.content);
    try {
      // The files go in the intake's own statement: stored with the message or not at all.
      return ok(await this.store(p, v, cls, o, extId, files.value));
    } catch (err) {
      // Two deliveries of the same external id at once: the unique index lets one win; the other answers with it.
      if (extId && String((err as { code?: string }).code) === '23505') {
        const prev = await repo.findMessageByExternal(this.db, o.channel, extId);
        if (prev) return ok(await this.replayOutcome(prev));
      }
      throw err;
    }
  }

  private async replayOutcome(m: MessageRow): Promise<SubmitOutcome> {
    const t = await repo.findTicket(this.db, m.ticket_id);
    return {
      ticketId: m.ticket_id,
      messageId: m.id,
      token: m.token,
      status: t?.status ?? 'received',
      departmentId: t?.department_id ?? null,
      category: t?.category ?? null,
      confidence: t?.confidence ?? null,
      autoDispatched: false,
      deadline: t?.deadline ?? '',
      replayed: true,
    };
  }

  /**
   * Stores an accepted message in two round trips and no explicit transaction: one read (settings, time limit,
   * department, new ids), then one statement writing ticket, message, actions and audit entry together.
   */
  private async store(p: Principal, v: MessageInput, cls: Classification | null, o: SubmitOptions, extId: string | null, files: readonly CheckedFile[] = []): Promise<SubmitOutcome> {
    const now = this.now();
    const today = chinaDate(now);
    const submittedAt = o.submittedAt ?? now;
    const look = await repo.intakeLookup(this.db, v.type, cls?.category ?? null);
    const auto = cls !== null && look.departmentId !== null && cls.confidence >= look.autoThreshold;
    const deadline = this.deadlineFrom(today, look.limitDays);
    const anonymous = v.anonymous || p.kind === 'anonymous';
    const token = randomBytes(12).toString('base64url');
    const actor = actorOf(p);
    const ticketId = look.ticketId;
    const actions = [
      { ticket_id: ticketId, at: now, on_day: today, actor_id: actor.id, actor_label: actor.label, action: 'receive', status_after: 'received' as TicketStatus, department_after: null as number | null, note: null, detail: JSON.stringify({ channel: o.channel, category: cls?.category ?? null, confidence: cls?.confidence ?? null }) },
    ];
    if (auto) {
      actions.push({ ticket_id: ticketId, at: now, on_day: today, actor_id: null, actor_label: 'system', action: 'dispatch', status_after: 'dispatched', department_after: look.departmentId, note: null, detail: JSON.stringify({ auto: true }) });
    }
    const audit = this.audit.row({
      actor,
      action: 'message.submit',
      entity: 'message_ticket',
      entityId: ticketId,
      after: { ticket: ticketId, message: look.messageId },
      detail: { channel: o.channel, type: v.type, category: cls?.category ?? null, auto, departmentId: auto ? look.departmentId : null, ...(files.length ? { attachments: files.length } : {}) },
    });
    const ticket = await repo.insertIntake(this.db, {
      id: ticketId,
      type: v.type,
      title: v.title,
      category: cls?.category ?? null,
      confidence: cls?.confidence ?? null,
      district: v.district,
      status: auto ? 'dispatched' : 'received',
      department_id: auto ? look.departmentId : null,
      received_on: today,
      limit_days: look.limitDays,
      deadline,
    }, {
      id: look.messageId,
      ticket_id: ticketId,
      token,
      channel: o.channel,
      external_id: extId,
      type: v.type,
      title: v.title,
      content: v.content,
      district: v.district,
      address: v.address,
      lat: v.lat,
      lng: v.lng,
      contact_name: v.anonymous ? null : v.contactName,
      contact_phone: v.anonymous ? null : v.contactPhone,
      contact_email: v.anonymous ? null : v.contactEmail,
      publish_consent: v.publishConsent,
      anonymous,
      citizen_id: p.kind === 'citizen' ? p.id : null,
      submitted_at: submittedAt,
      ...(o.mediaUrl ? { media_url: o.mediaUrl } : {}),
    }, actions, audit, files.map((f) => ({ name: f.name, mime: f.mime, size: f.bytes.length, bytes: f.bytes })));
    return {
      ticketId: ticket.id,
      messageId: look.messageId,
      token,
      status: ticket.status,
      departmentId: ticket.department_id,
      category: ticket.category,
      confidence: ticket.confidence,
      autoDispatched: auto,
      deadline,
      replayed: false,
    };
  }

  /** The deadline of a time limit counted from `day` on the working-day calendar (memoised: a handful of pairs a day). */
  private deadlineFrom(day: string, limitDays: number): string {
    const key = `${day}|${limitDays}`;
    // A live calendar (services.calendar.live()) changes its rows when a holiday year is added: forget the old answers.
    if (this.calendar.rows !== this.deadlineRows) {
      this.deadlines.clear();
      this.deadlineRows = this.calendar.rows;
    }
    let d = this.deadlines.get(key);
    if (d === undefined) {
      const dl = computeDeadline(this.calendar, { startedOn: day, limitWorkingDays: limitDays });
      d = dl.ok && dl.deadline ? dl.deadline : addDays(day, limitDays);
      if (this.deadlines.size > 1000) this.deadlines.clear();
      this.deadlines.set(key, d);
    }
    return d;
  }

  // ---- reading ----------------------------------------------------------------------------------------------

  private clockOf(t: TicketRow): { clock: CaseStatus | null; overdue: number } {
    if (!OPEN_STATUSES.includes(t.status)) return { clock: null, overdue: 0 };
    const c = caseClock(this.calendar, { startedOn: t.received_on, limitWorkingDays: t.limit_days, today: this.today(), amberWithinWorkingDays: 1 });
    if (!c.ok) return { clock: t.deadline < this.today() ? 'red' : 'green', overdue: 0 };
    return { clock: c.status, overdue: c.overdueWorkingDays };
  }

  /** May `p` see the contact details of this ticket's authors (to reply or call back)? */
  private seesContact(p: Principal, t: TicketRow): boolean {
    if (p.kind === 'system') return true;
    if (p.kind !== 'staff') return false;
    if (p.roles.includes('supervisor')) return true;
    return t.department_id !== null && p.departmentId === t.department_id && p.roles.some((r) => r === 'clerk' || r === 'dept_head');
  }

  /**
   * A message as `full` (seesContact) or its author (`own`) may see it. Others (analysts, leaders) see the contact
   * masked, the title and text redacted as in published answers (the phone, ID number or house number a citizen
   * wrote in the text is contact data too) and the address cut to its district (maskAddress).
   */
  private viewMessage(m: MessageRow, full: boolean, own: boolean): MessageView {
    const show = own || full;
    const text = (s: string): string => (show ? s : redactPersonalData(s).text);
    return {
      id: m.id,
      channel: m.channel,
      type: m.type,
      title: text(m.title),
      content: text(m.content),
      district: m.district,
      address: m.address === null ? null : show ? m.address : maskAddress(m.address),
      lat: m.lat,
      lng: m.lng,
      contactName: m.contact_name ? (show ? m.contact_name : maskName(m.contact_name)) : null,
      contactPhone: m.contact_phone ? (show ? m.contact_phone : maskPhone(m.contact_phone)) : null,
      publishConsent: m.publish_consent,
      anonymous: m.anonymous,
      submittedAt: m.submitted_at.toISOString(),
    };
  }

  private viewTicket(t: TicketRow, messages: MessageView[], actions: ActionRow[]): TicketView {
    const c = this.clockOf(t);
    return {
      id: t.id,
      type: t.type,
      title: t.title,
      category: t.category,
      confidence: t.confidence,
      district: t.district,
      status: t.status,
      departmentId: t.department_id,
      inQueue: t.department_id === null && (t.status === 'received' || t.status === 'returned'),
      escalated: t.escalated,
      receivedOn: t.received_on,
      limitDays: t.limit_days,
      deadline: t.deadline,
      clock: c.clock,
      overdueWorkingDays: c.overdue,
      reply: t.reply,
      replyPublic: t.reply_public,
      repliedAt: isoOrNull(t.replied_at),
      rating: t.rating,
      reopenCount: t.reopen_count,
      mergedInto: t.merged_into,
      version: t.version,
      updatedAt: t.updated_at.toISOString(),
      messages,
      actions: actions.map((a) => ({
        at: a.at.toISOString(),
        action: a.action,
        actor: a.actor_label,
        statusAfter: a.status_after,
        departmentAfter: a.department_after,
        note: a.note,
      })),
    };
  }

  /** One ticket with its messages and action log, for staff of the holding department and spanning roles. */
  async ticket(p: Principal, id: number): Promise<Result<TicketView>> {
    // The role first, before the ticket is read: a caller who may open no ticket gets the same answer whether or not
    // this one exists (a citizen MESSAGE_NOT_FOUND, as for a missing number; they follow their own by tracking code).
    const role = authorizeMessages(p, 'message.view');
    if (!role.ok) return p.kind === 'citizen' ? messagesError('MESSAGE_NOT_FOUND') : role;
    const t = await repo.findTicket(this.db, id);
    if (!t) return messagesError('MESSAGE_NOT_FOUND');
    const auth = this.seesTicket(p, t.department_id);
    if (!auth.ok) return auth;
    const [msgs, actions] = await Promise.all([repo.messagesOf(this.db, [t.id]), repo.actionsOf(this.db, t.id)]);
    const full = this.seesContact(p, t);
    return ok(this.viewTicket(this.titleFor(p, t), await this.withFiles(msgs, msgs.map((m) => this.viewMessage(m, full, false))), actions));
  }

  /**
   * The views of messages with their attachments and Open311 `media_url`, for callers who may see them (staff who
   * see the ticket, the signed-in author); never for the tracking code alone or the public.
   */
  private async withFiles(rows: readonly MessageRow[], views: MessageView[]): Promise<MessageView[]> {
    const files = await repo.attachmentsOf(this.db, rows.map((m) => m.id));
    return views.map((v, i) => ({
      ...v,
      attachments: files.filter((f) => f.message_id === v.id).map((f) => ({ id: f.id, name: f.name, type: f.mime, size: f.size, url: `/messages/attachments/${f.id}` })),
      mediaUrl: rows[i]?.media_url ?? null,
    }));
  }

  /** Whether `p` may open a ticket held by `departmentId` (null: the manual queue, for those who span departments). */
  private seesTicket(p: Principal, departmentId: number | null): Result<void> {
    const auth = authorizeMessages(p, 'message.view', { departmentId });
    if (!auth.ok) return auth;
    if (p.kind === 'staff' && departmentId === null && !spansDepartments(p)) return commonError('FORBIDDEN');
    return ok(undefined);
  }

  /**
   * Whether staff member `p` may take `action` on ticket `t` by role and holding department (the ticket's state is
   * not checked): the ticket page offers only these, so that a clerk is not shown 转办 or 办结 buttons that answer 403.
   */
  mayAct(p: Principal, t: Pick<TicketView, 'departmentId'>, action: ActionKind | 'merge'): boolean {
    if (p.kind !== 'staff' && p.kind !== 'system') return false;
    const perm = action === 'merge' ? 'message.merge' : STAFF_ACTIONS[action];
    if (!perm) return false;
    if (p.kind === 'staff' && t.departmentId === null && !spansDepartments(p)) return false;
    return authorizeMessages(p, perm, { departmentId: t.departmentId }).ok;
  }

  /** A citizen's own message (or anyone holding its tracking code): status and reply, no staff notes. */
  async track(p: Principal, token: string): Promise<Result<{ message: MessageView; ticket: TicketView; own: boolean }>> {
    if (typeof token !== 'string' || token.length > 64) return messagesError('MESSAGE_NOT_FOUND');
    const m = await repo.findMessageByToken(this.db, token);
    if (!m) return messagesError('MESSAGE_NOT_FOUND');
    // The code alone shows the message and its progress; contact details only to the signed-in author.
    return this.citizenView(p, m, p.kind === 'citizen' && m.citizen_id === p.id);
  }

  /** A citizen's own message by id. */
  async myMessage(p: Principal, messageId: number): Promise<Result<{ message: MessageView; ticket: TicketView; own: boolean }>> {
    if (p.kind !== 'citizen') return p.kind === 'anonymous' ? commonError('UNAUTHENTICATED') : commonError('FORBIDDEN');
    const rows = await this.db.selectFrom('messages').selectAll().where('id', '=', messageId).execute();
    const m = rows[0];
    if (!m || m.citizen_id !== p.id) return messagesError('MESSAGE_NOT_FOUND');
    return this.citizenView(p, m, true);
  }

  /**
   * The tracking view. The code alone opens it (no sign-in), so whoever holds the code sees it: ID numbers, phone
   * numbers, e-mail addresses, card numbers, names and house numbers the citizen typed into the title, text or
   * address are masked as in published answers (redactPersonalData), and the reply is the published, redacted one.
   * The signed-in author (`own`) sees their own title, text and address whole, and the reply whole when the ticket
   * holds only their messages.
   */
  private async citizenView(_p: Principal, m: MessageRow, own: boolean): Promise<Result<{ message: MessageView; ticket: TicketView; own: boolean }>> {
    let t = await repo.findTicket(this.db, m.ticket_id);
    if (!t) return messagesError('MESSAGE_NOT_FOUND');
    const actions = (await repo.actionsOf(this.db, t.id)).map((a) => ({ ...a, note: null, actor_label: a.actor_label.startsWith('citizen') ? a.actor_label : 'staff' }));
    const mask = (s: string): string => (own ? s : redactPersonalData(s).text);
    // Redacted again on the way out: stored before a redaction rule was added, it is masked by today's rules.
    const published = t.reply_public === null ? null : redactPersonalData(t.reply_public).text;
    // The signed-in author reads the reply as the department wrote it (its 咨询电话 was masked like a citizen's phone),
    // unless the ticket also answers other people's messages (merged duplicates): they get the published one.
    const whole = own && t.reply !== null && (await repo.messagesOf(this.db, [t.id])).every((x) => x.citizen_id === m.citizen_id);
    t = { ...t, title: mask(t.title), reply: whole ? t.reply : published, reply_public: published };
    const view = this.viewMessage(m, false, own);
    const masked = { ...view, title: mask(view.title), content: mask(view.content), address: view.address === null ? null : mask(view.address) };
    const message = own ? (await this.withFiles([m], [masked]))[0]! : masked;
    return ok({ message, ticket: this.viewTicket(t, [], actions), own });
  }

  /**
   * One attachment with its bytes, for the citizen who wrote the message or staff who may see its ticket (as
   * `ticket`); MESSAGE_NOT_FOUND for anyone else, as for a missing id, so ids tell nothing.
   */
  async attachment(p: Principal, id: number): Promise<Result<{ name: string; mime: string; bytes: Buffer }>> {
    const a = await repo.attachment(this.db, id);
    if (!a) return messagesError('MESSAGE_NOT_FOUND');
    if (p.kind === 'citizen' && a.citizen_id === p.id) return ok({ name: a.name, mime: a.mime, bytes: a.bytes });
    const t = p.kind === 'staff' ? await repo.findTicket(this.db, a.ticket_id) : undefined;
    if (!t || !this.seesTicket(p, t.department_id).ok) return messagesError('MESSAGE_NOT_FOUND');
    return ok({ name: a.name, mime: a.mime, bytes: a.bytes });
  }

  /** The signed-in citizen's first `limit` messages, newest first (我的留言); `minePage` for the later ones. */
  async mine(p: Principal, limit = 50): Promise<Result<MyMessage[]>> {
    const r = await this.minePage(p, { limit });
    return r.ok ? ok(r.value.messages) : r;
  }

  /**
   * One page of the signed-in citizen's messages, newest first, and how many they have (`total`, for the page's
   * 共 N 件 and the API's X-Total-Count). `limit` is bounded to 1–200 (default 50), `offset` to 0–2147483647.
   * UNAUTHENTICATED for an anonymous caller, FORBIDDEN for staff.
   */
  async minePage(p: Principal, f: { limit?: number; offset?: number } = {}): Promise<Result<{ messages: MyMessage[]; total: number }>> {
    if (p.kind !== 'citizen') return p.kind === 'anonymous' ? commonError('UNAUTHENTICATED') : commonError('FORBIDDEN');
    const whole = (n: number | undefined, dflt: number) => (n !== undefined && Number.isFinite(n) ? Math.trunc(n) : dflt);
    const limit = Math.min(Math.max(whole(f.limit, 50), 1), 200);
    const offset = Math.min(Math.max(whole(f.offset, 0), 0), MAX_RECORD_ID);
    const [rows, total] = await Promise.all([repo.messagesOfCitizen(this.db, p.id, limit, offset), repo.countMessagesOfCitizen(this.db, p.id)]);
    return ok({ messages: rows.map((r) => ({ id: r.id, token: r.token, title: r.title, type: r.type, status: r.status, submittedAt: r.submitted_at.toISOString(), deadline: r.deadline, department: r.department_name })), total });
  }

  /**
   * Tickets the caller may see (their department's; all for spanning roles), by deadline. For pollers:
   * `since` (an ISO time) → tickets changed at or after it, oldest change first, ordered by (updatedAt, id);
   * `since` + `afterId` → the next page after the ticket with that updatedAt and id (keyset paging: pass the last
   * ticket's `updatedAt` and `id`); `afterId` alone → tickets with a greater id, by id. Returns VALIDATION_FAILED
   * for a `since` that is not a time or an `afterId` that is not a whole number ≥ 0.
   */
  async list(p: Principal, f: TicketListOptions = {}): Promise<Result<TicketView[]>> {
    const q = this.listFilter(p, f);
    if (!q.ok) return q;
    const rows = await repo.listTickets(this.db, q.value);
    return ok(rows.map((t) => this.viewTicket(this.titleFor(p, t), [], [])));
  }

  /** The ticket with its title redacted for a viewer who does not see its contacts (viewMessage). */
  private titleFor(p: Principal, t: TicketRow): TicketRow {
    return this.seesContact(p, t) ? t : { ...t, title: redactPersonalData(t.title).text };
  }

  /**
   * One page of `list` and the number of tickets matching the filter over all pages (`total`, for the pages'
   * 共 N 件 and the API's `X-Total-Count`). Same options and errors as `list`.
   */
  async listPage(p: Principal, f: TicketListOptions = {}): Promise<Result<{ tickets: TicketView[]; total: number }>> {
    const q = this.listFilter(p, f);
    if (!q.ok) return q;
    const [rows, total] = await Promise.all([repo.listTickets(this.db, q.value), repo.countTickets(this.db, q.value)]);
    return ok({ tickets: rows.map((t) => this.viewTicket(this.titleFor(p, t), [], [])), total });
  }

  /** The checked filter of `list`: authorisation, `since` and `afterId`, and `limit` (1–500) and `offset` (0–2147483647) bounded. */
  private listFilter(p: Principal, f: TicketListOptions): Result<Parameters<typeof repo.listTickets>[1]> {
    const auth = authorizeMessages(p, f.queue ? 'message.dispatch' : 'message.view');
    if (!auth.ok) return auth;
    const fields: FieldError[] = [];
    const since = f.since === undefined ? undefined : f.since instanceof Date ? f.since : parseIsoTime(f.since) ?? new Date(Number.NaN);
    if (since !== undefined && Number.isNaN(since.getTime())) fields.push({ field: 'since', message: 'since 应为 ISO 8601 时间（1900–2199 年的有效日期），如 2026-11-26T08:00:00.000Z。', messageEn: 'since must be an ISO 8601 time on a real date in 1900–2199, e.g. 2026-11-26T08:00:00.000Z.' });
    if (f.afterId !== undefined && !(Number.isSafeInteger(f.afterId) && f.afterId >= 0 && f.afterId <= MAX_RECORD_ID)) fields.push({ field: 'afterId', message: 'afterId 应为 0 至 2147483647 的整数。', messageEn: 'afterId must be a whole number from 0 to 2147483647.' });
    if (fields.length) return commonError('VALIDATION_FAILED', fields);
    const whole = (n: number | undefined, dflt: number) => (n !== undefined && Number.isFinite(n) ? Math.trunc(n) : dflt);
    return ok({
      scope: departmentScope(p),
      ...(f.queue ? { queue: true } : {}),
      ...(f.statuses ? { statuses: f.statuses } : {}),
      ...(since !== undefined ? { since } : {}),
      ...(f.afterId !== undefined ? { afterId: f.afterId } : {}),
      limit: Math.min(Math.max(whole(f.limit, 100), 1), 500),
      offset: Math.min(Math.max(whole(f.offset, 0), 0), MAX_RECORD_ID),
    });
  }

  /** The workbench to-do list: the department's open tickets by deadline; the manual queue and late tickets for supervisors. */
  async todo(p: Principal): Promise<TodoItem[]> {
    if (p.kind !== 'staff') return [];
    const items: TodoItem[] = [];
    const item = (t: TicketRow, prefix: string, prefixEn: string): TodoItem => {
      const c = this.clockOf(t);
      return { title: `${prefix}${t.title}`, titleEn: `${prefixEn}${t.title}`, href: `/staff/messages/${t.id}`, module: '网络问政', moduleEn: 'Citizen messages', due: t.deadline, ...(c.clock ? { status: c.clock } : {}) };
    };
    if (p.departmentId !== null && p.roles.some((r) => r === 'clerk' || r === 'dept_head')) {
      const rows = await repo.listTickets(this.db, { scope: [p.departmentId], statuses: ['dispatched', 'transferred', 'in_progress'], limit: 50 });
      // Reopened by a citizen's follow-up (追问) or a supervisor (重办): it looked like any ticket in progress.
      for (const t of rows) items.push(t.status !== 'in_progress' ? item(t, '【待签收】', '[To sign for] ') : t.reopen_count > 0 ? item(t, '【追问重办】', '[Follow-up] ') : item(t, '', ''));
    }
    if (p.roles.includes('supervisor')) {
      const q = await repo.listTickets(this.db, { scope: 'all', queue: true, limit: 50 });
      for (const t of q) items.push(t.status === 'returned' ? item(t, '【退回待派】', '[Returned, to dispatch] ') : item(t, '【待分派】', '[To dispatch] '));
      const late = await repo.listTickets(this.db, { scope: 'all', statuses: ['dispatched', 'transferred', 'in_progress'], escalated: true, limit: 50 });
      for (const t of late) items.push(item(t, '【超期督办】', '[Overdue, supervised] '));
      const replied = await repo.listTickets(this.db, { scope: 'all', statuses: ['replied'], limit: 50 });
      for (const t of replied) items.push({ ...item(t, '【待回访】', '[To call back] '), due: t.deadline });
    }
    return items;
  }

  // ---- the flow -----------------------------------------------------------------------------------------------

  /**
   * Applies a staff or citizen action to a ticket: checks the role and the holding department, checks the
   * transition, appends the action, updates the ticket projection and writes the audit entry, in one transaction.
   */
  async act(p: Principal, ticketId: number, action: ActionKind, args: ActionArgs = {}): Promise<Result<TicketView>> {
    const now = this.now();
    const today = chinaDate(now);
    const r = await inTransaction(this.db, async (tx): Promise<Result<{ t: TicketRow; hints?: ReplyHints }>> => {
      const t = await repo.findTicket(tx, ticketId);
      if (!t) return messagesError('MESSAGE_NOT_FOUND');
      if (args.version !== undefined && args.version !== null && args.version !== t.version) return commonError('CONFLICT');
      // Who may do it.
      if (action === 'rate' || (action === 'reopen' && p.kind === 'citizen')) {
        const msgs = await repo.messagesOf(tx, [t.id]);
        const owner = msgs.find((m) => m.citizen_id !== null && p.kind === 'citizen' && m.citizen_id === p.id);
        if (p.kind !== 'citizen' || !owner) return p.kind === 'anonymous' ? commonError('UNAUTHENTICATED') : commonError('FORBIDDEN');
      } else {
        const perm = STAFF_ACTIONS[action];
        if (!perm) return commonError('FORBIDDEN');
        const auth = authorizeMessages(p, perm, { departmentId: t.department_id });
        if (!auth.ok) return auth;
        if (p.kind === 'citizen') return commonError('FORBIDDEN');
      }
      // Validate arguments.
      const fields: FieldError[] = [];
      let targetDept: number | null = null;
      let category: string | null = null;
      if (action === 'dispatch' || action === 'transfer') {
        const depts = await repo.departmentIds(tx);
        const d = depts.find((x) => x.id === Number(args.departmentId));
        if (!d) return messagesError('DEPARTMENT_UNKNOWN', [{ field: 'departmentId', message: '请选择部门。', messageEn: 'Choose a department.' }]);
        targetDept = d.id;
        const routes = await repo.routes(tx);
        if (args.category) {
          if (!routes.some((x) => x.category === args.category)) fields.push({ field: 'category', message: '分类不存在。', messageEn: 'No such category.' });
          else category = args.category;
        } else {
          const cats = routes.filter((x) => x.department_id === d.id).map((x) => x.category);
          if (cats.length === 1) category = cats[0]!;
        }
      }
      const note = typeof args.note === 'string' ? args.note.trim().slice(0, 2000) || null : null;
      if (action === 'return' && !note) fields.push({ field: 'note', message: '请填写退回理由。', messageEn: 'Give the reason for returning it.' });
      // A follow-up (追问) or a reopening (重办) says what is still wrong: an empty one reopened the ticket for nothing.
      if (action === 'reopen' && !note) {
        fields.push(p.kind === 'citizen'
          ? { field: 'note', message: '请写明还有什么问题没有解决。', messageEn: 'Say what is still not solved.' }
          : { field: 'note', message: '请填写重办原因。', messageEn: 'Give the reason for reopening.' });
      }
      const reply = typeof args.reply === 'string' ? args.reply.trim() : '';
      if (action === 'reply') {
        if (reply.length < 5) fields.push({ field: 'reply', message: '请填写答复内容（至少 5 个字）。', messageEn: 'Write the reply (at least 5 characters).' });
        else if (reply.length > 10_000) fields.push({ field: 'reply', message: '答复不能超过 10000 字。', messageEn: `The reply can have at most 10000 characters (now ${reply.length}).` });
      }
      let rating: number | null = null;
      if (action === 'rate' || action === 'callback') {
        const n = Number(args.rating);
        if (!Number.isInteger(n) || n < 1 || n > 5) fields.push({ field: 'rating', message: '请选择满意度（1–5）。', messageEn: 'Choose how satisfied you are (1–5).' });
        else rating = n;
      }
      if (fields.length) return commonError('VALIDATION_FAILED', fields);
      // The transition.
      const state: TicketState = { status: t.status, departmentId: t.department_id, escalated: t.escalated, reopenCount: t.reopen_count, repliedOn: t.replied_at ? chinaDate(t.replied_at) : null };
      const settings = action === 'reopen' ? await repo.settings(tx) : undefined;
      const reopenUntil = settings && state.repliedOn ? addDays(state.repliedOn, settings.reopen_days) : undefined;
      const step = applyAction(state, { action, departmentId: targetDept, on: today }, reopenUntil ? { reopenUntil } : {});
      if (!step.ok) {
        if (step.code === 'SAME_DEPARTMENT') return messagesError('TICKET_SAME_DEPARTMENT');
        if (step.code === 'REOPEN_PERIOD_OVER') return messagesError('REOPEN_PERIOD_OVER');
        return messagesError('TICKET_BAD_TRANSITION');
      }
      const s = step.state;
      const patch: Parameters<typeof repo.updateTicket>[3] = { status: s.status, department_id: s.departmentId, escalated: s.escalated, reopen_count: s.reopenCount };
      let hints: ReplyHints | undefined;
      if (action === 'reply') {
        const msgs = await repo.messagesOf(tx, [t.id]);
        patch.reply = reply;
        patch.reply_public = redactPersonalData(reply).text;
        patch.replied_at = now;
        hints = replyHints({ title: t.title, content: msgs[0]?.content ?? '', receivedAt: msgs[0]?.submitted_at ?? t.created_at, deadline: t.deadline }, reply, now);
      }
      if (rating !== null) patch.rating = rating;
      if (s.status === 'closed' && t.status !== 'closed') patch.closed_at = now;
      if (category && (action === 'dispatch' || action === 'transfer')) patch.category = category;
      if (action === 'reopen') {
        // A reopened ticket gets a fresh time limit from today.
        patch.deadline = this.deadlineFrom(today, t.limit_days);
        patch.closed_at = null;
      }
      const updated = await repo.updateTicket(tx, t.id, t.version, patch);
      if (!updated) return commonError('CONFLICT');
      const actor = actorOf(p);
      await repo.insertActions(tx, [{
        ticket_id: t.id, at: now, on_day: today, actor_id: actor.id, actor_label: actor.label, action,
        status_after: s.status, department_after: s.departmentId, note: action === 'reply' ? null : note,
        detail: JSON.stringify({ ...(rating !== null ? { rating } : {}), ...(category ? { category } : {}) }),
      }]);
      // Every redispatch by staff is a routing correction (the training signal for the classifier).
      if ((action === 'dispatch' || action === 'transfer') && p.kind === 'staff' && targetDept !== null) {
        const first = (await repo.messagesOf(tx, [t.id]))[0];
        await repo.insertCorrection(tx, {
          ticket_id: t.id, at: now, actor_id: p.id, title: first?.title ?? t.title, content: first?.content ?? '',
          predicted_category: t.category, predicted_confidence: t.confidence,
          from_department_id: t.department_id, to_department_id: targetDept, category,
        });
      }
      await this.audit.record(tx, {
        actor, action: `message.${action}`, entity: 'message_ticket', entityId: t.id,
        before: { status: t.status, departmentId: t.department_id, version: t.version },
        after: { status: s.status, departmentId: s.departmentId, version: updated.version },
        detail: { status: s.status, departmentId: s.departmentId, ...(rating !== null ? { rating } : {}) },
      });
      return ok(hints ? { t: updated, hints } : { t: updated });
    });
    if (!r.ok) return r;
    // After a return or transfer the caller may no longer hold the ticket: answer with the view without contacts.
    const view = await this.ticket(p, r.value.t.id);
    if (view.ok) return r.value.hints ? ok({ ...view.value, hints: r.value.hints }) : view;
    return this.load(p, r.value.t.id);
  }

  /** A ticket view without the permission check (callers have checked); contacts as `p` may see them. */
  private async load(p: Principal, id: number): Promise<Result<TicketView>> {
    const t = await repo.findTicket(this.db, id);
    if (!t) return messagesError('MESSAGE_NOT_FOUND');
    const [msgs, actions] = await Promise.all([repo.messagesOf(this.db, [t.id]), repo.actionsOf(this.db, t.id)]);
    const full = this.seesContact(p, t);
    const own = p.kind === 'citizen';
    const shown = msgs.filter((m) => !own || m.citizen_id === p.id);
    return ok(this.viewTicket(own ? { ...t, reply: t.reply_public } : this.titleFor(p, t), await this.withFiles(shown, shown.map((m) => this.viewMessage(m, full, own))), own ? [] : actions));
  }

  /** Marks open tickets past their deadline as escalated (督办) with an action in their log; returns how many. */
  async escalateOverdue(): Promise<number> {
    const today = this.today();
    const now = this.now();
    let n = 0;
    for (;;) {
      const rows = await repo.overdueUnescalated(this.db, today, 200);
      if (!rows.length) break;
      for (const t of rows) {
        const done = await inTransaction(this.db, async (tx) => {
          const u = await repo.updateTicket(tx, t.id, t.version, { escalated: true });
          if (!u) return false;
          await repo.insertActions(tx, [{ ticket_id: t.id, at: now, on_day: today, actor_id: null, actor_label: 'system', action: 'escalate', status_after: t.status, department_after: t.department_id, note: null, detail: JSON.stringify({ deadline: t.deadline }) }]);
          await this.audit.record(tx, { actor: actorOf(SYSTEM), action: 'message.escalate', entity: 'message_ticket', entityId: t.id, detail: { deadline: t.deadline, departmentId: t.department_id } });
          return true;
        });
        if (done) n++;
      }
      if (rows.length < 200) break;
    }
    return n;
  }

  /** Likely duplicates of a ticket among recent open tickets (same issue, same place), best first. */
  /**
   * Likely duplicates of a ticket among the open tickets `p` may open (a department's staff see only their
   * department's: another department's ticket, its title included, is not theirs to read), with whether `p` may
   * merge each into this ticket (`merge` checks both tickets).
   */
  async similar(p: Principal, ticketId: number, days = 60): Promise<Result<{ ticketId: number; title: string; score: number; departmentId: number | null; mayMerge: boolean }[]>> {
    const t = await this.ticket(p, ticketId);
    if (!t.ok) return t;
    const first = t.value.messages[0];
    if (!first) return ok([]);
    const since = new Date(this.now().getTime() - days * 86_400_000);
    const cands = await repo.openCandidates(this.db, since, ticketId, 500);
    const seen = new Set<number>();
    const out: { ticketId: number; title: string; score: number; departmentId: number | null; mayMerge: boolean }[] = [];
    const mayMergeHere = this.mayAct(p, t.value, 'merge');
    for (const c of likelyDuplicates(first, cands, shippedDocFreq(), DUPLICATE_THRESHOLD, 20)) {
      if (seen.has(c.item.ticket_id)) continue;
      seen.add(c.item.ticket_id);
      if (!this.seesTicket(p, c.item.department_id).ok) continue;
      const departmentId = c.item.department_id;
      out.push({
        ticketId: c.item.ticket_id, title: c.item.title, score: Math.round(c.score * 1000) / 1000,
        departmentId, mayMerge: mayMergeHere && this.mayAct(p, { departmentId }, 'merge'),
      });
    }
    return ok(out.slice(0, 5));
  }

  /**
   * Merges ticket `sourceId` into `targetId`: the source's messages move to the target (whose reply then answers
   * all their authors) and the source ends as `merged`. Both must be open and visible to the caller.
   */
  async merge(p: Principal, targetId: number, sourceId: number): Promise<Result<TicketView>> {
    // An id no ticket can have (a tampered form: 3000000000) is no such ticket, before the query the database would refuse.
    if (!isRecordId(targetId) || !isRecordId(sourceId)) return messagesError('MESSAGE_NOT_FOUND');
    if (targetId === sourceId) return messagesError('MERGE_INVALID');
    const now = this.now();
    const today = chinaDate(now);
    const r = await inTransaction(this.db, async (tx): Promise<Result<number>> => {
      const [target, source] = [await repo.findTicket(tx, targetId), await repo.findTicket(tx, sourceId)];
      if (!target || !source) return messagesError('MESSAGE_NOT_FOUND');
      for (const t of [target, source]) {
        const a = authorizeMessages(p, 'message.merge', { departmentId: t.department_id });
        if (!a.ok) return a;
        if (p.kind === 'staff' && t.department_id === null && !spansDepartments(p)) return commonError('FORBIDDEN');
      }
      const st = (t: TicketRow): TicketState => ({ status: t.status, departmentId: t.department_id, escalated: t.escalated, reopenCount: t.reopen_count, repliedOn: null });
      const a1 = applyAction(st(source), { action: 'merge', on: today });
      const a2 = applyAction(st(target), { action: 'merge_in', on: today });
      if (!a1.ok || !a2.ok) return messagesError('MERGE_INVALID');
      const u1 = await repo.updateTicket(tx, source.id, source.version, { status: 'merged', merged_into: target.id });
      const u2 = await repo.updateTicket(tx, target.id, target.version, {});
      if (!u1 || !u2) return commonError('CONFLICT');
      const moved = await repo.moveMessages(tx, source.id, target.id);
      const actor = actorOf(p);
      await repo.insertActions(tx, [
        { ticket_id: source.id, at: now, on_day: today, actor_id: actor.id, actor_label: actor.label, action: 'merge', status_after: 'merged', department_after: source.department_id, note: `#${target.id}`, detail: JSON.stringify({ into: target.id }) },
        { ticket_id: target.id, at: now, on_day: today, actor_id: actor.id, actor_label: actor.label, action: 'merge_in', status_after: target.status, department_after: target.department_id, note: `#${source.id}`, detail: JSON.stringify({ from: source.id, messages: moved }) },
      ]);
      await this.audit.record(tx, { actor, action: 'message.merge', entity: 'message_ticket', entityId: target.id, detail: { from: source.id, into: target.id, messages: moved } });
      return ok(target.id);
    });
    if (!r.ok) return r;
    return this.ticket(p, r.value);
  }

  /**
   * Figures for leaders and supervisors: tickets by status, open and late tickets per holder (department or the
   * queue), and satisfaction (mean rating, share rated 4–5). Department-scoped roles get their department only.
   */
  async stats(p: Principal): Promise<Result<{
    byStatus: Record<string, number>;
    byHolder: { departmentId: number | null; open: number; late: number; total: number }[];
    late: number;
    rated: number;
    meanRating: number | null;
  }>> {
    const a = authorizeMessages(p, 'message.view');
    if (!a.ok) return a;
    const scope = departmentScope(p);
    const rows = (await repo.stats(this.db, this.today())).filter((r) => scope === 'all' || (r.department_id !== null && scope.includes(r.department_id)));
    const byStatus: Record<string, number> = {};
    const holders = new Map<number | null, { departmentId: number | null; open: number; late: number; total: number }>();
    let late = 0;
    let rated = 0;
    let sum = 0;
    for (const r of rows) {
      byStatus[r.status] = (byStatus[r.status] ?? 0) + r.n;
      const h = holders.get(r.department_id) ?? { departmentId: r.department_id, open: 0, late: 0, total: 0 };
      h.total += r.n;
      if (OPEN_STATUSES.includes(r.status as TicketStatus)) h.open += r.n;
      h.late += r.late;
      holders.set(r.department_id, h);
      late += r.late;
      rated += r.rated;
      sum += r.rating_sum;
    }
    return ok({ byStatus, byHolder: [...holders.values()], late, rated, meanRating: rated ? Math.round((sum / rated) * 100) / 100 : null });
  }

  /**
   * Aggregates for the leaders' overview, all departments, no personal data: tickets received (all time and the last
   * 30 days), answered and the share answered by the deadline, open and late, escalated, satisfaction (mean rating,
   * share rated 4–5) and the top categories of the last 30 days. Merged tickets are not counted.
   */
  async overview(p: Principal): Promise<Result<{
    received: number; received30: number; answered: number; onTimeShare: number | null; open: number; late: number; escalated: number;
    rated: number; meanRating: number | null; satisfiedShare: number | null; topCategories: { category: string | null; n: number }[]; since: string;
    /** Per holding department (null: not yet dispatched), most overdue first; onTimeShare of the answered ones. */
    departments: { departmentId: number | null; name: string | null; nameEn: string | null; open: number; late: number; answered: number; onTimeShare: number | null }[];
  }>> {
    const a = authorizeMessages(p, 'message.overview');
    if (!a.ok) return a;
    const today = this.today();
    const since = addDays(today, -29);
    const [o, top, depts] = await Promise.all([repo.overview(this.db, today, since), repo.topCategories(this.db, since, 5), repo.overviewByDepartment(this.db, today)]);
    return ok({
      received: o.total, received30: o.recent, answered: o.answered, onTimeShare: o.answered ? o.on_time / o.answered : null,
      open: o.open, late: o.late, escalated: o.escalated, rated: o.rated,
      meanRating: o.rated ? Math.round((o.rating_sum / o.rated) * 100) / 100 : null,
      satisfiedShare: o.rated ? o.satisfied / o.rated : null, topCategories: top, since,
      departments: depts.map((d) => ({ departmentId: d.department_id, name: d.name, nameEn: d.name_en, open: d.open, late: d.late, answered: d.answered, onTimeShare: d.answered ? d.on_time / d.answered : null })),
    });
  }

  // ---- configuration ----------------------------------------------------------------------------------------

  /** The category → department table, the time limits and the settings (staff may read; supervisors edit). */
  async configuration(p: Principal): Promise<Result<{ routes: Awaited<ReturnType<typeof repo.routes>>; limits: { type: MessageType; working_days: number }[]; autoThreshold: number; reopenDays: number }>> {
    const a = authorizeMessages(p, 'message.view');
    if (!a.ok) return a;
    const [routes, limits, s] = await Promise.all([repo.routes(this.db), repo.timeLimits(this.db), repo.settings(this.db)]);
    return ok({ routes, limits, autoThreshold: s.auto_threshold, reopenDays: s.reopen_days });
  }

  /**
   * Updates any of: routes (category → department code), limits (type → working days), the auto-dispatch
   * threshold and the follow-up period in days. Supervisors only; one audit entry.
   */
  async configure(p: Principal, raw: { routes?: Record<string, unknown>; limits?: Record<string, unknown>; autoThreshold?: unknown; reopenDays?: unknown }): Promise<Result<void>> {
    const a = authorizeMessages(p, 'message.settings');
    if (!a.ok) return a;
    const fields: FieldError[] = [];
    const [routes, depts, s] = await Promise.all([repo.routes(this.db), repo.departmentIds(this.db), repo.settings(this.db)]);
    const routeChanges: [string, string][] = [];
    for (const [cat, code] of Object.entries(raw.routes ?? {})) {
      if (!routes.some((r) => r.category === cat)) fields.push({ field: `routes.${cat}`, message: `未知分类：${cat}`, messageEn: `Unknown category: ${cat}` });
      else if (typeof code !== 'string' || !depts.some((d) => d.code === code)) fields.push({ field: `routes.${cat}`, message: '部门不存在。', messageEn: 'No such department.' });
      else routeChanges.push([cat, code]);
    }
    const limitChanges: [MessageType, number][] = [];
    for (const [type, days] of Object.entries(raw.limits ?? {})) {
      const n = Number(days);
      if (!(MESSAGE_TYPES as readonly string[]).includes(type)) fields.push({ field: `limits.${type}`, message: `未知留言类型：${type}`, messageEn: `Unknown message type: ${type}` });
      else if (!Number.isInteger(n) || n < 1 || n > 365) fields.push({ field: `limits.${type}`, message: '办理时限应为 1–365 个工作日。', messageEn: 'The time limit must be 1–365 working days.' });
      else limitChanges.push([type as MessageType, n]);
    }
    let threshold = s.auto_threshold;
    if (raw.autoThreshold !== undefined && raw.autoThreshold !== '') {
      const n = Number(raw.autoThreshold);
      if (!Number.isFinite(n) || n < 0 || n > 1) fields.push({ field: 'autoThreshold', message: '自动分派阈值应在 0 到 1 之间。', messageEn: 'The auto-dispatch threshold must be between 0 and 1.' });
      else threshold = n;
    }
    let reopen = s.reopen_days;
    if (raw.reopenDays !== undefined && raw.reopenDays !== '') {
      const n = Number(raw.reopenDays);
      if (!Number.isInteger(n) || n < 0 || n > 365) fields.push({ field: 'reopenDays', message: '追问期限应为 0–365 天。', messageEn: 'The follow-up period must be 0–365 days.' });
      else reopen = n;
    }
    if (fields.length) return commonError('VALIDATION_FAILED', fields);
    await inTransaction(this.db, async (tx) => {
      for (const [c, code] of routeChanges) await repo.setRoute(tx, c, code);
      for (const [t, d] of limitChanges) await repo.setTimeLimit(tx, t, d);
      await repo.setSettings(tx, { auto_threshold: threshold, reopen_days: reopen });
      await this.audit.record(tx, {
        actor: actorOf(p), action: 'message.configure', entity: 'message_settings', entityId: 1,
        detail: { routes: Object.fromEntries(routeChanges), limits: Object.fromEntries(limitChanges), autoThreshold: threshold, reopenDays: reopen },
      });
    });
    return ok(undefined);
  }

  /** Routing corrections as JSON Lines `{"title","content","category"}` for `yiwang train routing --corrections`. */
  async correctionsJsonl(p: Principal): Promise<Result<string>> {
    const a = authorizeMessages(p, 'message.corrections');
    if (!a.ok) return a;
    const lines: string[] = [];
    let after = 0;
    for (;;) {
      const rows = await repo.corrections(this.db, after, 1000);
      for (const r of rows) {
        // A file that leaves the platform (training data): the citizen's phone, ID number, e-mail, names are masked.
        if (r.category) lines.push(JSON.stringify({ title: redactPersonalData(r.title).text, content: redactPersonalData(r.content).text, category: r.category, predicted: r.predicted_category, ticket: r.ticket_id, at: r.at.toISOString() }));
      }
      if (rows.length < 1000) break;
      after = rows[rows.length - 1]!.id;
    }
    return ok(lines.length ? lines.join('\n') + '\n' : '');
  }

  /** The categories (from the editable table) — Open311 service codes map onto them. */
  async categories(): Promise<string[]> {
    return (await repo.routes(this.db)).map((r) => r.category);
  }

  /** Departments for dispatch forms. */
  async departments(): Promise<{ id: number; code: string; name: string }[]> {
    return repo.departmentIds(this.db);
  }

  /** Published requests for the public (Open311): only messages whose authors consented; texts redacted. */
  async publicTickets(f: { ids?: number[]; categories?: (string | null)[]; statuses?: TicketStatus[]; from?: Date; to?: Date; limit: number }): Promise<{ ticket: TicketRow; message: MessageRow | undefined }[]> {
    const rows = await repo.listTickets(this.db, { scope: 'all', ...f, publishedOnly: f.ids === undefined, order: 'newest' });
    const msgs = await repo.messagesOf(this.db, rows.map((t) => t.id));
    return rows.map((t) => ({ ticket: t, message: msgs.find((m) => m.ticket_id === t.id) }));
  }

  /** The message behind an Open311 token. */
  async byToken(token: string): Promise<MessageRow | undefined> {
    if (token.length > 64) return undefined;
    return repo.findMessageByToken(this.db, token);
  }

  /**
   * Up to `limit` published knowledge articles (public or staff-only) and published answers to other messages
   * that match a ticket's title and first message, best first, for staff answering it (knowledge module's
   * `findForReply`, which searches through the search module). Empty when the knowledge module is absent, for
   * anyone but staff, or when the search fails: the reply screen then simply shows no suggestions.
   */
  async reusableAnswers(p: Principal, t: TicketView, limit = 3): Promise<ReusableAnswer[]> {
    if (!this.knowledge || p.kind !== 'staff') return [];
    const text = `${t.title} ${t.messages[0]?.content ?? ''}`;
    const r = await this.knowledge.findForReply(p, text, 10).catch(() => undefined);
    if (!r?.ok) return [];
    const out: ReusableAnswer[] = [];
    for (const h of r.value) {
      if (h.kind !== 'knowledge' && h.kind !== 'reply') continue;
      if (h.kind === 'reply' && h.id === String(t.id)) continue;
      out.push({ ref: `${h.kind}:${h.id}`, kind: h.kind, title: h.title, titleHtml: h.titleHtml ?? '', snippet: h.snippet, url: h.url, staffOnly: h.staffOnly });
      if (out.length >= limit) break;
    }
    return out;
  }

  /**
   * The text to put into a reply draft for a reuse reference (`knowledge:<id>`: the article's published version;
   * `reply:<ticket id>`: that ticket's published, redacted answer), or undefined when there is none the caller may
   * use (unknown, unpublished, archived, or not staff). An article whose newer draft is not yet published gives its
   * published version when that is public; a staff-only one then gives nothing rather than unreviewed text.
   */
  async reusableText(p: Principal, ref: string): Promise<string | undefined> {
    const r = parseReuseRef(ref);
    if (!r || p.kind !== 'staff') return undefined;
    if (r.kind === 'reply') {
      const [t] = await repo.listTickets(this.db, { scope: 'all', ids: [r.id], statuses: ['replied', 'closed'], publishedOnly: true, limit: 1 });
      return t?.reply_public ? redactPersonalData(t.reply_public).text : undefined;
    }
    if (!this.knowledge) return undefined;
    const a = await this.knowledge.get(p, r.id).catch(() => undefined);
    if (!a?.ok || a.value.publishedVersion === null || a.value.status === 'archived') return undefined;
    if (a.value.currentVersion === a.value.publishedVersion) return a.value.body;
    const pub = await this.knowledge.get(ANONYMOUS, r.id).catch(() => undefined);
    return pub?.ok ? pub.value.body : undefined;
  }

  /** Reply quality hints for a draft (never blocking). */
  async hintsFor(p: Principal, ticketId: number, draft: string): Promise<Result<ReplyHints>> {
    const t = await this.ticket(p, ticketId);
    if (!t.ok) return t;
    // An empty draft has nothing to score (it got 15/100 and "在时限内答复"): ask for the text first.
    // A form posting the field twice (reply=a&reply=b) hands over an array: refused like an empty draft (was a 503).
    if (typeof draft !== 'string' || draft.trim() === '') return commonError('VALIDATION_FAILED', [{ field: 'draft', message: EMPTY_DRAFT_HINT.zh, messageEn: EMPTY_DRAFT_HINT.en }]);
    const m = t.value.messages[0];
    return ok(replyHints({ title: t.value.title, content: m?.content ?? '', receivedAt: m ? new Date(m.submittedAt) : new Date(t.value.receivedOn), deadline: t.value.deadline }, draft, this.now()));
  }

  // ---- channels -------------------------------------------------------------------------------------------------

  /** Registers (or re-keys) a new-media webhook channel; returns its signing secret once. */
  async registerChannel(p: Principal, code: string): Promise<Result<{ code: string; secret: string }>> {
    const a = authorizeMessages(p, 'message.channels');
    if (!a.ok) return a;
    if (!/^[a-z0-9][a-z0-9_-]{1,39}$/.test(code)) return commonError('VALIDATION_FAILED', [{ field: 'code', message: '渠道编码为 2–40 位小写字母、数字、_ 或 -。', messageEn: 'A channel code has 2–40 lower-case letters, digits, _ or -.' }]);
    const secret = randomBytes(24).toString('base64url');
    await inTransaction(this.db, async (tx) => {
      await repo.upsertChannel(tx, code, secret);
      await this.audit.record(tx, { actor: actorOf(p), action: 'message.channel', entity: 'message_channel', entityId: code });
    });
    return ok({ code, secret });
  }

  /**
   * Takes in a webhook delivery: the body must be signed `sha256=<hex HMAC-SHA256 of the raw body>` with the
   * channel's secret; the payload's `id` makes it idempotent (a replay answers with the same ticket).
   */
  async receiveWebhook(channel: string, rawBody: string, signature: string | undefined): Promise<Result<SubmitOutcome>> {
    const secret = await repo.channelSecret(this.db, channel);
    if (!secret) return messagesError('WEBHOOK_CHANNEL_UNKNOWN');
    const expected = createHmac('sha256', secret).update(rawBody).digest();
    const given = /^sha256=([0-9a-f]{64})$/i.exec(signature?.trim() ?? '');
    if (!given || !timingSafeEqual(Buffer.from(given[1]!, 'hex'), expected)) return messagesError('WEBHOOK_SIGNATURE_INVALID');
    let payload: Record<string, unknown>;
    try {
      const v = JSON.parse(rawBody) as unknown;
      if (!v || typeof v !== 'object' || Array.isArray(v)) return commonError('BAD_REQUEST');
      payload = v as Record<string, unknown>;
    } catch {
      return commonError('BAD_REQUEST');
    }
    const id = payload.id;
    if ((typeof id !== 'string' && typeof id !== 'number') || String(id).trim() === '') return commonError('VALIDATION_FAILED', [{ field: 'id', message: '缺少 id：应为这条留言在来源渠道的编号（字符串或数字）。', messageEn: 'id is missing: the number of this message in its source channel (a string or a number).' }]);
    const postedAt = typeof payload.postedAt === 'string' ? plausibleInstant(new Date(payload.postedAt)) : undefined;
    return this.submit(SYSTEM, payload, { channel: 'webhook', externalId: `${channel}:${String(id)}`, defaultType: '咨询', ...(postedAt ? { submittedAt: postedAt } : {}) });
  }

  /** Imports parsed rows (see import.ts); a bad row is reported with its number and the good rows are kept. */
  async importRows(p: Principal, rows: { row: number; data: Record<string, unknown>; externalId: string | null; submittedAt?: Date }[]): Promise<Result<ImportReport>> {
    const a = authorizeMessages(p, 'message.import');
    if (!a.ok) return a;
    const report: ImportReport = { created: 0, replayed: 0, errors: [], tickets: [] };
    for (const r of rows) {
      const out = await this.submit(SYSTEM, r.data, {
        channel: 'import', externalId: r.externalId, defaultType: '咨询', maxContent: MAX_IMPORT_CONTENT,
        ...(r.submittedAt ? { submittedAt: r.submittedAt } : {}),
      });
      if (!out.ok) report.errors.push({ row: r.row, message: out.error.message, ...(out.error.fields ? { fields: out.error.fields } : {}) });
      else {
        if (out.value.replayed) report.replayed++;
        else report.created++;
        report.tickets.push(out.value.ticketId);
      }
    }
    return ok(report);
  }
}
