import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_CITIZEN, seedDemo } from '../src/modules/demo/demo.seed.ts';
import { SESSION_COOKIE } from '../src/web/context.ts';
import { backstopLines, createLoggedTestApp, engines } from './helpers/db.ts';
import { formPost, getCsrf } from './helpers/http.ts';
import { openSession, sessionJar } from './helpers/sessions.ts';

/**
 * Dates and record ids in query strings and bodies that the database would refuse (2026-02-30, a year 10000, an id
 * beyond int4) are checked first: 400 naming the field, never the error handler's backstop (its warning stays out of
 * the log) and never 503.
 */
const BAD_DATES = ['2026-02-30', '2026-13-01', '0000-00-00', '10000-01-01'];
const BAD_TIMES = ['2026-02-30T08:00:00Z', '2026-13-01T00:00:00Z', '0000-00-00T00:00:00Z', '+010000-01-01T00:00:00Z', '-271821-04-20T00:00:00Z', '+275760-09-13T00:00:00Z'];
const BAD_IDS = [3_000_000_000, 2_147_483_648, 0, -1];

type Who = 'head' | 'admin' | 'analyst' | 'dataadmin' | 'supervisor' | null;
interface Case { who: Who; method: 'GET' | 'POST' | 'PUT'; url: string; payload?: object; field: string }

const cases: [string, Case][] = [
  ...BAD_DATES.map((d): [string, Case] => [`knowledge reviewBy ${d}`, { who: 'head', method: 'POST', url: '/api/v1/knowledge', payload: { title: 't', body: 'b', reviewBy: d }, field: 'reviewBy' }]),
  ...BAD_TIMES.map((d): [string, Case] => [`messages since ${d}`, { who: 'head', method: 'GET', url: `/api/v1/messages/tickets?since=${encodeURIComponent(d)}`, field: 'since' }]),
  ...BAD_TIMES.map((d): [string, Case] => [`disclosure changes since ${d}`, { who: 'admin', method: 'GET', url: `/api/v1/disclosure/changes?since=${encodeURIComponent(d)}`, field: 'since' }]),
  ...BAD_TIMES.map((d): [string, Case] => [`open311 start_date ${d}`, { who: null, method: 'GET', url: `/open311/v2/requests.json?start_date=${encodeURIComponent(d)}`, field: 'start_date' }]),
  ...BAD_TIMES.map((d): [string, Case] => [`open311 end_date ${d}`, { who: null, method: 'GET', url: `/open311/v2/requests.json?end_date=${encodeURIComponent(d)}`, field: 'end_date' }]),
  ['messages offset 99999999999999999999', { who: 'head', method: 'GET', url: '/api/v1/messages/tickets?offset=99999999999999999999', field: 'offset' }],
  ...BAD_IDS.flatMap((id): [string, Case][] => [
    [`disclosure document categoryId ${id}`, { who: 'admin', method: 'POST', url: '/api/v1/disclosure/documents', payload: { title: 't', issuer: 'i', issuedOn: '2026-01-01', body: 'b', categoryId: id }, field: 'categoryId' }],
    [`disclosure document departmentId ${id}`, { who: 'admin', method: 'POST', url: '/api/v1/disclosure/documents', payload: { title: 't', issuer: 'i', issuedOn: '2026-01-01', body: 'b', category: 'gfxwj', departmentId: id }, field: 'departmentId' }],
    [`disclosure request departmentId ${id}`, { who: null, method: 'POST', url: '/api/v1/disclosure/requests', payload: { departmentId: id, description: 'd', purpose: 'p' }, field: 'departmentId' }],
    [`datashare resource departmentId ${id}`, { who: 'dataadmin', method: 'POST', url: '/api/v1/datashare/resources', payload: { code: 'X-Y', name: 'n', departmentId: id, fields: [{ name: 'a', type: 'string' }], keyField: 'a', sharingClass: 'unconditional' }, field: 'departmentId' }],
    [`datashare system departmentId ${id}`, { who: 'dataadmin', method: 'POST', url: '/api/v1/datashare/systems', payload: { name: 'n', departmentId: id }, field: 'departmentId' }],
    [`datashare request systemId ${id}`, { who: 'dataadmin', method: 'POST', url: '/api/v1/datashare/requests', payload: { systemId: id, resource: 'PSB-HUJI', fields: ['a'], purpose: 'p', legalBasis: 'l', periodTo: '2026-12-31' }, field: 'systemId' }],
    [`opinion warning departmentId ${id}`, { who: 'analyst', method: 'POST', url: '/api/v1/opinion/warnings', payload: { level: 'yellow', title: 't', departmentId: id }, field: 'departmentId' }],
    [`opinion warning issueId ${id}`, { who: 'analyst', method: 'POST', url: '/api/v1/opinion/warnings', payload: { level: 'yellow', title: 't', issueId: id }, field: 'issueId' }],
    [`messages action departmentId ${id}`, { who: 'supervisor', method: 'POST', url: '/api/v1/messages/tickets/1/actions', payload: { action: 'dispatch', departmentId: id }, field: 'departmentId' }],
    [`messages merge sourceId ${id}`, { who: 'supervisor', method: 'POST', url: '/api/v1/messages/tickets/1/merge', payload: { sourceId: id }, field: 'sourceId' }],
    [`services item departmentId ${id}`, { who: 'admin', method: 'POST', url: '/api/v1/services/items', payload: { code: 'X1', name: 'n', departmentId: id }, field: 'departmentId' }],
    [`services key departmentId ${id}`, { who: 'admin', method: 'POST', url: '/api/v1/services/keys/rotate', payload: { departmentId: id }, field: 'departmentId' }],
    [`knowledge departmentId ${id}`, { who: 'head', method: 'POST', url: '/api/v1/knowledge', payload: { title: 't', body: 'b', departmentId: id }, field: 'departmentId' }],
  ]),
];

// Form posts: the id is checked by the service (isRecordId) and comes back as a field error on the form.
interface FormCase { who: 'head' | 'dataadmin' | 'admin' | 'citizen'; form: string; url?: string; fields: Record<string, string>; field: string }
const BAD_FORM_IDS = ['3000000000', '99999999999999999999', '0'];
const formCases: [string, FormCase][] = BAD_FORM_IDS.flatMap((id): [string, FormCase][] => [
  [`disclosure manage categoryId ${id}`, { who: 'head', form: '/disclosure/manage/new', fields: { categoryId: id, title: 't', issuer: 'i', issuedOn: '2026-01-01', body: 'b' }, field: 'categoryId' }],
  [`disclosure apply departmentId ${id}`, { who: 'citizen', form: '/disclosure/apply', fields: { departmentId: id, description: '申请公开某文件', purpose: '自用' }, field: 'departmentId' }],
  [`datashare resource departmentId ${id}`, { who: 'dataadmin', form: '/datashare/resources/new', fields: { departmentId: id, code: 'X-Y', name: 'n', description: 'd', owner: 'o', updateFrequency: 'monthly', sharingClass: 'unconditional', fields: 'a', keyField: 'a' }, field: 'departmentId' }],
  [`services item departmentId ${id}`, { who: 'admin', form: '/services/manage/new', fields: { departmentId: id, name: 'n', taskType: 'xk' }, field: 'departmentId' }],
]);

describe.each(engines())('bad dates and ids in query strings and bodies on %s', (engine) => {
  let t: Awaited<ReturnType<typeof createLoggedTestApp>>;
  const tokens: Partial<Record<Exclude<Who, null> | 'citizen', string>> = {};
  beforeAll(async () => {
    t = await createLoggedTestApp(engine, seedDemo);
    for (const username of ['head', 'admin', 'analyst', 'dataadmin', 'supervisor'] as const) tokens[username] = await openSession(t, { username });
    tokens.citizen = await openSession(t, { mobile: DEMO_CITIZEN.mobile });
  });
  afterAll(async () => t?.close());
  beforeEach(() => {
    t.lines.length = 0;
  });
  const refusedByDatabase = () => backstopLines(t.lines);

  it.each(cases)('%s answers 400 naming the field', async (_name, c) => {
    const res = await t.app.inject({
      method: c.method, url: c.url,
      headers: c.who ? { authorization: `Bearer ${tokens[c.who]}` } : {},
      ...(c.payload ? { payload: c.payload } : {}),
    });
    expect(refusedByDatabase()).toEqual([]);
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain(c.field);
  });

  // A page number beyond any page is an empty page (was an OFFSET the database refused, SQLSTATE 22P02).
  it.each(['/disclosure/department/1?page=99999999999999999999', '/services/manage?page=99999999999999999999'])('page %s is an empty page', async (url) => {
    const res = await t.app.inject({ method: 'GET', url, cookies: { [SESSION_COOKIE]: tokens.admin! } });
    expect(refusedByDatabase()).toEqual([]);
    expect(res.statusCode).toBe(200);
  });

  it.each(['3000000000', '99999999999999999999'])('staff merge form with sourceId %s is no such ticket', async (sourceId) => {
    const jar = sessionJar(tokens.supervisor!);
    const csrf = await getCsrf(t.app, jar, '/staff/messages/settings');
    t.lines.length = 0;
    const res = await formPost(t.app, jar, '/staff/messages/1/merge', { _csrf: csrf, sourceId });
    expect(refusedByDatabase()).toEqual([]);
    expect(res.statusCode).toBe(404);
  });

  it.each(formCases)('form %s comes back with the field error', async (_name, c) => {
    const jar = sessionJar(tokens[c.who]!);
    const csrf = await getCsrf(t.app, jar, c.form);
    t.lines.length = 0;
    const res = await formPost(t.app, jar, c.url ?? c.form, { _csrf: csrf, ...c.fields });
    expect(refusedByDatabase()).toEqual([]);
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain(`id="${c.field}-error"`);
  });
});
