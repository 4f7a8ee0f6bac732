import type { Tx } from '../../db/tx.ts';
import { inTransaction } from '../../db/tx.ts';
import {
  ChainVerifier, GENESIS_HASH, contentHash, digest, linkHash, macEquals, sealMac,
} from '../../lib/hashchain.ts';
import { ok, type Result } from '../../lib/errors.ts';
import { authorize, type Principal } from '../identity/permissions.ts';
import type { Insertable } from 'kysely';
import type { AuditEventsTable } from '../../db/types.ts';
import { auditRepository as repo, auditRow, toContent, type AuditEntrySummary, type NewAuditEvent } from './audit.repository.ts';

/** Who did something, as the audit trail names them: an id and a role label, never a name or ID number. */
export interface Actor {
  id: number | null;
  label: string;
}

export const SYSTEM_ACTOR: Actor = { id: null, label: 'system' };
export const ANONYMOUS_ACTOR: Actor = { id: null, label: 'anonymous' };

export interface AuditInput {
  actor: Actor;
  action: string;
  entity: string;
  entityId?: string | number | null;
  /** The record before the change (only its digest is kept). */
  before?: unknown;
  /** The record after the change (only its digest is kept). */
  after?: unknown;
  /** Small, non-personal facts about the change (e.g. the new status). */
  detail?: Record<string, unknown>;
}

export interface VerifyReport {
  ok: boolean;
  sealed: number;
  pending: number;
  /** The first break: `message` in Chinese, `messageEn` in English (the CLI prints it). */
  problem?: { seq?: number; id?: number; kind: string; message: string; messageEn: string };
}

const SEAL_BATCH = 2000;

export class AuditLog {
  constructor(private readonly signingKey: string) {}

  /**
   * Adds an entry to the trail inside the caller's transaction, so the change and its entry commit together.
   * Writers take no shared lock; the chain is linked later by `seal`.
   */
  async record(tx: Tx, input: AuditInput): Promise<void> {
    await repo.insert(tx, this.entry(input));
  }

  /**
   * The entry `record` would write, as an `audit_events` row, for a caller that inserts it in the same statement
   * as its change (a data-modifying CTE: atomic like a transaction, one round trip instead of four).
   */
  row(input: AuditInput): Insertable<AuditEventsTable> {
    return auditRow(this.entry(input));
  }

  private entry(input: AuditInput): NewAuditEvent {
    const content = {
      // Millisecond precision survives the round trip through both engines.
      at: new Date(Math.floor(Date.now())),
      actorId: input.actor.id,
      actorLabel: input.actor.label,
      action: input.action,
      entity: input.entity,
      entityId: input.entityId === undefined || input.entityId === null ? null : String(input.entityId),
      beforeDigest: input.before === undefined ? null : digest(input.before),
      afterDigest: input.after === undefined ? null : digest(input.after),
      detail: input.detail ?? {},
    };
    return { ...content, contentHash: contentHash(content) };
  }

  /**
   * Links committed, unlinked entries into the chain, in batches, and seals each batch with a keyed MAC.
   * Only one sealer works at a time (the head row is locked with SKIP LOCKED; a second sealer returns 0).
   * Returns how many entries it linked.
   */
  async seal(db: Tx, maxBatches = 50): Promise<number> {
    let total = 0;
    for (let b = 0; b < maxBatches; b++) {
      const n = await inTransaction(db, async (tx) => {
        const head = await repo.lockHead(tx);
        // A migration writes the head; an absent one was deleted. Writing a new one would restart the chain over
        // the gap and hide it, so the entries wait unsealed and `verify` reports the missing head.
        if (typeof head === 'string') return 0;
        const rows = await repo.unsealed(tx, SEAL_BATCH);
        if (!rows.length) return 0;
        let prev = head.last_hash;
        let seq = head.last_seq;
        const links = rows.map((r) => {
          seq += 1;
          const hash = linkHash(prev, seq, r.id, r.content_hash);
          const link = { id: r.id, seq, prev, hash };
          prev = hash;
          return link;
        });
        await repo.link(tx, links);
        await repo.advanceHead(tx, seq, prev, sealMac(this.signingKey, seq, prev), head.last_seq + 1, rows.length);
        return rows.length;
      });
      total += n;
      if (n < SEAL_BATCH) break;
    }
    return total;
  }

  /** Checks the whole chain, every seal's MAC and the head; names the first entry altered or removed. */
  async verify(db: Tx): Promise<VerifyReport> {
    const verifier = new ChainVerifier();
    let after = 0;
    for (;;) {
      const page = await repo.sealedPage(db, after, 5000);
      if (!page.length) break;
      const problem = verifier.check(page);
      if (problem) return { ok: false, sealed: verifier.checked, pending: 0, problem };
      after = page[page.length - 1]!.seq;
    }
    const head = await repo.head(db);
    const end = verifier.position;
    if (!head) {
      // The head is written by a migration before any entry, so its absence is always tampering (the trail wiped).
      return { ok: false, sealed: verifier.checked, pending: 0, problem: { kind: 'forged-head', message: '链头缺失（审计记录可能已被整体清除）', messageEn: 'the chain head is missing (the trail may have been wiped)' } };
    }
    const genesis = head.mac === '' && head.last_seq === 0 && head.last_hash === GENESIS_HASH;
    if (!genesis && !macEquals(head.mac, sealMac(this.signingKey, head.last_seq, head.last_hash))) {
      return { ok: false, sealed: verifier.checked, pending: 0, problem: { kind: 'forged-head', message: '链头的 MAC 不是用签名密钥生成的（链头被伪造）', messageEn: 'the chain head carries a MAC that the signing key did not make' } };
    }
    if (head.last_seq > end.seq) {
      return {
        ok: false, sealed: verifier.checked, pending: 0,
        problem: {
          kind: 'removed', seq: end.seq + 1,
          message: `链尾序号 ${end.seq + 1}..${head.last_seq} 的记录已被删除`,
          messageEn: `entries seq ${end.seq + 1}..${head.last_seq} were removed from the end of the chain`,
        },
      };
    }
    if (head.last_seq < end.seq) {
      // The sealer advances the head in the transaction that links the entries: a head behind the chain was reset.
      return { ok: false, sealed: verifier.checked, pending: 0, problem: { kind: 'forged-head', seq: head.last_seq, message: `链头停在序号 ${head.last_seq}，而链已到序号 ${end.seq}（链头被重置）`, messageEn: `the chain head is at seq ${head.last_seq} but the chain reaches seq ${end.seq} (the head was reset)` } };
    }
    if (head.last_seq === end.seq && head.last_hash !== end.hash) {
      return { ok: false, sealed: verifier.checked, pending: 0, problem: { kind: 'broken-link', seq: end.seq, message: `最后一条记录（序号 ${end.seq}）与封存的链头不符`, messageEn: `the last entry (seq ${end.seq}) does not match the sealed head` } };
    }
    for (const s of await repo.seals(db)) {
      const h = await repo.eventHashAt(db, s.seq);
      if (!macEquals(s.mac, sealMac(this.signingKey, s.seq, s.hash)) || h !== s.hash) {
        return { ok: false, sealed: verifier.checked, pending: 0, problem: { kind: 'broken-seal', seq: s.seq, message: `序号 ${s.seq} 处的封存与哈希链不符（记录被重新计算了哈希？）`, messageEn: `the seal at seq ${s.seq} does not match the chain (entries re-hashed?)` } };
      }
    }
    let pending = 0;
    let afterId = 0;
    for (;;) {
      const rows = await repo.unsealedPage(db, afterId, 5000);
      if (!rows.length) break;
      for (const r of rows) {
        if (contentHash(toContent(r)) !== r.content_hash) {
          return { ok: false, sealed: verifier.checked, pending, problem: { kind: 'altered', id: r.id, message: `记录 id ${r.id}（尚未封存）已被篡改`, messageEn: `entry id ${r.id} (not yet sealed) was altered` } };
        }
        pending++;
      }
      afterId = rows[rows.length - 1]!.id;
    }
    return { ok: true, sealed: verifier.checked, pending };
  }

  /** `verify` for a signed-in administrator. */
  async verifyAs(db: Tx, p: Principal): Promise<Result<VerifyReport>> {
    const auth = authorize(p, 'audit.verify');
    if (!auth.ok) return auth;
    return ok(await this.verify(db));
  }

  /** The newest `limit` entries (at most 200), newest first, for staff who may read the trail. */
  async latestAs(db: Tx, p: Principal, limit = 50): Promise<Result<AuditEntrySummary[]>> {
    const auth = authorize(p, 'audit.read');
    if (!auth.ok) return auth;
    return ok(await repo.latest(db, Math.min(Math.max(limit, 1), 200)));
  }

  /**
   * A page of the trail for the administrator's audit page: newest first, only `actions` when given (the codes of one
   * kind of action), only entries older than `beforeId` when given (the next page). `audit.read`.
   */
  async pageAs(db: Tx, p: Principal, opts: { actions?: readonly string[]; beforeId?: number; limit?: number } = {}): Promise<Result<AuditEntrySummary[]>> {
    const auth = authorize(p, 'audit.read');
    if (!auth.ok) return auth;
    return ok(await repo.page(db, { ...opts, limit: Math.min(Math.max(opts.limit ?? 50, 1), 200) }));
  }

  /** Seals every `ms` milliseconds until stopped. Failures are reported and retried at the next tick. */
  startSealer(db: Tx, ms: number, onError: (err: unknown) => void): () => Promise<void> {
    let running: Promise<unknown> = Promise.resolve();
    let stopped = false;
    const timer = setInterval(() => {
      if (stopped) return;
      running = this.seal(db).catch(onError);
    }, ms);
    timer.unref();
    return async () => {
      stopped = true;
      clearInterval(timer);
      await running;
    };
  }
}
