import { randomBytes, randomUUID } from 'node:crypto';
import { isRecordId } from '../../lib/record-id.ts';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.ts';
import { inTransaction, type Tx } from '../../db/tx.ts';
import { addDays, computeDeadline, deadlineLight, plausibleInstant, shippedCalendar, type Calendar } from '../../lib/calendar/index.ts';
import { commonError, ok, type FieldError, type Result } from '../../lib/errors.ts';
import { createAnalyser, type Analyser } from '../../nlp/analysis/index.ts';
import { coveredBy, detectBursts, HotIssueIndex, placeBaseline, type HotIssueItem } from '../../nlp/hotissues/index.ts';
import type { AuditLog } from '../audit/audit.service.ts';
import { actorOf, departmentScope, SYSTEM, type Principal } from '../identity/permissions.ts';
import type { TodoItem } from '../identity/workbench.ts';
import { decodeTextFile } from '../../lib/text/decodeTextFile.ts';
import { redactPersonalData } from '../../lib/text/redactPersonalData.ts';
import { authorizeOpinion, opinionError } from './opinion.errors.ts';
import {
  authorHash, chinaDay, describeCues, FEED_NOT_PUBLIC_ZH, MAX_POST_CHARS, sourceName, minHash, minHashBands, minHashSimilarity, NEAR_DUPLICATE_JACCARD, NEAR_DUPLICATE_MIN_CHARS, normaliseForHash, parseCsvImport, parseFeed,
  parseJsonl, parseXlsxImport, simHash, textHash, verifySignature, type ImportFormat, type RawItem, type RowError,
} from './opinion.pure.ts';
import { opinionRepository as repo } from './opinion.repository.ts';
import { LEVEL_NAMES, LEVELS, type IssueRow, type Level, type SourceKind, type StoredAnalysis, type WarningRow, type WarningStatus } from './opinion.types.ts';

/** Burst level names of the hot-issues library → stored levels. */
/**
 * Old issue id → new issue id, for the stored issues whose items now mostly belong to an issue with another id
 * (the new issue that holds the most of its items).
 */
export function issueMoves(old: { id: number; item_ids: unknown }[], fresh: { id: number; item_ids: string }[]): Map<number, number> {
  const issueOf = new Map<number, number>();
  for (const i of fresh) for (const id of JSON.parse(i.item_ids) as number[]) issueOf.set(id, i.id);
  const moves = new Map<number, number>();
  for (const o of old) {
    const ids = (typeof o.item_ids === 'string' ? JSON.parse(o.item_ids) : o.item_ids) as number[];
    const votes = new Map<number, number>();
    for (const id of ids) {
      const to = issueOf.get(id);
      if (to !== undefined) votes.set(to, (votes.get(to) ?? 0) + 1);
    }
    let best: number | undefined;
    for (const [to, n] of votes) if (best === undefined || n > votes.get(best)! || (n === votes.get(best) && to < best)) best = to;
    if (best !== undefined && best !== o.id) moves.set(o.id, best);
  }
  return moves;
}

/**
 * For each fresh issue, the ids under which the burst warnings of the stored issues it shares items with now sit
 * (after `issueMoves`). An issue that splits keeps its warnings on the part holding most of its items; the other
 * part gets a new id, and without this its share of the same burst was warned again under that id.
 */
export function issueLineage(old: { id: number; item_ids: unknown }[], fresh: { id: number; item_ids: string }[], moves: Map<number, number>): Map<number, Set<number>> {
  const oldOf = new Map<number, number>();
  for (const o of old) for (const id of (typeof o.item_ids === 'string' ? JSON.parse(o.item_ids) : o.item_ids) as number[]) oldOf.set(id, o.id);
  const out = new Map<number, Set<number>>();
  for (const f of fresh) {
    // Only a stored issue that makes up at least half of the fresh one: an unrelated issue that one item drifted into
    // keeps its own bursts.
    const ids = JSON.parse(f.item_ids) as number[];
    const count = new Map<number, number>();
    for (const id of ids) {
      const o = oldOf.get(id);
      if (o !== undefined) count.set(o, (count.get(o) ?? 0) + 1);
    }
    const from = new Set<number>();
    for (const [o, n] of count) if (n * 2 >= ids.length) from.add(moves.get(o) ?? o);
    from.delete(f.id);
    if (from.size) out.set(f.id, from);
  }
  return out;
}

/**
 * Version of the personal-data redaction the stored items have been through (`redactStored`). Raise it when
 * src/lib/text/redactPersonalData.ts gets stronger, so items stored before are redacted again once.
 * 1: phones and bank cards written in groups (27 Nov 2026).
 */
export const REDACTION_VERSION = 1;

const LEVEL_OF: Record<string, Level> = { 蓝: 'blue', 黄: 'yellow', 橙: 'orange', 红: 'red' };
/** Warning levels the leaders are notified of (橙 and 红). */
const LEADER_LEVELS: readonly Level[] = ['orange', 'red'];

export interface OpinionOptions {
  /** Key for pseudonymous author hashes. */
  secret: string;
  /** Resolves a responsible department for an issue (e.g. the messages classifier and its routes). */
  departmentFor?: (title: string, text: string) => Promise<number | null>;
  /** Fetch used for feeds (tests inject one); default global fetch. */
  fetch?: typeof fetch;
  feedTimeoutMs?: number;
  maxFeedBytes?: number;
  now?: () => Date;
  calendar?: Calendar;
  /** Only bursts that reached their level within this many days before the newest item raise warnings (default 30). */
  warnDays?: number;
}

export interface IngestReport {
  added: number;
  replayed: number;
  duplicates: number;
  errors: RowError[];
}

export interface ClusterReport {
  skipped: boolean;
  rebuilt: boolean;
  clustered: number;
  issues: number;
  warnings: number;
}

/** Inputs of the 研判 step. */
export interface Assessment {
  level: Level;
  facts: string;
  risk: string;
  suggestion: string;
}

const text = (v: unknown, max: number): string => (typeof v === 'string' ? v.trim().slice(0, max) : '');
/**
 * What an analyst or a department typed, trimmed; longer than `max` is a field error pushed on `fields` (cutting it
 * would keep a statement or an assessment without its end, and nobody would know). The API's schema has the same limits.
 */
const typed = (v: unknown, max: number, field: string, fields: FieldError[]): string => {
  const s = typeof v === 'string' ? v.trim() : '';
  if (s.length > max) fields.push({ field, message: `不能超过 ${max} 字（现为 ${s.length} 字）。`, messageEn: `At most ${max} characters (now ${s.length}).` });
  return s;
};

/**
 * Public-opinion monitoring: sources (own messages, RSS/Atom, webhooks, imports) into one idempotent items table
 * with per-item analysis and cross-source duplicates; incremental clustering into persisted hot issues under a
 * lock; burst and rule warnings; the 研判 → 回应 → 处理 → 办结 loop with its append-only timeline.
 */
/** What `pollMessages` needs of the messages service (structural: the module does not import it). */
export interface MessagesSource {
  list(p: Principal, f: { since?: string; afterId?: number; limit?: number }): Promise<Result<{ id: number; updatedAt: string }[]>>;
  ticket(p: Principal, id: number): Promise<Result<{ id: number; messages: { id: number; title: string; content: string; submittedAt: string; channel: string }[] }>>;
}

export { sourceName } from './opinion.pure.ts';

const MESSAGES_POLL_PAGE = 500;
const MESSAGES_POLL_OVERLAP_MS = 2 * 60_000;

export class OpinionService {
  private analyser: Analyser | undefined;
  private index: { index: HotIssueIndex; watermark: number; generation: number } | undefined;
  private readonly holder = randomUUID();
  private readonly now: () => Date;
  private readonly calendar: Calendar;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly audit: AuditLog,
    private readonly opts: OpinionOptions,
  ) {
    this.now = opts.now ?? (() => new Date());
    this.calendar = opts.calendar ?? shippedCalendar();
  }

  private analyse(items: readonly RawItem[]): StoredAnalysis[] {
    if (!this.analyser) {
      const a = createAnalyser({ domain: 'government' });
      if (!a.ok) throw new Error(`opinion: analyser unavailable: ${a.error}`);
      this.analyser = a.analyser;
    }
    return this.analyser.analyseBatch(items.map((i) => ({ title: i.title, text: i.text }))) as unknown as StoredAnalysis[];
  }

  // ---- ingestion --------------------------------------------------------------------------------------------------

  /**
   * Stores items of one source: analysed, fingerprinted, written idempotently by (source, external id) in one
   * transaction per call with an audit entry; items whose text equals (or nearly equals) an earlier item's are
   * marked as its duplicates. Re-running the same input adds nothing.
   */
  async ingest(source: string, items: readonly RawItem[], actor: Principal = SYSTEM): Promise<IngestReport> {
    return this.ingestWith(source, items, actor);
  }

  /**
   * `ingest`, and `also` in the same transaction as the items (before their audit entry; `detail` is added to that
   * entry). With nothing new to store, `also` runs in a transaction of its own, without an audit entry.
   */
  private async ingestWith(source: string, items: readonly RawItem[], actor: Principal, also?: { write: (tx: Tx) => Promise<void>; detail: Record<string, unknown> }): Promise<IngestReport> {
    const report: IngestReport = { added: 0, replayed: 0, duplicates: 0, errors: [] };
    const unique = new Map<string, RawItem>();
    // Personal data (phones, ID numbers, e-mail, bank cards, house numbers, names with a title) never reaches the table.
    for (const it of items) if (!unique.has(it.externalId)) unique.set(it.externalId, { ...it, title: redactPersonalData(it.title).text, text: redactPersonalData(it.text).text });
    const all = [...unique.values()];
    const known = await repo.existingExternalIds(this.db, source, all.map((i) => i.externalId));
    const fresh = all.filter((i) => !known.has(i.externalId));
    report.replayed = items.length - fresh.length;
    if (!fresh.length) {
      if (also) await inTransaction(this.db, also.write);
      return report;
    }
    const analyses = this.analyse(fresh);
    // A time later than now (a feed's wrong clock, a publishedAt of 2150) is stored as now: the dashboard, the
    // briefings and the early warning are anchored on the newest item, and one such post would move them all to it.
    const now = this.now();
    const rows = fresh.map((it, k) => {
      const a = analyses[k]!;
      return {
        source,
        external_id: it.externalId,
        title: it.title,
        text: it.text,
        author_hash: authorHash(this.opts.secret, it.author),
        published_at: it.publishedAt.getTime() > now.getTime() ? now : it.publishedAt,
        likes: it.likes ?? 0,
        dislikes: it.dislikes ?? 0,
        url: it.url ?? null,
        analysis: JSON.stringify(a),
        text_hash: textHash(it.title, it.text),
        simhash: simHash(it.title, it.text),
        minhash: minHash(it.title, it.text),
        district: a.places.find((p) => p.district)?.district ?? null,
      };
    });
    await inTransaction(this.db, async (tx) => {
      const inserted = await repo.insertItems(tx, rows);
      report.added = inserted.length;
      report.replayed += rows.length - inserted.length;
      const bandRows: { band: string; item_id: number }[] = [];
      const bandsOf = new Map<number, string[]>();
      for (const r of inserted) {
        const it = unique.get(r.external_id)!;
        if (normaliseForHash(it.title, it.text).length < NEAR_DUPLICATE_MIN_CHARS || !r.minhash) continue;
        const keys = minHashBands(r.minhash);
        bandsOf.set(r.id, keys);
        for (const band of keys) bandRows.push({ band, item_id: r.id });
      }
      await repo.insertBands(tx, bandRows);
      const cand = await repo.duplicateCandidatesBatch(tx, [...new Set(inserted.map((r) => r.text_hash))], [...new Set(bandRows.map((b) => b.band))]);
      const byHash = new Map<string, typeof cand.exact>();
      for (const c of cand.exact) byHash.set(c.text_hash, [...(byHash.get(c.text_hash) ?? []), c]);
      const byBand = new Map<string, typeof cand.near>();
      for (const c of cand.near) byBand.set(c.band, [...(byBand.get(c.band) ?? []), c]);
      for (const r of inserted) {
        // The same post: seen through another source, or again in this source from the same (or an unknown)
        // author. The same words from different people in one source are separate voices (a campaign), not copies.
        const samePost = (o: { id: number; source: string; author_hash: string | null }) =>
          o.id < r.id && (o.source !== r.source || o.author_hash === null || r.author_hash === null || o.author_hash === r.author_hash);
        let of = (byHash.get(r.text_hash) ?? []).find(samePost)?.id ?? null;
        const keys = bandsOf.get(r.id);
        if (of === null && keys) {
          let best: number | null = null;
          for (const k of keys) {
            for (const n of byBand.get(k) ?? []) {
              if ((best === null || n.id < best) && samePost(n) && n.minhash !== null && minHashSimilarity(n.minhash, r.minhash!) >= NEAR_DUPLICATE_JACCARD) best = n.id;
            }
          }
          of = best;
        }
        if (of !== null) {
          await repo.setDuplicate(tx, r.id, of);
          report.duplicates++;
        }
      }
      if (also) await also.write(tx);
      await this.audit.record(tx, { actor: actorOf(actor), action: 'opinion.ingest', entity: 'opinion_source', entityId: source, detail: { added: report.added, replayed: report.replayed, duplicates: report.duplicates, ...also?.detail } });
    });
    return report;
  }

  /**
   * Re-redacts what was stored under an older `redactPersonalData` (items were redacted at ingest only, so phones and
   * bank cards written in groups — 0731-8888 6666, 1380 013 8000 — stayed in items stored before 27 Nov and reached the
   * staff pages, briefings and exports). Once per `REDACTION_VERSION`: items in batches of 500 by id, each batch in
   * one transaction with its fingerprints (so a later copy still matches) and one audit entry, the position kept in
   * the `redaction` state row so a restart goes on; then the texts derived from items (issue titles and summaries,
   * warning titles, notification texts). Redacting redacted text changes nothing, so running it again is harmless.
   * Returns the number of items changed.
   */
  async redactStored(batch = 500): Promise<number> {
    const state = await repo.redactionState(this.db);
    if (state && state.generation >= REDACTION_VERSION) return 0;
    let after = state?.watermark ?? 0;
    let changed = 0;
    for (;;) {
      const rows = await repo.itemTexts(this.db, after, batch);
      if (!rows.length) break;
      const last = rows[rows.length - 1]!.id;
      await inTransaction(this.db, async (tx) => {
        let n = 0;
        for (const r of rows) {
          const title = redactPersonalData(r.title).text;
          const text = redactPersonalData(r.text).text;
          if (title === r.title && text === r.text) continue;
          const minhash = minHash(title, text);
          const bands = normaliseForHash(title, text).length >= NEAR_DUPLICATE_MIN_CHARS && minhash ? minHashBands(minhash) : [];
          await repo.rewriteItem(tx, { id: r.id, title, text, text_hash: textHash(title, text), simhash: simHash(title, text), minhash }, bands);
          n++;
        }
        await repo.saveRedactionState(tx, state?.generation ?? 0, last);
        if (n) await this.audit.record(tx, { actor: actorOf(SYSTEM), action: 'opinion.redact', entity: 'opinion_items', detail: { items: n, upToId: last, version: REDACTION_VERSION } });
        changed += n;
      });
      after = last;
    }
    await inTransaction(this.db, async (tx) => {
      const d = await repo.derivedTexts(tx);
      let n = 0;
      const red = (s: string) => redactPersonalData(s).text;
      for (const i of d.issues) if (red(i.title) !== i.title || red(i.summary) !== i.summary) { await repo.setIssueTexts(tx, i.id, red(i.title), red(i.summary)); n++; }
      for (const w of d.warnings) if (red(w.title) !== w.title) { await repo.setWarningTitle(tx, w.id, red(w.title)); n++; }
      for (const t of d.notes) if (red(t.text) !== t.text) { await repo.setNotificationText(tx, t.id, red(t.text)); n++; }
      await repo.saveRedactionState(tx, REDACTION_VERSION, 0);
      // The clustering indexes in memory hold the old texts (issue titles come from them): rebuild from the table.
      if (changed) await repo.invalidateClusterIndex(tx);
      await this.audit.record(tx, { actor: actorOf(SYSTEM), action: 'opinion.redact', entity: 'opinion_state', entityId: 'redaction', detail: { items: changed, derived: n, version: REDACTION_VERSION } });
    });
    if (changed) this.index = undefined;
    return changed;
  }

  /** Registers a source (rss: url; webhook: a shared secret is generated and returned once). */
  async addSource(p: Principal, raw: { code?: unknown; kind?: unknown; name?: unknown; url?: unknown; fetchMinutes?: unknown }): Promise<Result<{ code: string; secret: string | null }>> {
    const a = authorizeOpinion(p, 'opinion.sources');
    if (!a.ok) return a;
    const code = text(raw.code, 40);
    const kind = text(raw.kind, 20) as SourceKind;
    const fields = [];
    if (!/^[a-z0-9][a-z0-9_-]{1,39}$/.test(code)) fields.push({ field: 'code', message: '来源编码为 2–40 位小写字母、数字、_ 或 -。' });
    if (!['rss', 'webhook', 'import', 'messages'].includes(kind)) fields.push({ field: 'kind', message: '类型应为 rss、webhook、import 或 messages。' });
    const url = text(raw.url, 1000);
    if (kind === 'rss' && !/^https?:\/\//.test(url)) fields.push({ field: 'url', message: '请填写 http(s) 订阅地址。' });
    if (fields.length) return commonError('VALIDATION_FAILED', fields);
    const secret = kind === 'webhook' ? randomBytes(24).toString('base64url') : null;
    const minutes = typeof raw.fetchMinutes === 'number' && raw.fetchMinutes >= 1 ? Math.min(Math.round(raw.fetchMinutes), 1440) : 15;
    const created = await inTransaction(this.db, async (tx) => {
      const row = await repo.insertSource(tx, { code, kind, name: text(raw.name, 100) || code, url: kind === 'rss' ? url : null, secret, fetchMinutes: minutes });
      if (row) await this.audit.record(tx, { actor: actorOf(p), action: 'opinion.source', entity: 'opinion_source', entityId: code, detail: { kind } });
      return row;
    });
    if (!created) return opinionError('OPINION_SOURCE_CODE_TAKEN');
    return ok({ code, secret });
  }

  async sources(p: Principal) {
    const a = authorizeOpinion(p, 'opinion.view');
    if (!a.ok) return a;
    return ok((await repo.sources(this.db)).map((s) => ({ code: s.code, kind: s.kind, name: s.name, url: s.url, enabled: s.enabled, lastFetchedAt: s.last_fetched_at?.toISOString() ?? null, lastError: s.last_error })));
  }

  /** The fetch log (newest first). */
  async fetchLog(p: Principal, limit = 50) {
    const a = authorizeOpinion(p, 'opinion.view');
    if (!a.ok) return a;
    return ok(await repo.fetchLog(this.db, limit));
  }

  /**
   * Pulls one RSS/Atom source. A timeout, an HTTP error, an oversized or malformed document becomes a fetch-log
   * entry and `last_error` on the source; nothing is thrown and nothing already stored is touched.
   */
  async pullFeed(code: string): Promise<{ ok: boolean; code: string; added: number; message: string }> {
    const src = await repo.source(this.db, code);
    if (!src || src.kind !== 'rss' || !src.url || !src.enabled) return { ok: false, code: 'OPINION_SOURCE_NOT_FOUND', added: 0, message: code };
    const f = this.opts.fetch ?? fetch;
    const limit = this.opts.maxFeedBytes ?? 5 * 1024 * 1024;
    let outcome: { ok: boolean; code: string; added: number; message: string };
    try {
      const res = await f(src.url, { signal: AbortSignal.timeout(this.opts.feedTimeoutMs ?? 10_000), headers: { accept: 'application/rss+xml, application/atom+xml, application/xml, text/xml' } });
      if (!res.ok) {
        outcome = { ok: false, code: 'FEED_HTTP', added: 0, message: `订阅源返回 HTTP ${res.status}` };
      } else {
        const body = Buffer.from(await res.arrayBuffer());
        if (body.length > limit) outcome = { ok: false, code: 'FEED_TOO_LARGE', added: 0, message: `订阅源过大：${body.length} 字节（上限 ${limit} 字节）` };
        else {
          const parsed = parseFeed(body.toString('utf8'), this.now());
          if (!parsed.ok) outcome = { ok: false, code: parsed.code, added: 0, message: parsed.message.slice(0, 300) };
          else {
            const r = await this.ingest(code, parsed.items);
            outcome = { ok: true, code: 'FEED_OK', added: r.added, message: `共 ${parsed.items.length + parsed.skipped} 条，新增 ${r.added} 条，跳过 ${parsed.skipped} 条${parsed.tooLong ? `（其中 ${parsed.tooLong} 条超过 ${MAX_POST_CHARS} 字）` : ''}` };
          }
        }
      }
    } catch (err) {
      const e = err as Error & { cause?: { code?: unknown } };
      const timeout = e.name === 'TimeoutError' || e.name === 'AbortError';
      // fetch says "fetch failed"; its cause carries the system code (ENOTFOUND, ECONNREFUSED…), kept for the staff
      const why = typeof e.cause?.code === 'string' ? e.cause.code : e.message;
      outcome = timeout
        ? { ok: false, code: 'FEED_TIMEOUT', added: 0, message: `${(this.opts.feedTimeoutMs ?? 10_000) / 1000} 秒内没有响应` }
        : why === 'EADDRNOTPUBLIC'
          // Refused by the SSRF guard (feed-fetch.ts): said plainly, with what an administrator can do about it.
          ? { ok: false, code: 'FEED_UNREACHABLE', added: 0, message: FEED_NOT_PUBLIC_ZH }
          : { ok: false, code: 'FEED_UNREACHABLE', added: 0, message: `无法连接订阅源（${why}）`.slice(0, 300) };
    }
    await inTransaction(this.db, async (tx) => {
      await repo.logFetch(tx, { source: code, ok: outcome.ok, code: outcome.code, message: outcome.message, added: outcome.added });
      await repo.markFetched(tx, code, outcome.ok ? null : `${outcome.code}: ${outcome.message}`);
    });
    return outcome;
  }

  /** Pulls every enabled RSS source whose interval has passed (the scheduler calls this). */
  async pullDueFeeds(): Promise<number> {
    let n = 0;
    const now = this.now().getTime();
    for (const s of await repo.sources(this.db)) {
      if (s.kind !== 'rss' || !s.enabled) continue;
      if (s.last_fetched_at && now - s.last_fetched_at.getTime() < s.fetch_minutes * 60_000) continue;
      await this.pullFeed(s.code);
      n++;
    }
    return n;
  }

  /** Takes a signed webhook post: `X-Yiwang-Signature: sha256=<HMAC-SHA256 of the raw body>`; idempotent by `id`. */
  async receiveWebhook(code: string, rawBody: string, signature: string | undefined): Promise<Result<{ added: boolean; duplicate: boolean }>> {
    const src = await repo.source(this.db, code);
    if (!src || src.kind !== 'webhook' || !src.secret || !src.enabled) return opinionError('OPINION_SOURCE_NOT_FOUND');
    if (!verifySignature(src.secret, rawBody, signature)) return opinionError('OPINION_SIGNATURE_INVALID');
    let v: unknown;
    try {
      v = JSON.parse(rawBody);
    } catch {
      return opinionError('OPINION_PAYLOAD_INVALID');
    }
    if (!v || typeof v !== 'object' || Array.isArray(v)) return opinionError('OPINION_PAYLOAD_INVALID');
    const o = v as Record<string, unknown>;
    const id = typeof o.id === 'string' || typeof o.id === 'number' ? String(o.id).trim() : '';
    const title = text(o.title, 500);
    const body = text(o.text ?? o.content, Infinity);
    if (!id || (!title && !body)) return opinionError('OPINION_PAYLOAD_INVALID');
    if (body.length > MAX_POST_CHARS) return commonError('BODY_TOO_LARGE');
    const at = typeof o.publishedAt === 'string' ? new Date(o.publishedAt) : this.now();
    const likes = typeof o.likes === 'number' && o.likes >= 0 ? Math.round(o.likes) : 0;
    const r = await this.ingest(code, [{ externalId: id.slice(0, 200), title, text: body, author: text(o.author, 200) || null, publishedAt: plausibleInstant(at) ?? this.now(), likes, url: text(o.url, 1000) || null }]);
    return ok({ added: r.added === 1, duplicate: r.duplicates === 1 });
  }

  /** Imports a CSV, XLSX or JSONL file in the hot-issue-messages layout; bad rows are reported by number, good rows kept. */
  async importFile(p: Principal, source: string, format: ImportFormat, data: Buffer): Promise<Result<IngestReport & { rows: number }>> {
    const a = authorizeOpinion(p, 'opinion.import');
    if (!a.ok) return a;
    if (!['csv', 'xlsx', 'jsonl'].includes(format)) return opinionError('OPINION_IMPORT_FORMAT');
    if (!/^[a-z0-9][a-z0-9_-]{1,39}$/.test(source)) return commonError('VALIDATION_FAILED', [{ field: 'source', message: '来源编码为 2–40 位小写字母、数字、_ 或 -。' }]);
    const parsed = format === 'xlsx' ? await parseXlsxImport(data) : format === 'csv' ? parseCsvImport(decodeTextFile(data)) : parseJsonl(decodeTextFile(data));
    const total: IngestReport = { added: 0, replayed: 0, duplicates: 0, errors: parsed.errors };
    for (let i = 0; i < parsed.items.length; i += 500) {
      const r = await this.ingest(source, parsed.items.slice(i, i + 500).map((x) => x.item), p);
      total.added += r.added;
      total.replayed += r.replayed;
      total.duplicates += r.duplicates;
    }
    return ok({ ...total, rows: parsed.items.length + parsed.errors.length });
  }

  /**
   * Polls the citizen-messages service for messages not yet taken in, through the service as the system: tickets
   * changed since the stored position (`list` with `since`/`afterId`, keyset pages of 500), then the first message
   * of each ticket not taken in yet. The position (the newest `updatedAt` read, on the `messages` row of
   * `opinion_state`) moves forward page by page in the transaction that stores the page's items, so a crash or a
   * restart part-way neither loses nor doubles items and a restarted process goes on from there. The first poll of
   * an installation reads from the beginning; later ones re-read a two-minute overlap, because a change whose
   * transaction began before the last poll may commit after it. Idempotent (external id `ticket:<id>`). Returns how
   * many items were added.
   */
  async pollMessages(messages: MessagesSource): Promise<number> {
    let added = 0;
    const stored = await repo.messagesCursor(this.db);
    let since = new Date(stored ? stored.getTime() - MESSAGES_POLL_OVERLAP_MS : 0).toISOString();
    let afterId: number | undefined;
    for (;;) {
      const page = await messages.list(SYSTEM, { since, ...(afterId !== undefined ? { afterId } : {}), limit: MESSAGES_POLL_PAGE });
      if (!page.ok || !page.value.length) break;
      const known = await repo.existingExternalIds(this.db, 'messages', page.value.map((t) => `ticket:${t.id}`));
      const items: RawItem[] = [];
      for (const t of page.value) {
        if (known.has(`ticket:${t.id}`)) continue;
        const full = await messages.ticket(SYSTEM, t.id);
        if (!full.ok) continue;
        const m = full.value.messages[0];
        if (!m) continue;
        items.push({ externalId: `ticket:${t.id}`, title: m.title, text: m.content, author: null, publishedAt: new Date(m.submittedAt), url: `/messages/tickets/${t.id}` });
      }
      // Keyset order: the page's last ticket has its newest updatedAt.
      const last = page.value[page.value.length - 1]!;
      const position = last.updatedAt;
      added += (await this.ingestWith('messages', items, SYSTEM, { write: (tx) => repo.advanceMessagesCursor(tx, position), detail: { position } })).added;
      since = last.updatedAt;
      afterId = last.id;
      if (page.value.length < MESSAGES_POLL_PAGE) break;
    }
    return added;
  }

  /** The newest item's time, never later than now (rows stored before later times were refused); now when none. */
  private async latest(): Promise<Date> {
    const now = this.now();
    const t = await repo.latestItemTime(this.db);
    return t && t.getTime() < now.getTime() ? t : now;
  }

  async counts() {
    return repo.countItems(this.db);
  }

  // ---- clustering and warnings --------------------------------------------------------------------------------------

  /**
   * Clusters new items into the persisted hot issues and raises warnings. One process at a time: the state row is
   * locked with FOR UPDATE SKIP LOCKED (another process's run makes this one return `skipped`). The in-memory index
   * is rebuilt from the items table whenever another process moved the state on, so several servers stay correct.
   */
  async cluster(): Promise<ClusterReport> {
    const raised: WarningRow[] = [];
    // The work is done outside the transaction; the transaction only checks that nobody moved the state on
    // meanwhile and writes (short, so PGlite's single connection is not held for the whole computation).
    const state = await repo.clusterState(this.db);
    if (!state) return { skipped: true, rebuilt: false, clustered: 0, issues: 0, warnings: 0 };
    let rebuilt = false;
    if (!this.index || this.index.generation !== state.generation || this.index.watermark !== state.watermark) {
      // Negative as the stored label reads it (government domain: |score| < 0.3 is neutral, so positive < 0.35).
      this.index = { index: new HotIssueIndex({ negativeBelow: 0.35 }), watermark: 0, generation: state.generation };
      rebuilt = true;
    }
    const index = this.index;
    const rows = await repo.items(this.db, { afterId: index.watermark });
    rows.sort((a, b) => a.published_at.getTime() - b.published_at.getTime() || a.id - b.id);
    // Each item's stored sentiment is handed over with it (a text-keyed lookup missed every item whose text the
    // clustering normalises, which made negative shares near zero).
    const items: HotIssueItem[] = rows.map((r) => ({
      id: r.id, title: r.title, text: r.text, time: r.published_at, likes: r.likes, dislikes: r.dislikes,
      positive: (r.analysis as StoredAnalysis).sentiment.positive, ...(r.author_hash ? { author: r.author_hash } : {}),
    }));
    if (rebuilt) index.index.observe(items);
    index.index.addAll(items, { observed: rebuilt });
    index.index.consolidate();
    const watermark = rows.reduce((m, r) => Math.max(m, r.id), index.watermark);
    if (watermark === state.watermark) {
      // Nothing new since the issues were last written (by this process or another).
      index.watermark = watermark;
      return { skipped: false, rebuilt, clustered: 0, issues: 0, warnings: 0 };
    }
    const fresh = rows.filter((r) => r.id > state.watermark);
    const latest = await this.latest();
    const found = index.index.issues({ now: latest.getTime(), minItems: 2 });
    const issueRows = found.slice(0, 2000).map((h) => {
      const ids = h.messageIds.map(Number);
      return {
        id: Math.min(...ids), title: h.title.slice(0, 300), summary: h.summary.slice(0, 300), place: h.place, district: h.district,
        first_at: new Date(h.firstTime), last_at: new Date(h.lastTime), items: h.items, people: h.people, likes: h.likes,
        negative_share: h.negativeShare, heat: h.heat, keywords: JSON.stringify(h.keywords), daily: JSON.stringify(h.daily), item_ids: JSON.stringify(ids),
      };
    });
    let report: ClusterReport;
    try {
      report = await inTransaction(this.db, async (tx) => {
        const locked = await repo.lockClusterState(tx);
        if (!locked || locked.generation !== state.generation) return { skipped: true, rebuilt, clustered: 0, issues: 0, warnings: 0 };
        // An issue's id is its smallest item id, so it changes when the issue merges with an older one: its warnings
        // follow it (to the new issue holding most of the old one's items), and a burst already warned under the old
        // id is not warned again (coveredBy).
        // An issue that splits: its warnings follow the larger part, and the smaller part's share of the same burst
        // is covered by them (issueLineage).
        const members = await repo.issueMembers(tx);
        const moves = issueMoves(members, issueRows);
        await repo.moveWarnings(tx, moves);
        await repo.replaceIssues(tx, issueRows);
        await repo.saveClusterState(tx, { holder: this.holder, watermark, generation: state.generation + 1 });
        let warnings = await this.raiseWarnings(tx, issueRows, latest, raised, issueLineage(members, issueRows, moves));
        warnings += await this.urgencyRule(tx, fresh, issueRows, latest, raised);
        await this.audit.record(tx, { actor: actorOf(SYSTEM), action: 'opinion.cluster', entity: 'opinion_issues', detail: { clustered: fresh.length, issues: issueRows.length, warnings } });
        return { skipped: false, rebuilt, clustered: fresh.length, issues: issueRows.length, warnings };
      });
    } catch (err) {
      this.index = undefined;
      throw err;
    }
    if (report.skipped) {
      // Another process got there first: this index is ahead of or behind the stored state; rebuild next time.
      this.index = undefined;
      return report;
    }
    index.watermark = watermark;
    index.generation = state.generation + 1;
    // The responsible department is looked up after the commit (the lookup reads other modules' tables).
    if (this.opts.departmentFor) {
      for (const w of raised) {
        const dept = await this.opts.departmentFor(w.title, w.title);
        if (dept === null) continue;
        await inTransaction(this.db, async (tx) => {
          await repo.setWarningDepartment(tx, w.id, dept);
          await repo.notify(tx, { warningId: w.id, audience: 'department', departmentId: dept, text: `[${w.level}] ${w.title}` });
          await this.audit.record(tx, { actor: actorOf(SYSTEM), action: 'opinion.warning.route', entity: 'opinion_warning', entityId: w.id, detail: { departmentId: dept } });
        });
      }
    }
    return report;
  }


  private async raiseWarnings(tx: Kysely<DB>, issues: { id: number; title: string; place: string; district: string | null; daily: string; items: number }[], latest: Date, raisedRows: WarningRow[], lineage: Map<number, Set<number>> = new Map()): Promise<number> {
    const since = addDays(chinaDay(latest), -(this.opts.warnDays ?? 30));
    const to = chinaDay(latest);
    const byDistrict = new Map<string, { day: string; count: number }[][]>();
    const dailyOf = new Map<number, { day: string; count: number }[]>();
    for (const i of issues) {
      const d = JSON.parse(i.daily) as { day: string; count: number }[];
      dailyOf.set(i.id, d);
      const k = i.district ?? '';
      byDistrict.set(k, [...(byDistrict.get(k) ?? []), d]);
    }
    let raised = 0;
    const warned = issues.filter((i) => i.items >= 3).map((i) => i.id);
    const before = await repo.burstKeys(tx, [...new Set([...warned, ...warned.flatMap((id) => [...(lineage.get(id) ?? [])])])]);
    const keysOf = (id: number) => [...(before.get(id) ?? []), ...[...(lineage.get(id) ?? [])].flatMap((o) => before.get(o) ?? [])];
    for (const i of issues) {
      if (i.items < 3) continue;
      const d = dailyOf.get(i.id)!;
      if ((d[d.length - 1]?.day ?? '') < since) continue;
      const base = placeBaseline(byDistrict.get(i.district ?? '') ?? [], addDays(to, -365), to);
      const r = detectBursts(String(i.id), d, base);
      if (!r.ok) continue;
      for (const w of r.warnings) {
        if (w.day < since) continue;
        if (coveredBy(keysOf(i.id), w)) continue;
        const level = LEVEL_OF[w.level] ?? 'blue';
        const row = await repo.insertWarning(tx, {
          key: w.key, issueId: i.id, level, kind: 'burst', title: i.title, departmentId: null,
          reason: `${w.day}：近 ${3} 天 ${w.windowCount} 条，本问题基线 ${w.expectedOwn.toFixed(1)}，本地基线 ${w.expectedPlace.toFixed(1)}（z ${w.zOwn.toFixed(1)} / ${w.zPlace.toFixed(1)}）`,
        });
        if (row) {
          raised++;
          raisedRows.push(row);
          await this.announce(tx, row);
        }
      }
    }
    return raised;
  }

  /**
   * Rule: an item with urgency level 3 (safety, health, crowd or protest cues with a strong intensifier) raises an
   * orange warning at once, whatever the volume, keyed by the item so it is raised once.
   */
  private async urgencyRule(tx: Kysely<DB>, rows: { id: number; title: string; published_at: Date; analysis: unknown }[], issues: { id: number; item_ids: string }[], latest: Date, raisedRows: WarningRow[]): Promise<number> {
    const since = latest.getTime() - (this.opts.warnDays ?? 30) * 86_400_000;
    const urgent = rows.filter((r) => (r.analysis as StoredAnalysis).urgency.level >= 3 && r.published_at.getTime() >= since);
    if (!urgent.length) return 0;
    const issueOf = new Map<number, number>();
    for (const i of issues) for (const id of JSON.parse(i.item_ids) as number[]) issueOf.set(id, i.id);
    let n = 0;
    for (const r of urgent) {
      const cues = describeCues((r.analysis as StoredAnalysis).urgency.cues);
      const row = await repo.insertWarning(tx, { key: `rule:urgency:${r.id}`, issueId: issueOf.get(r.id) ?? null, level: 'orange', kind: 'rule', title: r.title.slice(0, 300), reason: `紧急线索（${cues}）`, departmentId: null });
      if (row) {
        n++;
        raisedRows.push(row);
        await this.announce(tx, row);
      }
    }
    return n;
  }

  /** Records and announces a new warning; `by` is who raised it (the system's rules, or the analyst by hand). */
  private async announce(tx: Kysely<DB>, w: WarningRow, by: Principal = SYSTEM): Promise<void> {
    await repo.addAction(tx, { warningId: w.id, actor: actorOf(by).label, action: 'raise', statusAfter: 'open', data: { level: w.level, reason: w.reason, key: w.key } });
    await repo.notify(tx, { warningId: w.id, audience: 'analyst', departmentId: null, text: `[${w.level}] ${w.title}` });
    if (w.department_id !== null) await repo.notify(tx, { warningId: w.id, audience: 'department', departmentId: w.department_id, text: `[${w.level}] ${w.title}` });
    await this.audit.record(tx, { actor: actorOf(by), action: 'opinion.warning.raise', entity: 'opinion_warning', entityId: w.id, detail: { level: w.level, kind: w.kind } });
    await this.warnLeaders(tx, w.id, w.level, w.title);
  }

  /**
   * Orange and red warnings also go to the leaders: one `leader` row per warning and level (a partial unique index
   * and `on conflict do nothing`), with the same text the analysts get. Burst escalations are new warnings (their key
   * carries the level); a warning assessed up to orange or red comes here from `step`.
   */
  private async warnLeaders(tx: Kysely<DB>, warningId: number, level: Level, title: string): Promise<void> {
    if (!LEADER_LEVELS.includes(level)) return;
    if (await repo.notifyLeaders(tx, { warningId, level, text: `[${level}] ${title}` })) {
      await this.audit.record(tx, { actor: actorOf(SYSTEM), action: 'opinion.warning.leaders', entity: 'opinion_warning', entityId: warningId, detail: { level } });
    }
  }

  /** Raises a warning by hand (an analyst) or by a rule; idempotent by key. */
  async raise(p: Principal, w: { key?: string; issueId?: number | null; level: Level; title: string; reason: string; departmentId?: number | null }): Promise<Result<WarningRow>> {
    const a = authorizeOpinion(p, 'opinion.assess');
    if (!a.ok) return a;
    const bad = [
      ...(LEVELS.includes(w.level) ? [] : [{ field: 'level', message: '预警等级应为 blue（蓝色）、yellow（黄色）、orange（橙色）或 red（红色）。' }]),
      ...(w.title.trim() ? [] : [{ field: 'title', message: '请填写预警标题。' }]),
      // Unknown ids are the caller's mistake: the department was a database failure (503), the issue a dangling link.
      ...(w.departmentId != null && !(isRecordId(w.departmentId) && (await repo.departmentExists(this.db, w.departmentId))) ? [{ field: 'departmentId', message: '责任部门不存在。' }] : []),
      ...(w.issueId != null && !(isRecordId(w.issueId) && (await repo.issue(this.db, w.issueId))) ? [{ field: 'issueId', message: '热点问题不存在。' }] : []),
    ];
    if (bad.length) return commonError('VALIDATION_FAILED', bad);
    const row = await inTransaction(this.db, async (tx) => {
      const r = await repo.insertWarning(tx, { key: w.key ?? `manual:${randomUUID()}`, issueId: w.issueId ?? null, level: w.level, kind: p.kind === 'system' ? 'rule' : 'manual', title: w.title.slice(0, 300), reason: w.reason.slice(0, 2000), departmentId: w.departmentId ?? null });
      if (r) await this.announce(tx, r, p);
      return r;
    });
    if (!row) return ok((await this.db.selectFrom('opinion_warnings').selectAll().where('key', '=', w.key ?? '').executeTakeFirstOrThrow()));
    return ok(row);
  }

  // ---- the loop -----------------------------------------------------------------------------------------------------

  private async step(p: Principal, id: number, action: 'assess' | 'respond' | 'close', from: WarningStatus[], to: WarningStatus, data: Record<string, unknown>, extra: { assessment?: Record<string, unknown>; level?: Level } = {}): Promise<Result<WarningRow>> {
    const w = await repo.warning(this.db, id);
    if (!w) return opinionError('OPINION_WARNING_NOT_FOUND');
    if (!from.includes(w.status)) return opinionError('OPINION_BAD_STEP');
    if (action === 'close' && (await repo.tasks(this.db, { warningId: id, open: true })).length) return opinionError('OPINION_TASKS_OPEN');
    const done = await inTransaction(this.db, async (tx) => {
      if (!(await repo.updateWarning(tx, id, w.version, { status: to, ...extra, ...(action === 'close' ? { closed: true } : {}) }))) return false;
      await repo.addAction(tx, { warningId: id, actor: actorOf(p).label, action, statusAfter: to, data });
      await this.audit.record(tx, { actor: actorOf(p), action: `opinion.warning.${action}`, entity: 'opinion_warning', entityId: id, detail: { status: to } });
      // Assessed up to orange or red: the leaders hear of it (once per level).
      if (extra.level && LEVELS.indexOf(extra.level) > LEVELS.indexOf(w.level)) await this.warnLeaders(tx, id, extra.level, w.title);
      return true;
    });
    if (!done) return commonError('CONFLICT');
    return ok((await repo.warning(this.db, id))!);
  }

  /** 研判: level, facts, risk, suggested response. */
  async assess(p: Principal, id: number, raw: Partial<Record<keyof Assessment, unknown>>): Promise<Result<WarningRow>> {
    const a = authorizeOpinion(p, 'opinion.assess');
    if (!a.ok) return a;
    const level = text(raw.level, 10) as Level;
    const fields: FieldError[] = [];
    const v: Assessment = { level, facts: typed(raw.facts, 4000, 'facts', fields), risk: typed(raw.risk, 2000, 'risk', fields), suggestion: typed(raw.suggestion, 2000, 'suggestion', fields) };
    if (!LEVELS.includes(level)) fields.push({ field: 'level', message: '请选择预警等级。' });
    if (!v.facts) fields.push({ field: 'facts', message: '请填写基本事实。' });
    if (!v.risk) fields.push({ field: 'risk', message: '请填写风险研判。' });
    if (fields.length) return commonError('VALIDATION_FAILED', fields);
    return this.step(p, id, 'assess', ['open', 'assessed'], 'assessed', { ...v }, { assessment: { ...v }, level });
  }

  /** 回应: a public statement (or replies) published by the analysts. */
  async respond(p: Principal, id: number, raw: { statement?: unknown; channel?: unknown }): Promise<Result<WarningRow>> {
    const a = authorizeOpinion(p, 'opinion.respond');
    if (!a.ok) return a;
    const fields: FieldError[] = [];
    const statement = typed(raw.statement, 4000, 'statement', fields);
    const channel = typed(raw.channel, 100, 'channel', fields);
    if (!statement) fields.push({ field: 'statement', message: '请填写回应内容。' });
    if (fields.length) return commonError('VALIDATION_FAILED', fields);
    const w = await repo.warning(this.db, id);
    const next: WarningStatus = w?.status === 'handling' ? 'handling' : 'responded';
    return this.step(p, id, 'respond', ['assessed', 'responded', 'handling'], next, { statement, channel: channel || '官方发布' });
  }

  /** 处理: a task to a department with a deadline in working days on the shared working-day calendar (with the holiday years an administrator added). */
  async assignTask(p: Principal, id: number, raw: { departmentId?: unknown; description?: unknown; workingDays?: unknown }): Promise<Result<{ taskId: number; deadline: string }>> {
    const a = authorizeOpinion(p, 'opinion.assign');
    if (!a.ok) return a;
    const dept = typeof raw.departmentId === 'number' ? raw.departmentId : Number(raw.departmentId);
    const fields: FieldError[] = [];
    const desc = typed(raw.description, 2000, 'description', fields);
    const days = typeof raw.workingDays === 'number' ? raw.workingDays : Number(raw.workingDays ?? 5);
    // An unknown department is the caller's mistake (a stale form, an API client), not a database failure.
    if (!isRecordId(dept) || !(await repo.departmentExists(this.db, dept))) fields.push({ field: 'departmentId', message: '请选择承办部门。' });
    if (!desc) fields.push({ field: 'description', message: '请填写任务内容。' });
    if (!Number.isInteger(days) || days < 1 || days > 60) fields.push({ field: 'workingDays', message: '办理时限为 1–60 个工作日。' });
    if (fields.length) return commonError('VALIDATION_FAILED', fields);
    const w = await repo.warning(this.db, id);
    if (!w) return opinionError('OPINION_WARNING_NOT_FOUND');
    if (!['assessed', 'responded', 'handling'].includes(w.status)) return opinionError('OPINION_BAD_STEP');
    const d = computeDeadline(this.calendar, { startedOn: chinaDay(this.now()), limitWorkingDays: days });
    if (!d.ok || !d.deadline) return commonError('VALIDATION_FAILED', [{ field: 'workingDays', message: '无法计算办理期限。' }]);
    const deadline = d.deadline;
    const r = await inTransaction(this.db, async (tx) => {
      if (!(await repo.updateWarning(tx, id, w.version, { status: 'handling' }))) return null;
      const t = await repo.insertTask(tx, { warningId: id, departmentId: dept, description: desc, deadline });
      await repo.addAction(tx, { warningId: id, actor: actorOf(p).label, action: 'task', statusAfter: 'handling', data: { taskId: t.id, departmentId: dept, description: desc, deadline } });
      await repo.notify(tx, { warningId: id, audience: 'department', departmentId: dept, text: `处置任务：${desc.slice(0, 60)}（${deadline} 前）` });
      await this.audit.record(tx, { actor: actorOf(p), action: 'opinion.task.assign', entity: 'opinion_task', entityId: t.id, detail: { warningId: id, departmentId: dept, deadline } });
      return t;
    });
    if (!r) return commonError('CONFLICT');
    return ok({ taskId: r.id, deadline });
  }

  /** A department reports its task done (only its own department's tasks). */
  async completeTask(p: Principal, taskId: number, raw: { result?: unknown }): Promise<Result<void>> {
    const t = await repo.task(this.db, taskId);
    if (!t) return opinionError('OPINION_TASK_NOT_FOUND');
    const a = authorizeOpinion(p, 'opinion.task', { departmentId: t.department_id });
    if (!a.ok) return a;
    if (p.kind === 'staff' && p.departmentId !== t.department_id) return commonError('FORBIDDEN');
    const fields: FieldError[] = [];
    const result = typed(raw.result, 4000, 'result', fields);
    if (!result) fields.push({ field: 'result', message: '请填写办理结果。' });
    if (fields.length) return commonError('VALIDATION_FAILED', fields);
    const done = await inTransaction(this.db, async (tx) => {
      if (!(await repo.completeTask(tx, taskId, result))) return false;
      await repo.addAction(tx, { warningId: t.warning_id, actor: actorOf(p).label, action: 'task_done', statusAfter: 'handling', data: { taskId, result } });
      await this.audit.record(tx, { actor: actorOf(p), action: 'opinion.task.done', entity: 'opinion_task', entityId: taskId });
      return true;
    });
    return done ? ok(undefined) : opinionError('OPINION_BAD_STEP');
  }

  /** 办结 with a review (复盘); every task must be done. */
  async close(p: Principal, id: number, raw: { review?: unknown }): Promise<Result<WarningRow>> {
    const a = authorizeOpinion(p, 'opinion.close');
    if (!a.ok) return a;
    const fields: FieldError[] = [];
    const review = typed(raw.review, 4000, 'review', fields);
    if (!review) fields.push({ field: 'review', message: '请填写复盘总结。' });
    if (fields.length) return commonError('VALIDATION_FAILED', fields);
    return this.step(p, id, 'close', ['assessed', 'responded', 'handling'], 'closed', { review });
  }

  /** A warning with its timeline, tasks, issue and items; analysts and leaders see all, departments their own. */
  async warningDetail(p: Principal, id: number) {
    const w = await repo.warning(this.db, id);
    if (!w) return opinionError('OPINION_WARNING_NOT_FOUND');
    const tasks = await repo.tasks(this.db, { warningId: id });
    const view = authorizeOpinion(p, 'opinion.view');
    if (!view.ok) {
      const mine = p.kind === 'staff' && p.departmentId !== null && (w.department_id === p.departmentId || tasks.some((t) => t.department_id === p.departmentId));
      if (!mine) return view;
    }
    const issue = w.issue_id !== null ? await repo.issue(this.db, w.issue_id) : undefined;
    const items = issue ? await repo.itemsByIds(this.db, (issue.item_ids as number[]).slice(0, 20)) : [];
    return ok({ warning: w, timeline: await repo.actions(this.db, id), tasks, issue: issue ?? null, items });
  }

  async warnings(p: Principal, f: { statuses?: WarningStatus[]; limit?: number } = {}) {
    const a = authorizeOpinion(p, 'opinion.view');
    if (!a.ok) return a;
    return ok(await repo.warnings(this.db, { ...(f.statuses ? { statuses: f.statuses } : {}), limit: Math.min(f.limit ?? 100, 500) }));
  }

  async issues(p: Principal, limit = 50): Promise<Result<IssueRow[]>> {
    const a = authorizeOpinion(p, 'opinion.view');
    if (!a.ok) return a;
    return ok(await repo.issues(this.db, Math.min(limit, 500)));
  }

  async issue(p: Principal, id: number) {
    const a = authorizeOpinion(p, 'opinion.view');
    if (!a.ok) return a;
    const i = await repo.issue(this.db, id);
    if (!i) return opinionError('OPINION_ISSUE_NOT_FOUND');
    const [items, sources] = await Promise.all([repo.itemsByIds(this.db, (i.item_ids as number[]).slice(0, 50)), repo.sources(this.db)]);
    // Each item with its source's name, as the dashboard shows it (a registered source by its stored name).
    const names = new Map(sources.map((s) => [s.code, s.name]));
    return ok({ issue: i, items: items.map((m) => ({ ...m, sourceName: sourceName(m.source, names) })) });
  }

  /** Workbench: open warnings for analysts, open tasks for departments. */
  async todo(p: Principal): Promise<TodoItem[]> {
    if (p.kind !== 'staff') return [];
    const out: TodoItem[] = [];
    if (p.roles.includes('analyst')) {
      for (const w of await repo.warnings(this.db, { statuses: ['open', 'assessed', 'responded', 'handling'], limit: 20 })) {
        out.push({ title: `舆情预警（${LEVEL_NAMES[w.level].zh}）：${w.title}`, titleEn: `Opinion warning (${LEVEL_NAMES[w.level].en}): ${w.title}`, href: `/opinion/warnings/${w.id}`, module: '舆情监测', moduleEn: 'Public opinion', status: w.level === 'red' || w.level === 'orange' ? 'red' : 'amber' });
      }
    }
    if (p.roles.includes('leader')) {
      // The leaders' notifications (orange and red) of warnings not yet closed, newest first.
      for (const n of await repo.leaderAlerts(this.db, 20)) {
        out.push({ title: `舆情预警提醒（${LEVEL_NAMES[n.level].zh}）：${n.title}`, titleEn: `Opinion warning alert (${LEVEL_NAMES[n.level].en}): ${n.title}`, href: `/opinion/warnings/${n.warning_id}`, module: '舆情监测', moduleEn: 'Public opinion', status: 'red' });
      }
    }
    const scope = departmentScope(p);
    if (p.departmentId !== null && (p.roles.includes('dept_head') || p.roles.includes('clerk')) && scope !== 'all') {
      // Warnings routed to the department (the responsible department is notified): listed until closed, so its
      // staff hear of one before any task is assigned.
      for (const w of await repo.warnings(this.db, { statuses: ['open', 'assessed', 'responded', 'handling'], departmentId: p.departmentId, limit: 20 })) {
        if (out.some((x) => x.href === `/opinion/warnings/${w.id}`)) continue; // an analyst of the department has it already
        out.push({ title: `舆情预警（${LEVEL_NAMES[w.level].zh}）：${w.title}`, titleEn: `Opinion warning (${LEVEL_NAMES[w.level].en}): ${w.title}`, href: `/opinion/warnings/${w.id}`, module: '舆情监测', moduleEn: 'Public opinion', status: w.level === 'red' || w.level === 'orange' ? 'red' : 'amber' });
      }
      for (const t of await repo.tasks(this.db, { departmentId: p.departmentId, open: true })) {
        // The deadline's colour by the messages' rule: red once past, amber on the last working day, else green.
        out.push({ title: `舆情处置任务：${t.description.slice(0, 40)}`, titleEn: `Public-opinion task: ${t.description.slice(0, 40)}`, href: `/opinion/warnings/${t.warning_id}`, module: '舆情监测', moduleEn: 'Public opinion', due: t.deadline, status: deadlineLight(this.calendar, t.deadline, chinaDay(this.now())) });
      }
    }
    return out;
  }

  /**
   * The leaders' overview: open warnings (not closed), the 200 newest of them and the count of each level over all of
   * them, and the `top` hottest issues.
   */
  async overview(p: Principal, top = 5): Promise<Result<{ warnings: WarningRow[]; counts: Record<Level, number>; issues: IssueRow[] }>> {
    const a = authorizeOpinion(p, 'opinion.overview');
    if (!a.ok) return a;
    const open: WarningStatus[] = ['open', 'assessed', 'responded', 'handling'];
    const [warnings, counts, issues] = await Promise.all([
      repo.warnings(this.db, { statuses: open, limit: 200 }), repo.warningCounts(this.db, open), repo.issues(this.db, Math.min(Math.max(top, 1), 50)),
    ]);
    return ok({ warnings, counts, issues });
  }

  /**
   * Figures for the dashboard and the briefings: the `days` China days ending on the newest item's day (1 = the
   * daily briefing's one day, 7 = the weekly one's seven), from 00:00 Beijing time of the first.
   */
  async dashboard(p: Principal, days = 30) {
    const a = authorizeOpinion(p, 'opinion.view');
    if (!a.ok) return a;
    const latest = await this.latest();
    const from = new Date(`${addDays(chinaDay(latest), -(Math.max(1, Math.floor(days)) - 1))}T00:00:00+08:00`);
    // Hot issues of the window: those with an item in it (an issue of 2017 is not hot in the last 30 days).
    const [volume, districts, sources, issues, warnings, counts, sourceRows] = await Promise.all([
      repo.volumeByDay(this.db, from), repo.byColumn(this.db, 'district', from), repo.byColumn(this.db, 'source', from),
      repo.issues(this.db, 10, from), repo.warnings(this.db, { limit: 20 }), repo.countItems(this.db), repo.sources(this.db),
    ]);
    const names = new Map(sourceRows.map((s) => [s.code, s.name]));
    const num = (s: string) => Number(s);
    return ok({
      from: chinaDay(from), to: chinaDay(latest), counts,
      volume: volume.map((v) => ({ day: v.day, n: num(v.n), negative: num(v.neg), positive: num(v.pos) })),
      districts: districts.map((d) => ({ key: d.key ?? '', n: num(d.n), negative: num(d.neg) })),
      sources: sources.map((d) => ({ key: d.key ?? '', ...sourceName(d.key ?? '', names), n: num(d.n), negative: num(d.neg) })),
      issues, warnings,
    });
  }
}
