import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.ts';
import { inTransaction, type Tx } from '../../db/tx.ts';
import { ok, type Result } from '../../lib/errors.ts';
import { maskNumbersInText } from '../../lib/cn/mask-numbers.ts';
import { stderrLogger, type Logger } from '../../lib/log.ts';
import { DEFAULT_SYNONYMS, type SynonymRule } from '../../lib/text/synonyms.ts';
import { answer as engineAnswer, type AnswerResult } from '../../nlp/search/answer.ts';
import { domainProbability, loadDomainModel } from '../../nlp/search/domain.ts';
import { deriveTitle } from '../../nlp/search/deriveTitle.ts';
import { HitPool } from '../../nlp/search/hitPool.ts';
import { SearchIndex, type Explanation, type Suggestion } from '../../nlp/search/SearchIndex.ts';
import { DOC_TYPES, type DocType, type IndexRow, type SearchHit, type SearchResult } from '../../nlp/search/types.ts';
import type { AuditLog } from '../audit/audit.service.ts';
import { actorOf, definePermissions, type Principal } from '../identity/permissions.ts';
import { searchError } from './search.errors.ts';
import { searchRepository as repo, type StoredDoc, type WriteRow } from './search.repository.ts';
import { changesAfterCount, currentTag, frozenFrames, readSnapshot, readSnapshotHeader, sameTag, stampsUpTo, takeWriteLock, verifySnapshot, writeSnapshot, type SnapshotTag } from './search.snapshot.ts';
import { searchId, sourceIdOf, type PublishDoc } from './search.types.ts';

export const authorizeSearch = definePermissions({
  'search.import': ['data_admin', 'sys_admin'],
  'search.synonyms.edit': ['data_admin', 'sys_admin', 'analyst'],
  'search.misses.read': ['analyst', 'data_admin', 'sys_admin', 'leader'],
  'search.explain': ['clerk', 'dept_head', 'supervisor', 'analyst', 'leader', 'data_admin', 'sys_admin'],
});

/** A hit as the module returns it: the engine's hit plus where to read it and its source id. */
export interface ModuleHit extends SearchHit {
  url: string;
  sourceId: string;
  /** Set on staff-only documents (only in staff searches). */
  staffOnly?: boolean;
}

export interface SearchPage extends Omit<SearchResult, 'hits'> {
  hits: ModuleHit[];
  offset: number;
}

export interface ImportReport {
  created: number;
  updated: number;
  unchanged: number;
  errors: { line: number; message: string }[];
}

export interface PolicyRecord {
  line: number;
  value: unknown;
}

export interface SearchServiceOptions {
  /**
   * How long a process may answer from its index before checking the table again for changes made by other
   * processes (ms). 0 = before every query (the default here; the app uses FRESHNESS_MS). Changes written through
   * this service are always seen by its next query (it checks before every query for a few seconds after a write).
   */
  freshnessMs?: number;
  /** How often the synonym table is re-read (ms). */
  synonymCheckMs?: number;
  /**
   * Directory of the index snapshot (search.snapshot.ts): the first build loads it when it was written from this
   * database by this engine and applies the changes after it; otherwise it builds from the table and writes one.
   * Undefined: no snapshot.
   */
  snapshotDir?: string;
  /**
   * When the snapshot is rewritten (in the background) by a process that started from it or wrote it: once the
   * documents changed after it (what the next start replays) reach `share` × the indexed documents, but at least
   * `min` and at most `max`. Default SNAPSHOT_REWRITE.
   */
  snapshotRewrite?: { share: number; min: number; max: number };
  /** Test hook: awaited between taking the index copies and writing them (changes may arrive meanwhile). */
  snapshotPause?: () => Promise<void>;
  /** Where background failures (a snapshot not written) are logged: the process's logger; default errors on stderr. */
  log?: Logger;
}

/**
 * Default SearchServiceOptions.snapshotRewrite: 5 % of the index, between 100 and 1,000 changed documents. A start
 * replays ~0.2 ms CPU per change at 100k (5,000 changes: 1.61 → 2.63 s), so at most 1,000 (docs/search-module.md).
 */
export const SNAPSHOT_REWRITE = { share: 0.05, min: 100, max: 1000 };
/** After finding another process writing the snapshot, wait this long before trying again (ms). */
const SNAPSHOT_BUSY_RETRY_MS = 60_000;

/** What a snapshot write did: written; another process holds the write lock; the file is already recent enough; no snapshot here. */
export type SnapshotWriteOutcome = 'written' | 'busy' | 'fresh' | 'stopped' | 'off';

/** Default URL of a search document by type. */
export function defaultUrl(type: DocType, sourceId: string): string {
  switch (type) {
    case 'service':
      return `/services/item/${encodeURIComponent(sourceId)}`;
    case 'disclosure':
      return `/disclosure/doc/${encodeURIComponent(sourceId)}`;
    case 'knowledge':
      return `/knowledge/${encodeURIComponent(sourceId)}`;
    case 'reply':
      return `/messages/public`;
    case 'policy':
      return `/search/doc/${encodeURIComponent(searchId(type, sourceId))}`;
  }
}

/** Parses staff-edited synonym lines (`社保 = 社会保险 社保卡`) into rules; undefined when a line is malformed. */
export function parseSynonymLines(text: string): { term: string; expansions: string }[] | undefined {
  const out: { term: string; expansions: string }[] = [];
  const seen = new Set<string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^([^=]{1,40})=(.{1,400})$/.exec(line);
    if (!m) return undefined;
    const term = m[1]!.trim();
    const exp = m[2]!.split(/[\s,，、]+/).filter(Boolean);
    if (!term || !exp.length || seen.has(term)) return undefined;
    seen.add(term);
    out.push({ term, expansions: exp.join(' ') });
  }
  return out;
}

/**
 * The unified search of the portal. The documents live in `search_documents` with their analysed token rows; each
 * process holds two in-memory indexes built from that table (public, and staff-only knowledge) and, before
 * answering, applies the changes numbered after the last one it saw (one indexed query), so a document published or
 * withdrawn by any process is reflected in every process.
 */
export class SearchService {
  private publicIndex: SearchIndex | undefined;
  private staffIndex: SearchIndex | undefined;
  private readonly urls = new Map<string, string>();
  private lastSeq = 0;
  private loading: Promise<void> | undefined;
  private refreshing: Promise<void> | undefined;
  private lastCheck = 0;
  /** Until then every query checks for changes (set by writes through this service: the caller may commit later). */
  private checkEveryQueryUntil = 0;
  private synonymStamp = '';
  private synonymCheckedAt = 0;
  private rules: SynonymRule[] = [...DEFAULT_SYNONYMS];
  /** Time the last full build took (ms), for the benchmark and the status line. */
  lastBuildMs = 0;
  /** How the last build got its index: from the table ('rows') or from a snapshot plus the changes after it. */
  lastBuildSource: 'rows' | 'snapshot' = 'rows';
  /** Wall and CPU time (process) of the synchronous copy step of the last snapshot write: the longest the event loop waits for a write. */
  lastSnapshotCopy = { wallMs: 0, cpuMs: 0 };
  /** Documents changed after the loaded snapshot that the last build from a snapshot applied. */
  lastBuildReplayed = 0;
  /** Tag of this database and engine (set by the build when there is a snapshot directory). */
  private snapshotTag: SnapshotTag | undefined;
  /** Documents changed since the snapshot file this index corresponds to (loaded or written), as far as this process knows. */
  private changedSinceSnapshot = 0;
  /** Documents applied by this process in total (to count the changes during a snapshot write). */
  private appliedTotal = 0;
  private snapshotWriting: Promise<SnapshotWriteOutcome> | undefined;
  private snapshotRetryAt = 0;
  private stopped = false;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly audit: AuditLog,
    private readonly opts: SearchServiceOptions = {},
  ) {}

  // ------------------------------------------------------------------ index lifecycle

  /** True once the index has been built in this process. */
  get loaded(): boolean {
    return this.publicIndex !== undefined;
  }

  /** Builds the in-memory indexes from the table (once per process; later calls wait for the same build). */
  ensureLoaded(): Promise<void> {
    return this.loading ?? this.startBuild(false);
  }

  /** Drops the in-memory indexes and rebuilds them from the table (never from a snapshot; a new one is written); resolves with the time taken (ms). */
  async rebuild(): Promise<number> {
    this.publicIndex = undefined;
    await this.startBuild(true);
    return this.lastBuildMs;
  }

  /** Starts a build that later callers of ensureLoaded wait for; a failed build is forgotten, so the next call retries. */
  private startBuild(fromRows: boolean): Promise<void> {
    this.loading = this.build(fromRows).catch((err: unknown) => {
      this.loading = undefined;
      throw err;
    });
    return this.loading;
  }

  private async build(fromRows = false): Promise<void> {
    const t0 = performance.now();
    await this.loadSynonyms(true);
    const dir = this.opts.snapshotDir;
    const tag = dir ? await currentTag(this.db) : undefined;
    this.snapshotTag = tag;
    if (dir && tag && !fromRows && (await this.loadSnapshot(dir, tag))) {
      this.lastBuildSource = 'snapshot';
      this.lastBuildMs = performance.now() - t0;
      this.maybeRewriteSnapshot();
      return;
    }
    await this.buildFromRows();
    this.lastBuildSource = 'rows';
    this.lastBuildMs = performance.now() - t0;
    // No usable snapshot (missing, other database or engine, corrupt, or not matching the table): write one, after this build resolves.
    if (dir && tag) void this.startSnapshotWrite(true);
  }

  /**
   * Writes the index snapshot now unless another process is writing it or the file is already within the rewrite
   * threshold of this index (with `force`, only the lock is checked). Resolves when done. Normally started in the
   * background by the build and by the freshness check (`maybeRewriteSnapshot`); concurrent calls share one write.
   */
  writeSnapshotNow(force = false): Promise<SnapshotWriteOutcome> {
    return this.snapshotWriting ?? this.startSnapshotWrite(force);
  }

  /** Resolves when no snapshot write of this process is running (tests, benchmarks, shutdown). */
  async snapshotSettled(): Promise<void> {
    while (this.snapshotWriting) await this.snapshotWriting.catch(() => undefined);
  }

  /** Stops snapshot writing: a running write is abandoned at its next piece (nothing is renamed), none is started. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.snapshotSettled();
  }

  /** Starts a write (after the one running, if any, so this process never writes twice at once). */
  private startSnapshotWrite(force: boolean): Promise<SnapshotWriteOutcome> {
    const prev = this.snapshotWriting;
    const run = (prev ? prev.then(() => this.writeSnapshotFile(force)) : this.writeSnapshotFile(force))
      .catch((err: unknown): SnapshotWriteOutcome => {
        (this.opts.log ?? stderrLogger()).error({ err }, 'search: index snapshot not written');
        this.snapshotRetryAt = Date.now() + SNAPSHOT_BUSY_RETRY_MS;
        return 'busy';
      })
      .finally(() => {
        if (this.snapshotWriting === run) this.snapshotWriting = undefined;
      });
    this.snapshotWriting = run;
    return run;
  }

  /** Documents changed after a snapshot that make it worth rewriting (see SearchServiceOptions.snapshotRewrite). */
  private rewriteThreshold(): number {
    const r = this.opts.snapshotRewrite ?? SNAPSHOT_REWRITE;
    return Math.min(r.max, Math.max(r.min, r.share * ((this.publicIndex?.size ?? 0) + (this.staffIndex?.size ?? 0))));
  }

  /** Starts a background rewrite when the changes since the snapshot reached the threshold (cheap when not). */
  private maybeRewriteSnapshot(): void {
    if (!this.opts.snapshotDir || !this.snapshotTag || this.snapshotWriting || this.stopped) return;
    if (this.changedSinceSnapshot < this.rewriteThreshold() || Date.now() < this.snapshotRetryAt) return;
    void this.startSnapshotWrite(false);
  }

  /**
   * One snapshot write: takes the directory's write lock (another process writing: 'busy', retried a minute later);
   * unless `force`, re-reads the file's header, which another process may have rewritten meanwhile, and counts the
   * changes after it ('fresh' when below the threshold). Then, after yielding, takes the indexes at one change
   * number in one synchronous step (`snapshotView`: copies of all but the posting pools, which are views an index
   * copies only if it changes before they are released; and the term Maps serialized, since they keep changing),
   * reads the stamps of the documents not changed since, and writes them in pieces (search.snapshot.ts). Changes
   * applied meanwhile are in the indexes, not in the file: they count towards the next rewrite.
   */
  private async writeSnapshotFile(force: boolean): Promise<SnapshotWriteOutcome> {
    const dir = this.opts.snapshotDir;
    const tag = this.snapshotTag;
    if (!dir || !tag) return 'off';
    if (this.stopped) return 'stopped';
    await new Promise((res) => setImmediate(res)); // never in the turn of the query or build that started it
    const release = takeWriteLock(dir);
    if (!release) {
      this.snapshotRetryAt = Date.now() + SNAPSHOT_BUSY_RETRY_MS;
      return 'busy';
    }
    let releaseViews = (): void => undefined;
    try {
      if (!force) {
        const h = readSnapshotHeader(dir);
        if (h && sameTag(h.tag, tag)) {
          const n = await changesAfterCount(this.db, h.seq);
          if (n < this.rewriteThreshold()) {
            this.changedSinceSnapshot = n;
            return 'fresh';
          }
        }
      }
      // Copy the newest state (the file may be newer than this process's index when another process wrote it).
      await this.refreshNow();
      const pubIdx = this.publicIndex;
      const staffIdx = this.staffIndex;
      if (!pubIdx || !staffIdx) return 'stopped';
      // One synchronous step: the copies are of one change number.
      const c0 = performance.now();
      const cpu0 = process.cpuUsage();
      const seq = this.lastSeq;
      const appliedAtCopy = this.appliedTotal;
      // The posting pools are read in place (views, not copies): a change meanwhile copies a pool first (snapshotView).
      const pubView = pubIdx.snapshotView();
      const staffView = staffIdx.snapshotView();
      releaseViews = () => {
        pubView.release();
        staffView.release();
      };
      const pub = pubView.snapshot;
      const staff = staffView.snapshot;
      const frozen = new Map<string, Buffer[]>();
      for (const [name, snap] of [['pub', pub], ['staff', staff]] as const) {
        for (const k of ['words', 'bigrams'] as const) frozen.set(`${name}.store.${k}`, frozenFrames([name, 'store', k], snap.store[k]));
      }
      const urls = [...this.urls];
      const cpu = process.cpuUsage(cpu0);
      this.lastSnapshotCopy = { wallMs: performance.now() - c0, cpuMs: (cpu.user + cpu.system) / 1000 };
      await this.opts.snapshotPause?.();
      // Documents with seq ≤ the copies' are never changed in place (a change gets a new seq), so reading their stamps now is exact.
      const stamps = await stampsUpTo(this.db, seq);
      const written = await writeSnapshot(dir, { tag, seq, pub, staff, urls, stamps }, { frozen, stop: () => this.stopped });
      if (!written) return 'stopped';
      this.changedSinceSnapshot = this.appliedTotal - appliedAtCopy;
      return 'written';
    } finally {
      releaseViews();
      release();
    }
  }

  /**
   * Loads the snapshot in `dir` when it carries `tag`, is not ahead of the table and its documents agree with the
   * table (`verifySnapshot`), then applies every change after its `seq` (as the freshness check does); false (and
   * nothing loaded) when any of that fails.
   */
  private async loadSnapshot(dir: string, tag: SnapshotTag): Promise<boolean> {
    const snap = readSnapshot(dir, tag);
    if (!snap || snap.seq > (await repo.maxSeq(this.db))) return false;
    try {
      const pub = SearchIndex.fromSnapshot(snap.pub, { synonyms: this.rules });
      const staff = SearchIndex.fromSnapshot(snap.staff, { synonyms: this.rules });
      if (!(await verifySnapshot(this.db, snap.seq, [...pub.documentIds(), ...staff.documentIds()], snap.stamps))) return false;
      this.publicIndex = pub;
      this.staffIndex = staff;
      this.urls.clear();
      for (const [k, v] of snap.urls) this.urls.set(k, v);
    } catch {
      return false;
    }
    this.lastSeq = snap.seq;
    const before = this.appliedTotal;
    this.changedSinceSnapshot = 0;
    await this.applyChanges(false);
    this.lastBuildReplayed = this.appliedTotal - before;
    return true;
  }

  private async buildFromRows(): Promise<void> {
    const upto = await repo.maxSeq(this.db);
    const pub: IndexRow[] = [];
    const staff: IndexRow[] = [];
    this.urls.clear();
    let after = 0;
    for (;;) {
      const page = await repo.activePage(this.db, after, upto, 5000);
      for (const d of page) {
        (d.visibility === 'staff' ? staff : pub).push(rowOf(d));
        if (d.url) this.urls.set(d.id, d.url);
      }
      if (page.length < 5000) break;
      after = page[page.length - 1]!.seq;
    }
    this.publicIndex = SearchIndex.fromRows(pub, { synonyms: this.rules });
    this.staffIndex = SearchIndex.fromRows(staff, { synonyms: this.rules });
    this.lastSeq = upto;
    this.lastCheck = Date.now();
    this.changedSinceSnapshot = 0;
  }

  /** Applies every change after the last one seen (and re-reads synonyms when staff changed them). */
  async refresh(): Promise<void> {
    await this.ensureLoaded();
    const now = Date.now();
    if (this.opts.freshnessMs && now - this.lastCheck < this.opts.freshnessMs && now > this.checkEveryQueryUntil) return;
    return this.refreshNow();
  }

  /** Applies the changes now (sharing a check already running). */
  private refreshNow(): Promise<void> {
    this.refreshing ??= this.applyChanges().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  /** Applies the changes after lastSeq; then (unless `rewrite` is false) rewrites the snapshot in the background when they reached the threshold. */
  private async applyChanges(rewrite = true): Promise<void> {
    for (;;) {
      const changes = await repo.changesAfter(this.db, this.lastSeq, 2000);
      for (const d of changes) this.apply(d);
      if (changes.length) this.lastSeq = changes[changes.length - 1]!.seq;
      this.changedSinceSnapshot += changes.length;
      this.appliedTotal += changes.length;
      if (changes.length < 2000) break;
    }
    this.lastCheck = Date.now();
    await this.loadSynonyms(false);
    if (rewrite) this.maybeRewriteSnapshot();
  }

  private apply(d: StoredDoc): void {
    const pub = this.publicIndex!;
    const staff = this.staffIndex!;
    pub.remove(d.id);
    staff.remove(d.id);
    this.urls.delete(d.id);
    if (d.status !== 'active') return;
    (d.visibility === 'staff' ? staff : pub).addRow(rowOf(d));
    if (d.url) this.urls.set(d.id, d.url);
  }

  private async loadSynonyms(force: boolean): Promise<void> {
    const now = Date.now();
    if (!force && now - this.synonymCheckedAt < (this.opts.synonymCheckMs ?? 5000)) return;
    this.synonymCheckedAt = now;
    const stamp = await repo.synonymStamp(this.db);
    if (!force && stamp === this.synonymStamp) return;
    this.synonymStamp = stamp;
    const rows = await repo.synonyms(this.db);
    this.rules = rows.length ? rows.map((r) => ({ from: r.term, to: r.expansions.split(/\s+/).filter(Boolean) })) : [...DEFAULT_SYNONYMS];
    this.publicIndex?.setSynonyms(this.rules);
    this.staffIndex?.setSynonyms(this.rules);
  }

  // ------------------------------------------------------------------ writes (other modules call these)

  /**
   * Publishes documents to the search (insert or replace). Pass `tx` to write in the caller's transaction (the
   * caller records its own audit entry); without it the write is one transaction with an audit entry. Documents whose
   * `sourceVersion` is unchanged are skipped. Runs jieba on each changed document.
   */
  async publish(p: Principal, docs: readonly PublishDoc[], tx?: Tx): Promise<{ written: number; unchanged: number }> {
    this.wrote();
    const write = async (t: Tx) => {
      await repo.lockWrites(t);
      const ids = docs.map((d) => searchId(d.type, d.sourceId));
      const existing = await repo.versions(t, ids);
      const rows: WriteRow[] = [];
      let unchanged = 0;
      for (const d of docs) {
        const id = searchId(d.type, d.sourceId);
        const prev = existing.get(id);
        if (prev && prev.status === 'active' && d.sourceVersion != null && prev.version === d.sourceVersion) {
          unchanged++;
          continue;
        }
        rows.push(toWriteRow(d));
      }
      await repo.upsert(t, rows);
      if (!tx && rows.length) {
        await this.audit.record(t, { actor: actorOf(p), action: 'search.publish', entity: 'search_documents', detail: { written: rows.length, types: [...new Set(docs.map((d) => d.type))] } });
      }
      return { written: rows.length, unchanged };
    };
    const r = await (tx ? write(tx) : inTransaction(this.db, write));
    this.wrote();
    return r;
  }

  /** Read-your-writes in this process: check for changes before every query for the next few seconds. */
  private wrote(): void {
    this.checkEveryQueryUntil = Date.now() + 5000;
  }

  /** Withdraws documents from the search (by type and source id); every process drops them before its next answer. */
  async withdraw(p: Principal, refs: readonly { type: DocType; sourceId: string }[], tx?: Tx): Promise<number> {
    const ids = refs.map((r) => searchId(r.type, r.sourceId));
    this.wrote();
    const write = async (t: Tx) => {
      await repo.lockWrites(t);
      const n = await repo.withdraw(t, ids);
      if (!tx && n) await this.audit.record(t, { actor: actorOf(p), action: 'search.withdraw', entity: 'search_documents', detail: { withdrawn: n } });
      return n;
    };
    const n = await (tx ? write(tx) : inTransaction(this.db, write));
    this.wrote();
    return n;
  }

  /** Active document ids of one type (for reconciling a source). */
  activeIds(type: DocType): Promise<string[]> {
    return repo.activeIdsOfType(this.db, type);
  }

  /**
   * Imports policies (`{docid, text, title?}`; without a title the first sentence or line). Re-importing a docid
   * updates it; a malformed record is reported with its line number and the rest imported.
   */
  async importPolicies(p: Principal, records: readonly PolicyRecord[]): Promise<Result<ImportReport>> {
    const auth = authorizeSearch(p, 'search.import');
    if (!auth.ok) return auth;
    const report: ImportReport = { created: 0, updated: 0, unchanged: 0, errors: [] };
    const docs: PublishDoc[] = [];
    const seen = new Map<string, number>();
    for (const r of records) {
      if (r.value === null || typeof r.value !== 'object' || Array.isArray(r.value)) {
        report.errors.push({ line: r.line, message: '不是 JSON 对象' });
        continue;
      }
      const v = r.value as { docid?: unknown; text?: unknown; title?: unknown } | null;
      const docid = v && typeof v === 'object' ? v.docid : undefined;
      const text = v && typeof v === 'object' ? v.text : undefined;
      const title = v && typeof v === 'object' ? v.title : undefined;
      if ((typeof docid !== 'string' && typeof docid !== 'number') || String(docid).trim() === '' || String(docid).length > 200) {
        report.errors.push({ line: r.line, message: 'docid 缺失或无效：应为不超过 200 个字符的字符串' });
        continue;
      }
      if (typeof text !== 'string' || text.trim() === '') {
        report.errors.push({ line: r.line, message: 'text 缺失或为空：应为非空字符串' });
        continue;
      }
      if (title !== undefined && title !== null && typeof title !== 'string') {
        report.errors.push({ line: r.line, message: 'title 应为字符串' });
        continue;
      }
      const id = String(docid).trim();
      const doc: PublishDoc = { type: 'policy', sourceId: id, title: (typeof title === 'string' && title.trim()) || deriveTitle(text), body: text, sourceVersion: contentStamp(text, typeof title === 'string' ? title : '') };
      const at = seen.get(id);
      if (at !== undefined) docs[at] = doc; // the last occurrence in a file wins
      else {
        seen.set(id, docs.length);
        docs.push(doc);
      }
    }
    const existing = await repo.versions(this.db, docs.map((d) => searchId('policy', d.sourceId)));
    for (const d of docs) {
      const prev = existing.get(searchId('policy', d.sourceId));
      if (!prev || prev.status !== 'active') report.created++;
      else if (prev.version !== d.sourceVersion) report.updated++;
    }
    const w = await this.publish(p, docs);
    report.unchanged = w.unchanged;
    return ok(report);
  }

  // ------------------------------------------------------------------ reads

  /** Public search: every type except staff-only documents. Logs queries with no result (text only). */
  async search(q: string, o: { top?: number; offset?: number; type?: DocType | DocType[]; department?: string; noSnippets?: boolean; logMiss?: boolean } = {}): Promise<Result<SearchPage>> {
    const query = (q ?? '').trim();
    if (!query) return searchError('SEARCH_QUERY_EMPTY');
    await this.refresh();
    const top = Math.min(Math.max(o.top ?? 10, 1), 1000);
    const offset = Math.min(Math.max(o.offset ?? 0, 0), 900);
    const types = o.type === undefined ? undefined : (Array.isArray(o.type) ? o.type : [o.type]).filter((t) => DOC_TYPES.includes(t));
    const r = this.publicIndex!.search(query, { top: top + offset, ...(types && types.length ? { type: types } : {}), ...(o.department ? { department: o.department } : {}), ...(o.noSnippets ? { noSnippets: true } : {}) });
    // Staff read the misses in bulk: an ID number, phone or e-mail typed into the box is not kept (maskNumbersInText).
    if (r.total === 0 && r.hits.length === 0 && o.logMiss !== false) await repo.logMiss(this.db, maskNumbersInText(r.query).slice(0, 200)).catch(() => undefined);
    return ok({ ...r, offset, hits: r.hits.slice(offset).map((h) => this.decorate(h)) });
  }

  /** Searches the staff-only and public knowledge together (for staff answering messages). */
  async searchStaff(q: string, o: { top?: number; type?: DocType | DocType[] } = {}): Promise<ModuleHit[]> {
    await this.refresh();
    const top = Math.min(Math.max(o.top ?? 10, 1), 100);
    const opts = { top, ...(o.type ? { type: o.type } : {}) };
    const a = this.publicIndex!.search(q, opts).hits;
    const b = this.staffIndex!.search(q, opts).hits;
    // Scores of two indexes are not strictly comparable; both use BM25F on similar text, good enough to interleave.
    const staffOnly = new Set(b.map((h) => h.id));
    return [...a, ...b].sort((x, y) => y.score - x.score).slice(0, top).map((h) => ({ ...this.decorate(h), ...(staffOnly.has(h.id) ? { staffOnly: true } : {}) }));
  }

  private decorate(h: SearchHit): ModuleHit {
    const sourceId = sourceIdOf(h.id);
    return { ...h, sourceId, url: this.urls.get(h.id) ?? defaultUrl(h.type, sourceId) };
  }

  /** Suggestions as you type (titles and vocabulary; Chinese, full pinyin or initials). */
  async suggest(prefix: string, limit = 8): Promise<Suggestion[]> {
    const p = (prefix ?? '').trim().slice(0, 50);
    if (!p) return [];
    await this.refresh();
    return this.publicIndex!.suggest(p, Math.min(Math.max(limit, 1), 20));
  }

  /**
   * The answer to a question typed by a user (API, CLI): SEARCH_QUERY_EMPTY when it is empty or blank (as `search`),
   * otherwise `answer(question)`.
   */
  async ask(question: string): Promise<Result<AnswerResult & { url?: string }>> {
    if (!(question ?? '').trim()) return searchError('SEARCH_QUERY_EMPTY');
    return ok(await this.answer(question));
  }

  /** The answer passage with its source, or `{none}` (then offer to leave a message); a blank question gets `{none, reason: 'empty-question'}`. */
  async answer(question: string): Promise<AnswerResult & { url?: string }> {
    await this.refresh();
    const index = this.publicIndex!;
    const q = (question ?? '').slice(0, 500);
    const a = answerFrom(index, q);
    if ('none' in a) return a;
    return { ...a, url: this.urls.get(a.sourceId) ?? defaultUrl(a.sourceType, sourceIdOf(a.sourceId)) };
  }

  /** Why a document ranks where it does (staff). */
  async explain(p: Principal, q: string, id: string): Promise<Result<Explanation>> {
    const auth = authorizeSearch(p, 'search.explain');
    if (!auth.ok) return auth;
    await this.refresh();
    const idx = this.staffIndex!.has(id) ? this.staffIndex! : this.publicIndex!;
    return ok(idx.explain(q, id));
  }

  /** A stored document as the public sees it (active and public). */
  async document(id: string): Promise<Result<{ id: string; type: DocType; sourceId: string; title: string; body: string; department: string | null; date: string | null }>> {
    const d = await repo.find(this.db, id);
    if (!d || d.status !== 'active' || d.visibility !== 'public') return searchError('SEARCH_DOCUMENT_NOT_FOUND');
    return ok({ id: d.id, type: d.type, sourceId: d.source_id, title: d.title, body: d.body, department: d.department, date: d.date });
  }

  /** Live document counts of this process's indexes. */
  async stats(): Promise<{ public: number; staff: number; lastSeq: number; buildMs: number }> {
    await this.refresh();
    return { public: this.publicIndex!.size, staff: this.staffIndex!.size, lastSeq: this.lastSeq, buildMs: Math.round(this.lastBuildMs) };
  }

  // ------------------------------------------------------------------ synonyms and misses

  /** The synonym rules in force (the table, or the shipped defaults while the table is empty). */
  async synonyms(): Promise<{ term: string; expansions: string }[]> {
    const rows = await repo.synonyms(this.db);
    return rows.length ? rows : DEFAULT_SYNONYMS.map((r) => ({ term: r.from, expansions: r.to.join(' ') }));
  }

  /** Replaces the synonym table with staff-edited lines (`term = expansion …`). */
  async setSynonyms(p: Principal, text: string): Promise<Result<{ rules: number }>> {
    const auth = authorizeSearch(p, 'search.synonyms.edit');
    if (!auth.ok) return auth;
    const rules = parseSynonymLines(text ?? '');
    if (!rules) return searchError('SEARCH_SYNONYM_INVALID', [{ field: 'synonyms', message: '每行“词=扩展词1 扩展词2”，词不可重复。' }]);
    await inTransaction(this.db, async (tx) => {
      await repo.replaceSynonyms(tx, rules);
      await this.audit.record(tx, { actor: actorOf(p), action: 'search.synonyms.replace', entity: 'search_synonyms', detail: { rules: rules.length } });
    });
    await this.loadSynonyms(true);
    return ok({ rules: rules.length });
  }

  /** Queries that found nothing, most frequent first (for analysts; no user is recorded). */
  async misses(p: Principal, days = 30, limit = 100): Promise<Result<{ query: string; n: number; last: Date }[]>> {
    const auth = authorizeSearch(p, 'search.misses.read');
    if (!auth.ok) return auth;
    return ok(await repo.misses(this.db, new Date(Date.now() - days * 86_400_000), Math.min(limit, 1000)));
  }

  /** Sync cursors kept in the database (see search.sources.ts). */
  cursor(source: string): Promise<string | undefined> {
    return repo.cursor(this.db, source);
  }

  setCursor(source: string, cursor: string): Promise<void> {
    return repo.setCursor(this.db, source, cursor);
  }
}

function rowOf(d: StoredDoc): IndexRow {
  return {
    id: d.id, type: d.type, title: d.title, body: d.body,
    ...(d.department ? { department: d.department } : {}), ...(d.date ? { date: d.date } : {}),
    titleTokens: d.tokens.t, bodyTokens: d.tokens.b,
  };
}

function toWriteRow(d: PublishDoc): WriteRow {
  const id = searchId(d.type, d.sourceId);
  const row = SearchIndex.analyze({ id, type: d.type, title: d.title, body: d.body });
  return {
    id, type: d.type, source_id: d.sourceId, title: d.title, body: d.body, department: d.department ?? null, date: d.date ?? null,
    url: d.url ?? null, visibility: d.visibility ?? 'public', source_version: d.sourceVersion ?? null, tokens: { t: row.titleTokens, b: row.bodyTokens },
  };
}

/** A short stamp of a text (FNV-1a over UTF-16 units) to skip re-writing unchanged imports. */
export function contentStamp(...parts: string[]): string {
  let h = 0x811c9dc5;
  let n = 0;
  for (const s of parts) {
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    n += s.length;
    h ^= 0x1f;
  }
  return `${n.toString(36)}-${h.toString(36)}`;
}

/** A knowledge article ranked within this share of the best hit, among the first CURATED_DEPTH, answers first. */
const CURATED_SHARE = 0.8;
const CURATED_DEPTH = 3;
/** A curated article up to this many characters is shown whole (it is written as an answer). */
const CURATED_WHOLE_CHARS = 300;
/**
 * Hits of the one search an answer runs (all types, best first): the curated check reads the first CURATED_DEPTH,
 * the engine the first hits of its types (2 by default, see answer.ts). 10 holds them for nearly every question;
 * the rare rest run a second search (see HitPool).
 */
const ANSWER_POOL = 10;

/**
 * The answer to `q` from `index`: a curated knowledge article first (curatedAnswer), otherwise the engine's choice
 * among policies, knowledge and replies. The same result as calling `curatedAnswer` and then `engineAnswer` on the
 * index itself (compared on the 622 policy questions and the hand-written ones: bench/search-answer-cost.ts), but
 * the searches those make are served from one search of the index (a HitPool passed to both), and the off-topic
 * check of the domain model runs once (a declined question searches nothing).
 */
export function answerFrom(index: SearchIndex, q: string): AnswerResult {
  const domain = loadDomainModel();
  // Declined by the domain model (or empty): the engine says so before it searches, with or without an article.
  if (q.trim() === '' || (domain && domainProbability(domain, q) < domain.threshold)) return engineAnswer(index, q);
  const pool = new HitPool(index, q, ANSWER_POOL);
  return curatedAnswer(index, q, pool) ?? engineAnswer(index, q, { domainModel: null, pool });
}

/**
 * The city's own published knowledge articles are written as answers to citizens, so one that ranks near the top
 * for the question answers before policies and replies (which may be another city's, or answer a neighbouring
 * question): within CURATED_SHARE of the best hit's score and among the first CURATED_DEPTH hits, with a passage the
 * engine accepts. A short article is shown whole. Otherwise undefined (the engine chooses among all types).
 * `pool` holds the question's hits (the domain check has been made).
 */
function curatedAnswer(index: SearchIndex, q: string, pool: HitPool): AnswerResult | undefined {
  const top = pool.top(CURATED_DEPTH).hits;
  const best = top[0]?.score ?? 0;
  const article = top.find((h) => h.type === 'knowledge' && h.score >= CURATED_SHARE * best);
  if (!article) return undefined;
  const a = engineAnswer(index, q, { domainModel: null, pool, types: ['knowledge'], docs: 1 });
  if ('none' in a || a.sourceId !== article.id) return undefined;
  const body = index.get(article.id)?.body ?? '';
  if (body.length > 0 && body.length <= CURATED_WHOLE_CHARS) return { ...a, passage: body, start: 0, end: body.length };
  return a;
}
