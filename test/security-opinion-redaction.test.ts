import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM } from '../src/modules/identity/permissions.ts';
import { seedDemo } from '../src/modules/demo/demo.seed.ts';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';
import { openSession } from './helpers/sessions.ts';

/**
 * Citizen messages polled into public-opinion monitoring (pollMessages reads the tickets as SYSTEM, which sees them
 * whole) must reach the items table redacted: an analyst reads the items, and neither a phone nor an ID number the
 * citizen wrote in the title or the text may show there, on the pages or through the API.
 */
describe.each(engines())('messages polled into opinion are redacted, on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
    await seedDemo(t.services);
  });
  afterAll(async () => t?.close());

  it('a message with a phone and an ID number shows neither to an analyst', async () => {
    const phone = '13987654321';
    const id = '11010519491231002X';
    for (let i = 0; i < 4; i++) {
      const sub = await t.services.messages.submit(SYSTEM, {
        type: '投诉', title: `联丰路路灯不亮 电话${phone}`,
        content: `A3区联丰路一段路灯坏了半个月，晚上很黑。我的身份证号${id}（也可写作 ${id.slice(0, 6)} ${id.slice(6, 14)} ${id.slice(14)}），电话 ${phone.slice(0, 3)} ${phone.slice(3, 7)} ${phone.slice(7)}。`,
        district: 'A3区',
      }, { channel: 'api' });
      expect(sub.ok).toBe(true);
    }
    expect(await t.services.opinion.pollMessages(t.services.messages)).toBeGreaterThanOrEqual(4);
    await t.services.opinion.cluster();
    const rows = await t.services.database.db.selectFrom('opinion_items').select(['id', 'title', 'text']).where('source', '=', 'messages').execute();
    expect(rows.length).toBeGreaterThanOrEqual(4);
    const stored = JSON.stringify(rows);
    expect(stored).toContain('路灯坏了');
    expect(stored).not.toContain(phone);
    expect(stored).not.toContain(id);
    expect(stored).not.toContain('11010519491231');
    expect(stored).not.toContain('19491231');

    const analyst = await openSession(t, { username: 'analyst' });
    const auth = { authorization: `Bearer ${analyst}` };
    const issues = await t.app.inject({ method: 'GET', url: '/api/v1/opinion/issues?limit=500', headers: auth });
    expect(issues.statusCode).toBe(200);
    const seen = [issues.body];
    for (const issue of issues.json() as { id: number }[]) {
      const page = await t.app.inject({ method: 'GET', url: `/opinion/issues/${issue.id}`, headers: auth });
      expect(page.statusCode).toBe(200);
      seen.push(page.body);
    }
    const dashboard = await t.app.inject({ method: 'GET', url: '/opinion', headers: auth });
    expect(dashboard.statusCode).toBe(200);
    seen.push(dashboard.body, (await t.app.inject({ method: 'GET', url: '/api/v1/opinion/dashboard', headers: auth })).body);
    for (const body of seen) {
      expect(body).not.toContain(phone);
      expect(body).not.toContain(id);
      expect(body).not.toContain('19491231');
    }
  });
});
