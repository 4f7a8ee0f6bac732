import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shippedCalendar } from '../src/lib/calendar/index.ts';
import { DEMO_CITIZEN, DEMO_STAFF, seedDemo } from '../src/modules/demo/demo.seed.ts';
import { seedDisclosureDemo } from '../src/modules/disclosure/disclosure.seed.ts';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';
import { chinaDaysSince, chinaToday } from './helpers/china-day.ts';
import { cookieJar, formPost, get, getCsrf } from './helpers/http.ts';

describe.each(engines())('disclosure on %s', (engine) => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  const login = async (who: string, password: string) => {
    const r = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { identifier: who, password } });
    expect(r.statusCode).toBe(200);
    return r.json().token as string;
  };
  const api = (who: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) =>
    t.app.inject({ method, url, headers: { authorization: `Bearer ${tokens[who]}` }, ...(payload !== undefined ? { payload: payload as object } : {}) });

  beforeAll(async () => {
    t = await createTestApp(engine);
    await seedDemo(t.services);
    expect(await seedDisclosureDemo(t.services)).toBe(true);
    for (const u of ['clerk', 'head', 'supervisor']) tokens[u] = await login(u, DEMO_STAFF.find((s) => s.username === u)!.password);
    tokens.citizen = await login(DEMO_CITIZEN.mobile, DEMO_CITIZEN.password);
  });
  afterAll(async () => t?.close());

  it('documents its API in the OpenAPI document', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(res.statusCode).toBe(200);
    const paths = Object.keys(res.json().paths);
    expect(paths).toEqual(expect.arrayContaining(['/api/v1/disclosure/documents', '/api/v1/disclosure/changes', '/api/v1/disclosure/requests/{id}/{action}']));
  });

  it('seeds once: a category tree and published documents, one withdrawn', async () => {
    expect(await seedDisclosureDemo(t.services)).toBe(false);
    const tree = (await t.app.inject({ method: 'GET', url: '/api/v1/disclosure/categories' })).json();
    const fgwj = tree.find((c: { code: string }) => c.code === 'fgwj');
    expect(fgwj.children.map((c: { code: string }) => c.code)).toEqual(['gfxwj', 'zcjd']);
    const list = (await t.app.inject({ method: 'GET', url: '/api/v1/disclosure/documents?category=fgwj' })).json();
    expect(list.total).toBe(2); // the parent category lists its children's documents
    const zfbz = (await t.app.inject({ method: 'GET', url: '/api/v1/disclosure/documents?category=zfbz' })).json();
    expect(zfbz.items.map((d: { status: string }) => d.status).sort()).toEqual(['published', 'withdrawn']);
  });

  it('renders the public pages and shows a withdrawn document as withdrawn, without its text', async () => {
    const home = await t.app.inject({ method: 'GET', url: '/disclosure' });
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('政府信息公开目录');
    expect(home.body).toContain('/disclosure/category/gfxwj');
    const cat = await t.app.inject({ method: 'GET', url: '/disclosure/category/zfbz' });
    expect(cat.statusCode).toBe(200);
    expect(cat.body).toContain('已撤回');
    const withdrawn = (await t.app.inject({ method: 'GET', url: '/api/v1/disclosure/documents?category=zfbz' })).json().items.find((d: { status: string }) => d.status === 'withdrawn');
    const page = await t.app.inject({ method: 'GET', url: `/disclosure/doc/${withdrawn.id}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('本文件已撤回');
    expect(page.body).toContain('测算依据');
    expect(page.body).not.toContain('同地段市场租金');
    const hrss = (await t.services.identity.departments()).find((d) => d.code === 'A-HRSS')!;
    const dept = await t.app.inject({ method: 'GET', url: `/disclosure/department/${hrss.id}` });
    expect(dept.body).toContain('城乡居民基本养老保险');
    expect((await t.app.inject({ method: 'GET', url: '/disclosure/category/nope' })).statusCode).toBe(404);
    const enPage = await t.app.inject({ method: 'GET', url: '/disclosure', cookies: { lang: 'en' } });
    expect(enPage.body).toContain('Government information disclosure catalogue');
  });

  it('serves an Atom feed per category', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/disclosure/category/zfbz/feed.atom' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/atom+xml');
    const feed = new XMLParser({ ignoreAttributes: false }).parse(res.body).feed;
    const entries = Array.isArray(feed.entry) ? feed.entry : [feed.entry];
    expect(entries).toHaveLength(2);
    expect(entries.some((e: { title: string }) => e.title.startsWith('【已撤回】'))).toBe(true);
    expect(entries.every((e: { link: { '@_href': string } }) => /^https?:\/\/[^/]+\/disclosure\/doc\/\d+$/.test(e.link['@_href']))).toBe(true);
  });

  it('runs draft → review → published → withdrawn with role and department checks, and feeds the search hook', async () => {
    // Drain what the indexer has already seen (the seeded catalogue): everything after `since` is this test's.
    const seen = await t.services.disclosure.changesSince(new Date(0), 5000);
    expect(seen.documents.length).toBeGreaterThan(0);
    expect(seen.withdrawals.map((w) => w.indexNo)).toHaveLength(1);
    const since = new Date(seen.next);
    const created = await api('clerk', 'POST', '/api/v1/disclosure/documents', { category: 'tzgg', title: '关于社保卡集中换发的通知', issuer: 'A市人力资源和社会保障局', issuedOn: '2026-11-20', body: '第三代社保卡将于12月起集中换发。', attachments: [{ name: '网点名单.xlsx', url: '/static/x.xlsx' }] });
    expect(created.statusCode).toBe(201);
    const doc = created.json();
    expect(doc.status).toBe('draft');
    expect(doc.indexNo).toMatch(/^A-HRSS\/2026-\d{5}$/);
    // Drafts are not public.
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/disclosure/documents/${doc.id}` })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/disclosure/doc/${doc.id}` })).statusCode).toBe(404);
    // A clerk may not publish, not even after submitting.
    expect((await api('clerk', 'POST', `/api/v1/disclosure/documents/${doc.id}/publish`, {})).json().error.code).toBe('FORBIDDEN');
    expect((await api('head', 'POST', `/api/v1/disclosure/documents/${doc.id}/publish`, {})).json().error.code).toBe('DISCLOSURE_BAD_TRANSITION');
    expect((await api('clerk', 'POST', `/api/v1/disclosure/documents/${doc.id}/submit`, {})).json().status).toBe('review');
    const clerkPublish = await api('clerk', 'POST', `/api/v1/disclosure/documents/${doc.id}/publish`, {});
    expect(clerkPublish.statusCode).toBe(403);
    // A supervisor spans departments but may not review.
    expect((await api('supervisor', 'POST', `/api/v1/disclosure/documents/${doc.id}/publish`, {})).statusCode).toBe(403);
    const rejectNoReason = await api('head', 'POST', `/api/v1/disclosure/documents/${doc.id}/reject`, {});
    expect(rejectNoReason.json().error.code).toBe('VALIDATION_FAILED');
    const pub = await api('head', 'POST', `/api/v1/disclosure/documents/${doc.id}/publish`, {});
    expect(pub.json().status).toBe('published');
    expect((await t.app.inject({ method: 'GET', url: `/disclosure/doc/${doc.id}` })).body).toContain('集中换发');

    let changes = await t.services.disclosure.changesSince(since);
    expect(changes.documents.map((d) => d.id)).toContain(doc.id);
    expect(changes.withdrawals).toEqual([]);
    const next = new Date(changes.next);
    expect((await t.services.disclosure.changesSince(next)).documents).toEqual([]);

    const wd = await api('head', 'POST', `/api/v1/disclosure/documents/${doc.id}/withdraw`, { reason: '换发时间调整' });
    expect(wd.json().status).toBe('withdrawn');
    changes = await t.services.disclosure.changesSince(next);
    expect(changes.withdrawals.map((w) => w.id)).toEqual([doc.id]);
    expect(changes.documents).toEqual([]);
    // Withdrawn stays withdrawn.
    expect((await api('head', 'POST', `/api/v1/disclosure/documents/${doc.id}/publish`, {})).json().error.code).toBe('DISCLOSURE_BAD_TRANSITION');

    // The HRSS clerk cannot edit another department's document.
    const housing = (await t.app.inject({ method: 'GET', url: '/api/v1/disclosure/documents?category=zfbz' })).json().items[0];
    expect((await api('clerk', 'POST', `/api/v1/disclosure/documents/${housing.id}/withdraw`, { reason: 'x' })).statusCode).toBe(403);

    // Every step is in the audit trail.
    const audit = await t.database.db.selectFrom('audit_events').select(['action']).where('entity', '=', 'disclosure_document').where('entity_id', '=', String(doc.id)).orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['disclosure.doc.create', 'disclosure.doc.submit', 'disclosure.doc.publish', 'disclosure.doc.withdraw']);
  });

  it('validates documents with field errors and refuses a duplicate index number', async () => {
    const bad = await api('clerk', 'POST', '/api/v1/disclosure/documents', { title: '', issuer: 'x', issuedOn: '2026-02-30', body: 'x', category: 'nope' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields.map((f: { field: string }) => f.field).sort()).toEqual(['categoryId', 'issuedOn', 'title']);
    const a = await api('clerk', 'POST', '/api/v1/disclosure/documents', { category: 'tzgg', indexNo: 'A-HRSS/2026-99999', title: 'x', issuer: 'x', issuedOn: '2026-11-20', body: 'x' });
    expect(a.statusCode).toBe(201);
    const b = await api('clerk', 'POST', '/api/v1/disclosure/documents', { category: 'tzgg', indexNo: 'A-HRSS/2026-99999', title: 'y', issuer: 'y', issuedOn: '2026-11-20', body: 'y' });
    expect(b.json().error.code).toBe('DISCLOSURE_INDEX_TAKEN');
  });

  it('handles a disclosure request: 20 working days, clarification pause, one extension, legal outcome, redacted publication', async () => {
    const hrss = (await t.services.identity.departments()).find((d) => d.code === 'A-HRSS')!;
    const first = chinaToday();
    const applied = await api('citizen', 'POST', '/api/v1/disclosure/requests', { departmentId: hrss.id, description: `请公开2025年A市城乡居民养老保险基金收支情况。申请人张三，电话${DEMO_CITIZEN.mobile}`, purpose: '了解政策' });
    expect(applied.statusCode).toBe(201);
    const req = applied.json();
    // Received today in China (midnight may have passed while the request ran: either date), due 20 working days on.
    expect(chinaDaysSince(first)).toContain(req.receivedOn);
    const today = req.receivedOn as string;
    expect(req.clock.due).toBe(shippedCalendar().addWorkingDays(today, 20));
    // Staff see the applicant masked.
    const staffView = (await api('clerk', 'GET', `/api/v1/disclosure/requests/${req.id}`)).json();
    expect(staffView.applicantName).toBe('张*');
    expect(staffView.applicantCode).not.toContain(DEMO_CITIZEN.idNumber);
    // Another department's staff cannot see it; the supervisor can.
    expect((await api('supervisor', 'GET', `/api/v1/disclosure/requests/${req.id}`)).statusCode).toBe(200);

    const paused = await api('clerk', 'POST', `/api/v1/disclosure/requests/${req.id}/clarify`, { reason: '请说明所需年份范围' });
    expect(paused.json().status).toBe('clarifying');
    expect(paused.json().clock.paused).toBe(true);
    expect((await api('clerk', 'POST', `/api/v1/disclosure/requests/${req.id}/clarify`, { reason: 'again' })).json().error.code).toBe('DISCLOSURE_ALREADY_PAUSED');
    // Only the applicant answers online; then the clock runs again.
    expect((await api('clerk', 'POST', `/api/v1/disclosure/requests/${req.id}/clarification`, { clarification: 'x' })).statusCode).toBe(403);
    const back = await api('citizen', 'POST', `/api/v1/disclosure/requests/${req.id}/clarification`, { clarification: '需要2023至2025年的数据' });
    expect(back.json().status).toBe('received');
    expect(back.json().pauses[0].answer).toBe('需要2023至2025年的数据');
    expect(back.json().clock.paused).toBe(false);
    expect((await api('clerk', 'POST', `/api/v1/disclosure/requests/${req.id}/clarified`, {})).json().error.code).toBe('DISCLOSURE_NOT_PAUSED');

    expect((await api('clerk', 'POST', `/api/v1/disclosure/requests/${req.id}/extend`, { reason: '需要汇总多年数据' })).statusCode).toBe(403);
    const ext = await api('head', 'POST', `/api/v1/disclosure/requests/${req.id}/extend`, { reason: '需要汇总多年数据' });
    expect(ext.json().extended).toBe(true);
    expect(shippedCalendar().workingDaysBetween(today, ext.json().clock.due)).toBeGreaterThanOrEqual(40);
    expect((await api('head', 'POST', `/api/v1/disclosure/requests/${req.id}/extend`, { reason: 'again' })).json().error.code).toBe('DISCLOSURE_ALREADY_EXTENDED');

    // The clerk's workbench lists it with its due date.
    const jar = cookieJar();
    const csrf = await getCsrf(t.app, jar, '/login');
    await formPost(t.app, jar, '/login', { _csrf: csrf, identifier: 'clerk', password: DEMO_STAFF[0]!.password });
    const wb = await get(t.app, jar, '/workbench');
    expect(wb.body).toContain(req.refNo);

    expect((await api('clerk', 'POST', `/api/v1/disclosure/requests/${req.id}/publish`, {})).statusCode).toBe(403);
    expect((await api('head', 'POST', `/api/v1/disclosure/requests/${req.id}/publish`, {})).json().error.code).toBe('DISCLOSURE_NOT_ANSWERED');
    const noGround = await api('clerk', 'POST', `/api/v1/disclosure/requests/${req.id}/answer`, { outcome: 'partial', answerText: '部分公开。' });
    expect(noGround.json().error.fields[0].field).toBe('legalGround');
    const ans = await api('clerk', 'POST', `/api/v1/disclosure/requests/${req.id}/answer`, { outcome: 'partial', legalGround: 'third_party', answerText: '经审查，基金收支总表予以公开，涉及个人的明细不予公开。联系人电话 0731-88886666。' });
    expect(ans.json().status).toBe('answered');
    expect((await api('clerk', 'POST', `/api/v1/disclosure/requests/${req.id}/answer`, { outcome: 'disclosed', answerText: 'x' })).json().error.code).toBe('DISCLOSURE_REQUEST_CLOSED');
    const pub = await api('head', 'POST', `/api/v1/disclosure/requests/${req.id}/publish`, {});
    const text = pub.json().publishedAnswer as string;
    expect(text).toContain('部分公开');
    expect(text).not.toContain('张三');
    expect(text).not.toContain(DEMO_CITIZEN.mobile);
    expect(text).not.toContain('0731-88886666');
    const archive = await t.app.inject({ method: 'GET', url: '/disclosure/answers' });
    expect(archive.body).toContain(req.refNo);
    expect(archive.body).not.toContain('张三');

    // The applicant sees their own request; another citizen would not.
    const mine = (await api('citizen', 'GET', '/api/v1/disclosure/requests')).json();
    expect(mine.map((r: { id: number }) => r.id)).toContain(req.id);
    const audit = await t.database.db.selectFrom('audit_events').select(['action', 'detail']).where('entity', '=', 'disclosure_request').where('entity_id', '=', String(req.id)).orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['disclosure.request.apply', 'disclosure.request.clarify', 'disclosure.request.clarified', 'disclosure.request.extend', 'disclosure.request.answer', 'disclosure.request.publish']);
    expect(JSON.stringify(audit)).not.toContain(DEMO_CITIZEN.idNumber);
  });

  it('lets a citizen apply through the form, with an error summary for a bad credit code', async () => {
    const jar = cookieJar();
    const csrf = await getCsrf(t.app, jar, '/login');
    await formPost(t.app, jar, '/login', { _csrf: csrf, identifier: DEMO_CITIZEN.mobile, password: DEMO_CITIZEN.password });
    const token = await getCsrf(t.app, jar, '/disclosure/apply');
    const dept = (await t.services.identity.departments())[0]!;
    const bad = await formPost(t.app, jar, '/disclosure/apply', { _csrf: token, applicantKind: 'company', companyName: '某公司', uscc: '91350100M000100Y44', departmentId: String(dept.id), description: '请公开本市2025年政府采购意向。' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('error-summary');
    expect(bad.body).toContain('href="#uscc"');
    const good = await formPost(t.app, jar, '/disclosure/apply', { _csrf: token, applicantKind: 'company', companyName: '某公司', uscc: '91350100M000100Y43', departmentId: String(dept.id), description: '请公开本市2025年政府采购意向。' });
    expect(good.statusCode).toBe(303);
    const page = await get(t.app, jar, good.headers.location as string);
    expect(page.body).toContain('申请已提交');
    // The department asks for a clarification; the applicant answers on the request page.
    const reqId = /\/disclosure\/requests\/(\d+)/.exec(good.headers.location as string)![1]!;
    await t.services.disclosure.askClarification({ kind: 'system' }, Number(reqId), '请说明采购项目范围');
    const asked = await get(t.app, jar, `/disclosure/requests/${reqId}`);
    expect(asked.body).toContain('请说明采购项目范围');
    expect(asked.body).toContain('name="clarification"');
    const ctoken = /name="_csrf" value="([^"]+)"/.exec(asked.body)![1]!;
    const empty = await formPost(t.app, jar, `/disclosure/requests/${reqId}/clarification`, { _csrf: ctoken, clarification: '' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('href="#clarification"');
    const sent = await formPost(t.app, jar, `/disclosure/requests/${reqId}/clarification`, { _csrf: ctoken, clarification: '货物类采购' });
    expect(sent.statusCode).toBe(303);
    expect((await get(t.app, jar, `/disclosure/requests/${reqId}`)).body).toContain('货物类采购');
    expect((await get(t.app, jar, '/disclosure/my')).body).toContain('YSQ');
    expect((await get(t.app, jar, '/me')).body).toContain('/disclosure/my');
  });

  it('renders the staff pages', async () => {
    const jar = cookieJar();
    const csrf = await getCsrf(t.app, jar, '/login');
    await formPost(t.app, jar, '/login', { _csrf: csrf, identifier: 'head', password: DEMO_STAFF[1]!.password });
    for (const url of ['/disclosure/manage', '/disclosure/manage/new', '/disclosure/requests?open=0']) {
      const r = await get(t.app, jar, url);
      expect(r.statusCode, url).toBe(200);
    }
    const token = await getCsrf(t.app, jar, '/disclosure/manage/new');
    const cat = (await t.services.disclosure.categories())[0]!;
    const r = await formPost(t.app, jar, '/disclosure/manage/new', { _csrf: token, categoryId: String(cat.id), title: '表单新建', issuer: 'A市人社局', issuedOn: '2026-11-01', body: '正文', attachments: '名单 | /static/a.pdf' });
    expect(r.statusCode).toBe(303);
    const detail = await get(t.app, jar, r.headers.location as string);
    expect(detail.body).toContain('表单新建');
    expect(detail.body).toContain('/submit');
    const id = /\/disclosure\/manage\/(\d+)/.exec(r.headers.location as string)![1]!;
    const t2 = await getCsrf(t.app, jar, `/disclosure/manage/${id}`);
    const badEdit = await formPost(t.app, jar, `/disclosure/manage/${id}/edit`, { _csrf: t2, categoryId: String(cat.id), title: '', issuer: 'A市人社局', issuedOn: '2026-11-01', body: '正文' });
    expect(badEdit.statusCode).toBe(400);
    expect(badEdit.body).toContain('href="#title"');
    const edit = await formPost(t.app, jar, `/disclosure/manage/${id}/edit`, { _csrf: t2, categoryId: String(cat.id), title: '表单修改后', issuer: 'A市人社局', issuedOn: '2026-11-01', body: '新正文', attachments: '名单 | /static/a.pdf' });
    expect(edit.statusCode).toBe(303);
    const after = await get(t.app, jar, `/disclosure/manage/${id}`);
    expect(after.body).toContain('表单修改后');
    expect(after.body).toContain('名单 | /static/a.pdf');
  });
});
