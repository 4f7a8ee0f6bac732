import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CITIZEN, DEMO_STAFF, seedDemo } from '../src/modules/demo/demo.seed.ts';
import { seedServices } from '../src/modules/onestop/onestop.module.ts';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';
import { cookieJar, formPost, get, getCsrf } from './helpers/http.ts';

const pw = (u: string) => DEMO_STAFF.find((s) => s.username === u)!.password;

async function token(t: TestApp, identifier: string, password: string): Promise<string> {
  const r = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { identifier, password } });
  expect(r.statusCode).toBe(200);
  return r.json().token as string;
}

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]);

function multipart(fields: Record<string, string>, file: { field: string; name: string; type: string; bytes: Buffer }) {
  const boundary = '----yiwangtest' + Math.random().toString(16).slice(2);
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`), file.bytes, Buffer.from(`\r\n--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describe.each(engines())('one-stop services on %s', (engine) => {
  let t: TestApp;
  let citizen: string;
  let clerk: string;
  let head: string;
  let supervisor: string;
  let admin: string;
  const auth = (tok: string) => ({ authorization: `Bearer ${tok}` });

  beforeAll(async () => {
    t = await createTestApp(engine);
    await seedDemo(t.services);
    const first = await seedServices(t.services);
    expect(first.items).toBe(1135);
    expect(first.guides).toBe(10);
    const again = await seedServices(t.services);
    expect(again).toEqual({ items: 0, guides: 0, certificates: 0, cases: 0 });
    citizen = await token(t, DEMO_CITIZEN.mobile, DEMO_CITIZEN.password);
    clerk = await token(t, 'clerk', pw('clerk'));
    head = await token(t, 'head', pw('head'));
    supervisor = await token(t, 'supervisor', pw('supervisor'));
    admin = await token(t, 'admin', pw('admin'));
  });
  afterAll(async () => t?.close());

  it('serves the catalogue: search by name, filter by department and type', async () => {
    const all = await t.app.inject({ url: '/api/v1/services/items?pageSize=5' });
    expect(all.statusCode).toBe(200);
    expect(all.json().total).toBe(1145);
    const s = await t.app.inject({ url: `/api/v1/services/items?q=${encodeURIComponent('居住证')}` });
    const names = s.json().items.map((i: { name: string }) => i.name);
    expect(names).toContain('居住证申领');
    expect(names.every((n: string) => n.includes('居住证'))).toBe(true);
    const d = await t.app.inject({ url: `/api/v1/services/items?department=${encodeURIComponent('区残联')}&type=7` });
    expect(d.json().total).toBe(d.json().items.length);
    expect(d.json().items.every((i: { department: string; type: string }) => i.department === '区残联' && i.type === '7')).toBe(true);
    const facets = (await t.app.inject({ url: '/api/v1/services/facets' })).json();
    expect(facets.departments.find((x: { name: string }) => x.name === '区行政审批局').n).toBe(344);
  });

  it('renders the catalogue and a guide page', async () => {
    const list = await t.app.inject({ url: `/services?q=${encodeURIComponent('公积金')}` });
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('住房公积金提取');
    const guide = await t.app.inject({ url: '/services/item/A-512B0011200070' });
    expect(guide.statusCode).toBe(200);
    expect(guide.body).toContain('居住证暂行条例');
    expect(guide.body).toContain('法定办结时限');
    const csvItem = await t.app.inject({ url: '/api/v1/services/items?q=' + encodeURIComponent('采矿权延续登记') });
    const code = csvItem.json().items[0].code as string;
    const page = await t.app.inject({ url: `/services/item/${encodeURIComponent(code)}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('sczwfw.gov.cn');
  });

  it('validates an application on the server with every field error at once', async () => {
    const r = await t.app.inject({
      method: 'POST', url: '/api/v1/services/items/A-512B0369200000/applications', headers: auth(citizen),
      payload: { clientToken: 'bad-form-0001', data: { applicantName: '张三', applicantId: '110101199003070012', mobile: '123', hukouType: 'x', pledge: false } },
    });
    expect(r.statusCode).toBe(400);
    const fields = r.json().error.fields.map((f: { field: string }) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['applicantId', 'mobile', 'hukouType', 'jobType', 'bankAccount', 'pledge']));
  });

  const goodFlexible = () => ({ applicantName: '张三', applicantId: DEMO_CITIZEN.idNumber, mobile: DEMO_CITIZEN.mobile, hukouType: 'urban', jobType: 'partTime', baseLevel: '100', startMonth: '2026-02', bankAccount: '6222020200001111222', pledge: 'true' });

  it('submits idempotently, reusing electronic certificates instead of uploads (免提交)', async () => {
    const payload = { clientToken: 'flex-token-0001', data: goodFlexible() };
    const a = await t.app.inject({ method: 'POST', url: '/api/v1/services/items/A-512B0369200000/applications', headers: auth(citizen), payload });
    expect(a.statusCode).toBe(201);
    const b = await t.app.inject({ method: 'POST', url: '/api/v1/services/items/A-512B0369200000/applications', headers: auth(citizen), payload });
    expect(b.statusCode).toBe(200);
    expect(b.json().id).toBe(a.json().id);
    expect(b.json().created).toBe(false);
    const mats = a.json().materials;
    expect(mats.idCard.source).toBe('certificate');
    expect(mats.hukou.source).toBe('certificate');
  });

  it('runs the case flow with 补正, acceptance, review and approval; forbids steps out of order; detects concurrent clerks', async () => {
    const sub = await t.app.inject({ method: 'POST', url: '/api/v1/services/items/A-512B0369200000/applications', headers: auth(citizen), payload: { clientToken: 'flex-token-0002', data: goodFlexible() } });
    const id = sub.json().id as number;
    let version = sub.json().version as number;
    const act = (tok: string, action: string, v: number, comment?: string, data?: object) =>
      t.app.inject({ method: 'POST', url: `/api/v1/services/cases/${id}/actions`, headers: auth(tok), payload: { action, version: v, ...(comment ? { comment } : {}), ...(data ? { data } : {}) } });
    const early = await act(clerk, 'approve', version);
    expect(early.statusCode).toBe(409);
    expect(early.json().error.code).toBe('ACTION_NOT_ALLOWED');
    const noReason = await act(clerk, 'request_correction', version);
    expect(noReason.json().error.code).toBe('VALIDATION_FAILED');
    const corr = await act(clerk, 'request_correction', version, '请补充近三个月的银行流水。');
    expect(corr.statusCode).toBe(200);
    expect(corr.json().status).toBe('correction_requested');
    const citizenCannotAccept = await act(citizen, 'accept', corr.json().version);
    expect(citizenCannotAccept.statusCode).toBe(403);
    const re = await act(citizen, 'resubmit', corr.json().version, undefined, { ...goodFlexible(), baseLevel: '150' });
    expect(re.json().status).toBe('submitted');
    version = re.json().version;
    // Two clerks act on the same version: one wins, the other gets CONFLICT.
    const [x, y] = await Promise.all([act(clerk, 'accept', version), act(head, 'reject', version, '不符合条件。')]);
    const codes = [x.statusCode, y.statusCode].sort();
    expect(codes).toEqual([200, 409]);
    const loser = x.statusCode === 409 ? x : y;
    expect(loser.json().error.code).toBe('CONFLICT');
    const detail = (await t.app.inject({ url: `/api/v1/services/cases/${id}`, headers: auth(clerk) })).json();
    expect(detail.actions.map((a: { action: string }) => a.action)).toEqual(['create', 'submit', 'request_correction', 'resubmit', detail.status === 'accepted' ? 'accept' : 'reject']);
    expect(detail.data.baseLevel).toBe('150');
    if (detail.status === 'accepted') {
      expect(detail.legalDeadline).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      const rv = await act(clerk, 'start_review', detail.version);
      const ap = await act(clerk, 'approve', rv.json().version);
      expect(ap.json().status).toBe('approved');
      const done = await act(clerk, 'complete', ap.json().version);
      expect(done.json().status).toBe('completed');
    }
    const other = await token(t, 'analyst', pw('analyst'));
    const forbidden = await t.app.inject({ url: `/api/v1/services/cases/${id}`, headers: auth(other) });
    expect(forbidden.statusCode).toBe(403);
  });

  it('gives the clerk a queue sorted by deadline and hides other departments', async () => {
    const q = await t.app.inject({ url: '/api/v1/services/queue', headers: auth(clerk) });
    expect(q.statusCode).toBe(200);
    const rows = q.json() as { departmentId: number; legalDeadline: string | null; promisedDeadline: string | null }[];
    expect(rows.length).toBeGreaterThan(0);
    const hrss = rows[0]!.departmentId;
    expect(rows.every((r) => r.departmentId === hrss)).toBe(true);
    const keys = rows.map((r) => r.promisedDeadline ?? r.legalDeadline ?? '9999');
    expect([...keys].sort()).toEqual(keys);
    expect((await t.app.inject({ url: '/api/v1/services/queue', headers: auth(citizen) })).statusCode).toBe(403);
  });

  it('sniffs uploads by content and enforces the size limit', async () => {
    const draft = await t.app.inject({ method: 'POST', url: '/api/v1/services/items/A-512B0011200070/drafts', headers: auth(citizen), payload: { clientToken: 'jzz-draft-0001', data: { applicantName: '张三', mobile: '12' } } });
    expect(draft.statusCode).toBe(200);
    const id = draft.json().id as number;
    const fake = multipart({ material: 'photo' }, { field: 'file', name: 'photo.png', type: 'image/png', bytes: Buffer.from('MZ not an image at all') });
    const bad = await t.app.inject({ method: 'POST', url: `/api/v1/services/cases/${id}/files`, headers: { ...auth(citizen), ...fake.headers }, payload: fake.payload });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('FILE_TYPE_NOT_ALLOWED');
    const big = multipart({ material: 'photo' }, { field: 'file', name: 'big.png', type: 'image/png', bytes: Buffer.concat([PNG, Buffer.alloc(5 * 1024 * 1024)]) });
    const tooBig = await t.app.inject({ method: 'POST', url: `/api/v1/services/cases/${id}/files`, headers: { ...auth(citizen), ...big.headers }, payload: big.payload });
    expect(tooBig.statusCode).toBe(413);
    expect(tooBig.json().error.code).toBe('FILE_TOO_LARGE');
    const good = multipart({ material: 'photo' }, { field: 'file', name: '../../etc/照片.png', type: 'application/octet-stream', bytes: PNG });
    const ok = await t.app.inject({ method: 'POST', url: `/api/v1/services/cases/${id}/files`, headers: { ...auth(citizen), ...good.headers }, payload: good.payload });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().mime).toBe('image/png');
    expect(ok.json().name).toBe('照片.png');
    // Still missing: the residence and employment proofs (the demo citizen holds no 不动产权证书).
    const submit = await t.app.inject({
      method: 'POST', url: '/api/v1/services/items/A-512B0011200070/applications', headers: auth(citizen),
      payload: { clientToken: 'jzz-draft-0001', data: { applicantName: '张三', applicantId: DEMO_CITIZEN.idNumber, mobile: DEMO_CITIZEN.mobile, address: 'A市城关镇幸福路 1 号', since: '2025-01-02', basis: 'work', delivery: 'post', pledge: true } },
    });
    expect(submit.statusCode).toBe(400);
    expect(submit.json().error.code).toBe('MATERIALS_MISSING');
    expect(submit.json().error.fields.map((f: { field: string }) => f.field).sort()).toEqual(['material_proof', 'material_residence']);
  });

  it('lets a department head create, edit and publish an item; others may not', async () => {
    const depts = (await t.app.inject({ url: '/api/v1/departments' })).json() as { id: number; code: string }[];
    const hrss = depts.find((d) => d.code === 'A-HRSS')!.id;
    const psb = depts.find((d) => d.code === 'A-PSB')!.id;
    const body = { code: 'A-TEST-001', name: '测试事项', taskType: '20', departmentId: hrss, legalDays: 10, promisedDays: 5 };
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/services/items', headers: auth(clerk), payload: body })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/services/items', headers: auth(head), payload: { ...body, departmentId: psb } })).statusCode).toBe(403);
    const c = await t.app.inject({ method: 'POST', url: '/api/v1/services/items', headers: auth(head), payload: body });
    expect(c.statusCode).toBe(201);
    expect(c.json().status).toBe('draft');
    expect((await t.app.inject({ url: '/api/v1/services/items/A-TEST-001' })).statusCode).toBe(404);
    const dup = await t.app.inject({ method: 'POST', url: '/api/v1/services/items', headers: auth(head), payload: body });
    expect(dup.json().error.code).toBe('ITEM_CODE_TAKEN');
    const e = await t.app.inject({ method: 'PATCH', url: '/api/v1/services/items/A-TEST-001', headers: auth(head), payload: { version: 1, promisedDays: 3 } });
    expect(e.json().promisedDays).toBe(3);
    const stale = await t.app.inject({ method: 'PATCH', url: '/api/v1/services/items/A-TEST-001', headers: auth(head), payload: { version: 1, promisedDays: 2 } });
    expect(stale.json().error.code).toBe('CONFLICT');
    const pub = await t.app.inject({ method: 'POST', url: '/api/v1/services/items/A-TEST-001/status', headers: auth(admin), payload: { version: 2, status: 'published' } });
    expect(pub.json().status).toBe('published');
    expect((await t.app.inject({ url: '/api/v1/services/items/A-TEST-001' })).statusCode).toBe(200);
    void supervisor;
  });
});
