import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance } from 'fastify';
import { commonError, type DomainError } from './lib/errors.ts';
import { ANONYMOUS } from './modules/identity/permissions.ts';
import { identityApi } from './modules/identity/identity.routes.ts';
import { identityPages } from './modules/identity/identity.pages.ts';
import { systemRoutes } from './modules/system/system.routes.ts';
import { loadModules } from './modules/registry.ts';
import type { Services } from './services.ts';
import { SESSION_COOKIE, isApiRequest, sendApiError, sendErrorPage } from './web/context.ts';
import { pickLang } from './web/i18n.ts';
import { noNulInPath } from './web/ids.ts';
import { sendFieldErrorPage, validationFields } from './web/validation.ts';
import { isUploadParseError } from './web/uploads.ts';

const here = dirname(fileURLToPath(import.meta.url));

declare module 'fastify' {
  interface FastifyInstance {
    services: Services;
  }
}

export interface AppOptions {
  /** Log requests (off in tests). */
  logger?: boolean;
}

/** Builds the HTTP application. Only the entry point listens; tests call `app.inject()`. */
/**
 * PostgreSQL data exceptions that a value taken from a request causes: numeric_value_out_of_range (22003),
 * invalid_text_representation (22P02, e.g. "1.5" for an integer), character_not_in_repertoire (22021, a NUL byte),
 * invalid_datetime_format (22007, e.g. 2026-13-01 for a date) and datetime_field_overflow (22008, 2026-02-30 or a year
 * beyond the column's range). Routes check such values first; this is the backstop for one that slipped through.
 */
const BAD_VALUE_SQLSTATES: ReadonlySet<string> = new Set(['22003', '22P02', '22021', '22007', '22008']);

/**
 * True when an Origin header names this host. `Origin: null` (a sandboxed frame, a file:// page, some redirects) and
 * anything unreadable are foreign: a cookie-authenticated write from them is refused (was an unhandled TypeError, 503).
 */
function sameOrigin(origin: string, host: string | undefined): boolean {
  if (!host) return true;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

export async function createApp(services: Services, opts: AppOptions = {}): Promise<FastifyInstance> {
  const { config } = services;
  const app = Fastify({
    // The process's logger (services.log, src/lib/log.ts: redaction, path-only requests, the worker's number).
    ...(opts.logger ? { loggerInstance: services.log as FastifyBaseLogger } : { logger: false }),
    bodyLimit: 1024 * 1024,
    trustProxy: config.trustProxy,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: true } },
  });
  app.decorate('services', services);
  app.decorateRequest('ctx', undefined as never);

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: config.secureCookies ? [] : null,
      },
    },
    hsts: config.secureCookies,
  });
  await app.register(cookie, { secret: config.sessionSecret });
  await app.register(formbody, { bodyLimit: 256 * 1024 });
  await app.register(csrf, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: 'yw_csrf',
    cookieOpts: { signed: true, httpOnly: true, sameSite: 'lax', path: '/', secure: config.secureCookies },
  });
  await app.register(rateLimit, {
    // Reads are cheap and not limited; login and public writes opt in per route (see web/limits.ts).
    global: false,
    max: config.rateLimitPerMinute,
    timeWindow: 60_000,
    errorResponseBuilder: (_req, ctx) => ({ statusCode: ctx.statusCode, code: 'RATE_LIMITED', retryAfter: ctx.after }),
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'yiwang API',
        description: '一网 yiwang — Internet + Government Services platform. Errors: {"error": {"code", "message"}} with stable codes (see docs/errors.md).',
        version: '1',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
    },
    hideUntagged: true,
  });
  await app.register(swaggerUi, { routePrefix: '/api/v1/docs', staticCSP: true });
  await app.register(fastifyStatic, { root: join(here, 'web', 'static'), prefix: '/static/', maxAge: '1h' });

  // Who is asking, in which language, at which text size.
  app.addHook('onRequest', async (req) => {
    const bearer = req.headers.authorization?.startsWith('Bearer ') ? req.headers.authorization.slice(7).trim() : undefined;
    const token = bearer ?? req.cookies[SESSION_COOKIE];
    const session = await services.identity.resolveSession(token);
    req.ctx = {
      principal: session?.principal ?? ANONYMOUS,
      user: session ? { id: session.user.id, displayName: session.user.display_name, kind: session.user.kind } : undefined,
      sessionToken: session ? token : undefined,
      sessionId: session?.sessionId,
      // Pages are Chinese unless the reader switches; API clients may ask for English with Accept-Language.
      lang: pickLang(req.cookies.lang, isApiRequest(req) ? req.headers['accept-language'] : undefined),
      largeText: req.cookies.large === '1',
    };
  });

  // CSRF: form posts carry a token; API writes must be JSON (a cross-site page cannot send JSON with cookies
  // without a CORS preflight, which we never grant) or authenticated with a bearer token.
  app.addHook('preHandler', (req, reply, done) => {
    const unsafe = !['GET', 'HEAD', 'OPTIONS'].includes(req.method);
    if (!unsafe) return done();
    if (isApiRequest(req)) {
      const type = String(req.headers['content-type'] ?? '');
      // The session comes from the cookie unless a bearer token is sent (the onRequest hook reads it the same way).
      const usesCookie = !req.headers.authorization?.startsWith('Bearer ') && req.cookies[SESSION_COOKIE] !== undefined;
      const origin = req.headers.origin;
      if (origin !== undefined && usesCookie && !sameOrigin(origin, req.headers.host)) {
        sendApiError(reply, commonError('CSRF_INVALID').error, req.ctx.lang);
        return;
      }
      if (usesCookie && !type.startsWith('application/json') && req.url.startsWith('/api/')) {
        sendApiError(reply, commonError('CSRF_INVALID').error, req.ctx.lang);
        return;
      }
      return done();
    }
    app.csrfProtection(req, reply, done);
  });

  // A NUL character in a path parameter answers 400 before any handler passes it to the database.
  app.addHook('preValidation', noNulInPath);

  app.setErrorHandler((err: FastifyError, req, reply) => {
    let error: DomainError;
    if (err.validation) {
      // Field messages in the reader's language (ajv's own are English); fields are property paths (items/0/name).
      error = commonError('VALIDATION_FAILED', validationFields(err.validation, req.ctx?.lang ?? 'zh-CN')).error;
    } else if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || err.statusCode === 413) {
      error = commonError('BODY_TOO_LARGE').error;
    } else if (err.code === 'FST_CSRF_INVALID_TOKEN' || err.code === 'FST_CSRF_MISSING_SECRET') {
      error = commonError('CSRF_INVALID').error;
    } else if (err.statusCode === 429) {
      error = commonError('RATE_LIMITED').error;
    } else if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      error = commonError('UNSUPPORTED_MEDIA_TYPE').error;
    } else if (isUploadParseError(req, err)) {
      // A multipart body cut off or malformed (was 503 and an "unhandled error" line).
      error = commonError('BAD_REQUEST').error;
    } else if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      error = commonError('BAD_REQUEST').error;
    } else if (BAD_VALUE_SQLSTATES.has(String(err.code))) {
      // The database refused a value of the request (an id like 1.5 or 99999999999999999999 in the address, a NUL
      // character): the request is at fault, not the server (was 503). A warning with the SQLSTATE only, so that a
      // value the code computed wrongly still shows in the log.
      req.log.warn({ sqlstate: err.code, url: req.routeOptions?.url }, 'request value refused by the database');
      error = commonError('BAD_REQUEST').error;
    } else {
      req.log.error({ err }, 'unhandled error');
      error = commonError('INTERNAL').error;
    }
    if (isApiRequest(req) || !req.ctx) return sendApiError(reply, error, req.ctx?.lang);
    if (error.fields?.length) return sendFieldErrorPage(req, reply, error);
    return sendErrorPage(req, reply, error);
  });

  app.setNotFoundHandler((req, reply) => {
    const error = commonError('NOT_FOUND').error;
    if (isApiRequest(req)) return sendApiError(reply, error, req.ctx?.lang);
    return sendErrorPage(req, reply, error);
  });

  await app.register(systemRoutes);
  await app.register(identityApi, { prefix: '/api/v1' });
  await app.register(identityPages);
  for (const m of await loadModules()) {
    if (m.routes) await app.register(m.routes);
  }
  return app;
}
