/** Pure helpers: API keys, the signed access log (Ed25519), subject digests, the DCAT export. */
import { createHash, createHmac, createPrivateKey, createPublicKey, randomBytes, sign, timingSafeEqual, verify, type KeyObject } from 'node:crypto';
import { maskIdNumber, maskName, maskPhone } from '../../lib/cn/index.ts';
import { SHARING_CLASSES, type ResourceField, type SharingClass } from './datashare.types.ts';

/** A new API key for a calling system: shown once; only its SHA-256 is stored. */
export function newApiKey(): { key: string; prefix: string; hash: string } {
  const prefix = randomBytes(6).toString('hex');
  const key = `ysk_${prefix}_${randomBytes(24).toString('base64url')}`;
  return { key, prefix, hash: hashApiKey(key) };
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** The lookup prefix of a key, or undefined when it is not shaped like one of ours. */
export function keyPrefix(key: string): string | undefined {
  const m = /^ysk_([0-9a-f]{12})_[A-Za-z0-9_-]{20,64}$/.exec(key);
  return m?.[1];
}

/** Constant-time comparison of a presented key with a stored hash. */
export function keyMatches(key: string, storedHash: string): boolean {
  const a = Buffer.from(hashApiKey(key), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The platform's Ed25519 signing key, derived from the signing secret (every process derives the same key). */
export function signingKeyPair(secret: string): { privateKey: KeyObject; publicKey: KeyObject; publicKeyPem: string } {
  const seed = createHash('sha256').update(`yiwang-datashare-ed25519:${secret}`).digest();
  // PKCS#8 wrapping of a raw 32-byte Ed25519 seed (RFC 8410).
  const der = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]);
  const privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

/** What an access-log signature covers (both departments can recompute it from the log row). */
export interface SignedAccess {
  at: string;
  systemId: number;
  requestId: number | null;
  resourceId: number;
  requesterDepartmentId: number;
  ownerDepartmentId: number;
  subjectDigest: string | null;
  fields: string[];
  purpose: string | null;
  outcome: string;
  payloadDigest: string | null;
}

/** The canonical bytes signed for an access: fixed key order, fields sorted. */
export function canonicalAccess(a: SignedAccess): string {
  return JSON.stringify([a.at, a.systemId, a.requestId, a.resourceId, a.requesterDepartmentId, a.ownerDepartmentId, a.subjectDigest, [...a.fields].sort(), a.purpose, a.outcome, a.payloadDigest]);
}

export function signAccess(a: SignedAccess, privateKey: KeyObject): string {
  return sign(null, Buffer.from(canonicalAccess(a)), privateKey).toString('base64url');
}

/** Checks an access-log entry's signature against the platform's public key (PEM or KeyObject). */
export function verifyAccess(a: SignedAccess, signature: string, publicKey: KeyObject | string): boolean {
  try {
    const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
    return verify(null, Buffer.from(canonicalAccess(a)), key, Buffer.from(signature, 'base64url'));
  } catch {
    return false;
  }
}

/** A keyed digest of a data subject's identifier (ID number), so the log never holds the number itself. */
export function subjectDigest(secret: string, id: string): string {
  return createHmac('sha256', `yiwang-datashare-subject:${secret}`).update(id.trim().toUpperCase()).digest('hex');
}

/** SHA-256 of the JSON served, so both sides can prove what was delivered. */
export function payloadDigest(data: unknown): string {
  return createHash('sha256').update(JSON.stringify(data)).digest('hex');
}

/** A value as lists show it: personal fields masked by kind. */
export function maskValue(field: ResourceField | undefined, value: string): string {
  if (!field || !field.personal) return value;
  if (field.checks?.includes('cn-id')) return maskIdNumber(value);
  if (field.checks?.includes('cn-mobile')) return maskPhone(value);
  if (/name|姓名/.test(field.name) || field.label.includes('姓名')) return maskName(value);
  if (value.length <= 2) return '*'.repeat(value.length);
  return `${value.slice(0, 1)}${'*'.repeat(Math.min(value.length - 2, 8))}${value.slice(-1)}`;
}

const XSD: Record<string, string> = { string: 'xsd:string', integer: 'xsd:integer', number: 'xsd:decimal', date: 'xsd:date', boolean: 'xsd:boolean' };

export interface DcatResource {
  code: string;
  name: string;
  description: string;
  fields: ResourceField[];
  keyField: string;
  owner: string;
  department: { id: number; code: string; name: string };
  updateFrequency: string;
  sharingClass: SharingClass;
  sharingCondition: string | null;
  modified: string;
}

const FREQ: Record<string, string> = {
  realtime: 'http://purl.org/cld/freq/continuous', daily: 'http://purl.org/cld/freq/daily', weekly: 'http://purl.org/cld/freq/weekly',
  monthly: 'http://purl.org/cld/freq/monthly', quarterly: 'http://purl.org/cld/freq/quarterly', yearly: 'http://purl.org/cld/freq/annual',
};

/** The catalogue as DCAT (v2/v3 vocabulary) JSON-LD: one dcat:Dataset per resource, fields as a schema. */
export function dcatCatalog(base: string, resources: DcatResource[]): Record<string, unknown> {
  return {
    '@context': {
      dcat: 'http://www.w3.org/ns/dcat#', dct: 'http://purl.org/dc/terms/', foaf: 'http://xmlns.com/foaf/0.1/',
      xsd: 'http://www.w3.org/2001/XMLSchema#', vcard: 'http://www.w3.org/2006/vcard/ns#', yw: `${base}/ns/datashare#`,
    },
    '@id': `${base}/api/v1/datashare/catalog.jsonld`,
    '@type': 'dcat:Catalog',
    'dct:title': { '@value': 'A市政务信息资源目录', '@language': 'zh-CN' },
    'dct:language': 'zh-CN',
    'dcat:dataset': resources.map((r) => ({
      '@id': `${base}/datashare/resources/${r.code}`,
      '@type': 'dcat:Dataset',
      'dct:identifier': r.code,
      'dct:title': { '@value': r.name, '@language': 'zh-CN' },
      'dct:description': { '@value': r.description, '@language': 'zh-CN' },
      'dct:publisher': { '@type': 'foaf:Organization', 'dct:identifier': r.department.code, 'foaf:name': r.department.name },
      'dcat:contactPoint': { '@type': 'vcard:Organization', 'vcard:fn': r.owner },
      'dct:accrualPeriodicity': FREQ[r.updateFrequency] ? { '@id': FREQ[r.updateFrequency] } : r.updateFrequency,
      'dct:modified': { '@value': r.modified, '@type': 'xsd:dateTime' },
      'dct:accessRights': { '@id': `yw:${r.sharingClass}`, 'dct:title': SHARING_CLASSES[r.sharingClass].zh },
      ...(r.sharingCondition ? { 'yw:sharingCondition': r.sharingCondition } : {}),
      'yw:keyField': r.keyField,
      'yw:fields': r.fields.map((f) => ({ 'yw:name': f.name, 'dct:title': f.label, 'yw:datatype': XSD[f.type] ?? f.type, 'yw:personal': f.personal, 'yw:sensitive': f.sensitive })),
      ...(r.sharingClass === 'none' ? {} : {
        'dcat:distribution': [{
          '@type': 'dcat:Distribution',
          'dcat:accessURL': { '@id': `${base}/api/v1/datashare/access/${r.code}` },
          'dct:format': 'application/json',
          'dct:accessRights': 'POST {"key": …, "fields": […]} with the API key of an approved calling system (X-Api-Key)',
        }],
      }),
    })),
  };
}
