import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sendApiError } from '../../web/context.ts';
import { idParams, idSchema } from '../../web/ids.ts';
import { errorResponses } from '../identity/identity.routes.ts';
import type { Resource } from './datashare.types.ts';

const tags = ['datashare'];
const anyObject = { type: 'object', additionalProperties: true } as const;
const withLogId = { ...errorResponses, 429: { type: 'object', additionalProperties: true } };

export function baseUrlOf(req: FastifyRequest, publicUrl: string | undefined): string {
  return (publicUrl ?? `${req.protocol}://${req.headers.host ?? 'localhost'}`).replace(/\/$/, '');
}

export function viewResource(r: Resource) {
  return {
    id: r.id, code: r.code, departmentId: r.department_id, name: r.name, description: r.description, fields: r.fields, keyField: r.key_field,
    owner: r.owner, updateFrequency: r.update_frequency, sharingClass: r.sharing_class, sharingCondition: r.sharing_condition, updatedAt: r.updated_at.toISOString(),
  };
}

/** JSON API: catalogue, DCAT export, systems, requests and decisions, the keyed access endpoint, logs, quality. */
export async function datashareApi(app: FastifyInstance): Promise<void> {
  const svc = app.services.datashare;

  app.get('/api/v1/datashare/resources', { schema: { tags, summary: 'The data resource catalogue (staff)', response: { 200: { type: 'array', items: anyObject }, ...errorResponses } } }, async (req, reply) => {
    const r = await svc.catalogue(req.ctx.principal);
    if (!r.ok) return sendApiError(reply, r.error, req.ctx.lang);
    return r.value.map(viewResource);
  });

  app.post<{ Body: Record<string, unknown> }>('/api/v1/datashare/resources', {
    schema: {
      tags, summary: "Register a data resource (the department's head or a data administrator)",
      body: {
        type: 'object', required: ['code', 'name', 'description', 'fields', 'keyField', 'owner', 'updateFrequency', 'sharingClass'],
        properties: {
          code: { type: 'string', maxLength: 60 }, name: { type: 'string', maxLength: 100 }, description: { type: 'string', maxLength: 2000 },
          departmentId: idSchema, keyField: { type: 'string', maxLength: 40 }, owner: { type: 'string', maxLength: 100 },
          updateFrequency: { type: 'string', enum: ['realtime', 'daily', 'weekly', 'monthly', 'quarterly', 'yearly', 'irregular'] },
          sharingClass: { type: 'string', enum: ['unconditional', 'conditional', 'none'] }, sharingCondition: { type: 'string', maxLength: 1000 },
          fields: {
            type: 'array', minItems: 1, maxItems: 200,
            items: {
              type: 'object', required: ['name', 'type'],
              properties: { name: { type: 'string', maxLength: 40 }, label: { type: 'string', maxLength: 100 }, labelEn: { type: 'string', maxLength: 100 }, type: { type: 'string', enum: ['string', 'integer', 'number', 'date', 'boolean'] }, personal: { type: 'boolean' }, sensitive: { type: 'boolean' }, checks: { type: 'array', items: { type: 'string', maxLength: 40 }, maxItems: 5 } },
              additionalProperties: false,
            },
          },
        },
        additionalProperties: false,
      },
      response: { 201: anyObject, ...errorResponses },
    },
  }, async (req, reply) => {
    const r = await svc.registerResource(req.ctx.principal, req.body);
    if (!r.ok) return sendApiError(reply, r.error, req.ctx.lang);
    return reply.code(201).send(viewResource(r.value));
  });

  app.get('/api/v1/datashare/catalog.jsonld', { schema: { tags, summary: 'The catalogue as DCAT JSON-LD (staff)', response: { 200: anyObject, ...errorResponses } } }, async (req, reply) => {
    const r = await svc.dcat(req.ctx.principal, baseUrlOf(req, app.services.config.publicUrl));
    if (!r.ok) return sendApiError(reply, r.error, req.ctx.lang);
    return reply.type('application/ld+json; charset=utf-8').send(JSON.stringify(r.value));
  });

  app.get('/api/v1/datashare/signing-key', { schema: { tags, summary: 'The Ed25519 public key (PEM) that verifies access-log signatures', response: { 200: anyObject } } }, async () => ({
    algorithm: 'Ed25519', publicKeyPem: svc.publicKeyPem,
    canonical: 'JSON array [at, systemId, requestId, resourceId, requesterDepartmentId, ownerDepartmentId, subjectDigest, sorted fields, purpose, outcome, payloadDigest]; signature base64url',
  }));

  app.post<{ Body: { name: string; departmentId?: number; ratePerMinute?: number } }>('/api/v1/datashare/systems', {
    schema: {
      tags, summary: 'Register a calling system of a department; the API key is returned once',
      body: { type: 'object', required: ['name'], properties: { name: { type: 'string', maxLength: 100 }, departmentId: idSchema, ratePerMinute: { type: 'integer', minimum: 1, maximum: 10000 } }, additionalProperties: false },
      response: { 201: anyObject, ...errorResponses },
    },
  }, async (req, reply) => {
    const r = await svc.registerSystem(req.ctx.principal, req.body);
    if (!r.ok) return sendApiError(reply, r.error, req.ctx.lang);
    const s = r.value.system;
    return reply.code(201).send({ id: s.id, name: s.name, departmentId: s.department_id, ratePerMinute: s.rate_per_minute, apiKey: r.value.apiKey });
  });

  app.post<{ Params: { id: number } }>('/api/v1/datashare/systems/:id/revoke', { schema: { tags, summary: "Revoke a system's API key", params: idParams, response: { 200: anyObject, ...errorResponses } } }, async (req, reply) => {
    const r = await svc.revokeSystem(req.ctx.principal, req.params.id);
    if (!r.ok) return sendApiError(reply, r.error, req.ctx.lang);
    return { id: r.value.id, status: r.value.status };
  });

  app.get('/api/v1/datashare/requests', { schema: { tags, summary: "Sharing requests of the caller's department (either side)", response: { 200: { type: 'array', items: anyObject }, ...errorResponses } } }, async (req, reply) => {
    const r = await svc.requests(req.ctx.principal);
    if (!r.ok) return sendApiError(reply, r.error, req.ctx.lang);
    return r.value;
  });

  app.post<{ Body: Record<string, unknown> }>('/api/v1/datashare/requests', {
    schema: {
      tags, summary: 'Request access to a resource for a system: fields, purpose, legal basis, period',
      body: {
        type: 'object', required: ['systemId', 'resource', 'fields', 'purpose', 'legalBasis', 'periodTo'],
        properties: { systemId: idSchema, resource: { type: 'string', maxLength: 60 }, fields: { type: 'array', items: { type: 'string', maxLength: 40 }, minItems: 1, maxItems: 200 }, purpose: { type: 'string', maxLength: 500 }, legalBasis: { type: 'string', maxLength: 500 }, periodFrom: { type: 'string', maxLength: 10 }, periodTo: { type: 'string', maxLength: 10 } },
        additionalProperties: false,
      },
      response: { 201: anyObject, ...errorResponses },
    },
  }, async (req, reply) => {
    const r = await svc.requestAccess(req.ctx.principal, req.body);
    if (!r.ok) return sendApiError(reply, r.error, req.ctx.lang);
    return reply.code(201).send(r.value);
  });

  app.post<{ Params: { id: number; decision: 'approve' | 'refuse' | 'revoke' }; Body: { note?: string } }>('/api/v1/datashare/requests/:id/:decision', {
    schema: {
      tags, summary: "Approve, refuse or revoke a request (owner department's head, or a data administrator)",
      params: { type: 'object', required: ['id', 'decision'], properties: { id: idSchema, decision: { type: 'string', enum: ['approve', 'refuse', 'revoke'] } } },
      body: { type: 'object', properties: { note: { type: 'string', maxLength: 500 } }, additionalProperties: false },
      response: { 200: anyObject, ...errorResponses },
    },
  }, async (req, reply) => {
    const r = await svc.decide(req.ctx.principal, req.params.id, req.params.decision, req.body?.note);
    if (!r.ok) return sendApiError(reply, r.error, req.ctx.lang);
    return r.value;
  });

  // The record key (an ID number) travels in the JSON body, never in the URL: paths end up in request logs.
  app.post<{ Params: { resource: string }; Body: { key: string; fields?: string[] } }>('/api/v1/datashare/access/:resource', {
    schema: {
      tags, summary: 'Read one record of a resource as a calling system (X-Api-Key header); only approved fields; every call logged and signed',
      params: { type: 'object', required: ['resource'], properties: { resource: { type: 'string', maxLength: 60 } } },
      body: { type: 'object', required: ['key'], properties: { key: { type: 'string', minLength: 1, maxLength: 100 }, fields: { type: 'array', items: { type: 'string', maxLength: 40 }, maxItems: 200, description: 'default: all approved fields' } }, additionalProperties: false },
      headers: { type: 'object', properties: { 'x-api-key': { type: 'string', maxLength: 200 } } },
      response: { 200: anyObject, ...withLogId },
    },
  }, async (req, reply) => {
    const key = req.headers['x-api-key'];
    const r = await svc.access(typeof key === 'string' ? key : undefined, req.params.resource, req.body.key, req.body.fields);
    if (!r.ok) {
      if (r.logId !== undefined) reply.header('x-yiwang-access-log', String(r.logId));
      return sendApiError(reply, r.error, req.ctx.lang);
    }
    reply.header('x-yiwang-access-log', String(r.value.access.logId));
    reply.header('x-yiwang-signature', r.value.access.signature);
    return r.value;
  });

  app.get('/api/v1/datashare/access-log', { schema: { tags, summary: "Access log of the caller's department (as requester or owner), signatures checked", response: { 200: { type: 'array', items: anyObject }, ...errorResponses } } }, async (req, reply) => {
    const r = await svc.accessLog(req.ctx.principal);
    if (!r.ok) return sendApiError(reply, r.error, req.ctx.lang);
    return r.value.map((l) => ({ id: l.id, at: l.at.toISOString(), systemId: l.system_id, system: l.system_name, resource: l.resource_name, requestId: l.request_id, requesterDepartmentId: l.requester_department_id, ownerDepartmentId: l.owner_department_id, subjectDigest: l.subject_digest, fields: l.fields, purpose: l.purpose, outcome: l.outcome, payloadDigest: l.payload_digest, signature: l.signature, verified: l.verified }));
  });

  app.get<{ Params: { id: number } }>('/api/v1/datashare/access-log/:id/verify', { schema: { tags, summary: 'Check one log entry’s signature; returns the signed content', params: idParams, response: { 200: anyObject, ...errorResponses } } }, async (req, reply) => {
    const r = await svc.verifyLogEntry(req.ctx.principal, req.params.id);
    if (!r.ok) return sendApiError(reply, r.error, req.ctx.lang);
    return r.value;
  });

  app.get('/api/v1/datashare/my-data-usage', { schema: { tags, summary: 'Who used my data: departments that read records about the signed-in citizen', response: { 200: { type: 'array', items: anyObject }, ...errorResponses } } }, async (req, reply) => {
    const r = await svc.whoUsedMyData(req.ctx.principal);
    if (!r.ok) return sendApiError(reply, r.error, req.ctx.lang);
    return r.value;
  });

  app.post<{ Params: { id: number } }>('/api/v1/datashare/resources/:id/quality-runs', { schema: { tags, summary: "Run the data-quality checks over a resource's records", params: idParams, response: { 201: anyObject, ...errorResponses } } }, async (req, reply) => {
    const r = await svc.runQuality(req.ctx.principal, req.params.id);
    if (!r.ok) return sendApiError(reply, r.error, req.ctx.lang);
    return reply.code(201).send(r.value);
  });

  app.get<{ Params: { id: number } }>('/api/v1/datashare/resources/:id/quality', { schema: { tags, summary: 'Quality of a resource: runs over time, open and decided findings (values masked)', params: idParams, response: { 200: anyObject, ...errorResponses } } }, async (req, reply) => {
    const r = await svc.qualityDetail(req.ctx.principal, req.params.id);
    if (!r.ok) return sendApiError(reply, r.error, req.ctx.lang);
    return { resource: viewResource(r.value.resource), runs: r.value.runs, open: r.value.open, decided: r.value.decided };
  });

  app.post<{ Params: { id: number; decision: 'approve' | 'reject' } }>('/api/v1/datashare/findings/:id/:decision', {
    schema: {
      tags, summary: 'A data administrator approves (applies the safe repair) or rejects a finding',
      params: { type: 'object', required: ['id', 'decision'], properties: { id: idSchema, decision: { type: 'string', enum: ['approve', 'reject'] } } },
      response: { 200: anyObject, ...errorResponses },
    },
  }, async (req, reply) => {
    const r = await svc.decideFinding(req.ctx.principal, req.params.id, req.params.decision);
    if (!r.ok) return sendApiError(reply, r.error, req.ctx.lang);
    const { value: _v, suggestion: _s, ...rest } = r.value;
    return rest;
  });
}
