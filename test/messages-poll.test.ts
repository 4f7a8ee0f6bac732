import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../src/modules/demo/demo.seed.ts';
import { SYSTEM } from '../src/modules/identity/permissions.ts';
import type { MessageClassifier } from '../src/modules/messages/classifier.ts';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';

/** Routing fixed so that the test does not depend on the model: 噪音 → ecology (sure), else the queue. */
const fakeClassifier: MessageClassifier = {
  classify: ({ title, content }) => (/噪音/.test(title + content) ? { category: '环境保护', confidence: 0.9 } : { category: '城乡建设', confidence: 0.3 }),
};

interface Listed { id: number; updatedAt: string; status: string }

describe.each(engines())('message pollers and intake writes on %s', (engine) => {
  let t: TestApp;
  let token = '';
  const auth = () => ({ authorization: `Bearer ${token}` });
  const list = async (query: string): Promise<{ status: number; body: Listed[] & { error?: { code: string } } }> => {
    const r = await t.app.inject({ method: 'GET', url: `/api/v1/messages/tickets?${query}`, headers: auth() });
    return { status: r.statusCode, body: r.json() };
  };
  const submit = async (title: string) => {
    const r = await t.services.messages.submit(SYSTEM, { type: '投诉', title, content: `${title}，请尽快处理。`, district: 'A2区' }, { channel: 'api' });
    if (!r.ok) throw new Error(r.error.message);
    return r.value.ticketId;
  };

  beforeAll(async () => {
    t = await createTestApp(engine);
    await seedDemo(t.services);
    t.services.messages.useClassifier(fakeClassifier);
    token = (await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { identifier: 'supervisor', password: 'Supervisor-demo-2026' } })).json().token;
  });
  afterAll(async () => t?.close());

  it('lists tickets changed since a time in (updatedAt, id) order and pages by keyset without gaps or repeats', async () => {
    const start = (await list('since=1970-01-01T00:00:00Z&limit=500')).body;
    const from = start.length ? start[start.length - 1]!.updatedAt : new Date(0).toISOString();
    const created: number[] = [];
    for (let i = 0; i < 7; i++) created.push(await submit(`A2区某小区夜间施工噪音扰民第${i + 1}次`));
    // Pages of 3 from the position of the newest ticket seen before: exactly the new tickets, each once, in order.
    const seen: Listed[] = [];
    let cursor = `since=${encodeURIComponent(from)}${start.length ? `&afterId=${start[start.length - 1]!.id}` : ''}`;
    for (let guard = 0; guard < 10; guard++) {
      const page = await list(`${cursor}&limit=3`);
      expect(page.status).toBe(200);
      seen.push(...page.body);
      if (page.body.length < 3) break;
      const last = page.body[page.body.length - 1]!;
      cursor = `since=${encodeURIComponent(last.updatedAt)}&afterId=${last.id}`;
    }
    expect(seen.map((x) => x.id)).toEqual(created);
    const keys = seen.map((x) => [Date.parse(x.updatedAt), x.id] as const);
    for (let i = 1; i < keys.length; i++) expect(keys[i - 1]![0] < keys[i]![0] || (keys[i - 1]![0] === keys[i]![0] && keys[i - 1]![1] < keys[i]![1])).toBe(true);

    // A change moves a ticket to the end of the order; `since` alone includes the ticket at that very time.
    const changed = created[2]!;
    const housing = (await t.services.identity.departments()).find((d) => d.code === 'A-HOUSING')!.id;
    const r = await t.app.inject({ method: 'POST', url: `/api/v1/messages/tickets/${changed}/actions`, payload: { action: 'transfer', departmentId: housing, note: '属住建局职责' }, headers: auth() });
    expect(r.statusCode, r.body).toBe(200);
    const updatedAt = r.json().updatedAt as string;
    expect(Date.parse(updatedAt)).toBeGreaterThanOrEqual(Date.parse(seen[seen.length - 1]!.updatedAt));
    const after = await list(`since=${encodeURIComponent(updatedAt)}`);
    expect(after.body.map((x) => x.id)).toEqual([changed]);
    expect(after.body[0]!.status).toBe('transferred');
    expect((await list(`since=${encodeURIComponent(updatedAt)}&afterId=${changed}`)).body).toEqual([]);
  });

  it('lists tickets after an id in id order, and combines with the other filters', async () => {
    const a = await submit('A2区工地噪音扰民请处理');
    const b = await submit('A2区路面破损请修补');
    const all = await list(`afterId=${a - 1}`);
    expect(all.body.map((x) => x.id)).toEqual([a, b]);
    expect((await list(`afterId=${a}`)).body.map((x) => x.id)).toEqual([b]);
    // b went to the manual queue (unsure), a was dispatched.
    expect((await list(`afterId=${a - 1}&queue=true`)).body.map((x) => x.id)).toEqual([b]);
    expect((await list(`afterId=${a - 1}&status=dispatched`)).body.map((x) => x.id)).toEqual([a]);
  });

  it('refuses a since that is not a time and a negative afterId', async () => {
    const bad = await list('since=yesterday');
    expect(bad.status).toBe(400);
    expect(bad.body.error?.code).toBe('VALIDATION_FAILED');
    expect((await list('afterId=-1')).status).toBe(400);
    expect((await t.services.messages.list(SYSTEM, { afterId: 1.5 })).ok).toBe(false);
  });

  it('keeps department scoping on the poller filter', async () => {
    const clerk = (await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { identifier: 'clerk', password: 'Clerk-demo-2026' } })).json();
    const mine = await t.app.inject({ method: 'GET', url: '/api/v1/messages/tickets?since=1970-01-01T00:00:00Z&limit=500', headers: { authorization: `Bearer ${clerk.token}` } });
    expect(mine.statusCode).toBe(200);
    const deptOf = clerk.account.departmentId as number;
    expect(deptOf).toEqual(expect.any(Number));
    for (const x of mine.json() as { departmentId: number | null }[]) expect(x.departmentId).toBe(deptOf);
  });

  it('writes ticket, message, actions and audit entry together: a duplicate delivery leaves one of each', async () => {
    const count = async () => {
      const db = t.database.db;
      const [tk, ms, ac, au] = await Promise.all([
        db.selectFrom('message_tickets').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
        db.selectFrom('messages').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
        db.selectFrom('message_ticket_actions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
        db.selectFrom('audit_events').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', 'message.submit').executeTakeFirstOrThrow(),
      ]);
      return [tk, ms, ac, au].map((x) => Number(x.n));
    };
    const before = await count();
    const payload = { id: 'dup-1', title: 'A2区某工地夜间噪音', content: 'A2区某工地夜间施工噪音很大，影响休息。' };
    const outs = await Promise.all([1, 2, 3].map(() => t.services.messages.submit(SYSTEM, payload, { channel: 'webhook', externalId: 'poll-test:dup-1', defaultType: '咨询' })));
    const ids = outs.map((o) => (o.ok ? o.value.ticketId : -1));
    expect(new Set(ids).size).toBe(1);
    expect(outs.filter((o) => o.ok && !o.value.replayed)).toHaveLength(1);
    const after = await count();
    // One ticket, one message, two actions (receive + automatic dispatch), one audit entry; nothing from the losers.
    expect(after.map((n, i) => n - before[i]!)).toEqual([1, 1, 2, 1]);
    const entry = await t.database.db.selectFrom('audit_events').selectAll().where('action', '=', 'message.submit').where('entity_id', '=', String(ids[0])).execute();
    expect(entry).toHaveLength(1);
    expect(await t.services.audit.verify(t.database.db)).toMatchObject({ ok: true });
  });
});
