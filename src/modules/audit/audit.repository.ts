import { sql, type Insertable } from 'kysely';
import type { Tx } from '../../db/tx.ts';
import type { AuditEventRow, AuditEventsTable } from '../../db/types.ts';
import { type AuditContent, type ChainRow } from '../../lib/hashchain.ts';

export interface NewAuditEvent extends AuditContent {
  contentHash: string;
}

export function toContent(r: AuditEventRow): AuditContent {
  return {
    at: r.at,
    actorId: r.actor_id,
    actorLabel: r.actor_label,
    action: r.action,
    entity: r.entity,
    entityId: r.entity_id,
    beforeDigest: r.before_digest,
    afterDigest: r.after_digest,
    detail: r.detail,
  };
}

/** The `audit_events` row of a new entry. */
export function auditRow(e: NewAuditEvent): Insertable<AuditEventsTable> {
  return {
    at: e.at,
    actor_id: e.actorId,
    actor_label: e.actorLabel,
    action: e.action,
    entity: e.entity,
    entity_id: e.entityId,
    before_digest: e.beforeDigest,
    after_digest: e.afterDigest,
    detail: JSON.stringify(e.detail),
    content_hash: e.contentHash,
  };
}

/** One line of the audit page: who did what to which record, and when. */
export type AuditEntrySummary = Pick<AuditEventRow, 'id' | 'seq' | 'at' | 'actor_label' | 'action' | 'entity' | 'entity_id'>;

/** SQL for the audit trail. */
export const auditRepository = {
  async insert(tx: Tx, e: NewAuditEvent): Promise<void> {
    await tx.insertInto('audit_events').values(auditRow(e)).execute();
  },

  /** Locks the chain head for sealing: `busy` when another sealer holds it, `absent` when the row was deleted. */
  async lockHead(tx: Tx): Promise<{ last_seq: number; last_hash: string } | 'busy' | 'absent'> {
    const row = await tx
      .selectFrom('audit_head')
      .select(['last_seq', 'last_hash'])
      .where('id', '=', 1)
      .forUpdate()
      .skipLocked()
      .executeTakeFirst();
    if (row) return row;
    const exists = await tx.selectFrom('audit_head').select('id').where('id', '=', 1).executeTakeFirst();
    return exists ? 'busy' : 'absent';
  },

  async unsealed(tx: Tx, limit: number): Promise<{ id: number; content_hash: string }[]> {
    return tx
      .selectFrom('audit_events')
      .select(['id', 'content_hash'])
      .where('seq', 'is', null)
      .orderBy('id')
      .limit(limit)
      .execute();
  },

  async link(tx: Tx, links: { id: number; seq: number; prev: string; hash: string }[]): Promise<void> {
    if (!links.length) return;
    const values = sql.join(
      links.map((l) => sql`(${l.id}::bigint, ${l.seq}::bigint, ${l.prev}::text, ${l.hash}::text)`),
    );
    await sql`update audit_events as e set seq = v.seq, prev_hash = v.prev, hash = v.hash
      from (values ${values}) as v(id, seq, prev, hash) where e.id = v.id and e.seq is null`.execute(tx);
  },

  async advanceHead(tx: Tx, seq: number, hash: string, mac: string, firstSeq: number, count: number): Promise<void> {
    const now = new Date();
    await tx.updateTable('audit_head').set({ last_seq: seq, last_hash: hash, mac, sealed_at: now }).where('id', '=', 1).execute();
    await tx.insertInto('audit_seals').values({ seq, first_seq: firstSeq, count, hash, mac, sealed_at: now }).execute();
  },

  async head(db: Tx): Promise<{ last_seq: number; last_hash: string; mac: string } | undefined> {
    return db.selectFrom('audit_head').select(['last_seq', 'last_hash', 'mac']).where('id', '=', 1).executeTakeFirst();
  },

  async sealedPage(db: Tx, afterSeq: number, limit: number): Promise<ChainRow[]> {
    const rows = await db
      .selectFrom('audit_events')
      .selectAll()
      .where('seq', '>', afterSeq)
      .orderBy('seq')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      ...toContent(r),
      id: r.id,
      seq: r.seq ?? 0,
      prevHash: r.prev_hash ?? '',
      hash: r.hash ?? '',
      contentHash: r.content_hash,
    }));
  },

  async unsealedPage(db: Tx, afterId: number, limit: number): Promise<AuditEventRow[]> {
    return db
      .selectFrom('audit_events')
      .selectAll()
      .where('seq', 'is', null)
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(limit)
      .execute();
  },

  async seals(db: Tx): Promise<{ seq: number; hash: string; mac: string }[]> {
    return db.selectFrom('audit_seals').select(['seq', 'hash', 'mac']).orderBy('seq').execute();
  },

  async eventHashAt(db: Tx, seq: number): Promise<string | undefined> {
    const r = await db.selectFrom('audit_events').select('hash').where('seq', '=', seq).executeTakeFirst();
    return r?.hash ?? undefined;
  },

  /** The newest entries, newest first, without their digests or detail (the administrator's audit page). */
  async latest(db: Tx, limit: number): Promise<AuditEntrySummary[]> {
    return db
      .selectFrom('audit_events')
      .select(['id', 'seq', 'at', 'actor_label', 'action', 'entity', 'entity_id'])
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
  },

  /** Entries newest first: only these action codes when given, only older than `beforeId` when given. */
  async page(db: Tx, opts: { actions?: readonly string[]; beforeId?: number; limit: number }): Promise<AuditEntrySummary[]> {
    let q = db
      .selectFrom('audit_events')
      .select(['id', 'seq', 'at', 'actor_label', 'action', 'entity', 'entity_id'])
      .orderBy('id', 'desc')
      .limit(opts.limit);
    if (opts.actions) q = q.where('action', 'in', opts.actions.length ? [...opts.actions] : ['']);
    if (opts.beforeId !== undefined) q = q.where('id', '<', opts.beforeId);
    return q.execute();
  },

  async recent(db: Tx, opts: { entity?: string; entityId?: string; limit: number }): Promise<AuditEventRow[]> {
    let q = db.selectFrom('audit_events').selectAll().orderBy('id', 'desc').limit(opts.limit);
    if (opts.entity) q = q.where('entity', '=', opts.entity);
    if (opts.entityId) q = q.where('entity_id', '=', opts.entityId);
    return q.execute();
  },
};
