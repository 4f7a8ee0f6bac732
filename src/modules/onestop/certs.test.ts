import { describe, expect, it } from 'vitest';
import { checkSignature, newKeyPair, openPrivateKey, parseCode, signPayload, type CertPayload } from './certs.ts';
import { createPublicKey } from 'node:crypto';

const secret = 'x'.repeat(40);
const payload: CertPayload = { v: 1, n: 'ZZ20260101ABCDE', t: '居住证', k: 7, h: '张*', d: 'A市公安局', i: '2026-01-01', u: '2031-01-01' };

describe('certificate signatures', () => {
  const pair = newKeyPair(secret);

  it('encrypts the private key: the right secret opens it, a wrong one fails', () => {
    expect(pair.privateEnc).not.toContain('PRIVATE');
    expect(() => openPrivateKey('y'.repeat(40), pair.privateEnc)).toThrow();
    const key = openPrivateKey(secret, pair.privateEnc);
    expect(createPublicKey(key).export({ format: 'pem', type: 'spki' }).toString()).toBe(pair.publicKeyPem);
  });

  it('verifies a code from the text alone and rejects any change', () => {
    const { code } = signPayload(openPrivateKey(secret, pair.privateEnc), payload);
    const p = parseCode(code)!;
    expect(p.payload).toEqual(payload);
    expect(checkSignature(pair.publicKeyPem, p.body, p.signature)).toBe(true);
    const [prefix, body, sig] = code.split('.');
    const forged = JSON.parse(Buffer.from(body!, 'base64url').toString()) as CertPayload;
    forged.u = '2099-01-01';
    const f = parseCode(`${prefix}.${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${sig}`)!;
    expect(checkSignature(pair.publicKeyPem, f.body, f.signature)).toBe(false);
    const other = newKeyPair(secret);
    expect(checkSignature(other.publicKeyPem, p.body, p.signature)).toBe(false);
  });

  it('refuses malformed codes', () => {
    for (const bad of ['', 'hello', 'YWC1.x.y', 'YWC2.e30.AA', `YWC1.${Buffer.from('{"v":2}').toString('base64url')}.AA`]) expect(parseCode(bad)).toBeUndefined();
  });
});
