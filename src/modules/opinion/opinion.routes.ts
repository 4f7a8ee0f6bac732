import type { FastifyInstance } from 'fastify';
import { sendApiError } from '../../web/context.ts';
import { idParams, idSchema } from '../../web/ids.ts';
import { errorResponses } from '../identity/identity.routes.ts';
import type { ImportFormat } from './opinion.pure.ts';
import { LEVELS, WARNING_STATUSES, type WarningStatus } from './opinion.types.ts';

const tags = ['opinion'];
const anyObject = { type: 'object', additionalProperties: true } as const;
const errs = { ...errorResponses, 413: errorResponses[400] };
/** Largest webhook post (bytes); larger → 413 BODY_TOO_LARGE. */
export const WEBHOOK_BODY_LIMIT = 64 * 1024;
/** Largest import file (bytes). */
export const IMPORT_BODY_LIMIT = 20 * 1024 * 1024;

/** JSON API of public-opinion monitoring: sources, webhook intake, import, issues, warnings and the loop. */
export async function opinionApi(app: FastifyInstance): Promise<void> {
  const svc = app.services.opinion;

  app.get('/api/v1/opinion/sources', { schema: { tags, summary: 'Opinion sources and their last fetch (analysts, leaders)', response: { 200: { type: 'array', items: anyObject }, ...errs } } }, async (req, reply) => {
    const r = await svc.sources(req.ctx.principal);
    return r.ok ? r.value : sendApiError(reply, r.error, req.ctx.lang);
  });
  app.post<{ Body: Record<string, unknown> }>('/api/v1/opinion/sources', {
    schema: {
      tags, summary: 'Register a source: rss (url, pulled every fetchMinutes) or webhook (a shared secret is returned once)',
      body: { type: 'object', required: ['code', 'kind'], properties: { code: { type: 'string', maxLength: 40 }, kind: { type: 'string', enum: ['rss', 'webhook', 'import'] }, name: { type: 'string', maxLength: 100 }, url: { type: 'string', maxLength: 1000 }, fetchMinutes: { type: 'integer', minimum: 1, maximum: 1440 } }, additionalProperties: false },
      response: { 201: anyObject, ...errs },
    },
  }, async (req, reply) => {
    const r = await svc.addSource(req.ctx.principal, req.body);
    return r.ok ? reply.code(201).send(r.value) : sendApiError(reply, r.error, req.ctx.lang);
  });
  app.get('/api/v1/opinion/fetch-log', { schema: { tags, summary: 'Feed fetch log, newest first', response: { 200: { type: 'array', items: anyObject }, ...errs } } }, async (req, reply) => {
    const r = await svc.fetchLog(req.ctx.principal);
    return r.ok ? r.value : sendApiError(reply, r.error, req.ctx.lang);
  });

  // Webhooks and imports need the raw body: their own parsers, in their own scope.
  await app.register(async (sub) => {
    sub.removeContentTypeParser('application/json');
    sub.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: WEBHOOK_BODY_LIMIT }, (_req, body, done) => done(null, body));
    sub.post<{ Params: { source: string }; Body: string }>('/api/v1/opinion/webhooks/:source', {
      schema: {
        tags, summary: 'Push a post: JSON {id, title?, text, author?, publishedAt?, likes?, url?} signed with X-Yiwang-Signature: sha256=<HMAC-SHA256 of the raw body>; idempotent by id',
        params: { type: 'object', properties: { source: { type: 'string', maxLength: 40 } } },
        response: { 200: anyObject, 201: anyObject, ...errs },
      },
    }, async (req, reply) => {
      const sig = req.headers['x-yiwang-signature'];
      const r = await svc.receiveWebhook(req.params.source, typeof req.body === 'string' ? req.body : '', typeof sig === 'string' ? sig : undefined);
      if (!r.ok) return sendApiError(reply, r.error, req.ctx.lang);
      return reply.code(r.value.added ? 201 : 200).send(r.value);
    });
  });
  await app.register(async (sub) => {
    for (const t of ['text/csv', 'application/x-ndjson', 'application/jsonl', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/octet-stream']) {
      sub.addContentTypeParser(t, { parseAs: 'buffer', bodyLimit: IMPORT_BODY_LIMIT }, (_req, body, done) => done(null, body));
    }
    sub.post<{ Querystring: { source: string; format: ImportFormat }; Body: Buffer }>('/api/v1/opinion/import', {
      schema: {
        tags, summary: 'Import a CSV, XLSX or JSONL file in the hot-issue-messages layout (raw body); bad rows are reported by number',
        querystring: { type: 'object', required: ['source', 'format'], properties: { source: { type: 'string', maxLength: 40 }, format: { type: 'string', enum: ['csv', 'xlsx', 'jsonl'] } } },
        response: { 200: anyObject, ...errs },
      },
    }, async (req, reply) => {
      const r = await svc.importFile(req.ctx.principal, req.query.source, req.query.format, Buffer.isBuffer(req.body) ? req.body : Buffer.from(String(req.body ?? '')));
      return r.ok ? r.value : sendApiError(reply, r.error, req.ctx.lang);
    });
  });

  app.get<{ Querystring: { limit?: number } }>('/api/v1/opinion/issues', { schema: { tags, summary: 'Hot issues, hottest first', querystring: { type: 'object', properties: { limit: { type: 'integer', minimum: 1, maximum: 500 } } }, response: { 200: { type: 'array', items: anyObject }, ...errs } } }, async (req, reply) => {
    const r = await svc.issues(req.ctx.principal, req.query.limit ?? 50);
    return r.ok ? r.value : sendApiError(reply, r.error, req.ctx.lang);
  });
  app.get<{ Querystring: { status?: WarningStatus } }>('/api/v1/opinion/warnings', { schema: { tags, summary: 'Warnings, newest first', querystring: { type: 'object', properties: { status: { type: 'string', enum: [...WARNING_STATUSES] } } }, response: { 200: { type: 'array', items: anyObject }, ...errs } } }, async (req, reply) => {
    const r = await svc.warnings(req.ctx.principal, req.query.status ? { statuses: [req.query.status] } : {});
    return r.ok ? r.value : sendApiError(reply, r.error, req.ctx.lang);
  });
  app.post<{ Body: { level: (typeof LEVELS)[number]; title: string; reason?: string; issueId?: number; departmentId?: number } }>('/api/v1/opinion/warnings', {
    schema: { tags, summary: 'Raise a warning by hand (analysts)', body: { type: 'object', required: ['level', 'title'], properties: { level: { type: 'string', enum: [...LEVELS] }, title: { type: 'string', maxLength: 300 }, reason: { type: 'string', maxLength: 2000 }, issueId: idSchema, departmentId: idSchema }, additionalProperties: false }, response: { 201: anyObject, ...errs } },
  }, async (req, reply) => {
    const b = req.body;
    const r = await svc.raise(req.ctx.principal, { level: b.level, title: b.title, reason: b.reason ?? '', issueId: b.issueId ?? null, departmentId: b.departmentId ?? null });
    return r.ok ? reply.code(201).send(r.value) : sendApiError(reply, r.error, req.ctx.lang);
  });
  app.get<{ Params: { id: number } }>('/api/v1/opinion/warnings/:id', { schema: { tags, summary: 'A warning with its timeline, tasks and issue', params: idParams, response: { 200: anyObject, ...errs } } }, async (req, reply) => {
    const r = await svc.warningDetail(req.ctx.principal, req.params.id);
    return r.ok ? r.value : sendApiError(reply, r.error, req.ctx.lang);
  });
  const step = (name: 'assess' | 'respond' | 'tasks' | 'close', summary: string, properties: Record<string, unknown>, required: string[]) =>
    app.post<{ Params: { id: number }; Body: Record<string, unknown> }>(`/api/v1/opinion/warnings/:id/${name}`, {
      schema: { tags, summary, params: idParams, body: { type: 'object', required, properties, additionalProperties: false }, response: { 200: anyObject, 201: anyObject, ...errs } },
    }, async (req, reply) => {
      const p = req.ctx.principal;
      const id = req.params.id;
      const r = name === 'assess' ? await svc.assess(p, id, req.body) : name === 'respond' ? await svc.respond(p, id, req.body) : name === 'tasks' ? await svc.assignTask(p, id, req.body) : await svc.close(p, id, req.body);
      if (!r.ok) return sendApiError(reply, r.error, req.ctx.lang);
      return reply.code(name === 'tasks' ? 201 : 200).send(r.value);
    });
  step('assess', '研判: level, facts, risk, suggested response (analysts)', { level: { type: 'string', enum: [...LEVELS] }, facts: { type: 'string', maxLength: 4000 }, risk: { type: 'string', maxLength: 2000 }, suggestion: { type: 'string', maxLength: 2000 } }, ['level', 'facts', 'risk']);
  step('respond', '回应: a public statement or reply (analysts)', { statement: { type: 'string', maxLength: 4000 }, channel: { type: 'string', maxLength: 100 } }, ['statement']);
  step('tasks', '处理: a task to a department with a deadline in working days (analysts)', { departmentId: idSchema, description: { type: 'string', maxLength: 2000 }, workingDays: { type: 'integer', minimum: 1, maximum: 60 } }, ['departmentId', 'description']);
  step('close', '办结 with a review (analysts; all tasks done)', { review: { type: 'string', maxLength: 4000 } }, ['review']);
  app.post<{ Params: { id: number }; Body: { result: string } }>('/api/v1/opinion/tasks/:id/done', {
    schema: { tags, summary: 'A department reports its task done', params: idParams, body: { type: 'object', required: ['result'], properties: { result: { type: 'string', maxLength: 4000 } }, additionalProperties: false }, response: { 200: anyObject, ...errs } },
  }, async (req, reply) => {
    const r = await svc.completeTask(req.ctx.principal, req.params.id, req.body);
    return r.ok ? { done: true } : sendApiError(reply, r.error, req.ctx.lang);
  });
  app.get<{ Querystring: { days?: number } }>('/api/v1/opinion/dashboard', { schema: { tags, summary: 'Dashboard figures (volume and sentiment by day, districts, sources, top issues, warnings)', querystring: { type: 'object', properties: { days: { type: 'integer', minimum: 1, maximum: 3650 } } }, response: { 200: anyObject, ...errs } } }, async (req, reply) => {
    const r = await svc.dashboard(req.ctx.principal, req.query.days ?? 30);
    return r.ok ? r.value : sendApiError(reply, r.error, req.ctx.lang);
  });
}
