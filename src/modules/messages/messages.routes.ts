import type { FastifyInstance, FastifyRequest } from 'fastify';
import { commonError } from '../../lib/errors.ts';
import { sendApiError } from '../../web/context.ts';
import { idParams, idSchema } from '../../web/ids.ts';
import { withUploads } from '../../web/uploads.ts';
import { errorResponses } from '../identity/identity.routes.ts';
import type { ActionKind } from './flow.ts';
import { STATUSES, type TicketStatus } from './flow.ts';
import { MESSAGE_TYPES } from './messages.types.ts';
import { MAX_ATTACHMENTS, tooManyFiles } from './messages.service.ts';

const TAGS = ['messages'];

/** Rate limit for message intake: per signed-in account (staff hotline operators get more), else per address. */
export const INTAKE_LIMIT = {
  rateLimit: {
    max: (req: FastifyRequest) => (req.ctx?.principal.kind === 'staff' ? 100_000 : 30),
    timeWindow: 60_000,
    keyGenerator: (req: FastifyRequest) => {
      const p = req.ctx?.principal;
      return p && (p.kind === 'staff' || p.kind === 'citizen') ? `${p.kind}:${p.id}` : req.ip;
    },
  },
};

const messageBody = {
  type: 'object',
  required: ['title', 'content'],
  properties: {
    type: { type: 'string', enum: [...MESSAGE_TYPES] },
    title: { type: 'string', maxLength: 200 },
    content: { type: 'string', maxLength: 5000 },
    district: { type: 'string', maxLength: 50 },
    address: { type: 'string', maxLength: 200 },
    lat: { type: ['number', 'null'] },
    lng: { type: ['number', 'null'] },
    contactName: { type: 'string', maxLength: 50 },
    contactPhone: { type: 'string', maxLength: 32 },
    contactEmail: { type: 'string', maxLength: 254 },
    publishConsent: { type: 'boolean' },
    anonymous: { type: 'boolean' },
    files: {
      type: 'array', maxItems: MAX_ATTACHMENTS, items: { type: 'string', format: 'binary' },
      description: 'multipart/form-data only: up to 3 JPEG, PNG or PDF files (told by content), 5 MB each, in parts named `files`; refused in a JSON body',
    },
  },
  additionalProperties: false,
} as const;

const outcomeSchema = {
  type: 'object',
  properties: {
    ticketId: { type: 'integer' },
    messageId: { type: 'integer' },
    token: { type: 'string', description: 'tracking code (keep it to follow an anonymous message)' },
    status: { type: 'string' },
    departmentId: { type: ['integer', 'null'] },
    category: { type: ['string', 'null'] },
    confidence: { type: ['number', 'null'] },
    autoDispatched: { type: 'boolean' },
    deadline: { type: 'string', format: 'date' },
    replayed: { type: 'boolean' },
  },
} as const;

const anyObject = { type: 'object', additionalProperties: true } as const;

/** JSON API of citizen messages under /api/v1/messages. */
export async function messagesApi(app: FastifyInstance): Promise<void> {
  const { messages } = app.services;

  // JSON, or multipart/form-data with the same fields (as text: publishConsent=true) and up to 3 files under `files`,
  // stored with the message in one statement. A cookie session must send JSON (CSRF): multipart takes a bearer token
  // or no session at all.
  await withUploads(app, (sub) => sub.post<{ Body: Record<string, unknown> }>('/messages', {
    config: INTAKE_LIMIT,
    // The multipart reader stops at 5 files (FST_FILES_LIMIT, 413): that is too many attachments, not a body too large.
    errorHandler: (err, req, reply) => {
      if ((err as { code?: string }).code === 'FST_FILES_LIMIT') return sendApiError(reply, tooManyFiles().error, req.ctx.lang);
      throw err;
    },
    schema: {
      tags: TAGS,
      summary: 'Leave a message (citizen, anonymous when allowed, or staff for a hotline call); classified and routed. multipart/form-data also takes up to 3 files (`files`)',
      consumes: ['application/json', 'multipart/form-data'],
      body: messageBody,
      response: { 201: outcomeSchema, ...errorResponses },
    },
  }, async (req, reply) => {
    const p = req.ctx.principal;
    const lang = req.ctx.lang;
    const { files: inJson, ...body } = req.body;
    const uploads = req.uploads ?? [];
    // Files only as multipart parts named `files`: a JSON `files` or a part under another name would be lost silently.
    const misplaced = inJson !== undefined ? 'files' : uploads.find((u) => u.field !== 'files')?.field;
    if (misplaced !== undefined) {
      return sendApiError(reply, commonError('VALIDATION_FAILED', [{ field: misplaced, message: '附件须以 multipart/form-data 提交，字段名为 files。', messageEn: 'Send files as multipart/form-data parts named files.' }]).error, lang);
    }
    const r = await messages.submit(p, body, { channel: p.kind === 'staff' ? 'hotline' : 'api', attachments: uploads });
    if (!r.ok) return sendApiError(reply, r.error, lang);
    return reply.code(201).send(r.value);
  }));

  app.get<{ Querystring: { limit?: number; offset?: number } }>('/messages/mine', {
    schema: {
      tags: TAGS,
      summary: "The signed-in citizen's messages, newest first (我的留言)",
      querystring: {
        type: 'object',
        properties: {
          limit: { type: 'integer', minimum: 1, maximum: 200 },
          offset: { type: 'integer', minimum: 0, maximum: idSchema.maximum },
        },
      },
      response: {
        200: { type: 'array', items: anyObject, description: 'Up to `limit` messages (default 50, at most 200) from `offset`; the header `X-Total-Count` gives how many the citizen has.' },
        ...errorResponses,
      },
    },
  }, async (req, reply) => {
    const r = await messages.minePage(req.ctx.principal, { limit: req.query.limit ?? 50, offset: req.query.offset ?? 0 });
    if (!r.ok) return sendApiError(reply, r.error, req.ctx.lang);
    reply.header('x-total-count', String(r.value.total));
    return r.value.messages;
  });

  app.get<{ Params: { token: string } }>('/messages/track/:token', {
    schema: { tags: TAGS, summary: 'Follow a message by its tracking code (status and published reply)', params: { type: 'object', properties: { token: { type: 'string', maxLength: 64 } } }, response: { 200: anyObject, ...errorResponses } },
  }, async (req, reply) => {
    const r = await messages.track(req.ctx.principal, req.params.token);
    if (!r.ok) return sendApiError(reply, r.error, req.ctx.lang);
    return r.value;
  });

  app.get<{ Querystring: { queue?: boolean; status?: string; since?: string; afterId?: number; limit?: number; offset?: number } }>('/messages/tickets', {
    schema: {
      tags: TAGS,
      summary: 'Tickets the caller may see, by deadline (queue=true: the manual dispatch queue); for pollers, changed since a time (since, afterId: keyset paging by updatedAt and id) or after an id',
      querystring: {
        type: 'object',
        properties: {
          queue: { type: 'boolean' },
          status: { type: 'string', maxLength: 200 },
          since: { type: 'string', maxLength: 40, description: 'ISO 8601 time: tickets changed at or after it, ordered by (updatedAt, id); with afterId, the ones after that position' },
          afterId: { type: 'integer', minimum: 0, maximum: idSchema.maximum, description: 'with since: the id of the last ticket read at that updatedAt; alone: tickets with a greater id, by id' },
          limit: { type: 'integer', minimum: 1, maximum: 500 },
          offset: { type: 'integer', minimum: 0, maximum: idSchema.maximum },
        },
      },
      response: {
        200: {
          type: 'array', items: anyObject,
          description: 'Up to `limit` tickets (default 100, at most 500) from `offset`; the header `X-Total-Count` gives how many match the filter over all pages.',
        },
        ...errorResponses,
      },
    },
  }, async (req, reply) => {
    const asked = (req.query.status ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    const unknown = asked.filter((s) => !(STATUSES as readonly string[]).includes(s));
    // A misspelt status is refused: dropping it listed every ticket (status=repiled gave all of them).
    if (unknown.length) {
      return sendApiError(reply, commonError('VALIDATION_FAILED', [{
        field: 'status', message: `未知状态：${unknown.join('、')}；可选：${STATUSES.join('、')}。`, messageEn: `Unknown status: ${unknown.join(', ')}; one or more of: ${STATUSES.join(', ')}.`,
      }]).error, req.ctx.lang);
    }
    const statuses = asked as TicketStatus[];
    const r = await messages.listPage(req.ctx.principal, {
      ...(req.query.queue ? { queue: true } : {}),
      ...(statuses?.length ? { statuses } : {}),
      ...(req.query.since !== undefined ? { since: req.query.since } : {}),
      ...(req.query.afterId !== undefined ? { afterId: req.query.afterId } : {}),
      limit: req.query.limit ?? 100,
      offset: req.query.offset ?? 0,
    });
    if (!r.ok) return sendApiError(reply, r.error, req.ctx.lang);
    // The number of tickets matching the filter over all pages: page on with offset (or since/afterId) up to it.
    reply.header('x-total-count', String(r.value.total));
    return r.value.tickets;
  });

  app.get<{ Params: { id: number } }>('/messages/tickets/:id', {
    schema: { tags: TAGS, summary: 'One ticket with its messages and action log', params: idParams, response: { 200: anyObject, ...errorResponses } },
  }, async (req, reply) => {
    const r = await messages.ticket(req.ctx.principal, req.params.id);
    if (!r.ok) return sendApiError(reply, r.error, req.ctx.lang);
    return r.value;
  });

  app.post<{ Params: { id: number }; Body: { action: ActionKind; departmentId?: number; category?: string; note?: string; reply?: string; rating?: number; version?: number } }>('/messages/tickets/:id/actions', {
    schema: {
      tags: TAGS,
      summary: 'Act on a ticket: dispatch, transfer, return (退回), accept, reply, callback (回访), rate, close, reopen',
      params: idParams,
      body: {
        type: 'object',
        required: ['action'],
        properties: {
          action: { type: 'string', enum: ['dispatch', 'transfer', 'return', 'accept', 'reply', 'callback', 'rate', 'close', 'reopen'] },
          departmentId: idSchema,
          category: { type: 'string', maxLength: 50 },
          note: { type: 'string', maxLength: 2000 },
          reply: { type: 'string', maxLength: 10000 },
          rating: { type: 'integer', minimum: 1, maximum: 5 },
          version: { type: 'integer' },
        },
        additionalProperties: false,
      },
      response: { 200: anyObject, ...errorResponses },
    },
  }, async (req, reply) => {
    const { action, ...args } = req.body;
    const r = await messages.act(req.ctx.principal, req.params.id, action, args);
    if (!r.ok) return sendApiError(reply, r.error, req.ctx.lang);
    return r.value;
  });

  app.get<{ Params: { id: number } }>('/messages/tickets/:id/similar', {
    schema: { tags: TAGS, summary: 'Likely duplicates among open tickets (same issue, same place)', params: idParams, response: { 200: { type: 'array', items: anyObject }, ...errorResponses } },
  }, async (req, reply) => {
    const r = await messages.similar(req.ctx.principal, req.params.id);
    if (!r.ok) return sendApiError(reply, r.error, req.ctx.lang);
    return r.value;
  });

  app.post<{ Params: { id: number }; Body: { sourceId: number } }>('/messages/tickets/:id/merge', {
    schema: {
      tags: TAGS,
      summary: 'Merge another open ticket into this one (its authors get this reply)',
      params: idParams,
      body: { type: 'object', required: ['sourceId'], properties: { sourceId: idSchema }, additionalProperties: false },
      response: { 200: anyObject, ...errorResponses },
    },
  }, async (req, reply) => {
    const r = await messages.merge(req.ctx.principal, req.params.id, req.body.sourceId);
    if (!r.ok) return sendApiError(reply, r.error, req.ctx.lang);
    return r.value;
  });

  app.post<{ Params: { id: number }; Body: { draft: string } }>('/messages/tickets/:id/reply-hints', {
    schema: {
      tags: TAGS,
      summary: 'Quality hints for a draft reply (relevance, completeness, timeliness, politeness, basis); advisory',
      params: idParams,
      body: { type: 'object', required: ['draft'], properties: { draft: { type: 'string', maxLength: 10000 } }, additionalProperties: false },
      response: { 200: anyObject, ...errorResponses },
    },
  }, async (req, reply) => {
    const r = await messages.hintsFor(req.ctx.principal, req.params.id, req.body.draft);
    if (!r.ok) return sendApiError(reply, r.error, req.ctx.lang);
    return r.value;
  });

  app.get('/messages/stats', {
    schema: { tags: TAGS, summary: 'Tickets by status, open and late tickets per department (or the queue), satisfaction', response: { 200: anyObject, ...errorResponses } },
  }, async (req, reply) => {
    const r = await messages.stats(req.ctx.principal);
    if (!r.ok) return sendApiError(reply, r.error, req.ctx.lang);
    return r.value;
  });

  app.get('/messages/config', {
    schema: { tags: TAGS, summary: 'Category → department table, time limits per type, auto-dispatch threshold, follow-up period', response: { 200: anyObject, ...errorResponses } },
  }, async (req, reply) => {
    const r = await messages.configuration(req.ctx.principal);
    if (!r.ok) return sendApiError(reply, r.error, req.ctx.lang);
    return r.value;
  });

  app.put<{ Body: { routes?: Record<string, string>; limits?: Record<string, number>; autoThreshold?: number; reopenDays?: number } }>('/messages/config', {
    schema: {
      tags: TAGS,
      summary: 'Edit the routing table, time limits and settings (supervisors)',
      body: {
        type: 'object',
        properties: {
          routes: { type: 'object', additionalProperties: { type: 'string', maxLength: 40 } },
          limits: { type: 'object', additionalProperties: { type: 'integer' } },
          autoThreshold: { type: 'number', minimum: 0, maximum: 1 },
          reopenDays: { type: 'integer', minimum: 0, maximum: 365 },
        },
        additionalProperties: false,
      },
      response: { 204: { type: 'null' }, ...errorResponses },
    },
  }, async (req, reply) => {
    const r = await messages.configure(req.ctx.principal, req.body);
    if (!r.ok) return sendApiError(reply, r.error, req.ctx.lang);
    return reply.code(204).send();
  });

  app.get('/messages/routing-corrections', {
    schema: { tags: TAGS, summary: 'Routing corrections as JSON Lines for `yiwang train routing --corrections`', response: { 200: { type: 'string' }, ...errorResponses } },
  }, async (req, reply) => {
    const r = await messages.correctionsJsonl(req.ctx.principal);
    if (!r.ok) return sendApiError(reply, r.error, req.ctx.lang);
    return reply.type('application/x-ndjson; charset=utf-8').header('content-disposition', 'attachment; filename="routing-corrections.jsonl"').send(r.value);
  });

  app.post<{ Body: { code: string } }>('/messages/channels', {
    schema: {
      tags: TAGS,
      summary: 'Register a new-media webhook channel and get its signing secret (system administrator)',
      body: { type: 'object', required: ['code'], properties: { code: { type: 'string', maxLength: 40 } }, additionalProperties: false },
      response: { 201: { type: 'object', properties: { code: { type: 'string' }, secret: { type: 'string' } } }, ...errorResponses },
    },
  }, async (req, reply) => {
    const r = await messages.registerChannel(req.ctx.principal, req.body.code);
    if (!r.ok) return sendApiError(reply, r.error, req.ctx.lang);
    return reply.code(201).send(r.value);
  });

  // Webhooks need the raw body for the signature: their own JSON parser, in their own scope.
  await app.register(async (sub) => {
    sub.removeContentTypeParser('application/json');
    sub.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: 256 * 1024 }, (_req, body, done) => done(null, body));
    sub.post<{ Params: { channel: string }; Body: string }>('/messages/webhooks/:channel', {
      schema: {
        tags: TAGS,
        summary: 'New-media webhook (微博/微信): JSON {id, title, content, …} signed with X-Yiwang-Signature: sha256=<HMAC-SHA256 of the body>; idempotent by id',
        params: { type: 'object', properties: { channel: { type: 'string', maxLength: 40 } } },
        response: { 200: outcomeSchema, 201: outcomeSchema, ...errorResponses },
      },
    }, async (req, reply) => {
      const sig = req.headers['x-yiwang-signature'];
      const r = await messages.receiveWebhook(req.params.channel, typeof req.body === 'string' ? req.body : '', typeof sig === 'string' ? sig : undefined);
      if (!r.ok) return sendApiError(reply, r.error, req.ctx.lang);
      return reply.code(r.value.replayed ? 200 : 201).send(r.value);
    });
  });
}
