import type { FastifyInstance, FastifyReply } from 'fastify';
import type { DomainError } from '../../lib/errors.ts';
import { SESSION_COOKIE, sendApiError } from '../../web/context.ts';
import { idParams, idSchema } from '../../web/ids.ts';
import { LOGIN_LIMIT, PUBLIC_WRITE_LIMIT } from '../../web/limits.ts';
import { viewAccount } from './identity.service.ts';

const errorSchema = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        fields: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } } },
      },
      required: ['code', 'message'],
    },
  },
} as const;

export const errorResponses = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema, 423: errorSchema, 429: errorSchema };

const accountSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    kind: { type: 'string', enum: ['staff', 'citizen'] },
    username: { type: ['string', 'null'] },
    displayName: { type: 'string' },
    mobile: { type: ['string', 'null'], description: 'masked' },
    email: { type: ['string', 'null'], description: 'masked' },
    idNumber: { type: ['string', 'null'], description: 'masked' },
    departmentId: { type: ['integer', 'null'] },
    roles: { type: 'array', items: { type: 'string' } },
    status: { type: 'string' },
  },
} as const;

const departmentSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    code: { type: 'string' },
    name: { type: 'string' },
    name_en: { type: ['string', 'null'] },
    parent_id: { type: ['integer', 'null'] },
  },
} as const;

export function sessionCookieOptions(secure: boolean, expires: Date) {
  return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure, expires };
}

/** JSON API for accounts, sessions and departments under /api/v1. */
export async function identityApi(app: FastifyInstance): Promise<void> {
  const { identity, config } = app.services;
  const fail = (reply: FastifyReply, e: DomainError, lang: 'zh-CN' | 'en') => sendApiError(reply, e, lang);

  app.post<{ Body: Record<string, unknown> }>('/auth/register', {
    config: PUBLIC_WRITE_LIMIT,
    schema: {
      tags: ['identity'],
      summary: 'Register a citizen account (real name)',
      body: {
        type: 'object',
        required: ['password', 'realName', 'idNumber'],
        properties: {
          mobile: { type: 'string', maxLength: 32 },
          email: { type: 'string', maxLength: 254 },
          password: { type: 'string', maxLength: 128 },
          realName: { type: 'string', maxLength: 50 },
          idNumber: { type: 'string', maxLength: 32 },
        },
        additionalProperties: false,
      },
      response: { 201: accountSchema, ...errorResponses },
    },
  }, async (req, reply) => {
    const r = await identity.registerCitizen(req.body, { address: req.ip });
    if (!r.ok) return fail(reply, r.error, req.ctx.lang);
    return reply.code(201).send(viewAccount(r.value, true));
  });

  app.post<{ Body: { identifier: string; password: string } }>('/auth/login', {
    config: LOGIN_LIMIT,
    schema: {
      tags: ['identity'],
      summary: 'Sign in; sets the session cookie and returns a bearer token for API clients',
      body: {
        type: 'object',
        required: ['identifier', 'password'],
        properties: { identifier: { type: 'string', maxLength: 256 }, password: { type: 'string', maxLength: 256 } },
        additionalProperties: false,
      },
      response: {
        200: { type: 'object', properties: { token: { type: 'string' }, expiresAt: { type: 'string', format: 'date-time' }, account: accountSchema } },
        ...errorResponses,
      },
    },
  }, async (req, reply) => {
    const r = await identity.login(req.body.identifier, req.body.password);
    if (!r.ok) return fail(reply, r.error, req.ctx.lang);
    // A new session on every sign-in; the one the caller already had ends.
    await identity.logout(req.ctx.sessionToken, req.ctx.principal);
    reply.setCookie(SESSION_COOKIE, r.value.token, sessionCookieOptions(config.secureCookies, r.value.cookieExpiresAt));
    return { token: r.value.token, expiresAt: r.value.expiresAt.toISOString(), account: viewAccount(r.value.user, true) };
  });

  app.post('/auth/logout', { schema: { tags: ['identity'], summary: 'Sign out (ends the session)', response: { 204: { type: 'null' } } } }, async (req, reply) => {
    await identity.logout(req.ctx.sessionToken, req.ctx.principal);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.code(204).send();
  });

  app.get('/me', { schema: { tags: ['identity'], summary: 'The signed-in account (personal data masked)', response: { 200: accountSchema, ...errorResponses } } }, async (req, reply) => {
    const r = await identity.profile(req.ctx.principal);
    if (!r.ok) return fail(reply, r.error, req.ctx.lang);
    return r.value;
  });

  app.post<{ Body: { currentPassword: string; newPassword: string } }>('/me/password', {
    config: LOGIN_LIMIT,
    schema: {
      tags: ['identity'],
      summary: 'Change the password; other sessions are ended',
      body: {
        type: 'object',
        required: ['currentPassword', 'newPassword'],
        properties: { currentPassword: { type: 'string', maxLength: 256 }, newPassword: { type: 'string', maxLength: 256 } },
        additionalProperties: false,
      },
      response: { 204: { type: 'null' }, ...errorResponses },
    },
  }, async (req, reply) => {
    const r = await identity.changePassword(req.ctx.principal, req.ctx.sessionId ?? '', req.body.currentPassword, req.body.newPassword);
    if (!r.ok) return fail(reply, r.error, req.ctx.lang);
    return reply.code(204).send();
  });

  app.get('/departments', { schema: { tags: ['identity'], summary: 'Departments (public)', response: { 200: { type: 'array', items: departmentSchema } } } }, async () => {
    return (await identity.departments()).map((d) => ({ id: d.id, code: d.code, name: d.name, name_en: d.name_en, parent_id: d.parent_id }));
  });

  app.post<{ Body: Record<string, unknown> }>('/departments', {
    schema: {
      tags: ['identity'],
      summary: 'Create a department (system administrator)',
      body: {
        type: 'object',
        required: ['code', 'name'],
        properties: { code: { type: 'string', maxLength: 40 }, name: { type: 'string', maxLength: 100 }, nameEn: { type: 'string', maxLength: 200 }, parentId: { ...idSchema, type: ['integer', 'null'] } },
        additionalProperties: false,
      },
      response: { 201: departmentSchema, ...errorResponses },
    },
  }, async (req, reply) => {
    const r = await identity.createDepartment(req.ctx.principal, req.body);
    if (!r.ok) return fail(reply, r.error, req.ctx.lang);
    const d = r.value;
    return reply.code(201).send({ id: d.id, code: d.code, name: d.name, name_en: d.name_en, parent_id: d.parent_id });
  });

  app.get<{ Querystring: { limit?: number; offset?: number } }>('/staff', {
    schema: {
      tags: ['identity'],
      summary: 'Staff accounts the caller may see (masked)',
      querystring: { type: 'object', properties: { limit: { type: 'integer', minimum: 1, maximum: 500 }, offset: { type: 'integer', minimum: 0 } } },
      response: { 200: { type: 'array', items: accountSchema }, ...errorResponses },
    },
  }, async (req, reply) => {
    const r = await identity.listStaff(req.ctx.principal, req.query.limit ?? 100, req.query.offset ?? 0);
    if (!r.ok) return fail(reply, r.error, req.ctx.lang);
    return r.value;
  });

  app.post<{ Body: Record<string, unknown> }>('/staff', {
    schema: {
      tags: ['identity'],
      summary: 'Create a staff account (system administrator)',
      body: {
        type: 'object',
        required: ['username', 'password', 'displayName', 'roles'],
        properties: {
          username: { type: 'string', maxLength: 32 },
          password: { type: 'string', maxLength: 128 },
          displayName: { type: 'string', maxLength: 50 },
          departmentId: { ...idSchema, type: ['integer', 'null'] },
          roles: { type: 'array', items: { type: 'string' }, minItems: 1, maxItems: 7 },
        },
        additionalProperties: false,
      },
      response: { 201: accountSchema, ...errorResponses },
    },
  }, async (req, reply) => {
    const r = await identity.createStaff(req.ctx.principal, req.body);
    if (!r.ok) return fail(reply, r.error, req.ctx.lang);
    return reply.code(201).send(viewAccount(r.value, true));
  });

  for (const [action, status] of [['disable', 'disabled'], ['enable', 'active']] as const) {
    app.post<{ Params: { id: number } }>(`/staff/:id/${action}`, {
      schema: {
        tags: ['identity'],
        summary: action === 'disable' ? 'Disable a staff account; its sessions end (system administrator)' : 'Enable a staff account (system administrator)',
        params: idParams,
        response: { 200: accountSchema, ...errorResponses },
      },
    }, async (req, reply) => {
      const r = await identity.setStaffStatus(req.ctx.principal, req.params.id, status);
      if (!r.ok) return fail(reply, r.error, req.ctx.lang);
      return r.value;
    });
  }

  app.post<{ Params: { id: number }; Body: { password: string } }>('/staff/:id/password', {
    schema: {
      tags: ['identity'],
      summary: 'Set a new initial password for a staff account; its sessions end, a lock is cleared (system administrator)',
      params: idParams,
      body: { type: 'object', required: ['password'], properties: { password: { type: 'string', maxLength: 128 } }, additionalProperties: false },
      response: { 204: { type: 'null' }, ...errorResponses },
    },
  }, async (req, reply) => {
    const r = await identity.resetStaffPassword(req.ctx.principal, req.params.id, req.body.password);
    if (!r.ok) return fail(reply, r.error, req.ctx.lang);
    return reply.code(204).send();
  });

  app.patch<{ Params: { id: number }; Body: Record<string, unknown> }>('/staff/:id', {
    schema: {
      tags: ['identity'],
      summary: 'Change a staff account’s roles and department (system administrator)',
      params: idParams,
      body: {
        type: 'object',
        required: ['roles', 'departmentId'],
        properties: {
          departmentId: { ...idSchema, type: ['integer', 'null'] },
          roles: { type: 'array', items: { type: 'string', maxLength: 32 }, minItems: 1, maxItems: 7 },
        },
        additionalProperties: false,
      },
      response: { 200: accountSchema, ...errorResponses },
    },
  }, async (req, reply) => {
    const r = await identity.updateStaffAccess(req.ctx.principal, req.params.id, req.body);
    if (!r.ok) return fail(reply, r.error, req.ctx.lang);
    return r.value;
  });

  app.get('/audit/verify', {
    schema: {
      tags: ['audit'],
      summary: 'Verify the audit chain (system administrator)',
      response: { 200: { type: 'object', additionalProperties: true }, ...errorResponses },
    },
  }, async (req, reply) => {
    const r = await app.services.audit.verifyAs(app.services.database.db, req.ctx.principal);
    if (!r.ok) return fail(reply, r.error, req.ctx.lang);
    return r.value;
  });
}
