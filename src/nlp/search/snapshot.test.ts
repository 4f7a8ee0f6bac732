import { deserialize, serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { SearchIndex } from './SearchIndex.ts';
import type { SearchDoc } from './types.ts';

const DOCS: SearchDoc[] = [
  { id: 'policy:1', type: 'policy', title: '居住证办理办法', body: '申领居住证应当向居住地公安派出所提交居民身份证和住所证明。', department: '公安局', date: '2024-05-01' },
  { id: 'policy:2', type: 'policy', title: '住房公积金提取规定', body: '职工购买自住住房的，可以提取住房公积金。', date: '2025-01-10' },
  { id: 'service:3', type: 'service', title: '社保卡补办', body: '社保卡遗失后可以补办 social security card。', department: '人社局', date: '2026-10-01' },
  { id: 'knowledge:4', type: 'knowledge', title: '养老保险缴费', body: '城乡居民养老保险按年缴费。' },
];
const QUERIES = ['居住证', '公积金', '社保卡', '养老保险', 'social card', '居往证', '身份证 住所'];
const results = (idx: SearchIndex) => QUERIES.map((q) => idx.search(q, { top: 10 }));

describe('SearchIndex snapshot', () => {
  it('a restored index (through v8 serialisation) answers exactly as the original, and keeps working after changes', () => {
    const rows = DOCS.map((d) => SearchIndex.analyze(d));
    const a = SearchIndex.fromRows(rows);
    a.remove('policy:2'); // a dead slot in the snapshot
    const b = SearchIndex.fromSnapshot(deserialize(serialize(a.toSnapshot())) as ReturnType<SearchIndex['toSnapshot']>);
    expect(b.size).toBe(a.size);
    expect([...b.documentIds()]).toEqual([...a.documentIds()]);
    expect(results(b)).toEqual(results(a));
    expect(b.suggest('居住')).toEqual(a.suggest('居住'));
    const extra = SearchIndex.analyze({ id: 'policy:5', type: 'policy', title: '居住证签注', body: '居住证每年签注一次。' });
    for (const idx of [a, b]) {
      idx.addRow(extra);
      idx.remove('service:3');
      idx.addRow(rows[1]!);
    }
    expect(results(b)).toEqual(results(a));
    a.compact();
    b.compact();
    expect(results(b)).toEqual(results(a));
    expect(results(b)[0]!.hits.map((h) => h.id)).toContain('policy:5');
  });

  it('a snapshot view serialises as the copy, and stays so while the index changes until released', () => {
    const rows = DOCS.map((d) => SearchIndex.analyze(d));
    const a = SearchIndex.fromRows(rows);
    a.remove('knowledge:4');
    const copy = serialize(a.toSnapshot());
    const v = a.snapshotView();
    expect(serialize(v.snapshot).equals(copy)).toBe(true);
    const pool = v.snapshot.store.pool;
    // The term Maps are the index's own in both (the snapshot writer serialises them at once): frozen here by copies.
    const s = { ...v.snapshot, store: { ...v.snapshot.store, words: new Map(v.snapshot.store.words), bigrams: new Map(v.snapshot.store.bigrams) } };
    // Changes write into the last blocks of lists in place (free room, links to new blocks) until they are full.
    const more = Array.from({ length: 40 }, (_, i) => SearchIndex.analyze({ id: `reply:${i}`, type: 'reply', title: `居住证签注答复${i}`, body: `居住证每年签注一次，社保卡补办可以在线申请${i}。` }));
    for (const r of more) a.addRow(r);
    a.remove('policy:1');
    expect(serialize(s).equals(copy)).toBe(true);
    expect(v.snapshot.store.pool).toBe(pool);
    const b = SearchIndex.fromSnapshot(deserialize(serialize(s)) as ReturnType<SearchIndex['toSnapshot']>);
    const c = SearchIndex.fromSnapshot(deserialize(copy) as ReturnType<SearchIndex['toSnapshot']>);
    expect(results(b)).toEqual(results(c));
    v.release();
    // Released: appends write in place again, so a view's pool changes with the index (it is not copied each time).
    const w = a.snapshotView();
    w.release();
    const before = Array.from(w.snapshot.store.pool);
    a.addRow(SearchIndex.analyze({ id: 'reply:x', type: 'reply', title: '居住证签注', body: '居住证签注。' }));
    expect(Array.from(w.snapshot.store.pool)).not.toEqual(before);
    // The index kept working on its copy: it answers as one built from the same rows.
    const fresh = SearchIndex.fromRows([...rows, ...more, SearchIndex.analyze({ id: 'reply:x', type: 'reply', title: '居住证签注', body: '居住证签注。' })]);
    fresh.remove('knowledge:4');
    fresh.remove('policy:1');
    expect(results(a).map((r) => r.hits.map((h) => h.id))).toEqual(results(fresh).map((r) => r.hits.map((h) => h.id)));
  });

  it('refuses a snapshot built with other ranking parameters', () => {
    const s = SearchIndex.fromRows(DOCS.map((d) => SearchIndex.analyze(d))).toSnapshot();
    expect(() => SearchIndex.fromSnapshot(s, { ranking: { k1: 0.5 } })).toThrow(/ranking/);
  });
});
