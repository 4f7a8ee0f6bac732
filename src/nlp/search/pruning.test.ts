import { beforeAll, describe, expect, it } from 'vitest';
import { SearchIndex } from './SearchIndex.ts';
import { loadPolicyDocs, loadPolicyQuestions } from './policyData.ts';
import { DOC_TYPES, type SearchDoc, type SearchOptions } from './types.ts';

const NOW = Date.parse('2026-11-26T00:00:00Z');

/** Deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Dynamic pruning must not change any result: the same hits (ids, order, scores), total and facets as exhaustive
// scoring, with and without filters, deep pages, removed documents and documents added after compaction.
describe('SearchIndex pruning gives the results of exhaustive scoring', () => {
  const policies = loadPolicyDocs();
  const questions = loadPolicyQuestions().map((q) => q.question);
  const queries = [...questions.filter((_, i) => i % 4 === 0), '居住证', '社保', '社保缓缴', '公积金提取', '复工复产', '减免房租', 'jzz', '居往证'];
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
  }, 120_000);

  const variants: [string, SearchOptions][] = [
    ['top 10', {}],
    ['top 2 of policy/knowledge/reply (answers)', { top: 2, type: ['policy', 'knowledge', 'reply'] }],
    ['top 50, one department', { top: 50, department: '医保局' }],
    ['top 1000', { top: 1000, noSnippets: true }],
  ];
  it.each(variants)('%s', (_name, opts) => {
    let probes = 0;
    for (const q of queries) {
      idx.pruning = true;
      const a = idx.search(q, { ...opts, now: NOW });
      probes += idx.lastScan.probes;
      idx.pruning = false;
      const b = idx.search(q, { ...opts, now: NOW });
      expect(a.hits, q).toEqual(b.hits);
      expect(a.total, q).toBe(b.total);
      expect(a.facets, q).toEqual(b.facets);
    }
    idx.pruning = true;
    // The pruned path was taken (otherwise this test would compare exhaustive with itself).
    expect(probes).toBeGreaterThan(0);
  });
});

function pick2(s: readonly string[], i: number): string {
  return s[(i * 7919) % s.length] ?? '';
}
