import { createHash, createSign, generateKeyPairSync, randomBytes } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import formbody from '@fastify/formbody';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';

const b64u = (b: Buffer | string) => Buffer.from(b).toString('base64url');

/** A small but real OpenID Connect provider: discovery, authorize (auto-consent), token with PKCE, JWKS. */
async function startProvider(subject: string, claims: Record<string, unknown>): Promise<{ url: string; close(): Promise<void>; tamper: { badNonce: boolean } }> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'k1', use: 'sig', alg: 'RS256' };
  const codes = new Map<string, { nonce: string; challenge: string; redirect: string; clientId: string }>();
  const tamper = { badNonce: false };
  const app: FastifyInstance = Fastify();
  await app.register(formbody);
  let issuer = '';
  app.get('/.well-known/openid-configuration', async () => ({
    issuer, authorization_endpoint: `${issuer}/authorize`, token_endpoint: `${issuer}/token`, jwks_uri: `${issuer}/jwks`,
    response_types_supported: ['code'], subject_types_supported: ['public'], id_token_signing_alg_values_supported: ['RS256'],
    token_endpoint_auth_methods_supported: ['client_secret_post'], code_challenge_methods_supported: ['S256'],
  }));
  app.get('/jwks', async () => ({ keys: [jwk] }));
  app.get<{ Querystring: Record<string, string> }>('/authorize', async (req, reply) => {
    const q = req.query;
    const code = randomBytes(12).toString('hex');
    codes.set(code, { nonce: q.nonce!, challenge: q.code_challenge!, redirect: q.redirect_uri!, clientId: q.client_id! });
    return reply.redirect(`${q.redirect_uri}?code=${code}&state=${encodeURIComponent(q.state!)}&iss=${encodeURIComponent(issuer)}`);
  });
  app.post<{ Body: Record<string, string> }>('/token', async (req, reply) => {
    const b = req.body;
    const c = codes.get(b.code!);
    codes.delete(b.code!);
    if (!c || b.client_secret !== 'test-secret' || b.redirect_uri !== c.redirect) return reply.code(400).send({ error: 'invalid_grant' });
    if (b64u(createHash('sha256').update(b.code_verifier!).digest()) !== c.challenge) return reply.code(400).send({ error: 'invalid_grant' });
    const now = Math.floor(Date.now() / 1000);
    const payload = { iss: issuer, sub: subject, aud: c.clientId, iat: now, exp: now + 300, nonce: tamper.badNonce ? 'other' : c.nonce, ...claims };
    const head = b64u(JSON.stringify({ alg: 'RS256', kid: 'k1', typ: 'JWT' }));
    const body = b64u(JSON.stringify(payload));
    const sig = createSign('RSA-SHA256').update(`${head}.${body}`).sign(privateKey);
    return { access_token: randomBytes(16).toString('hex'), token_type: 'Bearer', expires_in: 300, id_token: `${head}.${body}.${b64u(sig)}` };
  });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  issuer = address;
  return { url: address, close: () => app.close(), tamper };
}

describe.each(engines())('single sign-on (OpenID Connect) on %s', (engine) => {
  let t: TestApp;
  let provider: Awaited<ReturnType<typeof startProvider>>;
  beforeAll(async () => {
    provider = await startProvider('prov-user-42', { name: '刘统一', id_number: '11010519491231002X' });
    t = await createTestApp(engine, { YIWANG_OIDC_ISSUER: provider.url, YIWANG_OIDC_CLIENT_ID: 'yiwang', YIWANG_OIDC_CLIENT_SECRET: 'test-secret' });
  });
  afterAll(async () => {
    await t?.close();
    await provider?.close();
  });

  async function journey(): Promise<{ status: number; location?: string; sid?: string; body: string }> {
    const start = await t.app.inject({ url: '/auth/oidc/login?next=/me' });
    expect(start.statusCode).toBe(302);
    const flow = start.cookies.find((c) => c.name === 'yw_oidc')!;
    const atProvider = await fetch(start.headers.location as string, { redirect: 'manual' });
    const back = new URL(atProvider.headers.get('location')!);
    const cb = await t.app.inject({ url: back.pathname + back.search, cookies: { yw_oidc: flow.value } });
    return { status: cb.statusCode, location: cb.headers.location as string | undefined, sid: cb.cookies.find((c) => c.name === 'yw_sid')?.value, body: cb.body };
  }

  it('offers the provider on the login page and signs a citizen in, creating a linked account once', async () => {
    const page = await t.app.inject({ url: '/login' });
    expect(page.body).toContain('/auth/oidc/login');
    const first = await journey();
    expect(first.status).toBe(303);
    expect(first.location).toBe('/me');
    const me = await t.app.inject({ url: '/api/v1/me', cookies: { yw_sid: first.sid! } });
    expect(me.json()).toMatchObject({ kind: 'citizen', idNumber: '110105********002X' });
    const second = await journey();
    const me2 = await t.app.inject({ url: '/api/v1/me', cookies: { yw_sid: second.sid! } });
    expect(me2.json().id).toBe(me.json().id);
  });

  it('refuses a callback whose ID token carries the wrong nonce, or that has no flow cookie', async () => {
    provider.tamper.badNonce = true;
    const bad = await journey();
    provider.tamper.badNonce = false;
    expect(bad.status).toBe(401);
    expect(bad.sid).toBeUndefined();
    expect(bad.body).toContain('OIDC_FAILED');
    const noCookie = await t.app.inject({ url: '/auth/oidc/callback?code=x&state=y' });
    expect(noCookie.statusCode).toBe(401);
  });
});
