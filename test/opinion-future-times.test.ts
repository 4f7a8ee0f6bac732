import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../src/modules/demo/demo.seed.ts';
import { SYSTEM } from '../src/modules/identity/permissions.ts';
import { OpinionService } from '../src/modules/opinion/opinion.service.ts';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';
import { burstItems } from './helpers/opinion.ts';

/**
 * A post that says it was written in the future (a feed's wrong clock, a webhook's publishedAt of 2150, an import
 * row of 2099) must not move the dashboard, the briefings and the early warning to that date: they are anchored on
 * the newest item, and one such post used to leave them showing only itself and raising no warning at all.
 */
describe.each(engines())('times later than now on %s', (engine) => {
  let t: TestApp;
  const now = new Date(Date.UTC(2020, 0, 20, 4)); // 2020-01-20 12:00 China time, after the burst of burstItems()

  beforeAll(async () => {
    t = await createTestApp(engine);
    await seedDemo(t.services);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('are stored as the time the post came in, and the dashboard and the warnings stay on the real data', async () => {
    const svc = new OpinionService(t.services.database.db, t.services.audit, { secret: 'test', now: () => now });
    await svc.ingest('future-test', burstItems());
    const future = await svc.ingest('future-test', [{ externalId: 'from-2150', title: 'A1区某路口红绿灯坏了', text: 'A市A1区某路口红绿灯坏了好几天，过马路很危险。', author: 'f1', publishedAt: new Date(Date.UTC(2150, 0, 1)) }]);
    expect(future.added).toBe(1);
    const stored = await t.services.database.db.selectFrom('opinion_items').select('published_at').where('external_id', '=', 'from-2150').executeTakeFirstOrThrow();
    expect(new Date(stored.published_at).getTime()).toBe(now.getTime());

    const d = await svc.dashboard(SYSTEM, 30);
    if (!d.ok) throw new Error(d.error.code);
    expect(d.value.to).toBe('2020-01-20');
    // The fourteen posts of the burst (10 to 18 January) and the late one, counted on their days.
    expect(d.value.volume.reduce((s, v) => s + v.n, 0)).toBe(15);

    const r = await svc.cluster();
    expect(r.warnings).toBeGreaterThan(0);
    const bursts = await t.services.database.db.selectFrom('opinion_warnings').select('title').where('kind', '=', 'burst').execute();
    expect(bursts.some((b) => b.title.includes('米兰春天'))).toBe(true);
  });
});
