import { beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 as rng } from '../../lib/random.ts';
import { SearchIndex } from './SearchIndex.ts';
import { loadPolicyDocs, loadPolicyQuestions } from './policyData.ts';
import { DOC_TYPES, type SearchDoc, type SearchOptions } from './types.ts';

const NOW = Date.parse('2026-11-26T00:00:00Z');


// Dynamic pruning must not change any result: the same hits (ids, order, scores), total and facets as exhaustive
// scoring, with and without filters, deep pages, removed documents and documents added after compaction.
describe('SearchIndex pruning gives the results of exhaustive scoring', () => {
  const policies = loadPolicyDocs();
  const questions = loadPolicyQuestions().map((q) => q.question);
  const queries = [...questions.filter((_, i) => i % 4 === 0), '居住证', '社保', '社保缓缴', '公积金提取', '复工复产', '减免房租', 'jzz', '居往证', '居住证怎么办', '补办社保卡要带什么'];
  const depts = ['人社局', '医保局', '公安局', '住建局'];
  let idx: SearchIndex;
  beforeAll(() => {
    // The 599 policies plus 2,400 recombinations of their sentences with random types, departments and dates.
    const r = rng(7);
    const sentences = policies.flatMap((d) => d.body.split(/(?<=[。！？；])/)).filter((s) => s.length >= 8);
    const docs: SearchDoc[] = policies.map((d, i) => ({ ...d, department: depts[i % depts.length]! }));
    for (let i = 0; i < 2400; i++) {
      const pick = () => sentences[Math.floor(r() * sentences.length)]!;
      docs.push({
        id: `g${i}`,
        type: DOC_TYPES[Math.floor(r() * DOC_TYPES.length)]!,
        title: pick().slice(0, 30),
        body: pick() + pick() + pick(),
        department: depts[Math.floor(r() * depts.length)]!,
        date: new Date(Date.UTC(2024, 0, 1 + Math.floor(r() * 1000))).toISOString().slice(0, 10),
      });
    }
    idx = SearchIndex.fromRows(docs.map((d) => SearchIndex.analyze(d)));
    // Chained posting blocks after compaction, and removed (not yet compacted) slots.
    for (let i = 0; i < 150; i++) idx.add({ id: `late${i}`, type: 'reply', title: pick2(sentences, i), body: pick2(sentences, i * 7) + pick2(sentences, i * 13), date: '2026-11-01' });
    for (let i = 0; i < 300; i += 3) idx.remove(`g${i}`);
  });

  const variants: [string, SearchOptions][] = [
    ['top 10', {}],
    ['top 2 of policy/knowledge/reply (answers)', { top: 2, type: ['policy', 'knowledge', 'reply'] }],
    ['top 50, one department', { top: 50, department: '医保局' }],
    ['top 1000', { top: 1000, noSnippets: true }],
    ['top 10, count depth 40', { countDepth: 40 }],
    ['top 10 of replies, count depth 40', { type: 'reply', countDepth: 40 }],
    ['top 20, one department, count depth 25', { top: 20, department: '人社局', countDepth: 25 }],
  ];
  it.each(variants)('%s', (_name, opts) => {
    let switched = 0;
    let probes = 0;
    for (const q of queries) {
      idx.pruning = true;
      const a = idx.search(q, { ...opts, now: NOW });
      if (idx.lastScan.candidates > 0) switched++;
      probes += idx.lastScan.probes;
      idx.pruning = false;
      const b = idx.search(q, { ...opts, now: NOW });
      expect(a.hits, q).toEqual(b.hits);
      expect(a.total, q).toBe(b.total);
      expect(a.totalIsLowerBound, q).toBe(b.totalIsLowerBound);
      expect(a.facets, q).toEqual(b.facets);
    }
    idx.pruning = true;
    // The pruned path was taken (otherwise this test would compare exhaustive with itself), and for pages of up to
    // 10 hits candidates were also looked up in lists too sparse in them to read in full (deeper pages keep them
    // dense: every list is read).
    expect(switched).toBeGreaterThan(0);
    if ((opts.top ?? 10) <= 10) expect(probes).toBeGreaterThan(0);
  });

  // Bounded counting: total and facets are those of the best countDepth hits above the cutoff in the exhaustive
  // ranking (ties by id). The reference counts the first hits of exhaustive rankings with an unbounded depth (the
  // hits above the cutoff are a prefix of each ranking: `total` of them).
  const filters: [string, SearchOptions][] = [
    ['no filter', {}],
    ['type', { type: ['policy', 'reply'] }],
    ['department', { department: '医保局' }],
    ['type and department', { type: ['policy', 'knowledge', 'reply'], department: '人社局' }],
  ];
  it.each(filters)('total and facets count the best countDepth hits (%s)', (_name, f) => {
    const depth = 30;
    let bounded = 0;
    let exact = 0;
    const ranking = (o: SearchOptions): { first10: string[]; total: number; types: string[]; depts: string[] } => {
      idx.pruning = false;
      const r = idx.search(q0, { ...o, top: 1000, noSnippets: true, countDepth: 1e9, now: NOW });
      expect(r.totalIsLowerBound).toBe(false);
      const counted = r.hits.slice(0, Math.min(r.total, depth));
      return { first10: r.hits.slice(0, 10).map((h) => h.id), total: r.total, types: counted.map((h) => h.type), depts: counted.map((h) => h.department ?? '') };
    };
    let q0 = '';
    for (const q of queries) {
      q0 = q;
      const both = ranking(f);
      const deptOnly = ranking(f.department === undefined ? {} : { department: f.department });
      const typeOnly = ranking(f.type === undefined ? {} : { type: f.type });
      expect(both.total, q).toBeLessThanOrEqual(1000);
      const tally = (xs: string[]): Record<string, number> => {
        const m: Record<string, number> = {};
        for (const x of xs) if (x !== '') m[x] = (m[x] ?? 0) + 1;
        return m;
      };
      for (const pruning of [true, false]) {
        idx.pruning = pruning;
        const r = idx.search(q, { ...f, countDepth: depth, now: NOW });
        expect(r.total, q).toBe(Math.min(both.total, depth));
        expect(r.totalIsLowerBound, q).toBe(both.total > depth);
        expect(r.facets.type, q).toEqual(tally(deptOnly.types));
        expect(r.facets.department, q).toEqual(tally(typeOnly.depts));
        // The page of hits is the exhaustive ranking's.
        expect(r.hits.map((h) => h.id), q).toEqual(both.first10);
      }
      if (both.total > depth) bounded++;
      else exact++;
    }
    idx.pruning = true;
    // Both cases occur (otherwise the test would not test the bound).
    expect(bounded).toBeGreaterThan(0);
    if (f.department === undefined) expect(exact).toBeGreaterThan(0);
  });

  // The pruning bounds each document's freshness factor by its value when the bounds were computed (it only falls
  // with age): a query dated earlier (documents then fresher, or not yet published: factor 1 + freshnessWeight) must
  // recompute them, and one dated much later may use the old ones.
  it('stays exact for queries dated before and long after the freshness bounds were computed', () => {
    for (const now of [NOW, NOW - 400 * 86_400_000, NOW, NOW + 3 * 86_400_000, NOW - 30 * 86_400_000]) {
      for (const q of queries) {
        for (const opts of [{}, { top: 2, type: ['policy', 'knowledge', 'reply'] }] as SearchOptions[]) {
          idx.pruning = true;
          const a = idx.search(q, { ...opts, now });
          idx.pruning = false;
          const b = idx.search(q, { ...opts, now });
          expect(a.hits, q).toEqual(b.hits);
          expect([a.total, a.totalIsLowerBound, a.facets], q).toEqual([b.total, b.totalIsLowerBound, b.facets]);
        }
      }
    }
    idx.pruning = true;
  });

  // Queries before and after documents are added (short titles made of a query word: high term frequencies),
  // removed and compacted. Last test: it changes the index.
  it('stays exact when documents are added, removed and compacted after queries', () => {
    const check = (): void => {
      for (const q of queries) {
        for (const opts of [{}, { countDepth: 40 }, { top: 50, department: '医保局' }] as SearchOptions[]) {
          idx.pruning = true;
          const a = idx.search(q, { ...opts, now: NOW });
          idx.pruning = false;
          const b = idx.search(q, { ...opts, now: NOW });
          expect(a.hits, q).toEqual(b.hits);
          expect([a.total, a.totalIsLowerBound, a.facets], q).toEqual([b.total, b.totalIsLowerBound, b.facets]);
        }
      }
      idx.pruning = true;
    };
    check();
    const words = ['居住证', '社保', '公积金', '复工复产', '房租', '补贴', '申请', '企业'];
    for (let i = 0; i < 60; i++) {
      const w = words[i % words.length]!;
      idx.add({ id: `short${i}`, type: 'knowledge', title: w, body: `${w}。`, department: '医保局', date: '2026-11-20' });
    }
    for (let i = 1; i < 300; i += 5) idx.remove(`g${i}`);
    check();
    idx.compact();
    check();
  });
});

function pick2(s: readonly string[], i: number): string {
  return s[(i * 7919) % s.length] ?? '';
}

