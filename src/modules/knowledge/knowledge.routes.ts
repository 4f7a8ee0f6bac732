import type { FastifyInstance } from 'fastify';
import { sendApiError } from '../../web/context.ts';
import { idParams, idSchema } from '../../web/ids.ts';
import { errorResponses } from '../identity/identity.routes.ts';
import type { ArticleInput } from './knowledge.service.ts';
import type { ArticleStatus } from './knowledge.types.ts';

const tags = ['knowledge'];
const anyObject = { type: 'object', additionalProperties: true } as const;
const links = { type: 'object', properties: { services: { type: 'array', maxItems: 50, items: { type: 'string', maxLength: 200 } }, policies: { type: 'array', maxItems: 50, items: { type: 'string', maxLength: 200 } } }, additionalProperties: false } as const;
const articleProps = {
  title: { type: 'string', maxLength: 200 }, body: { type: 'string', maxLength: 50000 }, departmentId: idSchema,
  visibility: { type: 'string', enum: ['public', 'staff'] }, reviewBy: { type: ['string', 'null'], maxLength: 10 }, links,
} as const;

/** JSON API of the knowledge base under /api/v1/knowledge. */
export async function knowledgeApi(app: FastifyInstance): Promise<void> {
  const svc = app.services.knowledge;
  const send = <T>(reply: import('fastify').FastifyReply, lang: import('../../web/i18n.ts').Lang, r: { ok: true; value: T } | { ok: false; error: import('../../lib/errors.ts').DomainError }, code = 200) =>
    r.ok ? reply.code(code).send(r.value) : sendApiError(reply, r.error, lang);

  app.get<{ Querystring: { status?: string; due?: boolean } }>('/api/v1/knowledge', {
    schema: { tags, summary: 'Articles of the caller’s departments (staff); due=true: review-by date reached', querystring: { type: 'object', properties: { status: { type: 'string', maxLength: 60 }, due: { type: 'boolean' } } }, response: { 200: { type: 'array', items: anyObject }, ...errorResponses } },
  }, async (req, reply) => send(reply, req.ctx.lang, await svc.list(req.ctx.principal, { ...(req.query.status ? { status: req.query.status.split(',') as ArticleStatus[] } : {}), ...(req.query.due ? { due: true } : {}) })));

  app.get<{ Querystring: { q: string; limit?: number } }>('/api/v1/knowledge/for-reply', {
    schema: { tags, summary: 'Reusable answers for a message text (staff): knowledge (incl. staff-only), published replies, policies', querystring: { type: 'object', required: ['q'], properties: { q: { type: 'string', maxLength: 2000 }, limit: { type: 'integer', minimum: 1, maximum: 20 } } }, response: { 200: { type: 'array', items: anyObject }, ...errorResponses } },
  }, async (req, reply) => send(reply, req.ctx.lang, await svc.findForReply(req.ctx.principal, req.query.q, req.query.limit ?? 5)));

  app.get<{ Params: { id: number } }>('/api/v1/knowledge/:id', {
    schema: { tags, summary: 'One article (public: published public articles; staff: with versions)', params: idParams, response: { 200: anyObject, ...errorResponses } },
  }, async (req, reply) => send(reply, req.ctx.lang, await svc.get(req.ctx.principal, req.params.id)));

  app.post<{ Body: ArticleInput }>('/api/v1/knowledge', {
    schema: { tags, summary: 'Create a draft article', body: { type: 'object', required: ['title', 'body'], properties: articleProps, additionalProperties: false }, response: { 201: anyObject, ...errorResponses } },
  }, async (req, reply) => send(reply, req.ctx.lang, await svc.create(req.ctx.principal, req.body), 201));

  app.put<{ Params: { id: number }; Body: Partial<ArticleInput> & { version: number } }>('/api/v1/knowledge/:id', {
    schema: { tags, summary: 'Edit: a new draft version (optimistic `version`)', params: idParams, body: { type: 'object', required: ['version'], properties: { ...articleProps, version: { type: 'integer' } }, additionalProperties: false }, response: { 200: anyObject, ...errorResponses } },
  }, async (req, reply) => {
    const { version, ...rest } = req.body;
    return send(reply, req.ctx.lang, await svc.edit(req.ctx.principal, req.params.id, version, rest));
  });

  for (const action of ['review', 'publish', 'archive'] as const) {
    app.post<{ Params: { id: number }; Body: { version: number } }>(`/api/v1/knowledge/:id/${action}`, {
      schema: { tags, summary: `Article: ${action}`, params: idParams, body: { type: 'object', required: ['version'], properties: { version: { type: 'integer' } } }, response: { 200: anyObject, ...errorResponses } },
    }, async (req, reply) => send(reply, req.ctx.lang, await svc[action](req.ctx.principal, req.params.id, req.body.version)));
  }
}
