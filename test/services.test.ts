import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CITIZEN, DEMO_STAFF, seedDemo } from '../src/modules/demo/demo.seed.ts';
import { seedServices } from '../src/modules/onestop/onestop.module.ts';
import { chinaDaysSince, chinaToday } from './helpers/china-day.ts';
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
  /** Today in China before anything was submitted: cases submitted since were submitted on a day of chinaDaysSince(started). */
  let started = '';

  beforeAll(async () => {
    started = chinaToday();
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
    // The log is append-only in the database itself.
    await expect(t.database.db.updateTable('svc_case_actions').set({ comment: 'rewritten' }).where('case_id', '=', id).execute()).rejects.toThrow(/append-only/);
    await expect(t.database.db.deleteFrom('svc_case_actions').where('case_id', '=', id).execute()).rejects.toThrow(/append-only/);
    const other = await token(t, 'analyst', pw('analyst'));
    const forbidden = await t.app.inject({ url: `/api/v1/services/cases/${id}`, headers: auth(other) });
    expect(forbidden.statusCode).toBe(403);
  });

  it('gives the clerk a queue sorted by deadline and hides other departments', async () => {
    const q = await t.app.inject({ url: '/api/v1/services/queue', headers: auth(clerk) });
    expect(q.statusCode).toBe(200);
    const rows = q.json() as { departmentId: number; status: string; acceptDue: string | null; legalDeadline: string | null; promisedDeadline: string | null }[];
    expect(rows.length).toBeGreaterThan(0);
    const hrss = rows[0]!.departmentId;
    expect(rows.every((r) => r.departmentId === hrss)).toBe(true);
    const keys = rows.map((r) => r.promisedDeadline ?? r.legalDeadline ?? r.acceptDue ?? '9999');
    const cal = await t.services.onestop.calendar();
    const submitted = rows.filter((r) => r.status === 'submitted');
    expect(submitted.length).toBeGreaterThan(0);
    // 5 working days from the day of submission (today; yesterday too if midnight in China passed since beforeAll).
    const acceptDues = chinaDaysSince(started).map((d) => cal.addWorkingDays(d, 5));
    for (const r of submitted) expect(acceptDues).toContain(r.acceptDue);
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

  const jzzData = () => ({ applicantName: '张三', applicantId: DEMO_CITIZEN.idNumber, mobile: DEMO_CITIZEN.mobile, address: 'A市城关镇幸福路 1 号', since: '2025-01-02', basis: 'work', delivery: 'post', pledge: true });
  const upload = async (id: number, material: string, bytes: Buffer, tok = citizen) => {
    const m = multipart({ material }, { field: 'file', name: `${material}.pdf`, type: 'application/pdf', bytes });
    return t.app.inject({ method: 'POST', url: `/api/v1/services/cases/${id}/files`, headers: { ...auth(tok), ...m.headers }, payload: m.payload });
  };
  const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n');

  it('issues a signed certificate on approval; verifies it from the QR text; refuses a forged one; revokes it', async () => {
    const d = await t.app.inject({ method: 'POST', url: '/api/v1/services/items/A-512B0011200070/drafts', headers: auth(citizen), payload: { clientToken: 'jzz-full-0001', data: jzzData() } });
    const id = d.json().id as number;
    for (const m of ['residence', 'proof']) expect((await upload(id, m, PDF)).statusCode).toBe(201);
    expect((await upload(id, 'photo', PNG)).statusCode).toBe(201);
    const sub = await t.app.inject({ method: 'POST', url: '/api/v1/services/items/A-512B0011200070/applications', headers: auth(citizen), payload: { clientToken: 'jzz-full-0001', data: jzzData() } });
    expect(sub.statusCode).toBe(201);
    expect(sub.json().materials.idCard.source).toBe('certificate');
    expect(sub.json().materials.photo.source).toBe('upload');
    // A-PSB's case: the demo clerk (A-HRSS) may not touch it; the system acts as a PSB clerk would.
    const wrongDept = await t.app.inject({ method: 'POST', url: `/api/v1/services/cases/${id}/actions`, headers: auth(clerk), payload: { action: 'accept', version: sub.json().version } });
    expect(wrongDept.statusCode).toBe(403);
    const { SYSTEM } = await import('../src/modules/identity/permissions.ts');
    let v = sub.json().version as number;
    for (const action of ['accept', 'start_review', 'approve']) {
      const r = await t.services.onestop.act(SYSTEM, id, { action, version: v });
      expect(r.ok).toBe(true);
      if (r.ok) v = r.value.version;
    }
    const wallet = (await t.app.inject({ url: '/api/v1/services/my/certificates', headers: auth(citizen) })).json() as { type: string; code: string; number: string }[];
    const jzz = wallet.find((c) => c.type === '居住证')!;
    expect(jzz.code).toMatch(/^YWC1\./);
    const ok = await t.app.inject({ url: `/api/v1/certificates/verify?code=${encodeURIComponent(jzz.code)}` });
    expect(ok.json()).toMatchObject({ valid: true, type: '居住证', holder: '张*', issuer: 'A市公安局' });
    const [p0, body, sig] = jzz.code.split('.');
    const forgedBody = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body!, 'base64url').toString()), u: '2099-12-31' })).toString('base64url');
    const forged = await t.app.inject({ url: `/api/v1/certificates/verify?code=${encodeURIComponent(`${p0}.${forgedBody}.${sig}`)}` });
    expect(forged.statusCode).toBe(400);
    expect(forged.json().error.code).toBe('CERT_INVALID');
    const page = await t.app.inject({ url: `/services/verify?code=${encodeURIComponent(`${p0}.${forgedBody}.${sig}`)}` });
    expect(page.body).toContain('CERT_INVALID');
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/services/certificates/${jzz.number}/revoke`, headers: auth(head), payload: { reason: '测试' } })).statusCode).toBe(403);
    const depts = (await t.app.inject({ url: '/api/v1/departments' })).json() as { id: number; code: string }[];
    const psb = depts.find((x) => x.code === 'A-PSB')!.id;
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/services/keys/rotate', headers: auth(head), payload: { departmentId: psb } })).statusCode).toBe(403);
    const rot = await t.app.inject({ method: 'POST', url: '/api/v1/services/keys/rotate', headers: auth(admin), payload: { departmentId: psb } });
    expect(rot.statusCode).toBe(200);
    // Certificates signed with the retired key still verify.
    expect((await t.app.inject({ url: `/api/v1/certificates/verify?code=${encodeURIComponent(jzz.code)}` })).json().valid).toBe(true);
    const rev = await t.app.inject({ method: 'POST', url: `/api/v1/services/certificates/${jzz.number}/revoke`, headers: auth(admin), payload: { reason: '当事人户籍迁回原籍' } });
    expect(rev.json().status).toBe('revoked');
    const after = await t.app.inject({ url: `/api/v1/certificates/verify?code=${encodeURIComponent(jzz.code)}` });
    expect(after.json()).toMatchObject({ valid: false, reason: 'revoked', revokedReason: '当事人户籍迁回原籍' });
    // Notices: receipt page and PDF with the case number and a QR code.
    const receipt = await t.app.inject({ url: `/services/cases/${id}/notice/receipt`, headers: auth(citizen) });
    expect(receipt.statusCode).toBe(200);
    expect(receipt.body).toContain('受理回执');
    expect(receipt.body).toContain('data:image/png;base64');
    const pdf = await t.app.inject({ url: `/services/cases/${id}/notice/approval?format=pdf`, headers: auth(citizen) });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toContain('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect((await t.app.inject({ url: `/services/cases/${id}/notice/rejection`, headers: auth(citizen) })).statusCode).toBe(404);
    const caseNo = (await t.app.inject({ url: `/api/v1/services/cases/${id}`, headers: auth(citizen) })).json().caseNo as string;
    const code = /\/services\/status\/[A-Z0-9]+\?code=([A-Z0-9]+)/.exec(receipt.body)![1]!;
    const status = await t.app.inject({ url: `/services/status/${caseNo}?code=${code}` });
    expect(status.statusCode).toBe(200);
    expect(status.body).not.toContain(DEMO_CITIZEN.idNumber);
  });

  it('walks the citizen and the clerk through the pages: apply, save, 补正, resubmit, accept', async () => {
    const cj = cookieJar();
    let csrf = await getCsrf(t.app, cj, '/login');
    await formPost(t.app, cj, '/login', { identifier: DEMO_CITIZEN.mobile, password: DEMO_CITIZEN.password, _csrf: csrf });
    const form = await get(t.app, cj, '/services/item/A-512B0369200000/apply');
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('<label for="applicantName">');
    const tokenField = /name="clientToken" value="([^"]+)"/.exec(form.body)![1]!;
    csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
    const bad = await formPost(t.app, cj, '/services/item/A-512B0369200000/apply', { _csrf: csrf, clientToken: tokenField, intent: 'submit', applicantName: '张三', mobile: 'abc' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('error-summary');
    expect(bad.body).toContain('value="abc"');
    const good = await formPost(t.app, cj, '/services/item/A-512B0369200000/apply', { _csrf: csrf, clientToken: tokenField, intent: 'submit', ...goodFlexible() });
    expect(good.statusCode).toBe(303);
    const again = await formPost(t.app, cj, '/services/item/A-512B0369200000/apply', { _csrf: csrf, clientToken: tokenField, intent: 'submit', ...goodFlexible() });
    expect(again.headers.location).toBe(good.headers.location);
    const id = Number(/\/services\/cases\/(\d+)/.exec(good.headers.location as string)![1]);
    const mine = await get(t.app, cj, '/services/my');
    expect(mine.body).toContain('灵活就业人员参保登记');
    expect(mine.body).toContain('等待部门受理');

    const sj = cookieJar();
    csrf = await getCsrf(t.app, sj, '/login');
    await formPost(t.app, sj, '/login', { identifier: 'clerk', password: pw('clerk'), _csrf: csrf });
    const wb = await get(t.app, sj, '/workbench');
    expect(wb.body).toContain(`/services/cases/${id}`);
    const view = await get(t.app, sj, `/services/cases/${id}`);
    expect(view.body).toContain('一次性告知补正');
    csrf = /name="_csrf" value="([^"]+)"/.exec(view.body)![1]!;
    const version = /name="version" value="(\d+)"/.exec(view.body)![1]!;
    const corr = await formPost(t.app, sj, `/services/cases/${id}`, { _csrf: csrf, version, action: 'request_correction', comment: '请补充银行卡开户证明。' });
    expect(corr.statusCode).toBe(303);
    const stale = await formPost(t.app, sj, `/services/cases/${id}`, { _csrf: csrf, version, action: 'accept', comment: '' });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('办件在您提交之前已有变化'); // the case page as it is now (test/services-conflict-comment.test.ts)

    const cv = await get(t.app, cj, `/services/cases/${id}`);
    expect(cv.body).toContain('请补充银行卡开户证明。');
    csrf = /name="_csrf" value="([^"]+)"/.exec(cv.body)![1]!;
    const v2 = /name="version" value="(\d+)"/.exec(cv.body)![1]!;
    const pageUpload = multipart({ _csrf: csrf, material: 'idCard' }, { field: 'file', name: 'bank.pdf', type: 'application/pdf', bytes: PDF });
    const up = await t.app.inject({ method: 'POST', url: `/services/cases/${id}/files`, cookies: Object.fromEntries(cj), headers: pageUpload.headers, payload: pageUpload.payload });
    expect(up.statusCode).toBe(303);
    const re = await formPost(t.app, cj, `/services/cases/${id}`, { _csrf: csrf, version: String(Number(v2)), intent: 'resubmit', ...goodFlexible() });
    expect(re.statusCode).toBe(303);
    const acc = await t.services.onestop.getCase({ kind: 'system' }, id);
    expect(acc.ok && acc.value.case.status).toBe('submitted');
    expect(acc.ok && acc.value.case.materials.idCard?.source).toBe('upload');
  });

  it('escalates overdue cases to supervisors and lets an administrator add a holiday year', async () => {
    const svc = t.services.onestop;
    const real = svc.now;
    try {
      svc.now = () => new Date(Date.now() + 120 * 86_400_000);
      const n = await svc.escalateOverdue();
      expect(n).toBeGreaterThan(0);
      expect(await svc.escalateOverdue()).toBe(0);
      const late = await t.app.inject({ url: '/api/v1/services/overdue', headers: auth(supervisor) });
      expect(late.statusCode).toBe(200);
      expect(late.json().every((c: { light: string; escalated: boolean }) => c.light === 'red' && c.escalated)).toBe(true);
      expect((await t.app.inject({ url: '/api/v1/services/overdue', headers: auth(clerk) })).statusCode).toBe(403);
      const box = (await t.app.inject({ url: '/api/v1/services/outbox', headers: auth(supervisor) })).json() as { channel: string; subject: string }[];
      expect(box.some((o) => o.channel === 'supervisor' && o.subject.startsWith('督办'))).toBe(true);
    } finally {
      svc.now = real;
    }
    const rows = [{ date: '2027-01-01', kind: 'off', holiday: '元旦' }, { date: '2027-02-06', kind: 'work', holiday: '春节' }];
    expect((await t.app.inject({ method: 'PUT', url: '/api/v1/services/holidays/2027', headers: auth(clerk), payload: { rows } })).statusCode).toBe(403);
    const bad = await t.app.inject({ method: 'PUT', url: '/api/v1/services/holidays/2027', headers: auth(admin), payload: { rows: [{ date: '2027-02-03', kind: 'work' }] } });
    expect(bad.json().error.code).toBe('HOLIDAYS_INVALID');
    const good = await t.app.inject({ method: 'PUT', url: '/api/v1/services/holidays/2027', headers: auth(admin), payload: { rows } });
    expect(good.json()).toEqual({ year: 2027, rows: 2 });
    const cal = await svc.calendar();
    expect(cal.isWorkingDay('2027-01-01')).toBe(false);
    expect(cal.isWorkingDay('2027-02-06')).toBe(true);
    expect(cal.isWorkingDay('2025-10-01')).toBe(false);
  });

  it('takes 好差评 on completed cases, opens a 15-working-day rectification for a bad one, and handles an appeal', async () => {
    const { SYSTEM } = await import('../src/modules/identity/permissions.ts');
    const sub = await t.app.inject({ method: 'POST', url: '/api/v1/services/items/A-512B0369200000/applications', headers: auth(citizen), payload: { clientToken: 'flex-rate-0001', data: goodFlexible() } });
    const id = sub.json().id as number;
    const early = await t.app.inject({ method: 'POST', url: `/api/v1/services/cases/${id}/rating`, headers: auth(citizen), payload: { level: 5 } });
    expect(early.json().error.code).toBe('RATING_NOT_ALLOWED');
    let v = sub.json().version as number;
    for (const action of ['accept', 'start_review', 'approve', 'complete']) {
      const r = await t.services.onestop.act(SYSTEM, id, { action, version: v });
      if (r.ok) v = r.value.version;
    }
    const noReason = await t.app.inject({ method: 'POST', url: `/api/v1/services/cases/${id}/rating`, headers: auth(citizen), payload: { level: 1 } });
    expect(noReason.json().error.fields[0].field).toBe('comment');
    const rated = chinaToday();
    const bad = await t.app.inject({ method: 'POST', url: `/api/v1/services/cases/${id}/rating`, headers: auth(citizen), payload: { level: 1, indicators: { efficiency: 1, easeOfUse: 2 }, comment: '等了很久没人联系' } });
    expect(bad.statusCode).toBe(201);
    const cal = await t.services.onestop.calendar();
    expect(chinaDaysSince(rated).map((d) => cal.addWorkingDays(d, 15))).toContain(bad.json().rectification.dueOn);
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/services/cases/${id}/rating`, headers: auth(citizen), payload: { level: 5 } })).json().error.code).toBe('RATING_NOT_ALLOWED');
    const tasks = (await t.app.inject({ url: '/api/v1/services/rectifications', headers: auth(clerk) })).json() as { ratingId: number; id: number }[];
    const task = tasks.find((x) => x.ratingId === bad.json().id)!;
    expect(task).toBeDefined();
    const before = (await t.app.inject({ url: '/api/v1/services/satisfaction' })).json();
    const flex = before.services.find((x: { key: string }) => x.key === 'A-512B0369200000');
    expect(flex.bad).toBe(1);
    const appeal = await t.app.inject({ method: 'POST', url: `/api/v1/services/ratings/${bad.json().id}/appeal`, headers: auth(clerk), payload: { reason: '已按时办结，评价与事实不符' } });
    expect(appeal.json().appealStatus).toBe('appealed');
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/services/ratings/${bad.json().id}/appeal-decision`, headers: auth(clerk), payload: { uphold: true } })).statusCode).toBe(403);
    const decided = await t.app.inject({ method: 'POST', url: `/api/v1/services/ratings/${bad.json().id}/appeal-decision`, headers: auth(supervisor), payload: { uphold: true } });
    expect(decided.json()).toMatchObject({ appealStatus: 'upheld', excluded: true });
    const after = (await t.app.inject({ url: '/api/v1/services/satisfaction' })).json();
    expect(after.services.find((x: { key: string }) => x.key === 'A-512B0369200000')).toBeUndefined();
    const closed = await t.app.inject({ method: 'POST', url: `/api/v1/services/rectifications/${task.id}/close`, headers: auth(clerk), payload: { note: '已电话回访，群众表示理解' } });
    expect(closed.json().status).toBe('done');
    expect((await t.app.inject({ url: '/services/satisfaction' })).statusCode).toBe(200);
  });

  it('delivers the outbox by e-mail over real SMTP and through an SMS adapter', async () => {
    const { SMTPServer } = await import('smtp-server');
    const { smtpChannel, MemorySms } = await import('../src/modules/onestop/notify.ts');
    const received: { to: string; raw: string }[] = [];
    const server = new SMTPServer({
      authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
      onData(stream, session, cb) {
        let raw = '';
        stream.on('data', (c: Buffer) => (raw += c.toString('utf8')));
        stream.on('end', () => {
          received.push({ to: session.envelope.rcptTo.map((r) => r.address).join(','), raw });
          cb();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const port = (server.server.address() as { port: number }).port;
    try {
      const reg = await t.app.inject({ method: 'POST', url: '/api/v1/auth/register', payload: { email: 'lisi@example.com', mobile: '13912345670', password: 'Good-pass-1', realName: '李四', idNumber: '11010519491231002X' } });
      expect(reg.statusCode).toBe(201);
      const li = await token(t, 'lisi@example.com', 'Good-pass-1');
      const sub = await t.app.inject({ method: 'POST', url: '/api/v1/services/items/A-HPF-WITHDRAW/drafts', headers: auth(li), payload: { clientToken: 'li-hpf-0001', data: { applicantName: '李四' } } });
      expect(sub.statusCode).toBe(200);
      await upload(sub.json().id, 'idCard', PDF, li);
      await upload(sub.json().id, 'proof', PDF, li);
      await upload(sub.json().id, 'bankCard', PNG, li);
      const s2 = await t.app.inject({ method: 'POST', url: '/api/v1/services/items/A-HPF-WITHDRAW/applications', headers: auth(li), payload: { clientToken: 'li-hpf-0001', data: { applicantName: '李四', applicantId: '11010519491231002X', mobile: '13912345670', reason: 'rent', amount: '12000', bankAccount: '6222020200009999888', pledge: 'true' } } });
      expect(s2.statusCode).toBe(201);
      const sms = new MemorySms();
      t.services.onestop.channels = [await smtpChannel({ host: '127.0.0.1', port, from: 'noreply@yiwang.example', allowSelfSigned: true }), sms];
      let total = 0;
      for (let i = 0; i < 10; i++) {
        const r = await t.services.onestop.deliver(200);
        total += r.sent;
        if (r.sent + r.failed === 0) break;
      }
      expect(total).toBeGreaterThan(0);
      const mine = received.filter((m) => m.to === 'lisi@example.com');
      expect(mine.length).toBe(1);
      const [, bodyB64] = mine[0]!.raw.split(/\r?\n\r?\n/);
      expect(Buffer.from(bodyB64!.replace(/\s+/g, ''), 'base64').toString('utf8')).toContain(`住房公积金提取（办件编号 ${s2.json().caseNo}）`);
      expect(sms.sent.some((m) => m.to === '13912345670' && m.body.includes(s2.json().caseNo))).toBe(true);
      expect((await t.services.onestop.deliver()).sent).toBe(0);
    } finally {
      t.services.onestop.channels = [];
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('lets a department head manage items through pages (create, edit with a stale version, publish)', async () => {
    const hj = cookieJar();
    let csrf = await getCsrf(t.app, hj, '/login');
    await formPost(t.app, hj, '/login', { identifier: 'head', password: pw('head'), _csrf: csrf });
    const list = await get(t.app, hj, '/services/manage');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('灵活就业人员参保登记');
    expect(list.body).not.toContain('居住证申领');
    const form = await get(t.app, hj, '/services/manage/new');
    csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
    const dept = /<option value="(\d+)"/.exec(form.body.slice(form.body.indexOf('id="departmentId"')))![1]!;
    const bad = await formPost(t.app, hj, '/services/manage/new', { _csrf: csrf, code: 'A-PAGE-001', name: '页面新建事项', taskType: '20', departmentId: dept, legalDays: '5', promisedDays: '9', materials: 'idCard|居民身份证|是|居民身份证\n坏行', form: '' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('第 2 行格式应为');
    const form2 = JSON.stringify({ schema: { type: 'object', properties: { a: { type: 'string' } } }, layout: [{ title: '信息', fields: [{ key: 'a', label: 'A' }, { key: 'z', label: 'Z' }] }] });
    const badForm = await formPost(t.app, hj, '/services/manage/new', { _csrf: csrf, code: 'A-PAGE-001', name: '页面新建事项', taskType: '20', departmentId: dept, legalDays: '5', promisedDays: '3', materials: 'idCard|居民身份证|是|居民身份证', form: form2 });
    expect(badForm.statusCode).toBe(400);
    expect(badForm.body).toContain('layout 中的字段 z 不在 schema 中。');
    expect(badForm.body).not.toContain('is not in the schema');
    const created = await formPost(t.app, hj, '/services/manage/new', { _csrf: csrf, code: 'A-PAGE-001', name: '页面新建事项', taskType: '20', departmentId: dept, legalDays: '5', promisedDays: '3', materials: 'idCard|居民身份证|是|居民身份证', form: '' });
    expect(created.statusCode).toBe(303);
    const edit = await get(t.app, hj, '/services/manage/A-PAGE-001');
    expect(edit.body).toContain('idCard|居民身份证|是|居民身份证');
    const fields = { _csrf: csrf, version: '1', name: '页面新建事项（修订）', taskType: '20', departmentId: dept, legalDays: '5', promisedDays: '2', materials: 'idCard|居民身份证|是|居民身份证', form: '' };
    expect((await formPost(t.app, hj, '/services/manage/A-PAGE-001', fields)).statusCode).toBe(303);
    const stale = await formPost(t.app, hj, '/services/manage/A-PAGE-001', fields);
    expect(stale.statusCode).toBe(409);
    const pub = await formPost(t.app, hj, '/services/manage/A-PAGE-001/status', { _csrf: csrf, version: '2', status: 'published' });
    expect(pub.statusCode).toBe(303);
    const guide = await t.app.inject({ url: '/services/item/A-PAGE-001' });
    expect(guide.statusCode).toBe(200);
    expect(guide.body).toContain('页面新建事项（修订）');
  });

  it('shows a supervisor a case with personal data masked, renders English pages, and documents the API', async () => {
    const mine = (await t.app.inject({ url: '/api/v1/services/my/cases', headers: auth(citizen) })).json() as { id: number; item: { code: string } }[];
    const flex = mine.find((c) => c.item.code === 'A-512B0369200000')!;
    const sup = await t.app.inject({ url: `/services/cases/${flex.id}`, headers: auth(supervisor) });
    expect(sup.statusCode).toBe(200);
    expect(sup.body).not.toContain(DEMO_CITIZEN.idNumber);
    expect(sup.body).toContain('110101********0011');
    const api = (await t.app.inject({ url: `/api/v1/services/cases/${flex.id}`, headers: auth(supervisor) })).json();
    expect(api.allowed).toEqual([]);
    expect(api.data.mobile).toBe('138****8000');
    const en = await t.app.inject({ url: '/services/item/A-512B0011200070', cookies: { lang: 'en' } });
    expect(en.body).toContain('Legal time limit');
    expect(en.body).toContain('<html lang="en"');
    const spec = (await t.app.inject({ url: '/api/v1/openapi.json' })).json();
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/api/v1/services/items', '/api/v1/services/items/{code}/applications', '/api/v1/services/cases/{id}/actions', '/api/v1/certificates/verify']));
    const home = await t.app.inject({ url: '/' });
    expect(home.body).toContain('href="/services"');
  });
});
