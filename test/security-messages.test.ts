import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../src/modules/demo/demo.seed.ts';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';
import { openSession } from './helpers/sessions.ts';

/**
 * The routing corrections download (GET /api/v1/messages/routing-corrections, a JSON Lines file for training the
 * classifier) carried the citizen's message whole: the phone, ID number and e-mail they wrote in it.
 */
describe.each(engines())('the routing corrections file keeps no personal data, on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
    await seedDemo(t.services);
  });
  afterAll(async () => t?.close());

  it('phone, ID number and e-mail in a corrected message are masked in the file', async () => {
    const citizen = await openSession(t, { mobile: '13800138000' });
    const supervisor = await openSession(t, { username: 'supervisor' });
    const sent = await t.app.inject({
      method: 'POST', url: '/api/v1/messages', headers: { authorization: `Bearer ${citizen}` },
      payload: { type: '投诉', title: '噪音扰民 电话13987654321', content: '我住幸福路，电话13987654321，身份证11010519491231002X，邮箱zhang.san@example.cn，每晚施工噪音。' },
    });
    expect(sent.statusCode).toBe(201);
    const id = sent.json().ticketId as number;
    const dept = (await t.services.identity.departments()).find((d) => d.code === 'A-URBAN')!.id;
    const ticket = await t.app.inject({ method: 'GET', url: `/api/v1/messages/tickets/${id}`, headers: { authorization: `Bearer ${supervisor}` } });
    const body = ticket.json();
    const action = body.status === 'dispatched' ? 'transfer' : 'dispatch';
    const moved = await t.app.inject({
      method: 'POST', url: `/api/v1/messages/tickets/${id}/actions`, headers: { authorization: `Bearer ${supervisor}` },
      payload: { action, departmentId: dept, category: '城乡建设', version: body.version, note: '改派' },
    });
    expect(moved.statusCode, moved.body).toBe(200);
    const file = await t.app.inject({ method: 'GET', url: '/api/v1/messages/routing-corrections', headers: { authorization: `Bearer ${supervisor}` } });
    expect(file.statusCode).toBe(200);
    const line = file.body.trim().split('\n').map((l) => JSON.parse(l) as { ticket: number; title: string; content: string }).find((l) => l.ticket === id);
    expect(line).toBeDefined();
    expect(line!.content).toContain('每晚施工噪音');
    expect(JSON.stringify(line)).not.toMatch(/13987654321|19491231002|zhang\.san/);
  });

  it('analysts and leaders see a ticket with the numbers in its title, text and address masked; the holding clerk whole', async () => {
    const citizen = await openSession(t, { mobile: '13800138000' });
    const sent = await t.app.inject({
      method: 'POST', url: '/api/v1/messages', headers: { authorization: `Bearer ${citizen}` },
      payload: { type: '求助', title: '社保卡 11010519491231002X 补办', content: '我的电话13987654321，身份证11010519491231002X。', address: '幸福路12号3单元' },
    });
    expect(sent.statusCode).toBe(201);
    const id = sent.json().ticketId as number;
    for (const who of ['analyst', 'leader']) {
      const token = await openSession(t, { username: who });
      const one = await t.app.inject({ method: 'GET', url: `/api/v1/messages/tickets/${id}`, headers: { authorization: `Bearer ${token}` } });
      expect(one.statusCode, who).toBe(200);
      const list = await t.app.inject({ method: 'GET', url: '/api/v1/messages/tickets?limit=500', headers: { authorization: `Bearer ${token}` } });
      expect(list.statusCode, who).toBe(200);
      const text = JSON.stringify(one.json()) + JSON.stringify(list.json());
      expect(text, who).not.toMatch(/13987654321|19491231002|幸福路12号/);
      expect(one.json().messages[0].content, who).toContain('身份证');
    }
    const supervisor = await openSession(t, { username: 'supervisor' });
    const whole = await t.app.inject({ method: 'GET', url: `/api/v1/messages/tickets/${id}`, headers: { authorization: `Bearer ${supervisor}` } });
    expect(whole.json().messages[0].content).toContain('13987654321');
    expect(whole.json().messages[0].address).toBe('幸福路12号3单元');
  });
});
