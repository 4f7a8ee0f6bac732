import { existsSync, mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/database.ts';
import { SYSTEM } from '../src/modules/identity/permissions.ts';
import { SearchService } from '../src/modules/search/search.service.ts';
import { currentTag, readSnapshot, readSnapshotHeader, writeSnapshot } from '../src/modules/search/search.snapshot.ts';
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
  const fresh = (o: ConstructorParameters<typeof SearchService>[2] = {}) => new SearchService(t.database.db, t.services.audit, { snapshotDir: dir, ...o });
  const maxSeq = async () => Number((await t.database.db.selectFrom('search_documents').select((e) => e.fn.max('seq').as('m')).executeTakeFirstOrThrow()).m);
  beforeAll(async () => {
    t = await createTestApp(engine);
    dir = mkdtempSync(join(tmpdir(), 'yiwang-snap-'));
    await t.services.search.publish(SYSTEM, DOCS);
  });
  afterAll(async () => t?.close());

  it('the first start builds from the table and writes a snapshot; the next loads it and gives the same answers', async () => {
    const a = fresh();
    await a.ensureLoaded();
    expect(a.lastBuildSource).toBe('rows');
    await a.snapshotSettled(); // written in the background after the build
    expect(existsSync(join(dir, 'search-index.v8'))).toBe(true);
    expect(readSnapshotHeader(dir)?.seq).toBe(await maxSeq());
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
    await c.snapshotSettled();
  });

  it('a snapshot from another database is ignored, even when it carries this database identity', async () => {
    let other: Database | undefined;
    try {
      other = await openTestDatabase(engine);
      const o = new SearchService(other.db, t.services.audit, { snapshotDir: dir });
      await o.publish(SYSTEM, [{ type: 'policy', sourceId: 'p-other', title: '出入境证件办理', body: '护照办理需要身份证。' }]);
      await o.ensureLoaded();
      expect(o.lastBuildSource).toBe('rows'); // the snapshot in dir belongs to t's database
      await o.snapshotSettled();
      const found = await o.search('居住证');
      expect(found.ok && found.value.hits.length).toBe(0);
      // The file now holds `other`'s snapshot; give it t's tag (as a copied database image would): still rejected.
      const otherTag = (await currentTag(other.db))!;
      const snap = readSnapshot(dir, otherTag)!;
      expect(snap.seq).toBeGreaterThan(0);
      snap.tag = (await currentTag(t.database.db))!;
      expect(await writeSnapshot(dir, snap)).toBe(true);
      const d = fresh();
      await d.ensureLoaded();
      expect(d.lastBuildSource).toBe('rows');
      await d.snapshotSettled(); // and replaced, although it carries this database's tag
      const r = await d.search('护照');
      expect(r.ok && r.value.hits.length).toBe(0);
      expect(await answers(d)).toEqual(await answers(new SearchService(t.database.db, t.services.audit)));
    } finally {
      await other?.close();
    }
  });

  it('a corrupt snapshot file is ignored and replaced', async () => {
    writeFileSync(join(dir, 'search-index.v8'), 'not a snapshot');
    const e = fresh();
    await e.ensureLoaded();
    expect(e.lastBuildSource).toBe('rows');
    await e.snapshotSettled();
    const f = fresh();
    await f.ensureLoaded();
    expect(f.lastBuildSource).toBe('snapshot');
  });

  it('a stale snapshot is rewritten by the process that replayed the changes, in the background; below the threshold it is not', async () => {
    const rewrite = { share: 0, min: 3, max: 3 };
    const base = fresh();
    await base.rebuild();
    await base.snapshotSettled();
    const s0 = readSnapshotHeader(dir)!.seq;
    expect(s0).toBe(await maxSeq());
    await t.services.search.publish(SYSTEM, [
      { type: 'policy', sourceId: 'p-x1', title: '临时救助办法', body: '遭遇突发事件的家庭可以申请临时救助。' },
      { type: 'policy', sourceId: 'p-x2', title: '高龄津贴发放办法', body: '年满八十周岁的老年人按月领取高龄津贴。' },
    ]);
    // 2 changes after the snapshot: below 3, loaded and not rewritten
    const b = fresh({ snapshotRewrite: rewrite });
    await b.ensureLoaded();
    await b.snapshotSettled();
    expect([b.lastBuildSource, b.lastBuildReplayed]).toEqual(['snapshot', 2]);
    expect(readSnapshotHeader(dir)!.seq).toBe(s0);
    // A third changed document reaches the threshold: the next start replays 3 and rewrites the file at the current
    // change number. (Changing p-x1 again would not: a document changed twice after the file is replayed once.)
    await t.services.search.withdraw(SYSTEM, [{ type: 'knowledge', sourceId: 'k1' }]);
    const c = fresh({ snapshotRewrite: rewrite });
    await c.ensureLoaded();
    expect([c.lastBuildSource, c.lastBuildReplayed]).toEqual(['snapshot', 3]);
    await c.snapshotSettled();
    expect(readSnapshotHeader(dir)!.seq).toBe(await maxSeq());
    const d = fresh();
    await d.ensureLoaded();
    expect([d.lastBuildSource, d.lastBuildReplayed]).toEqual(['snapshot', 0]);
    expect(await answers(d)).toEqual(await answers(c));
    expect(await answers(d, true)).toEqual(await answers(new SearchService(t.database.db, t.services.audit), true));
    const k1 = await d.search('残疾人补贴');
    expect(k1.ok && k1.value.hits.some((h) => h.id === 'knowledge:k1')).toBe(false);
    const x1 = await d.search('临时救助');
    expect(x1.ok && x1.value.hits[0]?.id).toBe('policy:p-x1');
    // A running process (b, which loaded the older file) that applies changes rewrites when they reach the threshold,
    // counted from the file on disk: c's rewrite made b's 2 + 1 earlier changes old news, so 3 new ones are needed.
    for (const [i, n] of [[3, 1], [4, 2]] as const) {
      await t.services.search.publish(SYSTEM, Array.from({ length: n }, (_, k) => ({ type: 'knowledge' as const, sourceId: `k-r${i}-${k}`, title: `高龄津贴问答${i}-${k}`, body: '高龄津贴每月发放到社会保障卡。' })));
      await b.search('高龄津贴');
      await b.snapshotSettled();
    }
    expect(readSnapshotHeader(dir)!.seq).toBe(await maxSeq());
    const e = fresh();
    await e.ensureLoaded();
    expect([e.lastBuildSource, e.lastBuildReplayed]).toEqual(['snapshot', 0]);
    expect(await answers(e)).toEqual(await answers(b));
  });

  it('a snapshot written while changes arrive is still correct at the next start (none lost, a withdrawn one never back)', async () => {
    const r = fresh();
    await r.rebuild();
    await r.snapshotSettled();
    const w = fresh({
      // While the copies wait to be written: a new document, an update, and the withdrawal of a document the copies
      // hold, all applied by the writing process itself (its next query).
      snapshotPause: async () => {
        await t.services.search.publish(SYSTEM, [
          { type: 'knowledge', sourceId: 'k-during', title: '电动自行车登记指南', body: '电动自行车应当登记上牌后上路行驶。' },
          { type: 'policy', sourceId: 'p-x2', title: '高龄津贴发放办法（2027年修订）', body: '年满八十周岁的老年人按月领取高龄津贴，九十周岁以上加发。' },
        ]);
        await t.services.search.withdraw(SYSTEM, [{ type: 'service', sourceId: 's-card' }]);
        const r = await w.search('社保卡');
        expect(r.ok && r.value.hits.some((h) => h.id === 'service:s-card')).toBe(false);
      },
    });
    await w.ensureLoaded();
    const copySeq = await maxSeq();
    expect(await w.writeSnapshotNow(true)).toBe('written');
    // The file holds the state of the copy; the three changes are after it.
    expect(readSnapshotHeader(dir)!.seq).toBe(copySeq);
    expect(await maxSeq()).toBeGreaterThan(copySeq);
    const n = fresh();
    await n.ensureLoaded();
    expect([n.lastBuildSource, n.lastBuildReplayed]).toEqual(['snapshot', 3]);
    const card = await n.search('社保卡');
    expect(card.ok && card.value.hits.some((h) => h.id === 'service:s-card')).toBe(false);
    const during = await n.search('电动自行车');
    expect(during.ok && during.value.hits[0]?.id).toBe('knowledge:k-during');
    const old = await n.search('高龄津贴');
    expect(old.ok && old.value.hits.find((h) => h.id === 'policy:p-x2')?.title).toBe('高龄津贴发放办法（2027年修订）');
    // Exactly the writing process's answers (scores included), and the documents of a build from the table.
    expect(await answers(n)).toEqual(await answers(w));
    expect(await answers(n, true)).toEqual(await answers(new SearchService(t.database.db, t.services.audit), true));
  });

  it('two processes writing at once: one writes, the other finds the lock; a stale lock is taken over; stop() abandons a write', async () => {
    const x = fresh();
    const y = fresh();
    await Promise.all([x.ensureLoaded(), y.ensureLoaded()]);
    await Promise.all([x.snapshotSettled(), y.snapshotSettled()]);
    const outcomes = await Promise.all([x.writeSnapshotNow(true), y.writeSnapshotNow(true)]);
    expect(outcomes.sort()).toEqual(['busy', 'written']);
    const z = fresh();
    await z.ensureLoaded();
    expect(z.lastBuildSource).toBe('snapshot');
    // A lock left by a process that died while writing (11 minutes old) does not block writing for ever.
    const lock = join(dir, 'search-index.v8.lock');
    writeFileSync(lock, '999999 dead\n');
    expect(await z.writeSnapshotNow(true)).toBe('busy');
    const old = new Date(Date.now() - 11 * 60_000);
    utimesSync(lock, old, old);
    expect(await z.writeSnapshotNow(true)).toBe('written');
    expect(existsSync(lock)).toBe(false);
    // Shutdown during a write: nothing renamed, no temp file left, the previous file still loads.
    const before = readFileSync(join(dir, 'search-index.v8'));
    await t.services.search.publish(SYSTEM, [{ type: 'knowledge', sourceId: 'k-stop', title: '停止写入测试', body: '停止写入测试文档。' }]);
    const s = fresh({
      snapshotPause: async () => {
        void s.stop(); // as the module's stop hook at shutdown (stop() itself waits for this write to end)
      },
    });
    await s.ensureLoaded();
    expect(await s.writeSnapshotNow(true)).toBe('stopped');
    expect(readFileSync(join(dir, 'search-index.v8')).equals(before)).toBe(true);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp') || f.endsWith('.lock'))).toEqual([]);
  });
});
