import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { DomainError } from '../../lib/errors.ts';
import { commonError } from '../../lib/errors.ts';
import { sendApiError } from '../../web/context.ts';
import { idParams, idSchema } from '../../web/ids.ts';
import { PUBLIC_WRITE_LIMIT } from '../../web/limits.ts';
import { errorResponses } from '../identity/identity.routes.ts';
import { withUploads } from '../../web/uploads.ts';
import { caseDetail, certificateView, itemFull, itemSummary, queueEntry } from './onestop.views.ts';

const TAGS = ['services'];
const anyObject = { type: 'object', additionalProperties: true } as const;
const anyArray = { type: 'array', items: anyObject } as const;
const codeParams = { type: 'object', required: ['code'], properties: { code: { type: 'string', maxLength: 80 } } } as const;

/** JSON API of one-stop services under /api/v1/services (and the public certificate check). */
export async function onestopApi(app: FastifyInstance): Promise<void> {
  const svc = app.services.onestop;
  const fail = (reply: FastifyReply, e: DomainError, req: FastifyRequest) => sendApiError(reply, e, req.ctx.lang);

  app.get<{ Querystring: { q?: string; department?: string; type?: string; online?: boolean; page?: number; pageSize?: number; drafts?: boolean } }>('/api/v1/services/items', {
    schema: {
      tags: TAGS,
      summary: 'The service catalogue (published items; editors may ask for drafts)',
      querystring: {
        type: 'object',
        properties: {
          q: { type: 'string', maxLength: 50 }, department: { type: 'string', maxLength: 60 }, type: { type: 'string', maxLength: 4 },
          online: { type: 'boolean' }, page: { type: 'integer', minimum: 1, maximum: 1000 }, pageSize: { type: 'integer', minimum: 1, maximum: 100 }, drafts: { type: 'boolean' },
        },
      },
      response: { 200: { type: 'object', properties: { total: { type: 'integer' }, page: { type: 'integer' }, pageSize: { type: 'integer' }, items: anyArray } } },
    },
  }, async (req) => {
    const q = req.query;
    const r = await svc.listItems(req.ctx.principal, { q: q.q, department: q.department, type: q.type, online: q.online, page: q.page, pageSize: q.pageSize, includeDrafts: q.drafts });
    return { total: r.total, page: r.page, pageSize: r.pageSize, items: r.items.map(itemSummary) };
  });

  app.get('/api/v1/services/facets', { schema: { tags: TAGS, summary: 'Item counts per department and per type', response: { 200: anyObject } } }, async () => svc.facets());

  app.get<{ Params: { code: string } }>('/api/v1/services/items/:code', {
    schema: { tags: TAGS, summary: 'One item with its guide and online form', params: codeParams, response: { 200: anyObject, ...errorResponses } },
  }, async (req, reply) => {
    const r = await svc.item(req.ctx.principal, req.params.code);
    if (!r.ok) return fail(reply, r.error, req);
    return itemFull(r.value);
  });

  const itemBody = {
    type: 'object',
    properties: {
      code: { type: 'string', maxLength: 80 }, name: { type: 'string', maxLength: 200 }, taskType: { type: 'string', maxLength: 4 },
      departmentId: idSchema, legalDays: { type: ['integer', 'null'] }, promisedDays: { type: ['integer', 'null'] },
      issuesCert: { type: ['string', 'null'], maxLength: 40 }, guide: anyObject, form: { type: ['object', 'null'], additionalProperties: true },
      version: { type: 'integer' },
    },
    additionalProperties: false,
  } as const;

  app.post<{ Body: Record<string, unknown> }>('/api/v1/services/items', {
    schema: { tags: TAGS, summary: 'Create a draft item (department head, administrator)', body: { ...itemBody, required: ['code', 'name', 'taskType', 'departmentId'] }, response: { 201: anyObject, ...errorResponses } },
  }, async (req, reply) => {
    const r = await svc.createItem(req.ctx.principal, req.body);
    if (!r.ok) return fail(reply, r.error, req);
    return reply.code(201).send(itemFull(r.value));
  });

  app.patch<{ Params: { code: string }; Body: Record<string, unknown> & { version: number } }>('/api/v1/services/items/:code', {
    schema: { tags: TAGS, summary: 'Edit an item (version must match)', params: codeParams, body: { ...itemBody, required: ['version'] }, response: { 200: anyObject, ...errorResponses } },
  }, async (req, reply) => {
    const { version, ...rest } = req.body;
    const r = await svc.updateItem(req.ctx.principal, req.params.code, version, rest);
    if (!r.ok) return fail(reply, r.error, req);
    return itemFull(r.value);
  });

  app.post<{ Params: { code: string }; Body: { version: number; status: 'published' | 'draft' | 'retired' } }>('/api/v1/services/items/:code/status', {
    schema: {
      tags: TAGS, summary: 'Publish, unpublish or retire an item', params: codeParams,
      body: { type: 'object', required: ['version', 'status'], properties: { version: { type: 'integer' }, status: { type: 'string', enum: ['published', 'draft', 'retired'] } }, additionalProperties: false },
      response: { 200: anyObject, ...errorResponses },
    },
  }, async (req, reply) => {
    const r = await svc.setItemStatus(req.ctx.principal, req.params.code, req.body.version, req.body.status);
    if (!r.ok) return fail(reply, r.error, req);
    return itemFull(r.value);
  });

  const appBody = {
    type: 'object',
    required: ['clientToken', 'data'],
    properties: { clientToken: { type: 'string', maxLength: 64 }, data: anyObject },
    additionalProperties: false,
  } as const;

  app.post<{ Params: { code: string }; Body: { clientToken: string; data: Record<string, unknown> } }>('/api/v1/services/items/:code/drafts', {
    schema: { tags: TAGS, summary: 'Save an application draft (created on first save; the client token identifies it)', params: codeParams, body: appBody, response: { 200: anyObject, ...errorResponses } },
  }, async (req, reply) => {
    const r = await svc.saveDraft(req.ctx.principal, req.params.code, req.body);
    if (!r.ok) return fail(reply, r.error, req);
    return { id: r.value.id, caseNo: r.value.case_no, status: r.value.status, version: r.value.version };
  });

  app.post<{ Params: { code: string }; Body: { clientToken: string; data: Record<string, unknown> } }>('/api/v1/services/items/:code/applications', {
    config: PUBLIC_WRITE_LIMIT,
    schema: {
      tags: TAGS, summary: 'Submit an application; idempotent on clientToken (201 new case, 200 the existing one)', params: codeParams, body: appBody,
      response: { 200: anyObject, 201: anyObject, ...errorResponses },
    },
  }, async (req, reply) => {
    const r = await svc.submit(req.ctx.principal, req.params.code, req.body);
    if (!r.ok) return fail(reply, r.error, req);
    const c = r.value.case;
    return reply.code(r.value.created ? 201 : 200).send({ id: c.id, caseNo: c.case_no, status: c.status, version: c.version, materials: c.materials, created: r.value.created });
  });

  app.get<{ Params: { id: number } }>('/api/v1/services/cases/:id', {
    schema: { tags: TAGS, summary: 'A case with its log (applicant or the department’s staff)', params: idParams, response: { 200: anyObject, ...errorResponses } },
  }, async (req, reply) => {
    const r = await svc.getCase(req.ctx.principal, req.params.id);
    if (!r.ok) return fail(reply, r.error, req);
    return caseDetail(r.value);
  });

  app.post<{ Params: { id: number }; Body: { action: string; version?: number; comment?: string; data?: Record<string, unknown> } }>('/api/v1/services/cases/:id/actions', {
    schema: {
      tags: TAGS, summary: 'Take a step in the case flow (version guards against concurrent changes: 409 CONFLICT)', params: idParams,
      body: {
        type: 'object', required: ['action', 'version'],
        properties: { action: { type: 'string', maxLength: 40 }, version: { type: 'integer' }, comment: { type: 'string', maxLength: 2000 }, data: anyObject },
        additionalProperties: false,
      },
      response: { 200: anyObject, ...errorResponses },
    },
  }, async (req, reply) => {
    const r = await svc.act(req.ctx.principal, req.params.id, req.body);
    if (!r.ok) return fail(reply, r.error, req);
    return { id: r.value.id, caseNo: r.value.case_no, status: r.value.status, version: r.value.version, legalDeadline: r.value.legal_deadline, promisedDeadline: r.value.promised_deadline, paused: r.value.paused };
  });

  await withUploads(app, (sub) => {
    sub.post<{ Params: { id: number }; Body: { material?: string } }>('/api/v1/services/cases/:id/files', {
      schema: { tags: TAGS, summary: 'Upload a material (multipart: field `material`, one file; PDF/JPEG/PNG by content, 5 MB; bearer token)', params: idParams, consumes: ['multipart/form-data'], response: { 201: anyObject, ...errorResponses } },
    }, async (req, reply) => {
      const file = req.uploads?.[0];
      if (!file) return fail(reply, commonError('VALIDATION_FAILED', [{ field: 'file', message: '请选择要上传的文件。', messageEn: 'Choose a file to upload.' }]).error, req);
      const r = await svc.upload(req.ctx.principal, req.params.id, String(req.body?.material ?? file.field), file);
      if (!r.ok) return fail(reply, r.error, req);
      return reply.code(201).send({ id: r.value.id, material: r.value.material, name: r.value.name, mime: r.value.mime, size: r.value.size });
    });
  });

  app.get('/api/v1/services/my/cases', { schema: { tags: TAGS, summary: 'The signed-in citizen’s cases (我的办件)', response: { 200: anyArray, ...errorResponses } } }, async (req, reply) => {
    const r = await svc.myCases(req.ctx.principal);
    if (!r.ok) return fail(reply, r.error, req);
    return r.value.map(queueEntry);
  });

  app.get('/api/v1/services/my/certificates', { schema: { tags: TAGS, summary: 'The signed-in citizen’s electronic certificates (我的证照)', response: { 200: anyArray, ...errorResponses } } }, async (req, reply) => {
    const r = await svc.wallet(req.ctx.principal);
    if (!r.ok) return fail(reply, r.error, req);
    return r.value.map(certificateView);
  });

  app.get('/api/v1/services/queue', { schema: { tags: TAGS, summary: 'The department’s open cases, nearest deadline first', response: { 200: anyArray, ...errorResponses } } }, async (req, reply) => {
    const r = await svc.queue(req.ctx.principal);
    if (!r.ok) return fail(reply, r.error, req);
    return r.value.map(queueEntry);
  });

  app.get('/api/v1/services/overdue', { schema: { tags: TAGS, summary: 'Cases past a deadline (supervisors)', response: { 200: anyArray, ...errorResponses } } }, async (req, reply) => {
    const r = await svc.overdue(req.ctx.principal);
    if (!r.ok) return fail(reply, r.error, req);
    return r.value.map(queueEntry);
  });

  app.get<{ Params: { caseNo: string }; Querystring: { code?: string } }>('/api/v1/services/status/:caseNo', {
    // Limited like public writes: the query code must not be guessed by trying.
    config: PUBLIC_WRITE_LIMIT,
    schema: {
      tags: TAGS, summary: 'Public status of a case by its number and query code (查询码, on the receipt and notices; no personal data). A wrong or missing code answers 404 CASE_NOT_FOUND like an unknown number',
      params: { type: 'object', properties: { caseNo: { type: 'string', maxLength: 30 } } },
      querystring: { type: 'object', properties: { code: { type: 'string', maxLength: 40 } } },
      response: { 200: anyObject, ...errorResponses },
    },
  }, async (req, reply) => {
    const r = await svc.publicStatus(req.params.caseNo, req.query.code);
    if (!r.ok) return fail(reply, r.error, req);
    return r.value;
  });

  app.get<{ Querystring: { code: string } }>('/api/v1/certificates/verify', {
    schema: {
      tags: TAGS, summary: 'Verify an electronic certificate from its QR text (public)',
      querystring: { type: 'object', required: ['code'], properties: { code: { type: 'string', maxLength: 4000 } } },
      response: { 200: anyObject, ...errorResponses },
    },
  }, async (req, reply) => {
    const r = await svc.verifyCertificate(req.query.code);
    if (!r.ok) return fail(reply, r.error, req);
    return r.value;
  });

  app.post<{ Params: { number: string }; Body: { reason: string } }>('/api/v1/services/certificates/:number/revoke', {
    schema: {
      tags: TAGS, summary: 'Revoke a certificate with a reason', params: { type: 'object', properties: { number: { type: 'string', maxLength: 40 } } },
      body: { type: 'object', required: ['reason'], properties: { reason: { type: 'string', maxLength: 500 } }, additionalProperties: false },
      response: { 200: anyObject, ...errorResponses },
    },
  }, async (req, reply) => {
    const r = await svc.revokeCertificate(req.ctx.principal, req.params.number, req.body.reason);
    if (!r.ok) return fail(reply, r.error, req);
    return certificateView(r.value);
  });

  app.post<{ Body: { departmentId: number | null } }>('/api/v1/services/keys/rotate', {
    schema: {
      tags: TAGS, summary: 'Rotate a department’s certificate signing key (administrator)',
      body: { type: 'object', required: ['departmentId'], properties: { departmentId: { ...idSchema, type: ['integer', 'null'] } }, additionalProperties: false },
      response: { 200: anyObject, ...errorResponses },
    },
  }, async (req, reply) => {
    const r = await svc.rotateKey(req.ctx.principal, req.body.departmentId);
    if (!r.ok) return fail(reply, r.error, req);
    return r.value;
  });

  app.put<{ Params: { year: number }; Body: { rows: unknown[] } }>('/api/v1/services/holidays/:year', {
    schema: {
      tags: TAGS, summary: 'Set one year’s holiday rows (administrator): [{date, kind: off|work, holiday}]',
      params: { type: 'object', properties: { year: { type: 'integer' } } },
      body: { type: 'object', required: ['rows'], properties: { rows: { type: 'array', maxItems: 400, items: anyObject } }, additionalProperties: false },
      response: { 200: anyObject, ...errorResponses },
    },
  }, async (req, reply) => {
    const r = await svc.addHolidayYear(req.ctx.principal, req.params.year, req.body.rows);
    if (!r.ok) return fail(reply, r.error, req);
    return r.value;
  });

  app.get('/api/v1/services/outbox', { schema: { tags: TAGS, summary: 'Latest notifications in the outbox (administrators, supervisors)', response: { 200: anyArray, ...errorResponses } } }, async (req, reply) => {
    const r = await svc.outbox(req.ctx.principal);
    if (!r.ok) return fail(reply, r.error, req);
    return r.value.map((o) => ({ id: o.id, channel: o.channel, caseId: o.case_id, subject: o.subject, status: o.status, createdAt: o.created_at.toISOString() }));
  });

  app.post<{ Params: { id: number }; Body: { level: number; indicators?: Record<string, number>; comment?: string } }>('/api/v1/services/cases/:id/rating', {
    schema: {
      tags: TAGS, summary: '好差评: rate a completed case (applicant, once); 1–2 opens a 15-working-day rectification task', params: idParams,
      body: {
        type: 'object', required: ['level'],
        properties: { level: { type: 'integer', minimum: 1, maximum: 5 }, indicators: { type: 'object', additionalProperties: { type: 'integer', minimum: 1, maximum: 5 } }, comment: { type: 'string', maxLength: 1000 } },
        additionalProperties: false,
      },
      response: { 201: anyObject, ...errorResponses },
    },
  }, async (req, reply) => {
    const r = await svc.ratings.rate(req.ctx.principal, req.params.id, req.body);
    if (!r.ok) return fail(reply, r.error, req);
    return reply.code(201).send({ id: r.value.rating.id, level: r.value.rating.level, rectification: r.value.rectification ? { id: r.value.rectification.id, dueOn: r.value.rectification.due_on } : null });
  });

  app.post<{ Params: { id: number }; Body: { reason: string } }>('/api/v1/services/ratings/:id/appeal', {
    schema: {
      tags: TAGS, summary: 'Appeal a malicious rating (staff of the rated department)', params: idParams,
      body: { type: 'object', required: ['reason'], properties: { reason: { type: 'string', maxLength: 1000 } }, additionalProperties: false },
      response: { 200: anyObject, ...errorResponses },
    },
  }, async (req, reply) => {
    const r = await svc.ratings.appeal(req.ctx.principal, req.params.id, req.body.reason);
    if (!r.ok) return fail(reply, r.error, req);
    return { id: r.value.id, appealStatus: r.value.appeal_status };
  });

  app.post<{ Params: { id: number }; Body: { uphold: boolean } }>('/api/v1/services/ratings/:id/appeal-decision', {
    schema: {
      tags: TAGS, summary: 'Decide an appeal (supervisor); an upheld rating is excluded from the figures', params: idParams,
      body: { type: 'object', required: ['uphold'], properties: { uphold: { type: 'boolean' } }, additionalProperties: false },
      response: { 200: anyObject, ...errorResponses },
    },
  }, async (req, reply) => {
    const r = await svc.ratings.decideAppeal(req.ctx.principal, req.params.id, req.body.uphold);
    if (!r.ok) return fail(reply, r.error, req);
    return { id: r.value.id, appealStatus: r.value.appeal_status, excluded: r.value.excluded };
  });

  app.get('/api/v1/services/rectifications', { schema: { tags: TAGS, summary: 'Open rectification tasks of the caller’s department', response: { 200: anyArray, ...errorResponses } } }, async (req, reply) => {
    const r = await svc.ratings.openRectifications(req.ctx.principal);
    if (!r.ok) return fail(reply, r.error, req);
    return r.value.map((x) => ({ id: x.id, ratingId: x.rating_id, caseNo: x.case_no, departmentId: x.department_id, dueOn: x.due_on, status: x.status }));
  });

  app.post<{ Params: { id: number }; Body: { note: string } }>('/api/v1/services/rectifications/:id/close', {
    schema: {
      tags: TAGS, summary: 'Close a rectification task with the call-back note', params: idParams,
      body: { type: 'object', required: ['note'], properties: { note: { type: 'string', maxLength: 1000 } }, additionalProperties: false },
      response: { 200: anyObject, ...errorResponses },
    },
  }, async (req, reply) => {
    const r = await svc.ratings.closeRectification(req.ctx.principal, req.params.id, req.body.note);
    if (!r.ok) return fail(reply, r.error, req);
    return { id: r.value.id, status: r.value.status };
  });

  app.get('/api/v1/services/satisfaction', { schema: { tags: TAGS, summary: 'Satisfaction per department and per service (public)', response: { 200: anyObject } } }, async () => svc.ratings.summary());
}
