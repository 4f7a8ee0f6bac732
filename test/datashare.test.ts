import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, chinaDate } from '../src/lib/calendar/index.ts';
import { DEMO_CITIZEN, DEMO_STAFF, seedDemo } from '../src/modules/demo/demo.seed.ts';
import { verifyAccess } from '../src/modules/datashare/datashare.pure.ts';
import { seedDatashareDemo } from '../src/modules/datashare/datashare.seed.ts';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';
import { cookieJar, formPost, get, getCsrf } from './helpers/http.ts';

describe.each(engines())('data catalogue, sharing and quality on %s', (engine) => {
  let t: TestApp;
  let demoKey: string;
  const tokens: Record<string, string> = {};
  const pw = (u: string) => DEMO_STAFF.find((s) => s.username === u)!.password;
  const api = (who: string | null, method: 'GET' | 'POST', url: string, payload?: unknown) =>
    t.app.inject({ method, url, headers: who ? { authorization: `Bearer ${tokens[who]}` } : {}, ...(payload !== undefined ? { payload: payload as object } : {}) });
  const access = (key: string, resource: string, recordKey: string, fields?: string) =>
    t.app.inject({ method: 'POST', url: `/api/v1/datashare/access/${resource}`, headers: { 'x-api-key': key }, payload: { key: recordKey, ...(fields ? { fields: fields.split(',') } : {}) } });
  const today = chinaDate(new Date());

  beforeAll(async () => {
    t = await createTestApp(engine);
    await seedDemo(t.services);
    const seeded = await seedDatashareDemo(t.services, DEMO_CITIZEN);
    expect(seeded.created).toBe(true);
    demoKey = seeded.apiKey!;
    for (const u of ['clerk', 'head', 'dataadmin', 'leader']) {
      tokens[u] = (await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { identifier: u, password: pw(u) } })).json().token;
    }
    tokens.citizen = (await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { identifier: DEMO_CITIZEN.mobile, password: DEMO_CITIZEN.password } })).json().token;
  });
  afterAll(async () => t?.close());

  it('documents its API in the OpenAPI document', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(res.statusCode).toBe(200);
    expect(Object.keys(res.json().paths)).toEqual(expect.arrayContaining(['/api/v1/datashare/access/{resource}', '/api/v1/datashare/catalog.jsonld', '/api/v1/datashare/findings/{id}/{decision}']));
  });

  it('keeps the catalogue for staff and exports it as DCAT JSON-LD', async () => {
    expect((await api(null, 'GET', '/api/v1/datashare/resources')).statusCode).toBe(401);
    expect((await api('citizen', 'GET', '/api/v1/datashare/resources')).statusCode).toBe(403);
    const list = (await api('clerk', 'GET', '/api/v1/datashare/resources')).json();
    expect(list.map((r: { code: string }) => r.code).sort()).toEqual(['AMR-ENTERPRISE', 'HRSS-INSURED', 'NR-REALESTATE', 'PSB-HUJI']);
    const res = await api('clerk', 'GET', '/api/v1/datashare/catalog.jsonld');
    expect(res.headers['content-type']).toContain('application/ld+json');
    const cat = res.json();
    expect(cat['@type']).toBe('dcat:Catalog');
    expect(cat['@context'].dcat).toBe('http://www.w3.org/ns/dcat#');
    const huji = cat['dcat:dataset'].find((d: Record<string, unknown>) => d['dct:identifier'] === 'PSB-HUJI');
    expect(huji['dct:accessRights']['dct:title']).toBe('有条件共享');
    expect(huji['yw:fields'].find((f: Record<string, unknown>) => f['yw:name'] === 'idNumber')['yw:personal']).toBe(true);
    expect(huji['dcat:distribution']).toHaveLength(1);
    const closed = cat['dcat:dataset'].find((d: Record<string, unknown>) => d['dct:identifier'] === 'NR-REALESTATE');
    expect(closed['dcat:distribution']).toBeUndefined();
  });

  it('lets a department head (own department) or a data administrator register resources, with field errors', async () => {
    const body = { code: 'HRSS-JOBS', name: '就业登记信息', description: '就业失业登记', owner: '就业服务局', updateFrequency: 'monthly', sharingClass: 'unconditional', keyField: 'idNumber', fields: [{ name: 'idNumber', type: 'string', personal: true, checks: ['cn-id'] }, { name: 'employer', type: 'string' }] };
    expect((await api('clerk', 'POST', '/api/v1/datashare/resources', body)).statusCode).toBe(403);
    const psb = (await t.services.identity.departments()).find((d) => d.code === 'A-PSB')!;
    expect((await api('head', 'POST', '/api/v1/datashare/resources', { ...body, departmentId: psb.id })).statusCode).toBe(403);
    const ok = await api('head', 'POST', '/api/v1/datashare/resources', body);
    expect(ok.statusCode).toBe(201);
    expect(ok.json().fields[0]).toMatchObject({ name: 'idNumber', personal: true, sensitive: false, checks: ['cn-id'] });
    expect((await api('dataadmin', 'POST', '/api/v1/datashare/resources', { ...body, departmentId: psb.id })).json().error.code).toBe('DATASHARE_RESOURCE_CODE_TAKEN');
    const bad = await api('dataadmin', 'POST', '/api/v1/datashare/resources', { ...body, code: 'X1', sharingClass: 'conditional', keyField: 'nope', fields: [{ name: 'a', type: 'string', checks: ['cn-idx'] }] });
    expect(bad.json().error.fields.map((f: { field: string }) => f.field).sort()).toEqual(['fields.0', 'keyField', 'sharingCondition']);
  });

  it('runs the sharing flow: request, owner approval by role, approved fields only, signed log, refusal, revocation, expiry, key errors', async () => {
    const sys = await api('head', 'POST', '/api/v1/datashare/systems', { name: '社会救助核验系统', ratePerMinute: 100 });
    expect(sys.statusCode).toBe(201);
    const { id: systemId, apiKey } = sys.json();
    expect(apiKey).toMatch(/^ysk_[0-9a-f]{12}_/);
    const stored = await t.database.db.selectFrom('ds_systems').selectAll().where('id', '=', systemId).executeTakeFirstOrThrow();
    expect(stored.key_hash).not.toContain(apiKey);

    const req = await api('clerk', 'POST', '/api/v1/datashare/requests', { systemId, resource: 'PSB-HUJI', fields: ['name', 'birthDate'], purpose: '最低生活保障对象户籍核验', legalBasis: '《社会救助暂行办法》', periodTo: addDays(today, 30) });
    expect(req.statusCode).toBe(201);
    const requestId = req.json().id;
    expect((await access(apiKey, 'PSB-HUJI', DEMO_CITIZEN.idNumber)).json().error.code).toBe('DATASHARE_NOT_APPROVED');
    // The requesting department's head is not the owner; only the owner's head or a data administrator decides.
    expect((await api('head', 'POST', `/api/v1/datashare/requests/${requestId}/approve`, {})).statusCode).toBe(403);
    expect((await api('leader', 'POST', `/api/v1/datashare/requests/${requestId}/approve`, {})).statusCode).toBe(403);
    expect((await api('dataadmin', 'POST', `/api/v1/datashare/requests/${requestId}/approve`, {})).json().status).toBe('approved');
    expect((await api('dataadmin', 'POST', `/api/v1/datashare/requests/${requestId}/approve`, {})).json().error.code).toBe('DATASHARE_REQUEST_DECIDED');

    const got = await access(apiKey, 'PSB-HUJI', DEMO_CITIZEN.idNumber);
    expect(got.statusCode).toBe(200);
    const body = got.json();
    expect(Object.keys(body.data).sort()).toEqual(['birthDate', 'name']);
    expect(body.data.name).toBe(DEMO_CITIZEN.realName);
    // Both sides can check the signature with the platform's public key.
    const pem = (await t.app.inject({ method: 'GET', url: '/api/v1/datashare/signing-key' })).json().publicKeyPem;
    const verify = (await api('dataadmin', 'GET', `/api/v1/datashare/access-log/${body.access.logId}/verify`)).json();
    expect(verify.valid).toBe(true);
    expect(verifyAccess(verify.signed, body.access.signature, pem)).toBe(true);
    expect(verifyAccess({ ...verify.signed, fields: ['name', 'birthDate', 'mobile'] }, body.access.signature, pem)).toBe(false);
    expect(verify.signed.payloadDigest).toBe(body.access.payloadDigest);

    const outside = await access(apiKey, 'PSB-HUJI', DEMO_CITIZEN.idNumber, 'name,mobile');
    expect(outside.statusCode).toBe(403);
    expect(outside.json().error.code).toBe('DATASHARE_FIELDS_NOT_APPROVED');
    expect(outside.json().error.fields.map((f: { field: string }) => f.field)).toEqual(['mobile']);
    expect(outside.headers['x-yiwang-access-log']).toBeDefined();
    expect((await access(apiKey, 'PSB-HUJI', '110101199003079999')).json().error.code).toBe('DATASHARE_RECORD_NOT_FOUND');
    expect((await access(apiKey, 'AMR-ENTERPRISE', '91350100M000100Y43')).json().error.code).toBe('DATASHARE_NOT_APPROVED');

    // A refused request, and a resource that is not shared at all.
    const r2 = (await api('clerk', 'POST', '/api/v1/datashare/requests', { systemId, resource: 'HRSS-INSURED', fields: ['insuredStatus'], purpose: 'x', legalBasis: 'y', periodTo: addDays(today, 10) })).json();
    expect((await api('dataadmin', 'POST', `/api/v1/datashare/requests/${r2.id}/refuse`, {})).json().error.code).toBe('VALIDATION_FAILED');
    expect((await api('dataadmin', 'POST', `/api/v1/datashare/requests/${r2.id}/refuse`, { note: '用途不明确' })).json().status).toBe('refused');
    expect((await access(apiKey, 'HRSS-INSURED', DEMO_CITIZEN.idNumber)).json().error.code).toBe('DATASHARE_NOT_APPROVED');
    expect((await api('clerk', 'POST', '/api/v1/datashare/requests', { systemId, resource: 'NR-REALESTATE', fields: ['certNo'], purpose: 'x', legalBasis: 'y', periodTo: addDays(today, 10) })).json().error.code).toBe('DATASHARE_NOT_SHAREABLE');

    // The owner department's head may decide on its own resource (人社局 owns 社会保险参保信息).
    const dataSys = (await api('dataadmin', 'POST', '/api/v1/datashare/systems', { name: '大数据中心核验' })).json();
    const r3 = (await api('dataadmin', 'POST', '/api/v1/datashare/requests', { systemId: dataSys.id, resource: 'HRSS-INSURED', fields: ['insuredStatus'], purpose: '救助核验', legalBasis: '《社会救助暂行办法》', periodTo: addDays(today, 10) })).json();
    expect((await api('head', 'POST', `/api/v1/datashare/requests/${r3.id}/approve`, {})).json().status).toBe('approved');

    // Revoking the approval.
    expect((await api('dataadmin', 'POST', `/api/v1/datashare/requests/${requestId}/revoke`, { note: '核验工作结束' })).json().status).toBe('revoked');
    expect((await access(apiKey, 'PSB-HUJI', DEMO_CITIZEN.idNumber)).json().error.code).toBe('DATASHARE_ACCESS_REVOKED');

    // An approval whose period has ended.
    const sys2 = (await api('head', 'POST', '/api/v1/datashare/systems', { name: '旧系统' })).json();
    const old = (await api('clerk', 'POST', '/api/v1/datashare/requests', { systemId: sys2.id, resource: 'PSB-HUJI', fields: ['name'], purpose: 'x', legalBasis: 'y', periodFrom: '2025-01-01', periodTo: '2025-01-31' })).json();
    await api('dataadmin', 'POST', `/api/v1/datashare/requests/${old.id}/approve`, {});
    const expired = await access(sys2.apiKey, 'PSB-HUJI', DEMO_CITIZEN.idNumber);
    expect(expired.statusCode).toBe(403);
    expect(expired.json().error.code).toBe('DATASHARE_ACCESS_EXPIRED');

    // Key errors.
    expect((await access('ysk_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'PSB-HUJI', DEMO_CITIZEN.idNumber)).statusCode).toBe(401);
    expect((await access(`${apiKey.slice(0, -2)}zz`, 'PSB-HUJI', DEMO_CITIZEN.idNumber)).json().error.code).toBe('DATASHARE_KEY_INVALID');
    expect((await api('head', 'POST', `/api/v1/datashare/systems/${systemId}/revoke`, {})).json().status).toBe('revoked');
    const revokedKey = await access(apiKey, 'PSB-HUJI', DEMO_CITIZEN.idNumber);
    expect(revokedKey.statusCode).toBe(401);
    expect(revokedKey.json().error.code).toBe('DATASHARE_KEY_REVOKED');

    // The log names no ID number; every served or refused attributable call is there, signed.
    const log = (await api('dataadmin', 'GET', '/api/v1/datashare/access-log')).json();
    expect(JSON.stringify(log)).not.toContain(DEMO_CITIZEN.idNumber);
    const mine = log.filter((l: { systemId: number }) => l.systemId === systemId);
    expect(mine.map((l: { outcome: string }) => l.outcome)).toEqual(expect.arrayContaining(['ok', 'DATASHARE_NOT_APPROVED', 'DATASHARE_FIELDS_NOT_APPROVED', 'DATASHARE_ACCESS_REVOKED']));
    expect(log.every((l: { verified: boolean }) => l.verified)).toBe(true);
    const audit = await t.database.db.selectFrom('audit_events').select('action').where('entity', '=', 'ds_request').where('entity_id', '=', String(requestId)).orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['datashare.request.create', 'datashare.request.approve', 'datashare.request.revoke']);
  });

  it('rate-limits a system per minute', async () => {
    const sys = (await api('head', 'POST', '/api/v1/datashare/systems', { name: '限流测试', ratePerMinute: 2 })).json();
    const r = (await api('clerk', 'POST', '/api/v1/datashare/requests', { systemId: sys.id, resource: 'PSB-HUJI', fields: ['name'], purpose: 'x', legalBasis: 'y', periodTo: addDays(today, 1) })).json();
    await api('dataadmin', 'POST', `/api/v1/datashare/requests/${r.id}/approve`, {});
    expect((await access(sys.apiKey, 'PSB-HUJI', DEMO_CITIZEN.idNumber)).statusCode).toBe(200);
    expect((await access(sys.apiKey, 'PSB-HUJI', DEMO_CITIZEN.idNumber)).statusCode).toBe(200);
    const third = await access(sys.apiKey, 'PSB-HUJI', DEMO_CITIZEN.idNumber);
    expect(third.statusCode).toBe(429);
    expect(third.json().error.code).toBe('DATASHARE_RATE_LIMITED');
  });

  it('shows a citizen which departments read their records and why', async () => {
    const r = await api('citizen', 'GET', '/api/v1/datashare/my-data-usage');
    expect(r.statusCode).toBe(200);
    const uses = r.json();
    expect(uses.some((u: { department: string; purpose: string }) => u.department === 'A市住房和城乡建设局' || u.department === 'A市住房公积金管理中心')).toBe(true);
    expect(uses.find((u: { purpose: string }) => u.purpose === '住房公积金提取业务核验申请人户籍')).toBeDefined();
    expect((await api('clerk', 'GET', '/api/v1/datashare/my-data-usage')).statusCode).toBe(403);
    const jar = cookieJar();
    const csrf = await getCsrf(t.app, jar, '/login');
    await formPost(t.app, jar, '/login', { _csrf: csrf, identifier: DEMO_CITIZEN.mobile, password: DEMO_CITIZEN.password });
    const page = await get(t.app, jar, '/datashare/my-data');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('住房公积金业务系统');
    expect((await get(t.app, jar, '/me')).body).toContain('/datashare/my-data');
  });

  it('stores quality findings, applies an approved safe repair with an audit entry, and refuses unsafe ones', async () => {
    const huji = (await api('clerk', 'GET', '/api/v1/datashare/resources')).json().find((r: { code: string }) => r.code === 'PSB-HUJI');
    const q = (await api('dataadmin', 'GET', `/api/v1/datashare/resources/${huji.id}/quality`)).json();
    expect(q.runs).toHaveLength(1);
    const first = q.runs[0];
    expect(first.total_rows).toBe(41);
    expect(first.valid_rows).toBeLessThan(41);
    const rules = q.open.map((f: { rule: string }) => f.rule);
    expect(rules).toEqual(expect.arrayContaining(['cn-id.BAD_CHECKSUM', 'cn-id.WHITESPACE', 'cn-mobile.WHITESPACE+COUNTRY_PREFIX', 'cn-mobile.FULL_WIDTH', 'cn-id.LOWERCASE_X', 'region-code.UNKNOWN', 'date.NOT_CANONICAL', 'required.EMPTY']));
    // Personal values are masked in the listing.
    expect(JSON.stringify(q.open)).not.toMatch(/\d{17}[\dXx]/);

    const ws = q.open.find((f: { rule: string }) => f.rule === 'cn-id.WHITESPACE');
    expect((await api('head', 'POST', `/api/v1/datashare/findings/${ws.id}/approve`)).statusCode).toBe(403);
    const approved = await api('dataadmin', 'POST', `/api/v1/datashare/findings/${ws.id}/approve`);
    expect(approved.json().status).toBe('approved');
    const rec = await t.database.db.selectFrom('ds_records').selectAll().where('id', '=', approved.json().record_id).executeTakeFirstOrThrow();
    expect(rec.data.idNumber).toMatch(/^\d{17}[\dX]$/);
    const audit = await t.database.db.selectFrom('audit_events').selectAll().where('action', '=', 'datashare.quality.repair').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.before_digest).toBeTruthy();
    expect(audit[0]!.after_digest).toBeTruthy();
    expect(audit[0]!.before_digest).not.toBe(audit[0]!.after_digest);
    expect(JSON.stringify(audit[0]!.detail)).not.toContain(rec.data.idNumber);
    expect((await api('dataadmin', 'POST', `/api/v1/datashare/findings/${ws.id}/approve`)).json().error.code).toBe('DATASHARE_FINDING_DECIDED');

    const checksum = q.open.find((f: { rule: string }) => f.rule === 'cn-id.BAD_CHECKSUM');
    expect((await api('dataadmin', 'POST', `/api/v1/datashare/findings/${checksum.id}/approve`)).json().error.code).toBe('DATASHARE_NO_SAFE_REPAIR');
    expect((await api('dataadmin', 'POST', `/api/v1/datashare/findings/${checksum.id}/reject`)).json().status).toBe('rejected');

    const run2 = await api('dataadmin', 'POST', `/api/v1/datashare/resources/${huji.id}/quality-runs`);
    expect(run2.statusCode).toBe(201);
    const q2 = (await api('dataadmin', 'GET', `/api/v1/datashare/resources/${huji.id}/quality`)).json();
    expect(q2.runs).toHaveLength(2);
    expect(q2.open.some((f: { rule: string }) => f.rule === 'cn-id.WHITESPACE')).toBe(false);
    expect(q2.open.length).toBe(q.open.length - 1);
  });

  it('renders the staff pages, the dashboard table without JavaScript, and serves ECharts', async () => {
    const jar = cookieJar();
    const csrf = await getCsrf(t.app, jar, '/login');
    await formPost(t.app, jar, '/login', { _csrf: csrf, identifier: 'dataadmin', password: pw('dataadmin') });
    const huji = (await t.services.datashare.catalogue({ kind: 'system' })) as { ok: true; value: { id: number; code: string }[] };
    const id = huji.value.find((r) => r.code === 'PSB-HUJI')!.id;
    for (const url of ['/datashare', '/datashare/resources/PSB-HUJI', '/datashare/requests', '/datashare/log', '/datashare/systems', '/datashare/quality', `/datashare/quality/${id}`, '/workbench']) {
      const r = await get(t.app, jar, url);
      expect(r.statusCode, url).toBe(200);
    }
    const dash = await get(t.app, jar, `/datashare/quality/${id}`);
    expect(dash.body).toContain('<table>');
    expect(dash.body).toContain('id="quality-data"');
    expect(dash.body).toContain('/datashare/static/echarts.min.js');
    const overview = await get(t.app, jar, '/datashare/quality');
    expect(overview.body).toContain('A市公安局');
    const js = await t.app.inject({ method: 'GET', url: '/datashare/static/echarts.min.js' });
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toContain('javascript');
    expect(js.body.length).toBeGreaterThan(500_000);
    expect((await t.app.inject({ method: 'GET', url: '/datashare/static/quality-chart.js' })).body).toContain('echarts.init');

    // A request through the form, and its approval through the form.
    const token = await getCsrf(t.app, jar, '/datashare/systems');
    const sysPage = await formPost(t.app, jar, '/datashare/systems', { _csrf: token, name: '大数据中心分析平台', ratePerMinute: '30' });
    expect(sysPage.body).toMatch(/ysk_[0-9a-f]{12}_/);
    const t2 = await getCsrf(t.app, jar, '/datashare/resources/AMR-ENTERPRISE');
    const sysId = (await t.database.db.selectFrom('ds_systems').select('id').where('name', '=', '大数据中心分析平台').executeTakeFirstOrThrow()).id;
    const bad = await formPost(t.app, jar, '/datashare/resources/AMR-ENTERPRISE/request', { _csrf: t2, systemId: String(sysId), purpose: '', legalBasis: '', periodTo: '' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('error-summary');
    const good = await formPost(t.app, jar, '/datashare/resources/AMR-ENTERPRISE/request', { _csrf: t2, systemId: String(sysId), fields: ['uscc', 'entName'], purpose: '企业画像', legalBasis: '《政务信息资源共享管理暂行办法》', periodTo: addDays(today, 5) });
    expect(good.statusCode).toBe(303);
    const wb = await get(t.app, jar, '/workbench');
    expect(wb.body).toContain('大数据中心分析平台');

    // Registering a resource through the form.
    const t3 = await getCsrf(t.app, jar, '/datashare/resources/new');
    const civil = (await t.services.identity.departments()).find((d) => d.code === 'A-CIVIL')!;
    const form = { _csrf: t3, departmentId: String(civil.id), code: 'CIVIL-MARRIAGE', name: '婚姻登记信息', description: '结婚、离婚登记', owner: '婚姻登记处', updateFrequency: 'daily', sharingClass: 'conditional', sharingCondition: '', keyField: 'idNumber', fields: 'idNumber | 身份证号 | string | 是 | 是 | cn-id\nstatus | 婚姻状况 | text | 是 | 否 |' };
    const badForm = await formPost(t.app, jar, '/datashare/resources/new', form);
    expect(badForm.statusCode).toBe(400);
    expect(badForm.body).toContain('href="#sharingCondition"');
    expect(badForm.body).toContain('href="#fields"');
    const goodForm = await formPost(t.app, jar, '/datashare/resources/new', { ...form, sharingCondition: '用于婚姻状况核验', fields: 'idNumber | 身份证号 | string | 是 | 是 | cn-id\nstatus | 婚姻状况 | string | 是 | 否 |' });
    expect(goodForm.statusCode).toBe(303);
    const page = await get(t.app, jar, goodForm.headers.location as string);
    expect(page.body).toContain('婚姻登记信息');
    expect(page.body).toContain('有条件共享');
  });
});
