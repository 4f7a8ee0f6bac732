import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../src/modules/demo/demo.seed.ts';
import { OpinionService } from '../src/modules/opinion/opinion.service.ts';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';
import { burstItems } from './helpers/opinion.ts';

/**
 * An issue's id is its smallest item id. A burst warned under one id must not be warned again when the issue later
 * merges with an older one (about the same rubbish station, two years earlier, joined by posts in between) and takes
 * that one's smaller id: the warning's key carried the id, so the same burst was raised a second time.
 */
describe.each(engines())('a warned burst whose issue merges with an older one on %s', (engine) => {
  let t: TestApp;
  const now = new Date(Date.UTC(2020, 0, 20, 4)); // after the burst of burstItems() (10 to 18 January 2020)

  beforeAll(async () => {
    t = await createTestApp(engine);
    await seedDemo(t.services);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('is warned once, and the warning follows the merged issue', async () => {
    const db = t.services.database.db;
    const svc = new OpinionService(db, t.services.audit, { secret: 'test', now: () => now });
    const old = (month: number, day: number, i: number) => ({
      externalId: `old-${i}`, title: 'A3区米兰春天小区垃圾站臭味扰民', text: `A市A3区联丰路米兰春天小区旁边的垃圾站臭味很大，老住户${i}反映。`,
      author: `o${i}`, publishedAt: new Date(Date.UTC(2018, month, day, 3)),
    });
    await svc.ingest('merge-test', [old(0, 1, 0), old(0, 3, 1)]); // January 2018: an issue of its own, smallest ids
    await svc.cluster();
    await svc.ingest('merge-test', burstItems());
    await svc.cluster();
    const bursts = () => db.selectFrom('opinion_warnings').select(['key', 'issue_id', 'level']).where('kind', '=', 'burst').orderBy('id').execute();
    const first = await bursts();
    expect(first).toHaveLength(1);
    const burstIssue = first[0]!.issue_id!;
    expect(burstIssue).toBeGreaterThan(2);

    // September 2018 and 2019: the posts in between bring the two issues together under the older one's id.
    await svc.ingest('merge-test', [old(8, 1, 2), old(8, 3, 3)]);
    await svc.cluster();
    await svc.ingest('merge-test', [old(19, 20, 4), old(19, 22, 5)]);
    await svc.cluster();
    const merged = await db.selectFrom('opinion_issues').select(['id', 'item_ids']).execute();
    const home = merged.find((i) => (i.item_ids as number[]).includes(burstIssue))!;
    expect(home.id).toBeLessThan(burstIssue); // the id did change: the case this test is about

    const after = await bursts();
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ key: first[0]!.key, level: first[0]!.level, issue_id: home.id });
    expect((await svc.cluster()).warnings).toBe(0);
  });
});
