import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/database.ts';
import { SYSTEM } from '../src/modules/identity/permissions.ts';
import { SearchService } from '../src/modules/search/search.service.ts';
import { currentTag, type SearchSnapshot } from '../src/modules/search/search.snapshot.ts';
import type { PublishDoc } from '../src/modules/search/search.types.ts';
import { createTestApp, engines, openTestDatabase, type TestApp } from './helpers/db.ts';

const DOCS: PublishDoc[] = [
  { type: 'policy', sourceId: 'p-resid', title: '居住证办理办法', body: '申领居住证应当向居住地公安派出所提交居民身份证和住所证明。' },
  { type: 'policy', sourceId: 'p-fund', title: '住房公积金提取规定', body: '职工购买自住住房的，可以提取本人住房公积金账户内的存储余额。' },
  { type: 'service', sourceId: 's-card', title: '社保卡补办', body: '社保卡遗失后可以在社保经办机构补办。', department: '人社局', date: '2026-10-01' },
  { type: 'knowledge', sourceId: 'k-staff', title: '内部口径：社保补贴答复要点', body: '答复社保补贴咨询时先确认是否登记失业。', visibility: 'staff' },
];
const QUERIES = ['居住证', '公积金 提取', '社保卡', '社保', '残疾人补贴', '养老保险'];

/** Hits of QUERIES (public with scores unless `idsOnly`, and staff). */
async function answers(s: SearchService, idsOnly = false): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const q of QUERIES) {
    const r = await s.search(q, { noSnippets: true, logMiss: false });
    out.push(r.ok ? r.value.hits.map((h) => (idsOnly ? [h.id, h.url, h.title] : [h.id, h.url, h.title, h.score])) : r);
    out.push((await s.searchStaff(q)).map((h) => h.id));
  }
  return out;
}

describe.each(engines())('search index snapshot (%s)', (engine) => {
  let t: TestApp;
  let dir: string;
  /** A process without snapshot that built its index at the same change number as the snapshot. */
  let early: SearchService;
  const fresh = () => new SearchService(t.database.db, t.services.audit, { snapshotDir: dir });
  beforeAll(async () => {
    t = await createTestApp(engine);
    dir = mkdtempSync(join(tmpdir(), 'yiwang-snap-'));
    await t.services.search.publish(SYSTEM, DOCS);
  }, 60_000);
  afterAll(async () => t?.close());

  it('the first start builds from the table and writes a snapshot; the next loads it and gives the same answers', async () => {
    const a = fresh();
    await a.ensureLoaded();
    expect(a.lastBuildSource).toBe('rows');
    expect(existsSync(join(dir, 'search-index.v8'))).toBe(true);
    const b = fresh();
    await b.ensureLoaded();
    expect(b.lastBuildSource).toBe('snapshot');
    early = new SearchService(t.database.db, t.services.audit);
    expect(await answers(b)).toEqual(await answers(early));
  });

  it('a snapshot from before a publish, an update and a withdrawal gives correct results after loading', async () => {
    await t.services.search.publish(SYSTEM, [
      { type: 'knowledge', sourceId: 'k1', title: '残疾人两项补贴申领指南', body: '困难残疾人生活补贴向户籍所在地乡镇申请。' },
      { type: 'policy', sourceId: 'p-fund', title: '住房公积金提取规定（修订）', body: '职工退休时可以提取住房公积金，养老保险另行办理。' },
    ]);
    await t.services.search.withdraw(SYSTEM, [{ type: 'policy', sourceId: 'p-resid' }]);
    const c = fresh();
    await c.ensureLoaded();
    expect(c.lastBuildSource).toBe('snapshot');
    const r = await c.search('居住证');
    expect(r.ok && r.value.hits.some((h) => h.id === 'policy:p-resid')).toBe(false);
    const k = await c.search('残疾人补贴');
    expect(k.ok && k.value.hits[0]?.id).toBe('knowledge:k1');
    const f = await c.search('养老保险');
    expect(f.ok && f.value.hits[0]?.title).toBe('住房公积金提取规定（修订）');
    // Exactly what a process that was running since the snapshot shows (scores included), and the same documents as
    // a process that builds from the table now (scores differ a little until compaction: removed documents still
    // count in document frequencies, in every long-running process alike).
    expect(await answers(c)).toEqual(await answers(early));
    expect(await answers(c, true)).toEqual(await answers(new SearchService(t.database.db, t.services.audit), true));
    // rebuild() always reads the table and writes a new snapshot at the current change number
    expect(await c.rebuild()).toBeGreaterThanOrEqual(0);
    expect(c.lastBuildSource).toBe('rows');
  });

  it('a snapshot from another database is ignored, even when it carries this database identity', async () => {
    let other: Database | undefined;
    try {
      other = await openTestDatabase(engine);
      const o = new SearchService(other.db, t.services.audit, { snapshotDir: dir });
      await o.publish(SYSTEM, [{ type: 'policy', sourceId: 'p-other', title: '出入境证件办理', body: '护照办理需要身份证。' }]);
      await o.ensureLoaded();
      expect(o.lastBuildSource).toBe('rows'); // the snapshot in dir belongs to t's database
      const found = await o.search('居住证');
      expect(found.ok && found.value.hits.length).toBe(0);
      // The file now holds `other`'s snapshot; give it t's tag (as a copied database image would): still rejected.
      const snap = deserialize(readFileSync(join(dir, 'search-index.v8'))) as SearchSnapshot;
      snap.tag = (await currentTag(t.database.db))!;
      writeFileSync(join(dir, 'search-index.v8'), serialize(snap));
      const d = fresh();
      await d.ensureLoaded();
      expect(d.lastBuildSource).toBe('rows');
      const r = await d.search('护照');
      expect(r.ok && r.value.hits.length).toBe(0);
      expect(await answers(d)).toEqual(await answers(new SearchService(t.database.db, t.services.audit)));
    } finally {
      await other?.close();
    }
  }, 60_000);

  it('a corrupt snapshot file is ignored and replaced', async () => {
    writeFileSync(join(dir, 'search-index.v8'), 'not a snapshot');
    const e = fresh();
    await e.ensureLoaded();
    expect(e.lastBuildSource).toBe('rows');
    const f = fresh();
    await f.ensureLoaded();
    expect(f.lastBuildSource).toBe('snapshot');
  });
});
