import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM } from '../src/modules/identity/permissions.ts';
import { reuseSearch } from '../src/modules/search/search.service.ts';
import { SearchIndex } from '../src/nlp/search/SearchIndex.ts';
import type { DocType, SearchDoc } from '../src/nlp/search/types.ts';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';

const bin = new URL('../bin/yiwang.js', import.meta.url).pathname;

describe('answers search once (reuseSearch)', () => {
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
  const now = Date.now();
  const cases: { top: number; type?: DocType[] }[] = [{ top: 3 }, { top: 1, type: ['knowledge'] }, { top: 2, type: ['policy', 'knowledge', 'reply'] }, { top: 3, type: ['reply', 'policy'] }, { top: 2, type: ['disclosure'] }];

  it('returns exactly the hits the index returns, for any type filter, also when the pool lacks them', () => {
    for (const q of ['社保卡补办', '社保卡丢了', '居住证', '火星']) {
      for (const pool of [3, 10]) {
        let searches = 0;
        const counted = Object.assign(Object.create(index) as SearchIndex, {
          search: (raw: string, o: Parameters<SearchIndex['search']>[1]) => {
            searches++;
            return index.search(raw, o);
          },
        });
        const view = reuseSearch(counted, q, pool);
        for (const c of cases) {
          const o = { ...c, noSnippets: true as const };
          // Compared without the time-dependent freshness: no document here has a date.
          expect(view.search(q, o).hits, `${q} ${pool} ${JSON.stringify(c)}`).toEqual(index.search(q, o).hits);
          expect(view.search(q, o).terms).toEqual(index.search(q, o).terms);
        }
        if (q === '社保卡补办' && pool === 3) expect(searches).toBeGreaterThan(1); // 3 services fill the pool: the index is asked again
        if (q === '居住证') expect(searches).toBe(1);
      }
    }
    // Other calls go to the index as they are.
    expect(reuseSearch(index, '社保卡', 10).search('居住证', { top: 1 }).hits[0]?.id).toBe('policy:p2');
    expect(reuseSearch(index, '社保卡', 10).search('社保卡', { top: 1, now }).hits[0]?.snippet).toContain('<mark>');
  });
});

describe.each(engines())('answer API and CLI with an empty question (%s)', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
    await t.services.search.publish(SYSTEM, [{ type: 'policy', sourceId: 'p-fund', title: '住房公积金提取规定', body: '职工购买自住住房的，可以提取本人住房公积金账户内的存储余额。提取时应当提交购房合同。' }]);
  }, 60_000);
  afterAll(async () => t?.close());

  it('GET /api/v1/answer refuses an empty or blank question as /api/v1/search does (400 SEARCH_QUERY_EMPTY)', async () => {
    for (const q of ['', '%20%20', '%E3%80%80']) {
      const res = await t.app.inject({ url: `/api/v1/answer?q=${q}` });
      expect(res.statusCode, q).toBe(400);
      expect(res.json()).toMatchObject({ error: { code: 'SEARCH_QUERY_EMPTY' } });
      const search = await t.app.inject({ url: `/api/v1/search?q=${q}` });
      expect(search.statusCode).toBe(400);
      expect(search.json()).toMatchObject({ error: { code: 'SEARCH_QUERY_EMPTY' } });
    }
    const zh = await t.app.inject({ url: '/api/v1/answer?q=', headers: { 'accept-language': 'zh-CN' } });
    expect(zh.json().error.message).toBe('请输入要搜索的内容。');
    const ok = await t.app.inject({ url: `/api/v1/answer?q=${encodeURIComponent('怎么提取住房公积金')}` });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ sourceId: 'policy:p-fund' });
    // The service without the check still answers {none} (the search page never asks it with an empty question).
    expect(await t.services.search.answer(' ')).toEqual({ none: true, reason: 'empty-question' });
  });

  it('the OpenAPI schema of /api/v1/answer describes the 400', async () => {
    const spec = (await t.app.inject({ url: '/api/v1/openapi.json' })).json() as { paths: Record<string, { get: { description?: string; responses: Record<string, unknown> } }> };
    const op = spec.paths['/api/v1/answer']!.get;
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['200', '400']));
    expect(op.description).toContain('SEARCH_QUERY_EMPTY');
  });
});

describe('yiwang ask with an empty question (real process)', () => {
  it('says in Chinese what to type and exits 2, without opening the database', () => {
    const dir = mkdtempSync(join(tmpdir(), 'yiwang-ask-'));
    for (const q of ['', '   ']) {
      const r = spawnSync('node', [bin, 'ask', q], { encoding: 'utf8', env: { ...process.env, YIWANG_DATA_DIR: join(dir, 'data') } });
      expect(r.status).toBe(2);
      expect(r.stderr).toContain('请输入要问的问题');
      expect(r.stdout).toBe('');
    }
    const json = spawnSync('node', [bin, 'ask', '--json', ''], { encoding: 'utf8', env: { ...process.env, YIWANG_DATA_DIR: join(dir, 'data') } });
    expect(json.status).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({ error: { code: 'SEARCH_QUERY_EMPTY' } });
  });
});
