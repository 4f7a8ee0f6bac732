import type { FastifyInstance } from 'fastify';
import { DOC_TYPES, type DocType } from '../../nlp/search/types.ts';
import { sendApiError } from '../../web/context.ts';
import { errorResponses } from '../identity/identity.routes.ts';

const tags = ['search'];
const anyObject = { type: 'object', additionalProperties: true } as const;
const hit = {
  type: 'object',
  properties: {
    id: { type: 'string' }, sourceId: { type: 'string' }, type: { type: 'string' }, score: { type: 'number' }, title: { type: 'string' },
    titleHtml: { type: 'string' }, snippet: { type: 'string' }, department: { type: 'string' }, date: { type: 'string' }, url: { type: 'string' },
  },
} as const;

/** Parses a type filter (`policy,service`) into known document types. */
export function parseTypes(v: string | undefined): DocType[] | undefined {
  if (!v) return undefined;
  const out = v.split(',').map((s) => s.trim()).filter((s): s is DocType => (DOC_TYPES as readonly string[]).includes(s));
  return out.length ? out : undefined;
}

/** JSON API: /api/v1/search, /api/v1/search/suggest, /api/v1/answer, /api/v1/search/explain, synonyms, misses. */
export async function searchApi(app: FastifyInstance): Promise<void> {
  const svc = app.services.search;

  app.get<{ Querystring: { q: string; type?: string; department?: string; top?: number; offset?: number } }>('/api/v1/search', {
    schema: {
      tags, summary: 'Unified search over services, policies, disclosures, answered messages and knowledge',
      querystring: { type: 'object', required: ['q'], properties: { q: { type: 'string', maxLength: 500 }, type: { type: 'string', maxLength: 100, description: 'comma-separated: policy, service, reply, knowledge, disclosure' }, department: { type: 'string', maxLength: 100 }, top: { type: 'integer', minimum: 1, maximum: 100 }, offset: { type: 'integer', minimum: 0, maximum: 900 } } },
      response: { 200: { type: 'object', properties: { query: { type: 'string' }, truncated: { type: 'boolean' }, total: { type: 'integer', description: 'results above the relevance cutoff, counted up to 1,000' }, totalIsLowerBound: { type: 'boolean', description: 'true when there are more than `total` results (show "1000+")' }, offset: { type: 'integer' }, corrections: { type: 'array', items: anyObject }, facets: anyObject, hits: { type: 'array', items: hit } } }, ...errorResponses },
    },
  }, async (req, reply) => {
    const q = req.query;
    const types = parseTypes(q.type);
    const r = await svc.search(q.q, { ...(q.top ? { top: q.top } : {}), ...(q.offset ? { offset: q.offset } : {}), ...(types ? { type: types } : {}), ...(q.department ? { department: q.department } : {}) });
    if (!r.ok) return sendApiError(reply, r.error, req.ctx.lang);
    const { terms: _terms, ...rest } = r.value;
    return rest;
  });

  app.get<{ Querystring: { q: string; limit?: number } }>('/api/v1/search/suggest', {
    schema: {
      tags, summary: 'Suggestions as you type (Chinese, full pinyin or initials)',
      querystring: { type: 'object', required: ['q'], properties: { q: { type: 'string', maxLength: 100 }, limit: { type: 'integer', minimum: 1, maximum: 20 } } },
      response: { 200: { type: 'object', properties: { suggestions: { type: 'array', items: { type: 'object', properties: { text: { type: 'string' }, kind: { type: 'string' }, id: { type: 'string' } } } } } } },
    },
  }, async (req) => ({ suggestions: await svc.suggest(req.query.q, req.query.limit ?? 8) }));

  app.get<{ Querystring: { q: string } }>('/api/v1/answer', {
    schema: {
      tags, summary: 'The answer passage for a question, with its source; or none (then leave a message)',
      description: 'An empty or blank question is refused with 400 SEARCH_QUERY_EMPTY (as /api/v1/search).',
      querystring: { type: 'object', required: ['q'], properties: { q: { type: 'string', maxLength: 500 } } },
      response: { 200: anyObject, ...errorResponses },
    },
  }, async (req, reply) => {
    const r = await svc.ask(req.query.q);
    if (!r.ok) return sendApiError(reply, r.error, req.ctx.lang);
    return r.value;
  });

  app.get<{ Querystring: { q: string; id: string } }>('/api/v1/search/explain', {
    schema: {
      tags, summary: 'Why a document ranks where it does for a query (staff)',
      querystring: { type: 'object', required: ['q', 'id'], properties: { q: { type: 'string', maxLength: 500 }, id: { type: 'string', maxLength: 250 } } },
      response: { 200: anyObject, ...errorResponses },
    },
  }, async (req, reply) => {
    const r = await svc.explain(req.ctx.principal, req.query.q, req.query.id);
    if (!r.ok) return sendApiError(reply, r.error, req.ctx.lang);
    return r.value;
  });

  app.get<{ Querystring: { days?: number } }>('/api/v1/search/misses', {
    schema: {
      tags, summary: 'Queries that found nothing, most frequent first (analysts; no user recorded)',
      querystring: { type: 'object', properties: { days: { type: 'integer', minimum: 1, maximum: 365 } } },
      response: { 200: { type: 'array', items: anyObject }, ...errorResponses },
    },
  }, async (req, reply) => {
    const r = await svc.misses(req.ctx.principal, req.query.days ?? 30);
    if (!r.ok) return sendApiError(reply, r.error, req.ctx.lang);
    return r.value;
  });

  app.get('/api/v1/search/synonyms', {
    schema: { tags, summary: 'The synonym rules in force', response: { 200: { type: 'array', items: { type: 'object', properties: { term: { type: 'string' }, expansions: { type: 'string' } } } } } },
  }, async () => svc.synonyms());

  app.put<{ Body: { text: string } }>('/api/v1/search/synonyms', {
    schema: {
      tags, summary: 'Replace the synonym table (one rule a line: term = expansion …)',
      body: { type: 'object', required: ['text'], properties: { text: { type: 'string', maxLength: 200000 } }, additionalProperties: false },
      response: { 200: { type: 'object', properties: { rules: { type: 'integer' } } }, ...errorResponses },
    },
  }, async (req, reply) => {
    const r = await svc.setSynonyms(req.ctx.principal, req.body.text);
    if (!r.ok) return sendApiError(reply, r.error, req.ctx.lang);
    return r.value;
  });
}
