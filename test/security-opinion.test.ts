import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../src/modules/demo/demo.seed.ts';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';
import { openSession } from './helpers/sessions.ts';

/**
 * A warning an analyst raises by hand (POST /api/v1/opinion/warnings) was written to the audit trail and to the
 * warning's own log as raised by "system": nobody could tell who raised a red warning that reached the leaders.
 */
describe.each(engines())('who raised a warning, on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
    await seedDemo(t.services);
  });
  afterAll(async () => t?.close());

  it('a hand-raised warning names the analyst in the audit trail and the warning log', async () => {
    const analyst = await openSession(t, { username: 'analyst' });
    const me = (await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${analyst}` } })).json() as { id: number };
    const res = await t.app.inject({
      method: 'POST', url: '/api/v1/opinion/warnings', headers: { authorization: `Bearer ${analyst}` },
      payload: { level: 'red', title: '手工预警', reason: '群众集中反映' },
    });
    expect(res.statusCode).toBe(201);
    const id = String(res.json().id);
    const entry = await t.database.db.selectFrom('audit_events').select(['actor_id', 'actor_label'])
      .where('action', '=', 'opinion.warning.raise').where('entity_id', '=', id).executeTakeFirstOrThrow();
    expect(entry).toEqual({ actor_id: me.id, actor_label: `staff:${me.id}` });
    const detail = (await t.app.inject({ method: 'GET', url: `/api/v1/opinion/warnings/${id}`, headers: { authorization: `Bearer ${analyst}` } })).json();
    expect(JSON.stringify(detail)).toContain(`staff:${me.id}`);
  });
});
