import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../src/modules/demo/demo.seed.ts';
import { SYSTEM } from '../src/modules/identity/permissions.ts';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';

/**
 * A warning goes to the responsible department found by the messages classifier. The classifier is loaded in the
 * background by serving processes only, and the opinion module asked it without waiting: the first clustering after a
 * start (the demo's, or any before the load finished) and every clustering in the primary of `yiwang start` on
 * PostgreSQL (which serves no requests, so never loads it) routed nothing. The module now waits for the load.
 */
describe.each(engines())('routing warnings to a department on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
    await seedDemo(t.services);
  });
  afterAll(async () => t?.close());

  it('routes an urgent item\'s warning in a process that never classified anything before', async () => {
    const now = new Date();
    await t.services.opinion.ingest('routing-test', [{
      externalId: 'gas-1', title: 'A4区某小区燃气泄漏', text: 'A市A4区某小区燃气管道泄漏，十万火急，随时可能爆炸，请燃气公司立即处理！', author: 'r1', publishedAt: now,
    }], SYSTEM);
    const r = await t.services.opinion.cluster();
    expect(r.warnings).toBeGreaterThan(0);
    const w = await t.services.database.db.selectFrom('opinion_warnings').select(['id', 'department_id']).where('key', 'like', 'rule:urgency:%').executeTakeFirstOrThrow();
    expect(w.department_id).not.toBeNull();
    const notified = await t.services.database.db.selectFrom('opinion_notifications').select('department_id').where('warning_id', '=', w.id).where('audience', '=', 'department').execute();
    expect(notified.map((n) => n.department_id)).toEqual([w.department_id]);
  });
});
