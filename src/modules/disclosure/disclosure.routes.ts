import type { FastifyInstance } from 'fastify';
import { sendApiError } from '../../web/context.ts';
import { idParams, idSchema } from '../../web/ids.ts';
import { PUBLIC_WRITE_LIMIT } from '../../web/limits.ts';
import { errorResponses } from '../identity/identity.routes.ts';

const tags = ['disclosure'];
const anyObject = { type: 'object', additionalProperties: true } as const;
const docBody = {
  type: 'object',
  required: ['title', 'issuer', 'issuedOn', 'body'],
  properties: {
    indexNo: { type: 'string', maxLength: 60 },
    categoryId: idSchema,
    category: { type: 'string', maxLength: 40, description: 'category code (instead of categoryId)' },
    departmentId: idSchema,
    title: { type: 'string', maxLength: 200 },
    issuer: { type: 'string', maxLength: 100 },
    docNumber: { type: 'string', maxLength: 100 },
    issuedOn: { type: 'string', maxLength: 10 },
    validFrom: { type: 'string', maxLength: 10 },
    validUntil: { type: 'string', maxLength: 10 },
    validity: { type: 'string', enum: ['valid', 'amended', 'repealed', 'expired'] },
    body: { type: 'string', maxLength: 200000 },
    keywords: { type: 'string', maxLength: 200 },
    attachments: { type: 'array', maxItems: 20, items: { type: 'object', required: ['name', 'url'], properties: { name: { type: 'string', maxLength: 200 }, url: { type: 'string', maxLength: 500 } } } },
  },
  additionalProperties: false,
} as const;

/** JSON API of the disclosure catalogue and of disclosure on request, under /api/v1/disclosure. */
export async function disclosureApi(app: FastifyInstance): Promise<void> {
  const svc = app.services.disclosure;

  app.get('/api/v1/disclosure/categories', { schema: { tags, summary: 'The disclosure catalogue categories (a tree)', response: { 200: { type: 'array', items: anyObject } } } }, async () => svc.categoryTree());

  app.get<{ Querystring: { category?: string; department?: number; page?: number; pageSize?: number } }>('/api/v1/disclosure/documents', {
    schema: {
      tags, summary: 'Published (and withdrawn, marked so) documents, by category and/or department',
      querystring: { type: 'object', properties: { category: { type: 'string', maxLength: 40 }, department: idSchema, page: { type: 'integer', minimum: 1 }, pageSize: { type: 'integer', minimum: 1, maximum: 100 } } },
      response: { 200: { type: 'object', properties: { total: { type: 'integer' }, items: { type: 'array', items: anyObject } } }, ...errorResponses },
    },
  }, async (req, reply) => {
    const q = req.query;
    const r = await svc.listPublic({ ...(q.category ? { categoryCode: q.category } : {}), ...(q.department ? { departmentId: q.department } : {}), ...(q.page ? { page: q.page } : {}), ...(q.pageSize ? { pageSize: q.pageSize } : {}) });
    if (!r.ok) return sendApiError(reply, r.error, req.ctx.lang);
    return { total: r.value.total, items: r.value.items };
  });

  app.get<{ Params: { id: number } }>('/api/v1/disclosure/documents/:id', {
    schema: { tags, summary: 'One published or withdrawn document', params: idParams, response: { 200: anyObject, ...errorResponses } },
  }, async (req, reply) => {
    const r = await svc.publicDocument(req.params.id);
    if (!r.ok) return sendApiError(reply, r.error, req.ctx.lang);
    return r.value;
  });

  app.get<{ Querystring: { since?: string; limit?: number } }>('/api/v1/disclosure/changes', {
    schema: {
      tags, summary: 'For the search indexer: published documents changed since a time, and withdrawals',
      querystring: { type: 'object', properties: { since: { type: 'string', format: 'date-time' }, limit: { type: 'integer', minimum: 1, maximum: 5000 } } },
      response: { 200: anyObject },
    },
  }, async (req) => svc.changesSince(new Date(req.query.since ?? 0), req.query.limit ?? 500));

  app.post<{ Body: Record<string, unknown> }>('/api/v1/disclosure/documents', {
    schema: { tags, summary: 'Create a draft document (clerk or department head)', body: docBody, response: { 201: anyObject, ...errorResponses } },
  }, async (req, reply) => {
    const r = await svc.createDocument(req.ctx.principal, req.body);
    if (!r.ok) return sendApiError(reply, r.error, req.ctx.lang);
    return reply.code(201).send(r.value);
  });

  app.put<{ Params: { id: number }; Body: Record<string, unknown> }>('/api/v1/disclosure/documents/:id', {
    schema: { tags, summary: 'Edit a draft document', params: idParams, body: docBody, response: { 200: anyObject, ...errorResponses } },
  }, async (req, reply) => {
    const r = await svc.updateDocument(req.ctx.principal, req.params.id, req.body);
    if (!r.ok) return sendApiError(reply, r.error, req.ctx.lang);
    return r.value;
  });

  app.post<{ Params: { id: number; action: string }; Body: { reason?: string; validity?: string } }>('/api/v1/disclosure/documents/:id/:action', {
    schema: {
      tags, summary: 'Workflow: submit (draft → review), publish / reject (department head), withdraw (with reason), validity',
      params: { type: 'object', required: ['id', 'action'], properties: { id: idSchema, action: { type: 'string', enum: ['submit', 'publish', 'reject', 'withdraw', 'validity'] } } },
      body: { type: 'object', properties: { reason: { type: 'string', maxLength: 500 }, validity: { type: 'string', enum: ['valid', 'amended', 'repealed', 'expired'] } }, additionalProperties: false },
      response: { 200: anyObject, ...errorResponses },
    },
  }, async (req, reply) => {
    const p = req.ctx.principal;
    const { id, action } = req.params;
    const reason = req.body?.reason ?? '';
    const r = action === 'submit' ? await svc.submit(p, id)
      : action === 'publish' ? await svc.publish(p, id, reason)
      : action === 'reject' ? await svc.reject(p, id, reason)
      : action === 'withdraw' ? await svc.withdraw(p, id, reason)
      : await svc.setValidity(p, id, (req.body?.validity ?? '') as never);
    if (!r.ok) return sendApiError(reply, r.error, req.ctx.lang);
    return r.value;
  });

  app.post<{ Body: Record<string, unknown> }>('/api/v1/disclosure/requests', {
    config: PUBLIC_WRITE_LIMIT,
    schema: {
      tags, summary: 'Apply for disclosure (依申请公开; signed-in citizen, for themselves or a company)',
      body: {
        type: 'object', required: ['departmentId', 'description'],
        properties: {
          applicantKind: { type: 'string', enum: ['citizen', 'company'] }, companyName: { type: 'string', maxLength: 200 }, uscc: { type: 'string', maxLength: 30 },
          departmentId: idSchema, description: { type: 'string', maxLength: 5000 }, purpose: { type: 'string', maxLength: 1000 },
          delivery: { type: 'string', enum: ['online', 'post', 'pickup'] }, contactPhone: { type: 'string', maxLength: 30 },
          postalAddress: { type: 'string', maxLength: 200 }, postcode: { type: 'string', maxLength: 10 },
        },
        additionalProperties: false,
      },
      response: { 201: anyObject, ...errorResponses },
    },
  }, async (req, reply) => {
    const r = await svc.apply(req.ctx.principal, req.body);
    if (!r.ok) return sendApiError(reply, r.error, req.ctx.lang);
    return reply.code(201).send(r.value);
  });

  app.get<{ Querystring: { open?: boolean } }>('/api/v1/disclosure/requests', {
    schema: { tags, summary: "Requests: staff see their department's (masked), citizens their own", querystring: { type: 'object', properties: { open: { type: 'boolean' } } }, response: { 200: { type: 'array', items: anyObject }, ...errorResponses } },
  }, async (req, reply) => {
    const p = req.ctx.principal;
    const r = p.kind === 'citizen' ? await svc.myRequests(p) : await svc.listRequests(p, { ...(req.query.open ? { open: true } : {}) });
    if (!r.ok) return sendApiError(reply, r.error, req.ctx.lang);
    return r.value;
  });

  app.get<{ Params: { id: number } }>('/api/v1/disclosure/requests/:id', {
    schema: { tags, summary: 'One request with its statutory clock', params: idParams, response: { 200: anyObject, ...errorResponses } },
  }, async (req, reply) => {
    const r = await svc.request(req.ctx.principal, req.params.id);
    if (!r.ok) return sendApiError(reply, r.error, req.ctx.lang);
    return r.value;
  });

  app.post<{ Params: { id: number; action: string }; Body: Record<string, unknown> }>('/api/v1/disclosure/requests/:id/:action', {
    schema: {
      tags, summary: 'Handle a request: clarify (pause), clarified (resume), clarification (the applicant answers online; resumes), extend (once, +20 working days), answer, publish (redacted)',
      params: { type: 'object', required: ['id', 'action'], properties: { id: idSchema, action: { type: 'string', enum: ['clarify', 'clarified', 'clarification', 'extend', 'answer', 'publish'] } } },
      body: { type: 'object', properties: { reason: { type: 'string', maxLength: 1000 }, clarification: { type: 'string', maxLength: 5000 }, outcome: { type: 'string', maxLength: 40 }, legalGround: { type: 'string', maxLength: 40 }, answerText: { type: 'string', maxLength: 20000 } }, additionalProperties: false },
      response: { 200: anyObject, ...errorResponses },
    },
  }, async (req, reply) => {
    const p = req.ctx.principal;
    const { id, action } = req.params;
    const b = req.body ?? {};
    const reason = typeof b.reason === 'string' ? b.reason : '';
    const r = action === 'clarify' ? await svc.askClarification(p, id, reason)
      : action === 'clarified' ? await svc.clarificationReceived(p, id)
      : action === 'clarification' ? await svc.submitClarification(p, id, typeof b.clarification === 'string' ? b.clarification : '')
      : action === 'extend' ? await svc.extend(p, id, reason)
      : action === 'answer' ? await svc.answer(p, id, b)
      : await svc.publishAnswer(p, id);
    if (!r.ok) return sendApiError(reply, r.error, req.ctx.lang);
    return r.value;
  });
}
