import { createCipheriv, createDecipheriv, createPrivateKey, createPublicKey, generateKeyPairSync, hkdfSync, randomBytes, sign, verify, type KeyObject } from 'node:crypto';

/**
 * Electronic certificate signatures (电子证照): Ed25519 keys per department, private keys encrypted at rest with a
 * key derived from the platform's signing secret (AES-256-GCM), and a compact QR payload that carries the
 * certificate's public facts and their signature, so that a verifier needs nothing but the code.
 */
export interface CertPayload {
  /** Format version. */
  v: 1;
  /** Certificate number. */
  n: string;
  /** Certificate type, e.g. 居住证. */
  t: string;
  /** Signing key id. */
  k: number;
  /** Holder's name, masked (张*). */
  h: string;
  /** Issuing department's name. */
  d: string;
  /** Issued on (YYYY-MM-DD). */
  i: string;
  /** Valid until (YYYY-MM-DD) or null. */
  u: string | null;
}

const PREFIX = 'YWC1';

function wrapKey(secret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), Buffer.from('yiwang-certificate-keys'), Buffer.from('v1'), 32));
}

/** A new Ed25519 key pair; the private key comes back encrypted with `secret`. */
export function newKeyPair(secret: string): { publicKeyPem: string; privateEnc: string } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const der = privateKey.export({ format: 'der', type: 'pkcs8' });
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', wrapKey(secret), iv);
  const ct = Buffer.concat([c.update(der), c.final()]);
  return {
    publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    privateEnc: Buffer.concat([iv, c.getAuthTag(), ct]).toString('base64url'),
  };
}

/** Decrypts a private key made by `newKeyPair` (throws when the secret is wrong or the blob altered). */
export function openPrivateKey(secret: string, privateEnc: string): KeyObject {
  const buf = Buffer.from(privateEnc, 'base64url');
  const d = createDecipheriv('aes-256-gcm', wrapKey(secret), buf.subarray(0, 12));
  d.setAuthTag(buf.subarray(12, 28));
  const der = Buffer.concat([d.update(buf.subarray(28)), d.final()]);
  return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
}

function canonical(p: CertPayload): Buffer {
  return Buffer.from(JSON.stringify({ v: p.v, n: p.n, t: p.t, k: p.k, h: p.h, d: p.d, i: p.i, u: p.u }), 'utf8');
}

/** Signs a payload and returns the QR text `YWC1.<payload>.<signature>` (base64url parts). */
export function signPayload(privateKey: KeyObject, p: CertPayload): { code: string; signature: string } {
  const body = canonical(p);
  const signature = sign(null, body, privateKey).toString('base64url');
  return { code: `${PREFIX}.${body.toString('base64url')}.${signature}`, signature };
}

/** Splits a QR text into its payload and signature; undefined when it is not one of ours or malformed. */
export function parseCode(code: string): { payload: CertPayload; body: Buffer; signature: Buffer } | undefined {
  if (typeof code !== 'string' || code.length > 4000) return undefined;
  const parts = code.trim().split('.');
  if (parts.length !== 3 || parts[0] !== PREFIX) return undefined;
  try {
    const body = Buffer.from(parts[1]!, 'base64url');
    const payload = JSON.parse(body.toString('utf8')) as CertPayload;
    if (payload.v !== 1 || typeof payload.n !== 'string' || typeof payload.t !== 'string' || !Number.isInteger(payload.k)) return undefined;
    return { payload, body: canonical(payload), signature: Buffer.from(parts[2]!, 'base64url') };
  } catch {
    return undefined;
  }
}

/** True when `signature` over `body` was made by the private half of `publicKeyPem`. */
export function checkSignature(publicKeyPem: string, body: Buffer, signature: Buffer): boolean {
  try {
    return verify(null, body, createPublicKey(publicKeyPem), signature);
  } catch {
    return false;
  }
}
