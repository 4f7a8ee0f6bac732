import { describe, expect, it } from 'vitest';
import { createAnalyser } from './analyse.ts';
import { createAnalyserPool } from './pool.ts';

describe('analyser pool (worker threads)', () => {
  it('returns the same analyses as the in-thread analyser, in input order', async () => {
    const items = [
      { text: '服务很好，非常满意' },
      { title: 'A3区噪音扰民', text: 'A市A3区联丰路工地夜间施工，噪音扰民，情况紧急' },
      { text: '请问公积金怎么提取？' },
    ];
    const p = await createAnalyserPool({ workers: 1 });
    expect(p.ok).toBe(true);
    if (!p.ok) return;
    try {
      const local = createAnalyser();
      if (!local.ok) throw new Error(local.error);
      expect(await p.pool.analyseBatch(items)).toEqual(local.analyser.analyseBatch(items));
      expect(await p.pool.analyseBatch([])).toEqual([]);
    } finally {
      await p.pool.close();
    }
  });
});
