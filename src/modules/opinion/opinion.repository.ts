import { sql } from 'kysely';
import type { Tx } from '../../db/tx.ts';
import type { Level, OpinionItemsTable, StoredAnalysis, WarningStatus } from './opinion.types.ts';
import type { Insertable } from 'kysely';

const CHUNK = 500;

/** Data access of public-opinion monitoring (the only file here that writes SQL). */
export const opinionRepository = {
  async source(db: Tx, code: string) {
    return db.selectFrom('opinion_sources').selectAll().where('code', '=', code).executeTakeFirst();
  },
  async sources(db: Tx) {
    return db.selectFrom('opinion_sources').selectAll().orderBy('code').execute();
  },
  async insertSource(db: Tx, s: { code: string; kind: string; name: string; url: string | null; secret: string | null; fetchMinutes: number }) {
    return db
      .insertInto('opinion_sources')
      .values({ code: s.code, kind: s.kind as 'rss', name: s.name, url: s.url, secret: s.secret, fetch_minutes: s.fetchMinutes })
      .onConflict((oc) => oc.column('code').doNothing())
      .returningAll()
      .executeTakeFirst();
  },
  async markFetched(db: Tx, code: string, error: string | null) {
    await db.updateTable('opinion_sources').set({ last_fetched_at: new Date(), last_error: error }).where('code', '=', code).execute();
  },
  async logFetch(db: Tx, e: { source: string; ok: boolean; code: string; message: string; added: number }) {
    await db.insertInto('opinion_fetch_log').values(e).execute();
  },
  async fetchLog(db: Tx, limit: number) {
    return db.selectFrom('opinion_fetch_log').selectAll().orderBy('id', 'desc').limit(limit).execute();
  },

  /** Inserts items; an item already stored under (source, external id) is skipped. Returns the new rows' ids and hashes. */
  async insertItems(db: Tx, rows: Insertable<OpinionItemsTable>[]) {
    const out: { id: number; external_id: string; text_hash: string; minhash: string | null; title: string; source: string; author_hash: string | null }[] = [];
    for (let i = 0; i < rows.length; i += CHUNK) {
      const part = await db
        .insertInto('opinion_items')
        .values(rows.slice(i, i + CHUNK))
        .onConflict((oc) => oc.columns(['source', 'external_id']).doNothing())
        .returning(['id', 'external_id', 'text_hash', 'minhash', 'title', 'source', 'author_hash'])
        .execute();
      out.push(...part);
    }
    return out;
  },
  async existingExternalIds(db: Tx, source: string, ids: string[]) {
    if (!ids.length) return new Set<string>();
    const rows = await db.selectFrom('opinion_items').select('external_id').where('source', '=', source).where('external_id', 'in', ids).execute();
    return new Set(rows.map((r) => r.external_id));
  },
  /** Duplicate candidates of a batch: items with any of these text hashes, and items under any of these MinHash bands (with the band). */
  async duplicateCandidatesBatch(db: Tx, hashes: string[], bandKeys: string[]) {
    const cols = ['opinion_items.id', 'opinion_items.minhash', 'opinion_items.source', 'opinion_items.author_hash', 'opinion_items.text_hash'] as const;
    const exact = hashes.length ? await db.selectFrom('opinion_items').select(cols).where('text_hash', 'in', hashes).orderBy('id').execute() : [];
    const near: { id: number; minhash: string | null; source: string; author_hash: string | null; text_hash: string; band: string }[] = [];
    for (let i = 0; i < bandKeys.length; i += 5000) {
      near.push(...(await db
        .selectFrom('opinion_item_bands')
        .innerJoin('opinion_items', 'opinion_items.id', 'opinion_item_bands.item_id')
        .select([...cols, 'opinion_item_bands.band'])
        .where('opinion_item_bands.band', 'in', bandKeys.slice(i, i + 5000))
        .orderBy('opinion_items.id')
        .execute()));
    }
    return { exact, near };
  },
  async insertBands(db: Tx, rows: { band: string; item_id: number }[]) {
    for (let i = 0; i < rows.length; i += 2000) await db.insertInto('opinion_item_bands').values(rows.slice(i, i + 2000)).onConflict((oc) => oc.doNothing()).execute();
  },
  /** The re-redaction pass's state (row `redaction`: `generation` = redaction version done, `watermark` = last item id done). */
  async redactionState(db: Tx) {
    return db.selectFrom('opinion_state').select(['generation', 'watermark']).where('name', '=', 'redaction').executeTakeFirst();
  },
  async saveRedactionState(db: Tx, generation: number, watermark: number) {
    await db.insertInto('opinion_state').values({ name: 'redaction', generation, watermark })
      .onConflict((oc) => oc.column('name').doUpdateSet({ generation, watermark })).execute();
  },
  /** Makes every process rebuild its clustering index from the items table (their texts changed under it). */
  async invalidateClusterIndex(db: Tx) {
    await db.updateTable('opinion_state').set({ generation: sql`generation + 1` }).where('name', '=', 'cluster').execute();
  },
  /** Items after `afterId`, oldest id first, for the re-redaction pass. */
  async itemTexts(db: Tx, afterId: number, limit: number) {
    return db.selectFrom('opinion_items').select(['id', 'title', 'text']).where('id', '>', afterId).orderBy('id').limit(limit).execute();
  },
  /** Rewrites an item's title and text with their fingerprints; its MinHash bands are replaced by `bands`. */
  async rewriteItem(db: Tx, r: { id: number; title: string; text: string; text_hash: string; simhash: string; minhash: string | null }, bands: string[]) {
    await db.updateTable('opinion_items').set({ title: r.title, text: r.text, text_hash: r.text_hash, simhash: r.simhash, minhash: r.minhash }).where('id', '=', r.id).execute();
    await db.deleteFrom('opinion_item_bands').where('item_id', '=', r.id).execute();
    if (bands.length) await db.insertInto('opinion_item_bands').values(bands.map((band) => ({ band, item_id: r.id }))).onConflict((oc) => oc.doNothing()).execute();
  },
  /** Stored texts derived from items (issue titles and summaries, warning titles, notification texts). */
  async derivedTexts(db: Tx) {
    const issues = await db.selectFrom('opinion_issues').select(['id', 'title', 'summary']).execute();
    const warnings = await db.selectFrom('opinion_warnings').select(['id', 'title']).execute();
    const notes = await db.selectFrom('opinion_notifications').select(['id', 'text']).execute();
    return { issues, warnings, notes };
  },
  async setIssueTexts(db: Tx, id: number, title: string, summary: string) {
    await db.updateTable('opinion_issues').set({ title, summary }).where('id', '=', id).execute();
  },
  async setWarningTitle(db: Tx, id: number, title: string) {
    await db.updateTable('opinion_warnings').set({ title }).where('id', '=', id).execute();
  },
  async setNotificationText(db: Tx, id: number, text: string) {
    await db.updateTable('opinion_notifications').set({ text }).where('id', '=', id).execute();
  },
  async setDuplicate(db: Tx, id: number, of: number) {
    await db.updateTable('opinion_items').set({ duplicate_of: of }).where('id', '=', id).execute();
  },
  async countItems(db: Tx) {
    const r = await db.selectFrom('opinion_items').select((eb) => [eb.fn.countAll<string>().as('n'), eb.fn.count<string>('duplicate_of').as('d')]).executeTakeFirstOrThrow();
    return { items: Number(r.n), duplicates: Number(r.d) };
  },
  async items(db: Tx, f: { afterId?: number; limit?: number; source?: string }) {
    let q = db.selectFrom('opinion_items').selectAll().where('duplicate_of', 'is', null);
    if (f.afterId !== undefined) q = q.where('id', '>', f.afterId);
    if (f.source) q = q.where('source', '=', f.source);
    return q.orderBy('id').limit(f.limit ?? 100_000).execute();
  },
  async itemsByIds(db: Tx, ids: number[]) {
    if (!ids.length) return [];
    return db.selectFrom('opinion_items').selectAll().where('id', 'in', ids).orderBy('published_at').execute();
  },
  async recentItems(db: Tx, limit: number) {
    return db.selectFrom('opinion_items').selectAll().orderBy('published_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  },
  async latestItemTime(db: Tx): Promise<Date | null> {
    const r = await db.selectFrom('opinion_items').select((eb) => eb.fn.max('published_at').as('t')).executeTakeFirst();
    return r?.t ? new Date(r.t as unknown as string) : null;
  },

  // ---- the messages poller's position ---------------------------------------------------------------------------
  async messagesCursor(db: Tx): Promise<Date | null> {
    const r = await db.selectFrom('opinion_state').select('cursor_at').where('name', '=', 'messages').executeTakeFirst();
    return r?.cursor_at ?? null;
  },
  /** Moves the position forward to `to` (never back: a slower concurrent poll cannot undo a faster one). */
  async advanceMessagesCursor(db: Tx, to: string) {
    await db
      .insertInto('opinion_state')
      .values({ name: 'messages', cursor_at: to })
      .onConflict((oc) => oc.column('name').doUpdateSet({ cursor_at: sql`greatest(opinion_state.cursor_at, excluded.cursor_at)` }))
      .execute();
  },

  // ---- clustering state ---------------------------------------------------------------------------------------
  async clusterState(db: Tx) {
    return db.selectFrom('opinion_state').selectAll().where('name', '=', 'cluster').executeTakeFirst();
  },
  /** Locks the clustering row for this transaction, or returns undefined when another process holds it. */
  async lockClusterState(db: Tx) {
    return db.selectFrom('opinion_state').selectAll().where('name', '=', 'cluster').forUpdate().skipLocked().executeTakeFirst();
  },
  async saveClusterState(db: Tx, s: { holder: string; watermark: number; generation: number }) {
    await db.updateTable('opinion_state').set({ holder: s.holder, lease_until: new Date(), watermark: s.watermark, generation: s.generation }).where('name', '=', 'cluster').execute();
  },
  /** The stored issues' ids and member items (before they are replaced). */
  async issueMembers(db: Tx) {
    return db.selectFrom('opinion_issues').select(['id', 'item_ids']).execute();
  },
  /** Points warnings of issues that got a new id at that id (`moves`: old id → new id). */
  async moveWarnings(db: Tx, moves: Map<number, number>) {
    if (!moves.size) return;
    const rows = await db.selectFrom('opinion_warnings').select(['id', 'issue_id']).where('issue_id', 'in', [...moves.keys()]).execute();
    for (const r of rows) await db.updateTable('opinion_warnings').set({ issue_id: moves.get(r.issue_id!)! }).where('id', '=', r.id).execute();
  },
  /** Keys of the burst warnings raised for these issues. */
  async burstKeys(db: Tx, issueIds: number[]) {
    const out = new Map<number, string[]>();
    for (let i = 0; i < issueIds.length; i += 500) {
      const rows = await db.selectFrom('opinion_warnings').select(['issue_id', 'key']).where('kind', '=', 'burst').where('issue_id', 'in', issueIds.slice(i, i + 500)).execute();
      for (const r of rows) out.set(r.issue_id!, [...(out.get(r.issue_id!) ?? []), r.key]);
    }
    return out;
  },
  async replaceIssues(db: Tx, rows: Insertable<import('./opinion.types.ts').OpinionIssuesTable>[]) {
    await db.deleteFrom('opinion_issues').execute();
    for (let i = 0; i < rows.length; i += 200) await db.insertInto('opinion_issues').values(rows.slice(i, i + 200)).execute();
  },
  /** The hottest issues; with `since`, only those with an item from then on (the dashboard's window). */
  async issues(db: Tx, limit: number, since?: Date) {
    let q = db.selectFrom('opinion_issues').selectAll();
    if (since) q = q.where('last_at', '>=', since);
    return q.orderBy('heat', 'desc').orderBy('id').limit(limit).execute();
  },
  async issue(db: Tx, id: number) {
    return db.selectFrom('opinion_issues').selectAll().where('id', '=', id).executeTakeFirst();
  },

  // ---- warnings and the loop ------------------------------------------------------------------------------------
  async insertWarning(db: Tx, w: { key: string; issueId: number | null; level: Level; kind: 'burst' | 'rule' | 'manual'; title: string; reason: string; departmentId: number | null }) {
    return db
      .insertInto('opinion_warnings')
      .values({ key: w.key, issue_id: w.issueId, level: w.level, kind: w.kind, title: w.title, reason: w.reason, department_id: w.departmentId })
      .onConflict((oc) => oc.column('key').doNothing())
      .returningAll()
      .executeTakeFirst();
  },
  async setWarningDepartment(db: Tx, id: number, departmentId: number) {
    await db.updateTable('opinion_warnings').set({ department_id: departmentId }).where('id', '=', id).execute();
  },
  async warning(db: Tx, id: number) {
    return db.selectFrom('opinion_warnings').selectAll().where('id', '=', id).executeTakeFirst();
  },
  async warnings(db: Tx, f: { statuses?: WarningStatus[]; departmentId?: number; limit: number }) {
    let q = db.selectFrom('opinion_warnings').selectAll();
    if (f.statuses?.length) q = q.where('status', 'in', f.statuses);
    if (f.departmentId !== undefined) q = q.where('department_id', '=', f.departmentId);
    return q.orderBy('raised_at', 'desc').orderBy('id', 'desc').limit(f.limit).execute();
  },
  /** How many warnings in these statuses there are of each level (all of them, no limit). */
  async warningCounts(db: Tx, statuses: WarningStatus[]): Promise<Record<Level, number>> {
    const rows = await db.selectFrom('opinion_warnings').select(['level', (eb) => eb.fn.countAll<string>().as('n')]).where('status', 'in', statuses).groupBy('level').execute();
    const out: Record<Level, number> = { blue: 0, yellow: 0, orange: 0, red: 0 };
    for (const r of rows) out[r.level] = Number(r.n);
    return out;
  },
  /** Moves a warning on when it still has the version the caller read (optimistic concurrency). */
  async updateWarning(db: Tx, id: number, version: number, set: { status: WarningStatus; assessment?: Record<string, unknown>; level?: Level; closed?: boolean }) {
    const r = await db
      .updateTable('opinion_warnings')
      .set({
        status: set.status,
        version: version + 1,
        ...(set.assessment ? { assessment: JSON.stringify(set.assessment) } : {}),
        ...(set.level ? { level: set.level } : {}),
        ...(set.closed ? { closed_at: new Date() } : {}),
      })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },
  async addAction(db: Tx, a: { warningId: number; actor: string; action: string; statusAfter: string; data: Record<string, unknown> }) {
    await db.insertInto('opinion_actions').values({ warning_id: a.warningId, actor: a.actor, action: a.action, status_after: a.statusAfter, data: JSON.stringify(a.data) }).execute();
  },
  async actions(db: Tx, warningId: number) {
    return db.selectFrom('opinion_actions').selectAll().where('warning_id', '=', warningId).orderBy('id').execute();
  },
  async notify(db: Tx, n: { warningId: number; audience: 'analyst' | 'department'; departmentId: number | null; text: string }) {
    await db.insertInto('opinion_notifications').values({ warning_id: n.warningId, audience: n.audience, department_id: n.departmentId, text: n.text }).execute();
  },
  /** One leader row per warning and level (partial unique index); true when this call inserted it. */
  async notifyLeaders(db: Tx, n: { warningId: number; level: Level; text: string }) {
    const r = await db
      .insertInto('opinion_notifications')
      .values({ warning_id: n.warningId, audience: 'leader', department_id: null, level: n.level, text: n.text })
      .onConflict((oc) => oc.doNothing())
      .returning('id')
      .executeTakeFirst();
    return r !== undefined;
  },
  /**
   * Leader notifications of warnings not closed, newest first, with the warning's current title: the newest one per
   * warning (a warning raised orange and assessed up to red has two rows, and is one item on the workbench).
   */
  async leaderAlerts(db: Tx, limit: number) {
    const rows = await db
      .selectFrom('opinion_notifications as n')
      .innerJoin('opinion_warnings as w', 'w.id', 'n.warning_id')
      .select(['n.id', 'n.warning_id', 'n.level', 'n.created_at', 'w.title'])
      .where('n.audience', '=', 'leader')
      .where('w.status', '<>', 'closed')
      .where('n.id', 'in', (eb) => eb.selectFrom('opinion_notifications').select((e) => e.fn.max('id').as('id')).where('audience', '=', 'leader').groupBy('warning_id'))
      .orderBy('n.id', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ ...r, level: r.level ?? 'orange' }));
  },
  async notifications(db: Tx, f: { audience: 'analyst' | 'department' | 'leader'; departmentId?: number | null; limit: number }) {
    let q = db.selectFrom('opinion_notifications').selectAll().where('audience', '=', f.audience);
    if (f.departmentId !== undefined) q = q.where('department_id', '=', f.departmentId);
    return q.orderBy('id', 'desc').limit(f.limit).execute();
  },
  /** Whether a department with this id exists (a task's department comes from a form or the API). */
  async departmentExists(db: Tx, id: number): Promise<boolean> {
    return (await db.selectFrom('departments').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
  },
  async insertTask(db: Tx, t: { warningId: number; departmentId: number; description: string; deadline: string }) {
    return db.insertInto('opinion_tasks').values({ warning_id: t.warningId, department_id: t.departmentId, description: t.description, deadline: t.deadline }).returningAll().executeTakeFirstOrThrow();
  },
  async task(db: Tx, id: number) {
    return db.selectFrom('opinion_tasks').selectAll().where('id', '=', id).executeTakeFirst();
  },
  async tasks(db: Tx, f: { warningId?: number; departmentId?: number; open?: boolean }) {
    let q = db.selectFrom('opinion_tasks').selectAll();
    if (f.warningId !== undefined) q = q.where('warning_id', '=', f.warningId);
    if (f.departmentId !== undefined) q = q.where('department_id', '=', f.departmentId);
    if (f.open) q = q.where('status', '=', 'open');
    return q.orderBy('deadline').orderBy('id').execute();
  },
  async completeTask(db: Tx, id: number, result: string) {
    const r = await db.updateTable('opinion_tasks').set({ status: 'done', result, done_at: new Date() }).where('id', '=', id).where('status', '=', 'open').executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },

  // ---- dashboard ------------------------------------------------------------------------------------------------
  async volumeByDay(db: Tx, from: Date) {
    const day = sql<string>`to_char(published_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD')`;
    return db
      .selectFrom('opinion_items')
      .select([
        day.as('day'),
        (eb) => eb.fn.countAll<string>().as('n'),
        sql<string>`count(*) filter (where analysis->'sentiment'->>'label' = 'negative')`.as('neg'),
        sql<string>`count(*) filter (where analysis->'sentiment'->>'label' = 'positive')`.as('pos'),
      ])
      .where('published_at', '>=', from)
      .where('duplicate_of', 'is', null)
      .groupBy(day)
      .orderBy(day)
      .execute();
  },
  async byColumn(db: Tx, col: 'district' | 'source', from: Date) {
    return db
      .selectFrom('opinion_items')
      .select([sql<string | null>`${sql.ref(col)}`.as('key'), (eb) => eb.fn.countAll<string>().as('n'), sql<string>`count(*) filter (where analysis->'sentiment'->>'label' = 'negative')`.as('neg')])
      .where('published_at', '>=', from)
      .where('duplicate_of', 'is', null)
      .groupBy(col)
      .orderBy(sql`count(*)`, 'desc')
      .limit(40)
      .execute();
  },
};

export type { StoredAnalysis };
