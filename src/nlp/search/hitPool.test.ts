import { describe, expect, it } from 'vitest';
import { answer } from './answer.ts';
import { HitPool } from './hitPool.ts';
import { SearchIndex } from './SearchIndex.ts';
import type { DocType, SearchDoc } from './types.ts';

describe('HitPool: one search serves the hits of any type filter', () => {
  // Many service items that match 社保卡 well and a few policies and articles that match it less: the pool of the
  // best hits of every type then holds fewer answer-type hits than the engine asks for.
  const docs: SearchDoc[] = [
    ...Array.from({ length: 14 }, (_, i): SearchDoc => ({ id: `service:s${i}`, type: 'service', title: `社保卡${['补办', '挂失', '激活', '换领', '解挂', '密码重置', '信息变更'][i % 7]}${i}`, body: `社保卡业务${i}。实施主体：人社局。` })),
    { id: 'policy:p1', type: 'policy', title: '社会保障卡管理办法', body: '社保卡遗失的，持居民身份证到经办机构挂失补办。' },
    { id: 'policy:p2', type: 'policy', title: '居住证办理办法', body: '申领居住证应当提交居民身份证和住所证明。' },
    { id: 'knowledge:1', type: 'knowledge', title: '社保卡丢了怎么办', body: '社保卡丢失后先挂失，再到银行网点补办。' },
    { id: 'reply:9', type: 'reply', title: '关于社保卡补办的答复', body: '您好，社保卡补办可以在线申请，邮寄到家。' },
  ];
  const index = SearchIndex.fromRows(docs.map((d) => SearchIndex.analyze(d)));
  const cases: { top: number; type?: DocType[] }[] = [{ top: 3 }, { top: 1, type: ['knowledge'] }, { top: 2, type: ['policy', 'knowledge', 'reply'] }, { top: 3, type: ['reply', 'policy'] }, { top: 2, type: ['disclosure'] }];
  /** `index` with its searches counted. */
  const counting = () => {
    const c = { searches: 0, index: Object.create(index) as SearchIndex };
    c.index.search = (raw, o) => {
      c.searches++;
      return index.search(raw, o);
    };
    return c;
  };

  it('returns exactly the hits and terms the index returns, also when the pool lacks them', () => {
    for (const q of ['社保卡补办', '社保卡丢了', '居住证', '火星']) {
      for (const size of [3, 10]) {
        const c = counting();
        const pool = new HitPool(c.index, q, size);
        for (const { top, type } of cases) {
          const o = { top, noSnippets: true as const, ...(type ? { type } : {}) };
          // Compared without the time-dependent freshness: no document here has a date.
          const want = index.search(q, o);
          expect(pool.top(top, type), `${q} ${size} ${JSON.stringify({ top, type })}`).toEqual({ hits: want.hits, terms: want.terms });
        }
        // 3 services fill a pool of 3: the index is asked again for the other types; 居住证 has fewer hits than either
        // pool holds, so one search serves every filter.
        if (q === '社保卡补办' && size === 3) expect(c.searches).toBeGreaterThan(1);
        if (q === '居住证') expect(c.searches).toBe(1);
        // More hits than the pool holds: the index is searched.
        const want = index.search(q, { top: size + 2, noSnippets: true });
        const before = c.searches;
        expect(pool.top(size + 2)).toEqual({ hits: want.hits, terms: want.terms });
        expect(c.searches).toBe(before + 1);
      }
    }
  });

  it('answer() with a pool answers as without it, from one search, and refuses a pool of another question', () => {
    for (const q of ['社保卡丢了怎么办', '居住证要提交什么材料', '社保卡补办']) {
      for (const o of [{}, { types: ['knowledge'] as DocType[], docs: 1 }]) {
        const c = counting();
        const pool = new HitPool(c.index, q, 10);
        expect(answer(c.index, q, { ...o, domainModel: null, pool }), q).toEqual(answer(index, q, { ...o, domainModel: null }));
        expect(c.searches).toBe(1);
      }
    }
    expect(() => answer(index, '居住证', { domainModel: null, pool: new HitPool(index, '社保卡', 10) })).toThrow(/same index and question/);
    expect(() => answer(index, '居住证', { domainModel: null, pool: new HitPool(index, '居住证', 10), now: 0 })).toThrow(/without `now`/);
  });
});
