import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHILD_BOUND, childEnv } from './helpers/child.ts';
import { errorCatalogue } from '../src/lib/errors.ts';
import { SYSTEM } from '../src/modules/identity/permissions.ts';
import '../src/modules/search/search.errors.ts';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';

const bin = new URL('../bin/yiwang.js', import.meta.url).pathname;

describe.each(engines())('answer API and CLI with an empty question (%s)', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
    await t.services.search.publish(SYSTEM, [{ type: 'policy', sourceId: 'p-fund', title: '住房公积金提取规定', body: '职工购买自住住房的，可以提取本人住房公积金账户内的存储余额。提取时应当提交购房合同。' }]);
  });
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
  it('says in Chinese what to type, with the API message for SEARCH_QUERY_EMPTY, and exits 2, without opening the database', () => {
    const dir = mkdtempSync(join(tmpdir(), 'yiwang-ask-'));
    // The message of the errors catalogue, which GET /api/v1/answer?q= returns too (checked above).
    const message = errorCatalogue().get('SEARCH_QUERY_EMPTY')?.message;
    expect(message).toBe('请输入要搜索的内容。');
    for (const q of ['', '   ']) {
      const r = spawnSync('node', [bin, 'ask', q], { encoding: 'utf8', env: childEnv({ YIWANG_DATA_DIR: join(dir, 'data') }), timeout: CHILD_BOUND });
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(message);
      expect(r.stderr).toContain('yiwang ask "');
      expect(r.stdout).toBe('');
    }
    const json = spawnSync('node', [bin, 'ask', '--json', ''], { encoding: 'utf8', env: childEnv({ YIWANG_DATA_DIR: join(dir, 'data') }), timeout: CHILD_BOUND });
    expect(json.status).toBe(2);
    expect(JSON.parse(json.stdout)).toEqual({ error: { code: 'SEARCH_QUERY_EMPTY', message } });
  });

  it('exits 1 when there is no good answer, with --json too (an empty installation has nothing to answer from)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'yiwang-ask-'));
    const env = childEnv({ YIWANG_DATA_DIR: join(dir, 'data') });
    const plain = spawnSync('node', [bin, 'ask', '失业保险金怎么领取'], { encoding: 'utf8', env, timeout: CHILD_BOUND });
    expect(plain.status, plain.stderr).toBe(1);
    expect(plain.stdout).toContain('没有找到可靠的答案');
    const json = spawnSync('node', [bin, 'ask', '--json', '失业保险金怎么领取'], { encoding: 'utf8', env, timeout: CHILD_BOUND });
    expect(json.status, json.stderr).toBe(1);
    expect(JSON.parse(json.stdout)).toHaveProperty('none');
  });
});
