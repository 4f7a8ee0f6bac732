import { describe, expect, it } from 'vitest';
import { dcatCatalog, hashApiKey, keyMatches, keyPrefix, maskValue, newApiKey, signAccess, signingKeyPair, subjectDigest, verifyAccess, type SignedAccess } from './datashare.pure.ts';

const entry: SignedAccess = {
  at: '2026-11-26T08:00:00.000Z', systemId: 3, requestId: 7, resourceId: 1, requesterDepartmentId: 6, ownerDepartmentId: 4,
  subjectDigest: 'ab', fields: ['name', 'address'], purpose: '核验', outcome: 'ok', payloadDigest: 'cd',
};

describe('access-log signatures (Ed25519)', () => {
  it('derives the same key pair from the same secret, different ones from different secrets', () => {
    const a = signingKeyPair('s'.repeat(32));
    expect(signingKeyPair('s'.repeat(32)).publicKeyPem).toBe(a.publicKeyPem);
    expect(signingKeyPair('t'.repeat(32)).publicKeyPem).not.toBe(a.publicKeyPem);
    expect(a.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
  });
  it('verifies an untouched entry (field order irrelevant) and rejects any change or another key', () => {
    const k = signingKeyPair('s'.repeat(32));
    const sig = signAccess(entry, k.privateKey);
    expect(verifyAccess(entry, sig, k.publicKeyPem)).toBe(true);
    expect(verifyAccess({ ...entry, fields: ['address', 'name'] }, sig, k.publicKey)).toBe(true);
    expect(verifyAccess({ ...entry, purpose: '其他' }, sig, k.publicKey)).toBe(false);
    expect(verifyAccess({ ...entry, outcome: 'DATASHARE_NOT_APPROVED' }, sig, k.publicKey)).toBe(false);
    expect(verifyAccess(entry, sig, signingKeyPair('t'.repeat(32)).publicKey)).toBe(false);
    expect(verifyAccess(entry, 'not-a-signature', k.publicKey)).toBe(false);
  });
});

describe('API keys', () => {
  it('are random, shaped, and matched only by their hash', () => {
    const a = newApiKey();
    const b = newApiKey();
    expect(a.key).not.toBe(b.key);
    expect(keyPrefix(a.key)).toBe(a.prefix);
    expect(a.hash).toBe(hashApiKey(a.key));
    expect(a.hash).not.toContain(a.key.slice(18));
    expect(keyMatches(a.key, a.hash)).toBe(true);
    expect(keyMatches(b.key, a.hash)).toBe(false);
    expect(keyPrefix('Bearer abc')).toBeUndefined();
  });
});

describe('subject digests and masking', () => {
  it('digests ID numbers case-insensitively, keyed by the secret', () => {
    expect(subjectDigest('k', '11010519491231002x')).toBe(subjectDigest('k', '11010519491231002X'));
    expect(subjectDigest('k', '11010519491231002X')).not.toBe(subjectDigest('j', '11010519491231002X'));
    expect(subjectDigest('k', '11010519491231002X')).not.toContain('110105');
  });
  it('masks personal values by kind and leaves the rest', () => {
    expect(maskValue({ name: 'idNumber', label: '身份证', type: 'string', personal: true, sensitive: true, checks: ['cn-id'] }, '11010519491231002X')).toBe('110105********002X');
    expect(maskValue({ name: 'mobile', label: '电话', type: 'string', personal: true, sensitive: false, checks: ['cn-mobile'] }, '13912345678')).toBe('139****5678');
    expect(maskValue({ name: 'name', label: '姓名', type: 'string', personal: true, sensitive: false }, '王小明')).toBe('王*明');
    expect(maskValue({ name: 'status', label: '状态', type: 'string', personal: false, sensitive: false }, '存续')).toBe('存续');
  });
});

describe('dcatCatalog', () => {
  it('describes each resource as a dcat:Dataset with access rights, and no distribution when not shared', () => {
    const base = { name: 'x', description: 'd', fields: [{ name: 'k', label: 'K', type: 'string' as const, personal: false, sensitive: false }], keyField: 'k', owner: 'o', department: { id: 1, code: 'A', name: 'A局' }, updateFrequency: 'monthly', sharingCondition: null, modified: '2026-01-01T00:00:00.000Z' };
    const c = dcatCatalog('https://gov.example', [{ ...base, code: 'R1', sharingClass: 'unconditional' }, { ...base, code: 'R2', sharingClass: 'none' }]);
    const ds = c['dcat:dataset'] as Record<string, unknown>[];
    expect(c['@type']).toBe('dcat:Catalog');
    expect(ds[0]!['@id']).toBe('https://gov.example/datashare/resources/R1');
    expect(ds[0]!['dct:accrualPeriodicity']).toEqual({ '@id': 'http://purl.org/cld/freq/monthly' });
    expect(ds[0]!['dcat:distribution']).toBeDefined();
    expect(ds[1]!['dcat:distribution']).toBeUndefined();
    expect((ds[1]!['dct:accessRights'] as Record<string, string>)['dct:title']).toBe('不予共享');
  });
});
