import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_STAFF, seedDemo } from '../src/modules/demo/demo.seed.ts';
import { signBody } from '../src/modules/opinion/opinion.pure.ts';
import { seedOpinionDemo } from '../src/modules/opinion/opinion.seed.ts';
import { OpinionService } from '../src/modules/opinion/opinion.service.ts';
import { SYSTEM } from '../src/modules/identity/permissions.ts';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';
import { cookieJar, formPost, get, getCsrf } from './helpers/http.ts';
import { burstItems } from './helpers/opinion.ts';

const RSS = `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>A市发布</title>
<item><title>A3区地铁站施工围挡占道</title><link>http://x/1</link><guid>rss-1</guid><description>&lt;p&gt;市民反映A3区某地铁站施工围挡占用人行道，出行不便。&lt;/p&gt;</description><pubDate>Mon, 06 Jan 2020 08:00:00 +0800</pubDate></item>
<item><title>A5区公园开放时间调整</title><guid>rss-2</guid><description>A5区公园冬季开放时间调整为早六点至晚九点。</description><pubDate>Tue, 07 Jan 2020 09:00:00 +0800</pubDate></item>
</channel></rss>`;
const ATOM = `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>
<entry><id>urn:atom:1</id><title>A2区停车难</title><link href="http://x/a1"/><updated>2020-01-08T10:00:00+08:00</updated><summary>A2区丽发新城小区停车位不足，晚上停车难。</summary></entry></feed>`;

describe.each(engines())('public-opinion monitoring on %s', (engine) => {
  let t: TestApp;
  let server: Server;
  let base = '';
  const tokens: Record<string, string> = {};
  const pw = (u: string) => DEMO_STAFF.find((s) => s.username === u)!.password;
  const api = (who: string | null, method: 'GET' | 'POST', url: string, payload?: unknown) =>
    t.app.inject({ method, url, headers: who ? { authorization: `Bearer ${tokens[who]}` } : {}, ...(payload !== undefined ? { payload: payload as object } : {}) });
  /** The default feed time limit (10 s) for the feeds that answer; 0.3 s only for the one that never does. */
  let feeds: OpinionService;
  let impatient: OpinionService;

  beforeAll(async () => {
    t = await createTestApp(engine);
    await seedDemo(t.services);
    for (const u of ['analyst', 'head', 'clerk', 'leader']) {
      tokens[u] = (await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { identifier: u, password: pw(u) } })).json().token;
    }
    server = createServer((req, res) => {
      if (req.url === '/rss') return void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(RSS);
      if (req.url === '/atom') return void res.writeHead(200, { 'content-type': 'application/atom+xml' }).end(ATOM);
      if (req.url === '/bad') return void res.writeHead(200, { 'content-type': 'application/xml' }).end('<rss><channel><item><title>broken</item></channel>');
      if (req.url === '/slow') return; // never answers (the connection is closed in afterAll)
      res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    feeds = new OpinionService(t.services.database.db, t.services.audit, { secret: 'test' });
    impatient = new OpinionService(t.services.database.db, t.services.audit, { secret: 'test', feedTimeoutMs: 300 });
  });
  afterAll(async () => {
    server?.closeAllConnections();
    server?.close();
    await t?.close();
  });

  it('takes signed webhook posts idempotently and refuses bad signatures and oversized posts', async () => {
    expect((await api('clerk', 'POST', '/api/v1/opinion/sources', { code: 'weibo', kind: 'webhook' })).statusCode).toBe(403);
    const reg = await api('analyst', 'POST', '/api/v1/opinion/sources', { code: 'weibo', kind: 'webhook', name: '官方微博' });
    expect(reg.statusCode).toBe(201);
    const secret = reg.json().secret as string;
    const body = JSON.stringify({ id: 'w-1', title: 'A3区某小区垃圾站臭味', text: '垃圾站就在楼下，夏天臭味很大，希望尽快搬迁。', author: 'u9', likes: 3, publishedAt: '2020-01-04T10:00:00+08:00' });
    const post = (b: string, sig: string) => t.app.inject({ method: 'POST', url: '/api/v1/opinion/webhooks/weibo', headers: { 'content-type': 'application/json', 'x-yiwang-signature': sig }, payload: b });
    const first = await post(body, signBody(secret, body));
    expect(first.statusCode).toBe(201);
    const again = await post(body, signBody(secret, body));
    expect(again.statusCode).toBe(200);
    expect(again.json().added).toBe(false);
    const bad = await post(body, signBody('wrong', body));
    expect(bad.statusCode).toBe(401);
    expect(bad.json().error.code).toBe('OPINION_SIGNATURE_INVALID');
    const tampered = await post(body.replace('臭味', '香味'), signBody(secret, body));
    expect(tampered.json().error.code).toBe('OPINION_SIGNATURE_INVALID');
    const big = JSON.stringify({ id: 'w-2', text: '长'.repeat(70_000) });
    const huge = await post(big, signBody(secret, big));
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error.code).toBe('BODY_TOO_LARGE');
    const rows = await t.services.database.db.selectFrom('opinion_items').selectAll().where('source', '=', 'weibo').execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.author_hash).not.toBe('u9');
    expect(rows[0]!.author_hash).toMatch(/^[0-9a-f]{16}$/);
    expect((rows[0]!.analysis as { sentiment: { label: string } }).sentiment.label).toMatch(/negative|neutral|positive/);
  });

  it('pulls RSS and Atom feeds; malformed and slow feeds become logged fetch errors', async () => {
    for (const [code, path] of [['rss-good', '/rss'], ['atom-good', '/atom'], ['rss-bad', '/bad'], ['rss-slow', '/slow']] as const) {
      expect((await api('analyst', 'POST', '/api/v1/opinion/sources', { code, kind: 'rss', url: `${base}${path}` })).statusCode).toBe(201);
    }
    const good = await feeds.pullFeed('rss-good');
    expect(good).toMatchObject({ ok: true, added: 2 });
    expect((await feeds.pullFeed('rss-good')).added).toBe(0);
    expect(await feeds.pullFeed('atom-good')).toMatchObject({ ok: true, added: 1 });
    expect(await feeds.pullFeed('rss-bad')).toMatchObject({ ok: false, code: 'FEED_MALFORMED' });
    expect(await impatient.pullFeed('rss-slow')).toMatchObject({ ok: false, code: 'FEED_TIMEOUT' });
    const log = (await api('analyst', 'GET', '/api/v1/opinion/fetch-log')).json() as { source: string; ok: boolean; code: string; message: string }[];
    expect(log.filter((l) => !l.ok).map((l) => l.code).sort()).toEqual(['FEED_MALFORMED', 'FEED_TIMEOUT']);
    expect(log.find((l) => l.source === 'rss-slow')!.message).toBe('0.3 秒内没有响应');
    expect(log.filter((l) => l.source === 'rss-good').map((l) => l.message).sort()).toEqual(['共 2 条，新增 0 条，跳过 0 条', '共 2 条，新增 2 条，跳过 0 条']);
    const sources = (await api('analyst', 'GET', '/api/v1/opinion/sources')).json() as { code: string; lastError: string | null }[];
    expect(sources.find((s) => s.code === 'rss-bad')!.lastError).toMatch(/^FEED_MALFORMED: 第 1 行：XML 格式有误（标签错误：.*'item'.*）$/);
    expect(sources.find((s) => s.code === 'rss-good')!.lastError).toBeNull();
    const item = await t.services.database.db.selectFrom('opinion_items').selectAll().where('external_id', '=', 'rss-1').executeTakeFirstOrThrow();
    expect(item.text).not.toContain('<p>');
    expect(item.published_at.toISOString()).toBe('2020-01-06T00:00:00.000Z');
  });

  it('imports CSV with bad rows reported by number, recognises cross-source duplicates', async () => {
    const csv = [
      '留言编号,留言用户,留言主题,留言时间,留言详情,点赞数,反对数',
      '9001,U1,A3区某小区垃圾站臭味,2020/1/5 10:00:00,垃圾站就在楼下，夏天臭味很大，希望尽快搬迁。,2,0',
      '9002,U2,A7县幼儿园收费,2020/1/6 11:00:00,幼儿园收费太高，请核查。,0,0',
      '9003,U3,坏时间,2020/13/45 10:00:00,时间不对,0,0',
      '9004,U4,缺列,2020/1/6 11:00:00',
      '9005,U5,A2区丽发新城小区停车难,2020/1/8 12:00:00,A2区丽发新城小区停车位不足，晚上停车难！,x,0',
    ].join('\n');
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/opinion/import?source=csv-upload&format=csv', headers: { authorization: `Bearer ${tokens.analyst}`, 'content-type': 'text/csv' }, payload: csv });
    expect(res.statusCode).toBe(200);
    const r = res.json();
    expect(r.added).toBe(2);
    expect(r.errors.map((e: { row: number }) => e.row)).toEqual([3, 4, 5]);
    expect(r.errors.map((e: { message: string }) => e.message)).toEqual(['留言时间（time）无法识别："2020/13/45 10:00:00"', '列数与标题行不一致：应为 7 列，这一行有 4 列', '点赞数（likes）应为不小于 0 的数："x"']);
    const dup = await t.services.database.db.selectFrom('opinion_items').selectAll().where('source', '=', 'csv-upload').where('external_id', '=', '9001').executeTakeFirstOrThrow();
    const orig = await t.services.database.db.selectFrom('opinion_items').select('id').where('source', '=', 'weibo').executeTakeFirstOrThrow();
    expect(dup.duplicate_of).toBe(orig.id);
    // A repost with a few words changed is a near-duplicate; a different problem at the same estate is not.
    const near = await t.services.opinion.ingest('repost', [
      { externalId: 'r1', title: 'A3区某小区垃圾站臭味', text: '垃圾站就在我家楼下，夏天臭味很大，希望尽快搬迁。', publishedAt: new Date('2020-01-05T00:00:00Z') },
      { externalId: 'r2', title: 'A3区某小区车库积水', text: '地下车库长期积水，车位没法用，希望尽快处理。', publishedAt: new Date('2020-01-05T00:00:00Z') },
    ]);
    expect(near.duplicates).toBe(1);
    const r1 = await t.services.database.db.selectFrom('opinion_items').selectAll().where('source', '=', 'repost').where('external_id', '=', 'r1').executeTakeFirstOrThrow();
    expect(r1.duplicate_of).toBe(orig.id);
    const other = await t.services.database.db.selectFrom('opinion_items').selectAll().where('external_id', '=', '9002').executeTakeFirstOrThrow();
    expect(other.duplicate_of).toBeNull();
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/opinion/import?source=csv-upload&format=csv', headers: { authorization: `Bearer ${tokens.clerk}`, 'content-type': 'text/csv' }, payload: csv })).statusCode).toBe(403);
  });

  it('neither loses nor doubles items when ingestion restarts midway', async () => {
    const lines = Array.from({ length: 40 }, (_, i) => JSON.stringify({ message_id: 50_000 + i, user_id: `R${i}`, title: `测试留言${i}号关于A${1 + (i % 5)}区道路第${i}段破损`, time: `2019/12/${1 + (i % 28)} 10:00:00`, detail: `第${i}段路面坑洼积水${'，情况'.repeat(i % 3)}`, likes: i, dislikes: 0 }));
    const jsonl = Buffer.from(lines.join('\n'));
    const first = new OpinionService(t.services.database.db, t.services.audit, { secret: 'test' });
    // The first process stores 25 rows, then "crashes" (is dropped); a new process imports the whole file.
    expect((await first.importFile(SYSTEM, 'restart', 'jsonl', Buffer.from(lines.slice(0, 25).join('\n')))).ok).toBe(true);
    const second = new OpinionService(t.services.database.db, t.services.audit, { secret: 'test' });
    const r = await second.importFile(SYSTEM, 'restart', 'jsonl', jsonl);
    expect(r.ok && r.value).toMatchObject({ added: 15, replayed: 25 });
    const n = await t.services.database.db.selectFrom('opinion_items').select((eb) => eb.fn.countAll<string>().as('n')).where('source', '=', 'restart').executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(40);
  });

  it('clusters a burst into an issue, warns once, and runs 研判 → 回应 → 处理 → 办结 with a timeline', async () => {
    const items = burstItems();
    await t.services.opinion.ingest('burst', items);
    const c1 = await t.services.opinion.cluster();
    expect(c1.skipped).toBe(false);
    expect(c1.issues).toBeGreaterThan(0);
    const issues = (await api('analyst', 'GET', '/api/v1/opinion/issues')).json() as { id: number; items: number; place: string; item_ids: number[] }[];
    const big = issues.find((i) => i.items >= 10)!;
    expect(big).toBeDefined();
    expect(big.place).toContain('米兰春天');
    // The issue's negative share is that of its items' stored sentiment labels (these complaints are mostly negative).
    const stored = await t.services.database.db.selectFrom('opinion_items').select('analysis').where('id', 'in', big.item_ids).execute();
    const negatives = stored.filter((r) => (r.analysis as { sentiment: { label: string } }).sentiment.label === 'negative').length;
    expect(negatives).toBeGreaterThan(0);
    expect((big as unknown as { negative_share: number }).negative_share).toBeCloseTo(negatives / stored.length, 2);
    const warnings = (await api('analyst', 'GET', '/api/v1/opinion/warnings')).json() as { id: number; issue_id: number; key: string; level: string }[];
    const mine = warnings.filter((w) => w.issue_id === big.id);
    expect(mine.length).toBeGreaterThan(0);
    expect(new Set(mine.map((w) => w.key)).size).toBe(mine.length);
    // A second run, and a rebuild in another "process", raise nothing new.
    expect((await t.services.opinion.cluster()).warnings).toBe(0);
    // Another "process" (new service instance) rebuilds from the items table after one more item, recomputes
    // every burst, and the unique keys keep the warnings from being raised again.
    await t.services.opinion.ingest('burst', [{ externalId: 'late', title: 'A6区某路口红绿灯时间太短', text: '行人过马路来不及，请交警部门调整信号灯时长。', publishedAt: new Date(Date.UTC(2020, 0, 18, 9)) }]);
    const other = new OpinionService(t.services.database.db, t.services.audit, { secret: 'test' });
    const c3 = await other.cluster();
    expect(c3).toMatchObject({ skipped: false, rebuilt: true, clustered: 1, warnings: 0 });
    expect(c3.issues).toBe(c1.issues);
    // The first process notices the state moved on and rebuilds too.
    expect((await t.services.opinion.cluster()).rebuilt).toBe(true);
    expect((await api('leader', 'GET', '/api/v1/opinion/warnings')).json()).toHaveLength(warnings.length);
    const blank = await api('analyst', 'POST', '/api/v1/opinion/warnings', { level: 'red', title: '   ' });
    expect(blank.statusCode).toBe(400);
    expect(blank.json().error).toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ field: 'title', message: '请填写预警标题。' }] });

    const w = mine[0]!;
    expect((await api('head', 'POST', `/api/v1/opinion/warnings/${w.id}/assess`, { level: 'yellow', facts: 'x', risk: 'y' })).statusCode).toBe(403);
    expect((await api('analyst', 'POST', `/api/v1/opinion/warnings/${w.id}/close`, { review: '过早' })).json().error.code).toBe('OPINION_BAD_STEP');
    const assessed = await api('analyst', 'POST', `/api/v1/opinion/warnings/${w.id}/assess`, { level: 'orange', facts: '14 位居民反映垃圾站臭味', risk: '夏季可能升级为聚集', suggestion: '城管局当日回应并排期除臭' });
    expect(assessed.statusCode).toBe(200);
    expect(assessed.json()).toMatchObject({ status: 'assessed', level: 'orange' });
    expect((await api('analyst', 'POST', `/api/v1/opinion/warnings/${w.id}/respond`, { statement: '已关注，城管部门今日到场核查。' })).json().status).toBe('responded');
    const depts = await t.services.identity.departments();
    const hrss = depts.find((d) => d.code === 'A-HRSS')!;
    const task = await api('analyst', 'POST', `/api/v1/opinion/warnings/${w.id}/tasks`, { departmentId: hrss.id, description: '核查垃圾站并除臭', workingDays: 3 });
    expect(task.statusCode).toBe(201);
    const { taskId, deadline } = task.json();
    expect(deadline > new Date().toISOString().slice(0, 10)).toBe(true);
    expect((await api('analyst', 'POST', `/api/v1/opinion/warnings/${w.id}/close`, { review: 'x' })).json().error.code).toBe('OPINION_TASKS_OPEN');
    const todo = await t.services.opinion.todo({ kind: 'staff', id: 1, roles: ['dept_head'], departmentId: hrss.id });
    expect(todo.some((x) => x.href === `/opinion/warnings/${w.id}` && x.due === deadline)).toBe(true);
    expect((await api('head', 'POST', `/api/v1/opinion/tasks/${taskId}/done`, { result: '已除臭，垃圾站月底搬迁' })).statusCode).toBe(200);
    const closed = await api('analyst', 'POST', `/api/v1/opinion/warnings/${w.id}/close`, { review: '响应及时，搬迁需跟踪' });
    expect(closed.json().status).toBe('closed');
    const detail = (await api('head', 'GET', `/api/v1/opinion/warnings/${w.id}`)).json();
    expect(detail.timeline.map((a: { action: string }) => a.action)).toEqual(['raise', 'assess', 'respond', 'task', 'task_done', 'close']);
    const manual = await api('analyst', 'POST', '/api/v1/opinion/warnings', { level: 'blue', title: 'A5区公园开放时间调整引发讨论', reason: '人工发现' });
    expect(manual.statusCode).toBe(201);
    expect((await api('clerk', 'GET', `/api/v1/opinion/warnings/${manual.json().id}`)).statusCode).toBe(403);
    expect((await api('leader', 'GET', `/api/v1/opinion/warnings/${manual.json().id}`)).statusCode).toBe(200);
  });

  it('renders the dashboard, issue, warning and briefing pages without JavaScript, runs the loop by forms, serves ECharts', async () => {
    const jar = cookieJar();
    await formPost(t.app, jar, '/login', { _csrf: await getCsrf(t.app, jar, '/login'), identifier: 'analyst', password: pw('analyst') });
    const dash = await get(t.app, jar, '/opinion?days=1200');
    expect(dash.statusCode).toBe(200);
    expect(dash.body).toContain('米兰春天');
    expect(dash.body).toContain('<table');
    expect(dash.body).toContain('/opinion/static/echarts.min.js');
    const issueId = /href="\/opinion\/issues\/(\d+)"/.exec(dash.body)![1];
    expect((await get(t.app, jar, `/opinion/issues/${issueId}`)).statusCode).toBe(200);
    const warningId = ((await api('analyst', 'GET', '/api/v1/opinion/warnings?status=open')).json() as { id: number }[])[0]!.id;
    expect(dash.body).toContain(`/opinion/warnings/${warningId}`);
    const wp = await get(t.app, jar, `/opinion/warnings/${warningId}`);
    expect(wp.statusCode).toBe(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(wp.body)![1]!;
    {
      const badForm = await formPost(t.app, jar, `/opinion/warnings/${warningId}/assess`, { _csrf: csrf, level: 'red', facts: '', risk: '' });
      expect(badForm.statusCode).toBe(400);
      expect(badForm.body).toContain('error-summary');
      const okForm = await formPost(t.app, jar, `/opinion/warnings/${warningId}/assess`, { _csrf: csrf, level: 'red', facts: '事实', risk: '风险' });
      expect(okForm.statusCode).toBe(303);
      expect((await api('analyst', 'GET', `/api/v1/opinion/warnings/${warningId}`)).json().warning).toMatchObject({ status: 'assessed', level: 'red' });
    }
    const js = await get(t.app, jar, '/opinion/static/echarts.min.js');
    expect(js.headers['cache-control']).toContain('max-age=31536000');
    for (const period of ['day', 'week']) {
      const b = await get(t.app, jar, `/opinion/briefing?period=${period}`);
      expect(b.statusCode).toBe(200);
      expect(b.body).toContain(period === 'day' ? '舆情日报' : '舆情周报');
    }
    const pdf = await get(t.app, jar, '/opinion/briefing.pdf?period=week');
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect((await get(t.app, jar, '/workbench')).body).toContain('/opinion/warnings/');
    const en = await t.app.inject({ method: 'GET', url: '/opinion', cookies: Object.fromEntries(jar), headers: { 'accept-language': 'en' } });
    expect(en.statusCode).toBe(200);
    const anon = await t.app.inject({ method: 'GET', url: '/opinion' });
    expect(anon.statusCode).toBe(302);
  });

  it('documents its API in the OpenAPI document', async () => {
    const paths = Object.keys((await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json().paths);
    expect(paths).toEqual(expect.arrayContaining(['/api/v1/opinion/webhooks/{source}', '/api/v1/opinion/import', '/api/v1/opinion/warnings/{id}/assess', '/api/v1/opinion/dashboard']));
  });

  it('seeds the demo messages idempotently', async () => {
    const first = await seedOpinionDemo(t.services, { limit: 120 });
    expect(first).toMatchObject({ rows: 120, errors: 0 });
    expect(first.added).toBe(120);
    expect((await seedOpinionDemo(t.services, { limit: 120 })).added).toBe(0);
    const n = await t.services.database.db.selectFrom('opinion_items').select((eb) => eb.fn.countAll<string>().as('n')).where('source', '=', 'demo-import').executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(120);
  });

  it('takes the platform\'s own messages through the messages service, once', async () => {
    const sub = await t.services.messages.submit(SYSTEM, { type: '投诉', title: '联丰路路灯不亮', content: 'A3区联丰路一段路灯坏了半个月，晚上很黑。联系电话13912345678。', district: 'A3区', contactName: '张三', contactPhone: '13800138000' }, { channel: 'api' });
    expect(sub.ok).toBe(true);
    const ticketId = sub.ok ? sub.value.ticketId : 0;
    expect(await t.services.opinion.pollMessages(t.services.messages)).toBeGreaterThanOrEqual(1);
    expect(await t.services.opinion.pollMessages(t.services.messages)).toBe(0);
    // Later polls ask only for tickets changed since the last one (minus a short overlap), not the whole list.
    const calls: { since?: string; afterId?: number }[] = [];
    let opened = 0;
    const watched = {
      list: (p: typeof SYSTEM, f: { since?: string; afterId?: number; limit?: number }) => (calls.push(f), t.services.messages.list(p, f)),
      ticket: (p: typeof SYSTEM, id: number) => (opened++, t.services.messages.ticket(p, id)),
    };
    const next = await t.services.messages.submit(SYSTEM, { type: '咨询', title: '联丰路公交站何时恢复', content: 'A3区联丰路公交站因施工停用，请问何时恢复？' }, { channel: 'api' });
    expect(next.ok).toBe(true);
    expect(await t.services.opinion.pollMessages(watched)).toBe(1);
    expect(calls[0]!.since).toEqual(expect.any(String));
    expect(Date.now() - Date.parse(calls[0]!.since!)).toBeLessThan(60 * 60_000);
    expect(opened).toBe(1);
    const row = await t.services.database.db.selectFrom('opinion_items').selectAll().where('source', '=', 'messages').where('external_id', '=', `ticket:${ticketId}`).executeTakeFirstOrThrow();
    expect(row.title).toBe('联丰路路灯不亮');
    expect(JSON.stringify(row)).not.toContain('13800138000');
    expect(row.text).toContain('路灯坏了');
    expect(row.text).not.toContain('13912345678');
    expect(row.author_hash).toBeNull();
  });

  it('keeps the messages position in the database: a restarted service reads on from there, and a failed write moves nothing', async () => {
    const db = t.services.database.db;
    const position = async () => (await db.selectFrom('opinion_state').select('cursor_at').where('name', '=', 'messages').executeTakeFirst())?.cursor_at ?? null;
    const watch = () => {
      const w = { since: [] as string[], opened: [] as number[], source: undefined as unknown as Parameters<OpinionService['pollMessages']>[0] };
      w.source = {
        list: (p, f) => (w.since.push(f.since ?? ''), t.services.messages.list(p, f)),
        ticket: (p, id) => (w.opened.push(id), t.services.messages.ticket(p, id)),
      };
      return w;
    };
    const submit = async (title: string, content: string) => {
      const r = await t.services.messages.submit(SYSTEM, { type: '咨询', title, content }, { channel: 'api' });
      if (!r.ok) throw new Error(r.error.code);
      return r.value.ticketId;
    };
    await t.services.opinion.pollMessages(t.services.messages);
    const before = await position();
    expect(before).toBeInstanceOf(Date);
    const newest = await t.services.messages.list(SYSTEM, { since: new Date(0).toISOString(), limit: 500 });
    expect(newest.ok && newest.value.length).toBeTruthy();
    if (newest.ok) expect(before!.toISOString()).toBe(newest.value[newest.value.length - 1]!.updatedAt);

    // A crash between reading and writing: the write transaction fails (here its audit entry), so neither the item
    // nor the position is stored, and the next poll takes the ticket in.
    const lost = await submit('滨河路积水何时排', 'A2区滨河路下雨后积水严重，请问何时疏通排水？');
    const audit = t.services.audit;
    const failingAudit = Object.create(audit, {
      record: { value: (...[tx, e]: Parameters<typeof audit.record>) => (e.action === 'opinion.ingest' ? Promise.reject(new Error('crashed while writing')) : audit.record(tx, e)) },
    }) as typeof audit;
    const crashing = new OpinionService(db, failingAudit, { secret: 'test' });
    await expect(crashing.pollMessages(t.services.messages)).rejects.toThrow('crashed while writing');
    expect((await position())!.getTime()).toBe(before!.getTime());
    expect(await db.selectFrom('opinion_items').select('id').where('external_id', '=', `ticket:${lost}`).executeTakeFirst()).toBeUndefined();

    // A restart: a new service over the same database starts from the stored position (minus the overlap), not from
    // the beginning, and reads only the tickets it has not taken in.
    const restarted = new OpinionService(db, t.services.audit, { secret: 'test' });
    const fresh = await submit('滨河路公交站台破损', 'A2区滨河路公交站台顶棚破损，下雨漏水。');
    const w = watch();
    expect(await restarted.pollMessages(w.source)).toBe(2);
    expect(w.since[0]).toBe(new Date(before!.getTime() - 2 * 60_000).toISOString());
    expect(w.opened.sort((a, b) => a - b)).toEqual([lost, fresh].sort((a, b) => a - b));
    const after = (await position())!;
    expect(after.getTime()).toBeGreaterThan(before!.getTime());
    const ingested = await db.selectFrom('audit_events').select('detail').where('action', '=', 'opinion.ingest').where('entity_id', '=', 'messages').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(JSON.stringify(ingested.detail)).toContain(after.toISOString());

    // Polled again (another restart): nothing new, nothing opened, the position stays.
    const again = watch();
    expect(await new OpinionService(db, t.services.audit, { secret: 'test' }).pollMessages(again.source)).toBe(0);
    expect(again.opened).toEqual([]);
    expect((await position())!.getTime()).toBe(after.getTime());
  });

  it('notifies the leaders of orange and red warnings once per warning and level, not of blue or yellow ones', async () => {
    const db = t.services.database.db;
    const leaderRows = async (warningId: number) =>
      db.selectFrom('opinion_notifications').selectAll().where('warning_id', '=', warningId).where('audience', '=', 'leader').orderBy('id').execute();
    const svc = t.services.opinion;
    // A red warning raised by a rule notifies the leaders once, with the analysts' text; raising it again does not.
    const red = await svc.raise(SYSTEM, { key: 'test:leader:red', level: 'red', title: 'A4区某商场燃气泄漏引发围观', reason: '规则' });
    expect(red.ok).toBe(true);
    const redId = red.ok ? red.value.id : 0;
    const first = await leaderRows(redId);
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ level: 'red', department_id: null, text: '[red] A4区某商场燃气泄漏引发围观' });
    const analystText = await db.selectFrom('opinion_notifications').select('text').where('warning_id', '=', redId).where('audience', '=', 'analyst').executeTakeFirstOrThrow();
    expect(first[0]!.text).toBe(analystText.text);
    const again = await svc.raise(SYSTEM, { key: 'test:leader:red', level: 'red', title: 'A4区某商场燃气泄漏引发围观', reason: '规则' });
    expect(again.ok && again.value.id).toBe(redId);
    expect(await leaderRows(redId)).toHaveLength(1);
    // Blue and yellow warnings reach the analysts only.
    const low: number[] = [];
    for (const level of ['blue', 'yellow'] as const) {
      const r = await api('analyst', 'POST', '/api/v1/opinion/warnings', { level, title: `A5区路灯不亮（${level}）`, reason: '人工发现' });
      expect(r.statusCode).toBe(201);
      low.push(r.json().id as number);
      expect(await leaderRows(r.json().id as number)).toHaveLength(0);
    }
    // A yellow warning assessed up to orange notifies the leaders once; assessing orange again does not, red does.
    const up = low[1]!;
    for (const [level, n] of [['orange', 1], ['orange', 1], ['red', 2], ['orange', 2]] as const) {
      const r = await api('analyst', 'POST', `/api/v1/opinion/warnings/${up}/assess`, { level, facts: '多人反映', risk: '夜间出行安全' });
      expect(r.statusCode).toBe(200);
      expect((await leaderRows(up)).map((x) => x.level)).toHaveLength(n);
    }
    expect((await leaderRows(up)).map((x) => x.level)).toEqual(['orange', 'red']);
    // The leaders' workbench lists the open orange/red warnings, not the blue one.
    const todo = await svc.todo({ kind: 'staff', id: 1, roles: ['leader'], departmentId: null });
    expect(todo.some((x) => x.href === `/opinion/warnings/${redId}`)).toBe(true);
    expect(todo.some((x) => x.href === `/opinion/warnings/${up}`)).toBe(true);
    // One item per warning, from its newest notification (the one raised orange then assessed red is not listed twice).
    expect(todo.filter((x) => x.href === `/opinion/warnings/${up}`).map((x) => x.title)).toEqual([expect.stringContaining('（红色）')]);
    expect(todo.some((x) => x.href === `/opinion/warnings/${low[0]}`)).toBe(false);
    expect(await svc.todo({ kind: 'staff', id: 1, roles: ['clerk'], departmentId: null })).not.toContainEqual(expect.objectContaining({ title: expect.stringContaining('舆情预警提醒') }));

    // Burst warnings: each orange/red one notifies the leaders once, the others not; re-clustering (also a rebuild by
    // another process) raises nothing again and notifies nobody again.
    const items = Array.from({ length: 24 }, (_, i) => ({
      externalId: `leader-burst-${i}`,
      title: ['A7区金沙湾小区自来水发黄', '金沙湾小区停水后水质发黄', 'A7区金沙湾自来水浑浊发黄'][i % 3]!,
      text: `A市A7区滨江路金沙湾小区的自来水发黄浑浊，${i}号楼住户不敢饮用，要求尽快检测水质。`,
      author: `lb${i}`,
      publishedAt: new Date(Date.UTC(2020, 0, 19, 1 + (i % 20))),
    }));
    // Two "processes" looking back far enough to reach these 2020 items (later tests add items of today).
    const [a, b] = [0, 1].map(() => new OpinionService(db, t.services.audit, { secret: 'test', warnDays: 100_000 }));
    await a!.ingest('leader-burst', items);
    await a!.cluster();
    const bursts = await db.selectFrom('opinion_warnings').selectAll().where('kind', '=', 'burst').where('title', 'like', '%金沙湾%').execute();
    expect(bursts.length).toBeGreaterThan(0);
    const count = async () => {
      const rows = await db.selectFrom('opinion_notifications').select(['warning_id', 'level']).where('audience', '=', 'leader').where('warning_id', 'in', bursts.map((b) => b.id)).execute();
      return rows.map((r) => `${r.warning_id}:${r.level}`).sort();
    };
    const expected = bursts.filter((b) => b.level === 'orange' || b.level === 'red').map((b) => `${b.id}:${b.level}`).sort();
    expect(expected.length).toBeGreaterThan(0);
    expect(await count()).toEqual(expected);
    await a!.ingest('leader-burst', [{ externalId: 'leader-late', title: 'A7区金沙湾小区自来水还是发黄', text: '金沙湾小区自来水依旧发黄，请水务部门回复。', publishedAt: new Date(Date.UTC(2020, 0, 19, 22)) }]);
    expect(await b!.cluster()).toMatchObject({ skipped: false, rebuilt: true, warnings: 0 });
    expect(await a!.cluster()).toMatchObject({ skipped: false, warnings: 0 });
    expect(await count()).toEqual(expected);
  });
});
