import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../src/modules/demo/demo.seed.ts';
import { issueLineage, issueMoves, OpinionService } from '../src/modules/opinion/opinion.service.ts';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';
import { burstItems } from './helpers/opinion.ts';

/**
 * An issue that splits keeps its warnings on the part holding most of its items; the smaller part gets a new id (its
 * smallest item id). Its share of the burst already warned for the whole issue was warned again under that id.
 * The stored state of a clustering that had both parts in one issue, warned once, is written directly; the next
 * clustering separates them.
 */
describe.each(engines())('a warned burst whose issue splits on %s', (engine) => {
  let t: TestApp;
  const now = new Date(Date.UTC(2020, 0, 20, 4));

  beforeAll(async () => {
    t = await createTestApp(engine);
    await seedDemo(t.services);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('is not warned again for the smaller part', async () => {
    const db = t.services.database.db;
    const svc = new OpinionService(db, t.services.audit, { secret: 'test', now: () => now });
    const market = burstItems().slice(0, 10).map((b, i) => ({
      ...b, externalId: `market-${i}`, author: `m${i}`,
      title: ['B2区圭塘菜市场凌晨卸货噪音', '圭塘菜市场半夜噪音太吵', 'B2区圭塘菜市场卸货吵得睡不着'][i % 3]!,
      text: `A市B2区圭塘路菜市场每天凌晨卸货噪音很大，住户${i}号楼整夜睡不着，要求调整卸货时间。`,
    }));
    await svc.ingest('split-test', burstItems());
    await svc.ingest('split-test', market);
    await svc.cluster();
    const issues = await db.selectFrom('opinion_issues').select(['id', 'item_ids']).orderBy('id').execute();
    expect(issues).toHaveLength(2);
    const [big, small] = issues as [{ id: number; item_ids: unknown }, { id: number; item_ids: unknown }];
    const bursts = () => db.selectFrom('opinion_warnings').select(['key', 'issue_id']).where('kind', '=', 'burst').orderBy('id').execute();
    const first = await bursts();
    expect(first.map((w) => w.issue_id).sort()).toEqual([big.id, small.id]);

    // As stored by a clustering that had both in one issue (the larger one's id) and warned its burst once.
    const gone = (await db.selectFrom('opinion_warnings').select('id').where('issue_id', '=', small.id).execute()).map((w) => w.id);
    await db.deleteFrom('opinion_notifications').where('warning_id', 'in', gone).execute();
    await db.deleteFrom('opinion_actions').where('warning_id', 'in', gone).execute();
    await db.deleteFrom('opinion_warnings').where('id', 'in', gone).execute();
    await db.updateTable('opinion_issues').set({ item_ids: JSON.stringify([...(big.item_ids as number[]), ...(small.item_ids as number[])]) }).where('id', '=', big.id).execute();
    await db.deleteFrom('opinion_issues').where('id', '=', small.id).execute();

    await svc.ingest('split-test', [{ externalId: 'later', title: 'C1区路灯不亮', text: 'A市C1区某路段路灯坏了很久没人修，晚上出行很不方便。', author: 'x', publishedAt: new Date(Date.UTC(2020, 0, 19, 3)) }]);
    const r = await svc.cluster();
    expect(r.clustered).toBe(1);
    expect((await db.selectFrom('opinion_issues').select('id').orderBy('id').execute()).map((i) => i.id).slice(0, 2)).toEqual([big.id, small.id]);
    const after = await bursts();
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ issue_id: big.id });
  });
});

describe('issueLineage', () => {
  it('gives the smaller part of a split the warnings of the issue it came from, not an issue one item drifted into', () => {
    const old = [{ id: 1, item_ids: [1, 2, 3, 4, 5, 6, 7, 8] }, { id: 20, item_ids: [20, 21, 22, 23] }];
    const fresh = [
      { id: 1, item_ids: JSON.stringify([1, 2, 3, 4, 5]) },
      { id: 6, item_ids: JSON.stringify([6, 7]) }, // split off issue 1
      { id: 8, item_ids: JSON.stringify([8, 20, 21, 22, 23, 24]) }, // issue 20 (its id now 8) took one item of issue 1
    ];
    const moves = issueMoves(old, fresh);
    expect([...moves]).toEqual([[20, 8]]);
    const lineage = issueLineage(old, fresh, moves);
    expect([...(lineage.get(6) ?? [])]).toEqual([1]);
    expect(lineage.has(8)).toBe(false);
    expect(lineage.has(1)).toBe(false);
  });
});
