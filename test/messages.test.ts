import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeDeadline, shippedCalendar } from '../src/lib/calendar/index.ts';
import { DEMO_CITIZEN, seedDemo } from '../src/modules/demo/demo.seed.ts';
import { ANONYMOUS, SYSTEM } from '../src/modules/identity/permissions.ts';
import type { MessageClassifier } from '../src/modules/messages/classifier.ts';
import { deriveState, type ActionKind } from '../src/modules/messages/flow.ts';
import { MessagesService } from '../src/modules/messages/messages.service.ts';
import { chinaDaysSince, chinaToday } from './helpers/china-day.ts';
import { SESSION_COOKIE } from '../src/web/context.ts';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';
import { cookieJar, formPost, get, getCsrf } from './helpers/http.ts';
import { openSession } from './helpers/sessions.ts';

/** A fixed classifier so that routing is predictable: 社保 → HRSS (sure), 噪音 → ecology (sure), else unsure. */
const fakeClassifier: MessageClassifier = {
  classify({ title, content }) {
    const t = title + content;
    if (/社保|养老|工资/.test(t)) return { category: '劳动和社会保障', confidence: 0.95 };
    if (/噪音|污染/.test(t)) return { category: '环境保护', confidence: 0.9 };
    return { category: '城乡建设', confidence: 0.3 };
  },
};

describe.each(engines())('messages on %s', (engine) => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  const dept: Record<string, number> = {};
  const auth = (who: string) => ({ authorization: `Bearer ${tokens[who]}` });

  beforeAll(async () => {
    t = await createTestApp(engine);
    await seedDemo(t.services);
    t.services.messages.useClassifier(fakeClassifier);
    for (const d of await t.services.identity.departments()) dept[d.code] = d.id;
    // A clerk in another department, to check department scoping.
    const other = await t.services.identity.createStaff(SYSTEM, { username: 'eco', password: 'Eco-demo-2026', displayName: '生态经办', roles: ['clerk'], departmentId: dept['A-ECOLOGY'] });
    expect(other.ok).toBe(true);
    // Sessions are opened directly (the login itself, with its deliberately slow password hash, is tested in
    // identity.test.ts): one per account used here.
    for (const username of ['clerk', 'supervisor', 'leader', 'admin', 'eco']) tokens[username] = await openSession(t, { username });
    tokens.citizen = await openSession(t, { mobile: DEMO_CITIZEN.mobile });
  });
  afterAll(async () => t?.close());

  const submit = (who: string | null, payload: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url: '/api/v1/messages', payload, ...(who ? { headers: auth(who) } : {}) });
  const act = (who: string, id: number, payload: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url: `/api/v1/messages/tickets/${id}/actions`, payload, headers: auth(who) });
  /** The deadlines `limitWorkingDays` from the days since `first` (two if midnight in China passed: either is right). */
  const deadlinesSince = (first: string, limitWorkingDays: number) =>
    chinaDaysSince(first).map((startedOn) => {
      const dl = computeDeadline(shippedCalendar(), { startedOn, limitWorkingDays });
      return dl.ok ? dl.deadline : dl;
    });

  it('classifies a message, dispatches it automatically when sure, with a deadline in working days', async () => {
    const first = chinaToday();
    const res = await submit('citizen', { type: '咨询', title: '社保卡补办', content: '社保卡丢了怎么补办？', district: 'A3区', contactName: '张三', contactPhone: '13800138000', publishConsent: true });
    expect(res.statusCode).toBe(201);
    const o = res.json();
    expect(o).toMatchObject({ status: 'dispatched', autoDispatched: true, category: '劳动和社会保障', departmentId: dept['A-HRSS'] });
    expect(deadlinesSince(first, 3)).toContain(o.deadline);
    // The audit entry names the ticket, never the phone number or the name.
    const audit = await t.database.db.selectFrom('audit_events').selectAll().where('action', '=', 'message.submit').execute();
    expect(audit.length).toBeGreaterThan(0);
    expect(JSON.stringify(audit)).not.toContain('13800138000');
    expect(JSON.stringify(audit)).not.toContain('张三');
  });

  it('puts an unsure message in the manual queue; supervisors dispatch it and the redispatch is a routing correction', async () => {
    const res = await submit('citizen', { type: '投诉', title: '小区门口道路破损', content: '道路破损多时无人修补，雨天积水严重。', district: 'A2区', contactPhone: '13912345678' });
    const o = res.json();
    expect(o).toMatchObject({ status: 'received', autoDispatched: false, departmentId: null });
    const queue = await t.app.inject({ method: 'GET', url: '/api/v1/messages/tickets?queue=true', headers: auth('supervisor') });
    expect(queue.statusCode).toBe(200);
    expect(queue.json().map((x: { id: number }) => x.id)).toContain(o.ticketId);
    // A clerk may not work the queue.
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/messages/tickets?queue=true', headers: auth('clerk') })).statusCode).toBe(403);
    const d = await act('supervisor', o.ticketId, { action: 'dispatch', departmentId: dept['A-HOUSING'] });
    expect(d.statusCode).toBe(200);
    expect(d.json()).toMatchObject({ status: 'dispatched', departmentId: dept['A-HOUSING'], category: '城乡建设' });
    const rows = await t.database.db.selectFrom('message_routing_corrections').selectAll().where('ticket_id', '=', o.ticketId).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ to_department_id: dept['A-HOUSING'], category: '城乡建设', predicted_category: '城乡建设' });
  });

  it('runs the whole flow: accept, return, redispatch, reply (redacted when published), rating, follow-up', async () => {
    const o = (await submit('citizen', { type: '求助', title: '养老金没有到账', content: '我父亲本月养老金没有到账，请帮忙查询。', contactPhone: '13800138000' })).json();
    expect(o.departmentId).toBe(dept['A-HRSS']);
    // Another department's clerk cannot see or act on it.
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/messages/tickets/${o.ticketId}`, headers: auth('eco') })).statusCode).toBe(403);
    expect((await act('eco', o.ticketId, { action: 'accept' })).statusCode).toBe(403);
    // The holding department sees the phone number (to call back); a leader sees it masked.
    const forClerk = (await t.app.inject({ method: 'GET', url: `/api/v1/messages/tickets/${o.ticketId}`, headers: auth('clerk') })).json();
    expect(forClerk.messages[0].contactPhone).toBe('13800138000');
    const forLeader = (await t.app.inject({ method: 'GET', url: `/api/v1/messages/tickets/${o.ticketId}`, headers: auth('leader') })).json();
    expect(forLeader.messages[0].contactPhone).toBe('138****8000');
    expect((await act('clerk', o.ticketId, { action: 'accept' })).json().status).toBe('in_progress');
    // Returning needs a reason; then the manual queue holds it again.
    const noReason = await act('clerk', o.ticketId, { action: 'return' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.fields[0].field).toBe('note');
    const ret = await act('clerk', o.ticketId, { action: 'return', note: '非本部门职责' });
    expect(ret.statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/messages/tickets/${o.ticketId}`, headers: auth('supervisor') })).json()).toMatchObject({ status: 'returned', departmentId: null, inQueue: true });
    expect((await act('supervisor', o.ticketId, { action: 'dispatch', departmentId: dept['A-HRSS'], category: '劳动和社会保障' })).json().status).toBe('dispatched');
    const replyText = '您好，经核查，您父亲的养老金已于今日补发。如有疑问请联系王小明先生，电话13712345678。感谢您的关注。';
    const rep = await act('clerk', o.ticketId, { action: 'reply', reply: replyText });
    expect(rep.statusCode).toBe(200);
    expect(rep.json().status).toBe('replied');
    expect(rep.json().replyPublic).not.toContain('13712345678');
    expect(rep.json().replyPublic).toContain('王**先生');
    // The citizen sees only the redacted reply.
    const tracked = (await t.app.inject({ method: 'GET', url: `/api/v1/messages/track/${o.token}` })).json();
    // Without the author's session the tracking code shows the contact masked.
    expect(tracked.message.contactPhone).toBe('138****8000');
    const ownView = (await t.app.inject({ method: 'GET', url: `/api/v1/messages/track/${o.token}`, headers: auth('citizen') })).json();
    expect(ownView.message.contactPhone).toBe('13800138000');
    expect(tracked.ticket.reply).not.toContain('13712345678');
    expect(tracked.ticket.status).toBe('replied');
    const rate = await act('citizen', o.ticketId, { action: 'rate', rating: 4 });
    expect(rate.statusCode).toBe(200);
    expect(rate.json()).toMatchObject({ status: 'closed', rating: 4 });
    // Someone else's citizen account cannot rate it.
    // A follow-up without a word of what is wrong is refused, and the ticket stays closed.
    const blank = await act('citizen', o.ticketId, { action: 'reopen', note: '  ' });
    expect(blank.statusCode).toBe(400);
    expect(blank.json().error.fields).toEqual([expect.objectContaining({ field: 'note', message: '请写明还有什么问题没有解决。' })]);
    const noNote = await act('citizen', o.ticketId, { action: 'reopen' });
    expect(noNote.statusCode).toBe(400);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/messages/track/${o.token}` })).json().ticket.status).toBe('closed');
    const reopen = await act('citizen', o.ticketId, { action: 'reopen', note: '仍未到账' });
    expect(reopen.json()).toMatchObject({ status: 'in_progress', reopenCount: 1, departmentId: dept['A-HRSS'] });
    const mine = (await t.app.inject({ method: 'GET', url: '/api/v1/messages/mine', headers: auth('citizen') })).json();
    expect(mine.map((m: { token: string }) => m.token)).toContain(o.token);
  });

  it('refuses a follow-up after the period and a stale version', async () => {
    const o = (await submit('citizen', { type: '咨询', title: '社保缴费基数', content: '今年社保缴费基数是多少？' })).json();
    const v = (await act('clerk', o.ticketId, { action: 'reply', reply: '您好，今年缴费基数按上年度平均工资确定。' })).json();
    expect((await act('clerk', o.ticketId, { action: 'close', version: v.version })).statusCode).toBe(403);
    const late = new MessagesService(t.database.db, t.services.audit, { allowAnonymous: true, now: () => new Date(Date.now() + 40 * 86_400_000) });
    const r = await late.act({ kind: 'citizen', id: (await t.database.db.selectFrom('messages').select('citizen_id').where('token', '=', o.token).executeTakeFirstOrThrow()).citizen_id! }, o.ticketId, 'reopen', { note: '仍未解决' });
    expect(!r.ok && r.error.code).toBe('REOPEN_PERIOD_OVER');
    const stale = await act('supervisor', o.ticketId, { action: 'close', version: v.version - 1 });
    expect(stale.statusCode).toBe(409);
  });

  it('keeps exactly one holder (a department or the queue) for every ticket at every step of its log', async () => {
    // Drive a few more tickets through random but allowed actions.
    const ids: number[] = [];
    for (let i = 0; i < 4; i++) ids.push((await submit('citizen', { type: '投诉', title: `楼道堆放杂物${i}`, content: '楼道长期堆放杂物，存在消防隐患。' })).json().ticketId);
    const who: Record<string, string> = { dispatch: 'supervisor', transfer: 'supervisor', return: 'supervisor', accept: 'supervisor', reply: 'supervisor' };
    const seq: ActionKind[] = ['dispatch', 'transfer', 'return', 'dispatch', 'accept', 'transfer', 'return'];
    for (const [n, id] of ids.entries()) {
      for (const a of seq.slice(0, 3 + n)) {
        const target = a === 'transfer' ? dept['A-URBAN'] : dept['A-HOUSING'];
        await act(who[a] ?? 'supervisor', id, { action: a, departmentId: target, note: '测试' });
      }
    }
    const tickets = await t.database.db.selectFrom('message_tickets').selectAll().execute();
    expect(tickets.length).toBeGreaterThan(5);
    for (const tk of tickets) {
      const log = await t.database.db.selectFrom('message_ticket_actions').selectAll().where('ticket_id', '=', tk.id).orderBy('id').execute();
      const d = deriveState(log.map((a) => ({ action: a.action as ActionKind, departmentId: a.department_after, on: a.on_day })));
      expect(d.ok, `ticket ${tk.id}`).toBe(true);
      if (!d.ok) continue;
      // The stored projection is the fold of the log.
      expect(d.state.status).toBe(tk.status);
      expect(d.state.departmentId).toBe(tk.department_id);
      // At every step: the queue holds it exactly when no department does.
      for (const [i, a] of log.entries()) {
        expect(d.holders[i]).toBe(a.department_after);
        if (a.status_after !== 'merged') expect(a.status_after === 'received' || a.status_after === 'returned').toBe(a.department_after === null);
      }
    }
    // The database refuses a ticket held by nobody or by both.
    await expect(t.database.db.updateTable('message_tickets').set({ status: 'dispatched', department_id: null }).where('id', '=', ids[0]!).execute()).rejects.toThrow();
    await expect(t.database.db.updateTable('message_tickets').set({ status: 'returned', department_id: dept['A-HRSS']! }).where('id', '=', ids[0]!).execute()).rejects.toThrow();
  });

  it('exports routing corrections as JSON Lines for training', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/messages/routing-corrections', headers: auth('clerk') })).statusCode).toBe(403);
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/messages/routing-corrections', headers: auth('supervisor') });
    expect(res.statusCode).toBe(200);
    const lines = res.body.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const l of lines) {
      expect(typeof l.content).toBe('string');
      expect(['城乡建设', '劳动和社会保障', '城市管理']).toContain(l.category);
    }
  });

  it('lets supervisors edit time limits and the routing table, and uses them for new messages', async () => {
    expect((await t.app.inject({ method: 'PUT', url: '/api/v1/messages/config', payload: { limits: { 咨询: 5 } }, headers: auth('clerk') })).statusCode).toBe(403);
    const bad = await t.app.inject({ method: 'PUT', url: '/api/v1/messages/config', payload: { routes: { 环境保护: 'NO-SUCH' } }, headers: auth('supervisor') });
    expect(bad.statusCode).toBe(400);
    const put = await t.app.inject({ method: 'PUT', url: '/api/v1/messages/config', payload: { limits: { 咨询: 5 }, routes: { 环境保护: 'A-URBAN' }, autoThreshold: 0.85 }, headers: auth('supervisor') });
    expect(put.statusCode).toBe(204);
    const first = chinaToday();
    const o = (await submit('citizen', { type: '咨询', title: '夜间噪音', content: '工地夜间施工噪音很大，可以投诉吗？' })).json();
    expect(o.departmentId).toBe(dept['A-URBAN']);
    expect(deadlinesSince(first, 5)).toContain(o.deadline);
    // 0.9 ≥ 0.85 still dispatches; raising the threshold above it sends the next one to the queue.
    await t.app.inject({ method: 'PUT', url: '/api/v1/messages/config', payload: { autoThreshold: 0.95, limits: { 咨询: 3 }, routes: { 环境保护: 'A-ECOLOGY' } }, headers: auth('supervisor') });
    expect((await submit('citizen', { type: '咨询', title: '噪音', content: '噪音扰民' })).json().status).toBe('received');
    await t.app.inject({ method: 'PUT', url: '/api/v1/messages/config', payload: { autoThreshold: 0.6 }, headers: auth('supervisor') });
  });

  it('marks late tickets red and escalates them to supervisors', async () => {
    const o = (await submit('citizen', { type: '咨询', title: '社保转移', content: '社保关系如何转移？' })).json();
    const later = new MessagesService(t.database.db, t.services.audit, { allowAnonymous: true, now: () => new Date(Date.now() + 30 * 86_400_000) });
    expect(await later.escalateOverdue()).toBeGreaterThan(0);
    const v = await later.ticket(SYSTEM, o.ticketId);
    expect(v.ok && v.value).toMatchObject({ escalated: true, clock: 'red' });
    expect(v.ok && v.value.actions.map((a) => a.action)).toContain('escalate');
    const sup = await t.database.db.selectFrom('users').select(['id', 'department_id']).where('username', '=', 'supervisor').executeTakeFirstOrThrow();
    const todo = await later.todo({ kind: 'staff', id: sup.id, roles: ['supervisor'], departmentId: sup.department_id });
    expect(todo.some((i) => i.href === `/staff/messages/${o.ticketId}` && i.status === 'red' && i.title.includes('超期督办'))).toBe(true);
    // A second run finds nothing new (idempotent).
    expect(await later.escalateOverdue()).toBe(0);
  });

  it('routes with the committed routing model by default', async () => {
    const { loadDefaultClassifier } = await import('../src/modules/messages/classifier.ts');
    const { classifier, problem } = await loadDefaultClassifier();
    expect(problem).toBeUndefined();
    const c = classifier.classify({ title: '社保卡补办', content: '我的社保卡丢了，请问去哪里补办，养老保险缴费会受影响吗？' });
    expect(c?.category).toBe('劳动和社会保障');
    expect(c!.confidence).toBeGreaterThan(0);
    expect(c!.confidence).toBeLessThanOrEqual(1);
  });

  it('gives leaders figures and department staff their own', async () => {
    const all = (await t.app.inject({ method: 'GET', url: '/api/v1/messages/stats', headers: auth('leader') })).json();
    const total = await t.database.db.selectFrom('message_tickets').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Object.values(all.byStatus as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(Number(total.n));
    expect(all.rated).toBeGreaterThanOrEqual(1);
    expect(all.meanRating).toBeGreaterThanOrEqual(1);
    const own = (await t.app.inject({ method: 'GET', url: '/api/v1/messages/stats', headers: auth('clerk') })).json();
    expect(own.byHolder.every((h: { departmentId: number }) => h.departmentId === dept['A-HRSS'])).toBe(true);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/messages/stats', headers: auth('citizen') })).statusCode).toBe(403);
  });

  it('accepts anonymous messages only when allowed', async () => {
    const res = await submit(null, { type: '建议', title: '增设公交站', content: '建议在新区增设公交站点。' });
    expect(res.statusCode).toBe(201);
    const strict = new MessagesService(t.database.db, t.services.audit, { allowAnonymous: false });
    const r = await strict.submit(ANONYMOUS, { type: '建议', title: 'x', content: 'y' }, { channel: 'api' });
    expect(!r.ok && r.error.code).toBe('ANONYMOUS_NOT_ALLOWED');
    const invalid = await submit(null, { type: '建议', title: '', content: '' });
    expect(invalid.statusCode).toBe(400);
  });

  it('shows likely duplicates and merges them so that one reply answers every author', async () => {
    const a = (await submit('citizen', { type: '投诉', title: '景蓉华苑停车收费过高', content: '景蓉华苑业委会制定的停车收费标准太高，请核查。', district: 'A2区', address: '景蓉华苑' })).json();
    const b = (await submit(null, { type: '投诉', title: '景蓉华苑小区停车收费太高', content: '小区业委会停车收费标准过高，希望有关部门核查。', district: 'A2区', address: '景蓉华苑小区' })).json();
    const sim = await t.app.inject({ method: 'GET', url: `/api/v1/messages/tickets/${a.ticketId}/similar`, headers: auth('supervisor') });
    expect(sim.json().map((x: { ticketId: number }) => x.ticketId)).toContain(b.ticketId);
    const m = await t.app.inject({ method: 'POST', url: `/api/v1/messages/tickets/${a.ticketId}/merge`, payload: { sourceId: b.ticketId }, headers: auth('supervisor') });
    expect(m.statusCode).toBe(200);
    expect(m.json().messages).toHaveLength(2);
    await act('supervisor', a.ticketId, { action: 'dispatch', departmentId: dept['A-HOUSING'] });
    const h = await t.database.db.selectFrom('users').select('id').where('username', '=', 'supervisor').executeTakeFirstOrThrow();
    void h;
    await t.database.db.selectFrom('message_tickets').select('status').where('id', '=', b.ticketId).executeTakeFirstOrThrow().then((r) => expect(r.status).toBe('merged'));
    // The housing department replies once (as system, standing in for its clerk).
    const rep = await t.services.messages.act(SYSTEM, a.ticketId, 'reply', { reply: '您好，经核实，停车收费已按程序经业主大会表决，将督促业委会公示。' });
    expect(rep.ok).toBe(true);
    for (const token of [a.token, b.token]) {
      const tr = (await t.app.inject({ method: 'GET', url: `/api/v1/messages/track/${token}` })).json();
      expect(tr.ticket.status).toBe('replied');
      expect(tr.ticket.reply).toContain('停车收费');
    }
  });

  it('gives advisory reply hints', async () => {
    const o = (await submit('citizen', { type: '咨询', title: '社保卡补办地点', content: '请问社保卡丢失后去哪里补办？需要带什么材料？' })).json();
    const good = (await t.app.inject({ method: 'POST', url: `/api/v1/messages/tickets/${o.ticketId}/reply-hints`, headers: auth('clerk'), payload: { draft: '您好！感谢您的关注。根据《社会保障卡管理办法》规定，社保卡丢失后可携带身份证到就近的社保卡服务网点补办，现场即可领取。如有疑问可拨打12333咨询。' } })).json();
    const poor = (await t.app.inject({ method: 'POST', url: `/api/v1/messages/tickets/${o.ticketId}/reply-hints`, headers: auth('clerk'), payload: { draft: '已收到。' } })).json();
    expect(good.overall).toBeGreaterThan(poor.overall);
    expect(poor.hints.find((h: { aspect: string }) => h.aspect === 'relevance').ok).toBe(false);
    expect(good.hints.find((h: { aspect: string }) => h.aspect === 'basis').ok).toBe(true);
  });

  it('takes webhook deliveries signed with the channel secret, idempotently', async () => {
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/messages/channels', payload: { code: 'weibo' }, headers: auth('supervisor') })).statusCode).toBe(403);
    const ch = await t.app.inject({ method: 'POST', url: '/api/v1/messages/channels', payload: { code: 'weibo' }, headers: auth('admin') });
    expect(ch.statusCode).toBe(201);
    const secret = ch.json().secret as string;
    const body = JSON.stringify({ id: 'wb-1001', title: '社保查询', content: '微博网友：社保缴费记录怎么查？', type: '咨询' });
    const sig = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
    const send = (b: string, s: string) => t.app.inject({ method: 'POST', url: '/api/v1/messages/webhooks/weibo', payload: b, headers: { 'content-type': 'application/json', 'x-yiwang-signature': s } });
    const first = await send(body, sig);
    expect(first.statusCode).toBe(201);
    const again = await send(body, sig);
    expect(again.statusCode).toBe(200);
    expect(again.json().ticketId).toBe(first.json().ticketId);
    expect(again.json().replayed).toBe(true);
    expect((await send(body.replace('1001', '1002'), sig)).statusCode).toBe(401);
    const noId = JSON.stringify({ title: '社保查询', content: '没有编号的推送' });
    const missing = await send(noId, `sha256=${createHmac('sha256', secret).update(noId).digest('hex')}`);
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error).toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ field: 'id', message: '缺少 id：应为这条留言在来源渠道的编号（字符串或数字）。' }] });
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/messages/webhooks/nope', payload: body, headers: { 'content-type': 'application/json', 'x-yiwang-signature': sig } })).statusCode).toBe(404);
  });

  it('imports rows, reporting bad ones by number and keeping the good ones; re-import is idempotent', async () => {
    const rows = [
      { row: 2, externalId: 'T-1', data: { type: '投诉' as const, title: '拖欠工资', content: '某公司拖欠工资三个月。' } },
      { row: 3, externalId: 'T-2', data: { type: '咨询' as const, title: '', content: '' } },
    ];
    expect((await t.services.messages.importRows({ kind: 'citizen', id: 1 }, rows)).ok).toBe(false);
    const r = await t.services.messages.importRows(SYSTEM, rows);
    expect(r.ok && r.value).toMatchObject({ created: 1, replayed: 0 });
    expect(r.ok && r.value.errors.map((e) => e.row)).toEqual([3]);
    const again = await t.services.messages.importRows(SYSTEM, rows.slice(0, 1));
    expect(again.ok && again.value).toMatchObject({ created: 0, replayed: 1 });
  });

  it('renders the citizen form, takes a form post without JavaScript, and renders the staff pages', async () => {
    const jar = cookieJar();
    const page = await get(t.app, jar, '/messages/new');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<label for="content">');
    const csrf = await getCsrf(t.app, jar, '/messages/new');
    const bad = await formPost(t.app, jar, '/messages/new', { _csrf: csrf, type: '咨询', title: '', content: '' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('error-summary');
    const okPost = await formPost(t.app, jar, '/messages/new', { _csrf: csrf, type: '咨询', title: '社保卡激活', content: '新领的社保卡怎么激活？', publishConsent: '1' });
    expect(okPost.statusCode).toBe(303);
    const track = await get(t.app, jar, okPost.headers.location as string);
    expect(track.statusCode).toBe(200);
    expect(track.body).toContain('社保卡激活');
    // Staff pages.
    const staff = cookieJar();
    const lc = await getCsrf(t.app, staff, '/login');
    await formPost(t.app, staff, '/login', { _csrf: lc, identifier: 'supervisor', password: 'Supervisor-demo-2026' });
    for (const url of ['/staff/messages', '/staff/messages?view=queue', '/staff/messages/settings', '/workbench']) {
      const r = await get(t.app, staff, url);
      expect(r.statusCode, url).toBe(200);
    }
    const id = (await t.database.db.selectFrom('message_tickets').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow()).id;
    const tp = await get(t.app, staff, `/staff/messages/${id}`);
    expect(tp.statusCode).toBe(200);
    expect(tp.body).toContain('社保卡激活');
    const wb = await get(t.app, staff, '/workbench');
    expect(wb.body).toContain('/staff/messages/');
    // Hints without JavaScript: the draft comes back with the hints (to the department's clerk, who writes the reply).
    const clerk = cookieJar();
    clerk.set(SESSION_COOKIE, tokens.clerk!);
    const c2 = await getCsrf(t.app, clerk, `/staff/messages/${id}`);
    const hinted = await formPost(t.app, clerk, `/staff/messages/${id}/act`, { _csrf: c2, action: 'hints', reply: '已收到。' });
    expect(hinted.statusCode).toBe(200);
    expect(hinted.body).toContain('答复质量提示');
    // The citizen's page links to 我的留言.
    const cj = cookieJar();
    const cc = await getCsrf(t.app, cj, '/login');
    await formPost(t.app, cj, '/login', { _csrf: cc, identifier: DEMO_CITIZEN.mobile, password: DEMO_CITIZEN.password });
    expect((await get(t.app, cj, '/me')).body).toContain('我的留言');
    expect((await get(t.app, cj, '/messages/mine')).statusCode).toBe(200);
    // The API appears in the OpenAPI document.
    const spec = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json() as { paths: Record<string, unknown> };
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/api/v1/messages', '/api/v1/messages/tickets/{id}/actions', '/api/v1/messages/webhooks/{channel}']));
    // Published answers: only consented messages, redacted.
    const pub = await get(t.app, cookieJar(), '/messages/public');
    expect(pub.statusCode).toBe(200);
    expect(pub.body).not.toContain('13712345678');
  });
});
