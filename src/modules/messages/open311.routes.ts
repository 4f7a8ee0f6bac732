/**
 * Open311 GeoReport v2 (https://wiki.open311.org/GeoReport_v2) under /open311/v2: service discovery from the
 * message categories, request submission (form-encoded), listing with the standard filters, single requests and
 * tokens, in JSON and XML; errors as the spec's array of {code, description}.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { XMLBuilder } from 'fast-xml-parser';
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { parseIsoTime } from '../../lib/calendar/date.ts';
import { redactPersonalData } from './redact.ts';
import { MESSAGE_TYPES, type MessageRow, type MessageType, type TicketRow } from './messages.types.ts';
import type { TicketStatus } from './flow.ts';
import { INTAKE_LIMIT } from './messages.routes.ts';

/** Stable service codes of the 7 first-level categories; other categories get `cat-<hex>`. */
export const SERVICE_CODES: Readonly<Record<string, string>> = Object.freeze({
  城乡建设: 'urban-rural-construction',
  环境保护: 'environment',
  交通运输: 'transport',
  教育文体: 'education-culture-sports',
  劳动和社会保障: 'labour-social-security',
  商贸旅游: 'commerce-tourism',
  卫生计生: 'health-family-planning',
});
/** The catch-all service: the classifier picks the category. */
export const GENERAL_SERVICE = 'general';

/** The service code of a category. */
export function serviceCodeOf(category: string | null): string {
  if (!category) return GENERAL_SERVICE;
  return SERVICE_CODES[category] ?? `cat-${Buffer.from(category, 'utf8').toString('hex')}`;
}

/** The category of a service code (undefined for `general`, null when unknown). */
export function categoryOfService(code: string, categories: readonly string[]): string | undefined | null {
  if (code === GENERAL_SERVICE) return undefined;
  return categories.find((c) => serviceCodeOf(c) === code) ?? null;
}

/** The longest `media_url` taken (the common limit of browsers and servers for an address). */
export const MAX_MEDIA_URL = 2000;

/**
 * A GeoReport `media_url` checked: an absolute http or https URL of at most 2,000 characters with a host and no user
 * name or password, returned as the URL parser writes it; undefined when refused. The platform never fetches it (no
 * request to an address a client chose): staff open it themselves as an outside link.
 */
export function checkMediaUrl(raw: string): string | undefined {
  if (raw.length > MAX_MEDIA_URL || /[\s\u0000-\u001f\u007f]/.test(raw)) return undefined;
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return undefined;
  }
  if ((u.protocol !== 'http:' && u.protocol !== 'https:') || !u.hostname || u.username || u.password) return undefined;
  return u.href.length > MAX_MEDIA_URL ? undefined : u.href;
}

/** The Open311 parameter behind each field of a message (for error descriptions). */
const OPEN311_FIELD: Readonly<Record<string, string>> = {
  title: 'description', content: 'description', type: 'attribute[type]', address: 'address_string', lat: 'lat', lng: 'long',
  contactName: 'first_name/last_name', contactPhone: 'phone', contactEmail: 'email', district: 'address_string',
};

type Format = 'json' | 'xml';
const builder = new XMLBuilder({ format: false, suppressEmptyNode: false, ignoreAttributes: true });

function send(reply: FastifyReply, format: Format, status: number, root: string, item: string, rows: Record<string, unknown>[]): FastifyReply {
  if (format === 'json') return reply.code(status).type('application/json; charset=utf-8').send(rows);
  const clean = rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === null || v === undefined ? '' : v])));
  const xml = `<?xml version="1.0" encoding="utf-8"?>${builder.build({ [root]: { [item]: clean } }) as string}`;
  return reply.code(status).type('text/xml; charset=utf-8').send(xml);
}

function fail(reply: FastifyReply, format: Format, status: number, description: string): FastifyReply {
  return send(reply, format, status, 'errors', 'error', [{ code: status, description }]);
}

function splitFile(file: string): { id: string; format: Format } | undefined {
  const m = /^(.+)\.(json|xml)$/.exec(file);
  return m ? { id: m[1]!, format: m[2] as Format } : undefined;
}

const openStatus = (s: TicketStatus): 'open' | 'closed' => (s === 'replied' || s === 'closed' || s === 'merged' ? 'closed' : 'open');

/** China time, with offset, as the spec's W3C datetime. */
function w3c(d: Date): string {
  const t = new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 19);
  return `${t}+08:00`;
}

/**
 * The text of a request: title and content, or the content alone when the title is only its beginning (requests
 * sent through Open311 have no title; theirs is the description's first 40 characters, which was shown twice).
 */
export function describe(m: { title: string; content: string }): string {
  return m.content.replace(/\s+/g, ' ').startsWith(m.title) ? m.content : `${m.title}：${m.content}`;
}

/** Open311 routes (register with prefix /open311/v2). */
export async function open311Routes(app: FastifyInstance): Promise<void> {
  const { messages, config } = app.services;
  // Where the city requires one, POST requests.json|xml needs an api_key it issued (compared as SHA-256 digests, in
  // constant time); reading stays open, as the spec has it.
  const apiKeys = config.open311ApiKeys.map((k) => createHash('sha256').update(k).digest());
  const keyAccepted = (given: string): boolean => {
    const d = createHash('sha256').update(given).digest();
    return apiKeys.reduce((found, k) => timingSafeEqual(k, d) || found, false);
  };

  // Everything under /open311/v2 answers in the spec's error format, in XML for a .xml path: unknown paths (a
  // /requests.csv), unreadable bodies, a refused content type, the intake rate limit. They got the platform's
  // {"error": {...}} shape, which GeoReport clients cannot read.
  const formatOf = (url: string): Format => (/\.xml$/.test(url.split('?')[0] ?? '') ? 'xml' : 'json');
  app.setNotFoundHandler((req, reply) => fail(reply, formatOf(req.url), 404, `${req.method} ${req.url.split('?')[0] ?? ''} is not a GeoReport v2 endpoint`));
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const format = formatOf(req.url);
    if (err.statusCode === 429) return fail(reply, format, 429, 'too many requests: try again in a minute');
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return fail(reply, format, 415, 'send the request form-encoded (application/x-www-form-urlencoded)');
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || err.statusCode === 413) return fail(reply, format, 413, 'the request body is too large');
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) return fail(reply, format, 400, 'the request could not be read');
    req.log.error({ err }, 'unhandled error');
    return fail(reply, format, 500, 'internal error; please try again later');
  });

  const services = async () => {
    const cats = await messages.categories();
    return [
      ...cats.map((c) => ({
        service_code: serviceCodeOf(c),
        service_name: c,
        description: `${c}类留言（咨询、求助、投诉、建议、举报）`,
        metadata: false,
        type: 'realtime',
        keywords: c,
        group: '网络问政',
      })),
      { service_code: GENERAL_SERVICE, service_name: '其他（自动分类）', description: '不确定类别时选择，系统自动分类并转交主管部门', metadata: false, type: 'realtime', keywords: '其他', group: '网络问政' },
    ];
  };

  for (const format of ['json', 'xml'] as const) {
    app.get(`/services.${format}`, async (_req, reply) => send(reply, format, 200, 'services', 'service', await services()));
  }

  app.get<{ Params: { file: string } }>('/services/:file', async (req, reply) => {
    const f = splitFile(req.params.file);
    if (!f) return fail(reply, 'json', 404, 'unknown format');
    const list = await services();
    if (!list.some((s) => s.service_code === f.id)) return fail(reply, f.format, 404, `service_code ${f.id} not found`);
    const attr = {
      variable: true, code: 'type', datatype: 'singlevaluelist', required: false, datatype_description: '留言类型', order: 1, description: '留言类型',
      values: MESSAGE_TYPES.map((t) => ({ key: t, name: t })),
    };
    if (f.format === 'json') return reply.type('application/json; charset=utf-8').send({ service_code: f.id, attributes: [attr] });
    const xml = `<?xml version="1.0" encoding="utf-8"?>${builder.build({ service_definition: { service_code: f.id, attributes: { attribute: { ...attr, values: { value: attr.values } } } } }) as string}`;
    return reply.type('text/xml; charset=utf-8').send(xml);
  });

  const departmentNames = async () => new Map((await messages.departments()).map((d) => [d.id, d.name]));

  const requestOf = (t: TicketRow, m: MessageRow | undefined, names: Map<number, string>, withText: boolean) => ({
    service_request_id: String(t.id),
    status: openStatus(t.status),
    status_notes: t.reply_public ?? (t.status === 'merged' ? `merged into ${t.merged_into}` : null),
    service_name: t.category ?? '其他',
    service_code: serviceCodeOf(t.category),
    description: withText && m && m.publish_consent ? redactPersonalData(describe(m)).text : null,
    agency_responsible: t.department_id !== null ? (names.get(t.department_id) ?? null) : null,
    service_notice: null,
    requested_datetime: w3c(m?.submitted_at ?? t.created_at),
    updated_datetime: w3c(t.updated_at),
    expected_datetime: `${t.deadline}T23:59:59+08:00`,
    address: withText && m?.publish_consent ? (m.address ? redactPersonalData(m.address).text : null) : null,
    address_id: null,
    zipcode: null,
    lat: m?.publish_consent ? m.lat : null,
    long: m?.publish_consent ? m.lng : null,
    // Only where the citizen consented to publication, as the text and the place: a photo can show a face or a plate.
    media_url: m?.publish_consent ? m.media_url : null,
  });

  for (const format of ['json', 'xml'] as const) {
    app.get<{ Querystring: Record<string, string | undefined> }>(`/requests.${format}`, async (req, reply) => {
      const q = req.query;
      const ids = q.service_request_id?.split(',').map((s) => Number(s.trim())).filter((n) => Number.isSafeInteger(n) && n > 0);
      if (q.service_request_id !== undefined && !ids?.length) return fail(reply, format, 400, 'service_request_id must be numbers separated by commas');
      // A real date in 1900–2199 (parseIsoTime): 2026-02-30 is not rolled over to 2 March, a year 10000 never reaches the database.
      // A `+08:00` offset sent unencoded in the query arrives as a space (`T00:00:00 08:00`): read it as the `+` it was.
      const parseDate = (s: string | undefined): Date | null | undefined => (s === undefined ? undefined : parseIsoTime(s.replace(/(T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) (\d{2}:?\d{2})$/, '$1+$2')) ?? null);
      const start = parseDate(q.start_date);
      const end = parseDate(q.end_date);
      if (start === null || end === null) return fail(reply, format, 400, 'start_date and end_date must be W3C datetimes');
      const statuses: TicketStatus[] = [];
      for (const s of (q.status ?? '').split(',').map((x) => x.trim()).filter(Boolean)) {
        if (s === 'open') statuses.push('received', 'dispatched', 'transferred', 'returned', 'in_progress');
        else if (s === 'closed') statuses.push('replied', 'closed', 'merged');
        else return fail(reply, format, 400, `status must be open or closed, not ${s}`);
      }
      // One or more service codes, comma-delimited as the spec allows; `general` is the requests with no category.
      let categories: (string | null)[] | undefined;
      const codes = (q.service_code ?? '').split(',').map((x) => x.trim()).filter(Boolean);
      if (codes.length) {
        const known = await messages.categories();
        categories = [];
        for (const code of codes) {
          const c = categoryOfService(code, known);
          if (c === null) return fail(reply, format, 400, `service_code ${code} not found`);
          categories.push(c ?? null);
        }
      }
      const names = await departmentNames();
      // By id: any request (texts only when their authors consented). Otherwise the spec's default window of 90 days.
      const rows = ids?.length
        ? await messages.publicTickets({ ids, limit: 1000 })
        : await messages.publicTickets({
            ...(categories !== undefined ? { categories } : {}),
            ...(statuses.length ? { statuses } : {}),
            from: start ?? new Date((end ?? new Date()).getTime() - 90 * 86_400_000),
            ...(end ? { to: end } : {}),
            limit: 1000,
          });
      return send(reply, format, 200, 'service_requests', 'request', rows.map((r) => requestOf(r.ticket, r.message, names, true)));
    });

    app.post<{ Body: Record<string, unknown> | undefined }>(`/requests.${format}`, { config: INTAKE_LIMIT }, async (req, reply) => {
      const b = req.body ?? {};
      const s = (k: string): string => (typeof b[k] === 'string' ? (b[k] as string).trim() : typeof b[k] === 'number' ? String(b[k]) : '');
      if (apiKeys.length && !keyAccepted(s('api_key'))) return fail(reply, format, 403, 'api_key was not provided or is invalid');
      const code = s('service_code');
      if (!code) return fail(reply, format, 400, 'service_code is required');
      const category = categoryOfService(code, await messages.categories());
      if (category === null) return fail(reply, format, 404, `service_code ${code} not found`);
      const hasLatLong = s('lat') !== '' && s('long') !== '';
      if (!hasLatLong && !s('address_string') && !s('address_id')) return fail(reply, format, 400, 'a location is required: lat and long, address_string or address_id');
      const description = s('description');
      if (!description) return fail(reply, format, 400, 'description is required');
      // media_url: a link to media the client hosts, kept as given (checked, never fetched).
      const mediaUrl = s('media_url') ? checkMediaUrl(s('media_url')) : undefined;
      if (s('media_url') && !mediaUrl) return fail(reply, format, 400, `media_url must be an http or https URL of at most ${MAX_MEDIA_URL} characters, without user name or password`);
      const typeAttr = s('attribute[type]') || (typeof b.attribute === 'object' && b.attribute ? String((b.attribute as Record<string, unknown>).type ?? '') : '');
      const type: MessageType = (MESSAGE_TYPES as readonly string[]).includes(typeAttr) ? (typeAttr as MessageType) : '求助';
      const name = `${s('last_name')}${s('first_name')}`;
      const r = await messages.submit(req.ctx.principal, {
        type,
        title: description.replace(/\s+/g, ' ').slice(0, 40),
        content: description,
        address: s('address_string') || s('address_id'),
        lat: s('lat'),
        lng: s('long'),
        contactName: name,
        contactPhone: s('phone'),
        contactEmail: s('email'),
        publishConsent: s('attribute[publish]') === 'true' || s('attribute[publish]') === '1',
      }, { channel: 'open311', ...(category !== undefined ? { category } : {}), ...(mediaUrl ? { mediaUrl } : {}) });
      if (!r.ok) {
        const status = r.error.kind === 'unauthenticated' ? 403 : r.error.kind === 'rate_limited' ? 429 : 400;
        // Named as the client sent them (description, long, phone…), not as the message form calls them.
        const detail = r.error.fields?.map((f) => `${OPEN311_FIELD[f.field] ?? f.field}: ${f.messageEn ?? f.message}`).join('; ');
        return fail(reply, format, status, detail ? `${r.error.messageEn} ${detail}` : r.error.messageEn);
      }
      return send(reply, format, 201, 'service_requests', 'request', [{
        service_request_id: String(r.value.ticketId),
        token: r.value.token,
        service_notice: `受理后 ${r.value.deadline} 前答复 / answer due by ${r.value.deadline}`,
        account_id: null,
      }]);
    });
  }

  app.get<{ Params: { file: string } }>('/requests/:file', async (req, reply) => {
    const f = splitFile(req.params.file);
    if (!f) return fail(reply, 'json', 404, 'unknown format');
    const id = Number(f.id);
    if (!Number.isSafeInteger(id) || id <= 0) return fail(reply, f.format, 404, `request ${f.id} not found`);
    const rows = await messages.publicTickets({ ids: [id], limit: 1 });
    const r = rows[0];
    if (!r) return fail(reply, f.format, 404, `request ${f.id} not found`);
    return send(reply, f.format, 200, 'service_requests', 'request', [requestOf(r.ticket, r.message, await departmentNames(), true)]);
  });

  app.get<{ Params: { file: string } }>('/tokens/:file', async (req, reply) => {
    const f = splitFile(req.params.file);
    if (!f) return fail(reply, 'json', 404, 'unknown format');
    const m = await messages.byToken(f.id);
    if (!m) return fail(reply, f.format, 404, `token ${f.id} not found`);
    return send(reply, f.format, 200, 'service_requests', 'request', [{ service_request_id: String(m.ticket_id), token: f.id }]);
  });
}
