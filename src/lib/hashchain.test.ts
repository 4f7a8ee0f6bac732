import { describe, expect, it } from 'vitest';
import {
  ChainVerifier, GENESIS_HASH, canonicalJson, contentHash, linkHash, sealMac, macEquals,
  type AuditContent, type ChainRow,
} from './hashchain.ts';

function chain(n: number): ChainRow[] {
  const rows: ChainRow[] = [];
  let prev = GENESIS_HASH;
  for (let i = 1; i <= n; i++) {
    const c: AuditContent = {
      at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)), actorId: i, actorLabel: `user:${i}`, action: 'update',
      entity: 'case', entityId: String(i), beforeDigest: null, afterDigest: 'ab', detail: { n: i },
    };
    const ch = contentHash(c);
    const hash = linkHash(prev, i, 100 + i, ch);
    rows.push({ ...c, id: 100 + i, seq: i, prevHash: prev, hash, contentHash: ch });
    prev = hash;
  }
  return rows;
}

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[2,{"y":2,"z":1}]},"b":1}');
  });
});

describe('ChainVerifier', () => {
  it('accepts an intact chain, in pages', () => {
    const rows = chain(10);
    const v = new ChainVerifier();
    expect(v.check(rows.slice(0, 4))).toBeUndefined();
    expect(v.check(rows.slice(4))).toBeUndefined();
    expect(v.checked).toBe(10);
    expect(v.position.hash).toBe(rows[9]!.hash);
  });
  it('names an altered entry', () => {
    const rows = chain(6);
    rows[3] = { ...rows[3]!, actorLabel: 'someone else' };
    expect(new ChainVerifier().check(rows)).toMatchObject({ kind: 'altered', seq: 4, id: 104 });
  });
  it('names a removed entry', () => {
    const rows = chain(6);
    rows.splice(2, 1);
    expect(new ChainVerifier().check(rows)).toMatchObject({ kind: 'removed', seq: 3, message: expect.stringMatching(/^序号 3 的记录缺失（已被删除）/), messageEn: expect.stringMatching(/^entry seq 3 is missing/) });
  });
  it('catches content re-hashed without re-linking', () => {
    const rows = chain(5);
    const altered = { ...rows[1]!, action: 'delete' };
    altered.contentHash = contentHash(altered);
    rows[1] = altered;
    expect(new ChainVerifier().check(rows)).toMatchObject({ kind: 'broken-link', seq: 2, message: '记录 id 102（序号 2）与前一条记录链接不上（被篡改或重新计算了哈希）' });
  });
});

describe('sealMac', () => {
  it('depends on the key', () => {
    const a = sealMac('k1', 5, 'ff');
    expect(macEquals(a, sealMac('k1', 5, 'ff'))).toBe(true);
    expect(macEquals(a, sealMac('k2', 5, 'ff'))).toBe(false);
  });
});
