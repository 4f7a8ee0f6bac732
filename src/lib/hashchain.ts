import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** JSON with object keys sorted at every depth, so equal values always serialise to equal strings. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A digest of a record's state, kept in the audit trail instead of the (possibly personal) data itself. */
export function digest(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}

/** The hash of the first link's predecessor. */
export const GENESIS_HASH = sha256Hex('yiwang-audit-genesis');

export interface AuditContent {
  at: Date;
  actorId: number | null;
  actorLabel: string;
  action: string;
  entity: string;
  entityId: string | null;
  beforeDigest: string | null;
  afterDigest: string | null;
  detail: Record<string, unknown>;
}

/** Hash of one entry's content; stored with the row when it is written. */
export function contentHash(c: AuditContent): string {
  return sha256Hex(
    canonicalJson({
      at: c.at.toISOString(),
      actorId: c.actorId,
      actorLabel: c.actorLabel,
      action: c.action,
      entity: c.entity,
      entityId: c.entityId,
      beforeDigest: c.beforeDigest,
      afterDigest: c.afterDigest,
      detail: c.detail,
    }),
  );
}

/** Hash of a link in the chain: it binds the previous link, the position, the row id and the content. */
export function linkHash(prevHash: string, seq: number, id: number, content: string): string {
  return sha256Hex(`${prevHash}|${seq}|${id}|${content}`);
}

/** Keyed MAC over a seal, so that someone who can write the database but lacks the key cannot re-forge the chain. */
export function sealMac(key: string, seq: number, hash: string): string {
  return createHmac('sha256', key).update(`${seq}|${hash}`).digest('hex');
}

export function macEquals(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

export interface ChainRow extends AuditContent {
  id: number;
  seq: number;
  prevHash: string;
  hash: string;
  contentHash: string;
}

/** The first break found: `message` in Chinese (the administrator's API), `messageEn` in English (the CLI). */
export type ChainProblem =
  | { kind: 'altered'; seq: number; id: number; message: string; messageEn: string }
  | { kind: 'removed'; seq: number; message: string; messageEn: string }
  | { kind: 'broken-link'; seq: number; id: number; message: string; messageEn: string };

/**
 * Walks rows in seq order. Keeps its position between calls so a long chain can be checked page by page.
 * `check` returns the first problem in the page, or undefined.
 */
export class ChainVerifier {
  private lastSeq = 0;
  private lastHash = GENESIS_HASH;
  checked = 0;

  get position(): { seq: number; hash: string } {
    return { seq: this.lastSeq, hash: this.lastHash };
  }

  check(rows: ChainRow[]): ChainProblem | undefined {
    for (const r of rows) {
      if (r.seq !== this.lastSeq + 1) {
        return {
          kind: 'removed',
          seq: this.lastSeq + 1,
          message: `序号 ${this.lastSeq + 1} 的记录缺失（已被删除）；下一条现存记录为序号 ${r.seq}（id ${r.id}）`,
          messageEn: `entry seq ${this.lastSeq + 1} is missing (removed); next present is seq ${r.seq} (id ${r.id})`,
        };
      }
      const ch = contentHash(r);
      if (ch !== r.contentHash) {
        return {
          kind: 'altered', seq: r.seq, id: r.id,
          message: `记录 id ${r.id}（序号 ${r.seq}）已被篡改：内容与其哈希值不再相符`,
          messageEn: `entry id ${r.id} (seq ${r.seq}) was altered: its content no longer matches its hash`,
        };
      }
      if (r.prevHash !== this.lastHash || linkHash(r.prevHash, r.seq, r.id, r.contentHash) !== r.hash) {
        return {
          kind: 'broken-link', seq: r.seq, id: r.id,
          message: `记录 id ${r.id}（序号 ${r.seq}）与前一条记录链接不上（被篡改或重新计算了哈希）`,
          messageEn: `entry id ${r.id} (seq ${r.seq}) does not link to the entry before it (altered or re-hashed)`,
        };
      }
      this.lastSeq = r.seq;
      this.lastHash = r.hash;
      this.checked++;
    }
    return undefined;
  }
}
