import type { FastifyInstance } from 'fastify';
import * as client from 'openid-client';
import { defineErrors } from '../../lib/errors.ts';
import { localPath } from '../../lib/local-path.ts';
import { SESSION_COOKIE, sendErrorPage } from '../../web/context.ts';
import { LOGIN_LIMIT } from '../../web/limits.ts';
import { sessionCookieOptions } from '../identity/identity.routes.ts';
import type { ModuleDefinition } from '../registry.ts';

export const oidcError = defineErrors({
  OIDC_NOT_CONFIGURED: { kind: 'not_found', message: '本平台未启用统一身份认证登录。', en: 'Single sign-on is not enabled.' },
  OIDC_FAILED: { kind: 'unauthenticated', message: '统一身份认证登录未完成，请重试。', en: 'Single sign-on did not complete; please try again.' },
  OIDC_UNAVAILABLE: { kind: 'unavailable', message: '统一身份认证服务暂时无法连接，请稍后再试或使用账号密码登录。', en: 'The identity service cannot be reached.' },
});

const FLOW_COOKIE = 'yw_oidc';

/**
 * OpenID Connect login against a province's unified identity service (authorization code flow with PKCE, state
 * and nonce). Enabled when YIWANG_OIDC_ISSUER, _CLIENT_ID and _CLIENT_SECRET are set.
 */
async function routes(app: FastifyInstance): Promise<void> {
  const { config, identity } = app.services;
  const oidc = config.oidc;
  let discovered: Promise<client.Configuration> | undefined;
  const configuration = () => {
    if (!oidc) throw new Error('not configured');
    const issuer = new URL(oidc.issuer);
    // Plain HTTP only for an identity service on this machine (development and tests).
    const loopback = issuer.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(issuer.hostname);
    discovered ??= client
      .discovery(issuer, oidc.clientId, oidc.clientSecret, undefined, loopback ? { execute: [client.allowInsecureRequests] } : undefined)
      .catch((err: unknown) => {
        discovered = undefined;
        throw err;
      });
    return discovered;
  };
  // Normalised (default ports dropped) so the authorize and token requests name the very same redirect URI. The Host
  // header is used only in development and tests: in production the configuration requires YIWANG_PUBLIC_URL.
  const callbackUrl = (req: { protocol: string; host: string }) => new URL('/auth/oidc/callback', config.publicUrl ?? `${req.protocol}://${req.host}`).href;

  app.get<{ Querystring: { next?: string } }>('/auth/oidc/login', { config: LOGIN_LIMIT }, async (req, reply) => {
    if (!oidc) return sendErrorPage(req, reply, oidcError('OIDC_NOT_CONFIGURED').error);
    let conf: client.Configuration;
    try {
      conf = await configuration();
    } catch {
      return sendErrorPage(req, reply, oidcError('OIDC_UNAVAILABLE').error);
    }
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const next = localPath(req.query.next, '/me');
    reply.setCookie(FLOW_COOKIE, JSON.stringify({ verifier, state, nonce, next }), {
      path: '/auth/oidc', httpOnly: true, sameSite: 'lax', secure: config.secureCookies, signed: true, maxAge: 600,
    });
    const url = client.buildAuthorizationUrl(conf, {
      redirect_uri: callbackUrl(req),
      scope: 'openid profile',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    return reply.redirect(url.href, 302);
  });

  app.get('/auth/oidc/callback', { config: LOGIN_LIMIT }, async (req, reply) => {
    if (!oidc) return sendErrorPage(req, reply, oidcError('OIDC_NOT_CONFIGURED').error);
    const raw = req.cookies[FLOW_COOKIE];
    const unsigned = raw ? req.unsignCookie(raw) : undefined;
    reply.clearCookie(FLOW_COOKIE, { path: '/auth/oidc' });
    if (!unsigned?.valid || !unsigned.value) return sendErrorPage(req, reply, oidcError('OIDC_FAILED').error);
    let flow: { verifier: string; state: string; nonce: string; next: string };
    try {
      flow = JSON.parse(unsigned.value) as typeof flow;
    } catch {
      return sendErrorPage(req, reply, oidcError('OIDC_FAILED').error);
    }
    let claims: client.IDToken | undefined;
    try {
      const conf = await configuration();
      const current = new URL(callbackUrl(req));
      current.search = new URL(req.url, 'http://x').search;
      const tokens = await client.authorizationCodeGrant(conf, current, {
        pkceCodeVerifier: flow.verifier, expectedState: flow.state, expectedNonce: flow.nonce, idTokenExpected: true,
      });
      claims = tokens.claims();
    } catch (err) {
      req.log.warn({ err: (err as Error).message }, 'oidc callback rejected');
      return sendErrorPage(req, reply, oidcError('OIDC_FAILED').error);
    }
    if (!claims) return sendErrorPage(req, reply, oidcError('OIDC_FAILED').error);
    const r = await identity.loginWithOidc(claims.iss, claims.sub, { name: claims.name, idNumber: claims.id_number, mobile: claims.phone_number, email: claims.email });
    if (!r.ok) return sendErrorPage(req, reply, r.error);
    await identity.logout(req.ctx.sessionToken, req.ctx.principal);
    reply.setCookie(SESSION_COOKIE, r.value.token, sessionCookieOptions(config.secureCookies, r.value.cookieExpiresAt));
    return reply.redirect(flow.next, 303);
  });
}

const oidcModule: ModuleDefinition = { name: 'oidc', order: 10, routes };
export default oidcModule;
