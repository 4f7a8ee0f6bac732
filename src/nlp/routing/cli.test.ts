import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CHILD_BOUND } from '../../../test/helpers/child.ts';
import { CATEGORIES } from './categories.ts';
import { runClassify } from './cli.ts';
import { DEFAULT_DEPARTMENTS } from './departments.ts';

const LINES = [
  JSON.stringify({ id: 1, title: '公司拖欠工资', content: '公司拖欠我们三个月工资，也不缴纳社保。' }),
  '{"id": 2, "content": ',
  JSON.stringify({ id: 'x3', content: '' }),
  JSON.stringify({ id: 4, content: 12345 }),
  JSON.stringify({ id: 5, title: '烧烤油烟', content: '楼下烧烤店油烟污染严重，噪音扰民。' }),
  JSON.stringify({ id: 6 }),
  JSON.stringify({ id: 7, content: '孩子上小学学位问题，学校不给入学。' }),
  JSON.stringify({ title: '没有编号', content: '小区门口道路破损，车辆通行困难。' }),
  JSON.stringify({ id: null, content: '医院挂号难，排队时间太长。' }),
  JSON.stringify({ id: 0, content: '景区门票价格上涨，游客投诉。' }),
];

async function classify(lines: string[], workers = 1): Promise<Record<string, unknown>[]> {
  const input = new PassThrough();
  const output = new PassThrough();
  const chunks: Buffer[] = [];
  output.on('data', (c: Buffer) => chunks.push(c));
  input.end(lines.join('\n') + '\n');
  const logs: string[] = [];
  const code = await runClassify({ scores: false, workers, minParallelBatch: 1 }, input, output, (l) => logs.push(l));
  expect(code).toBe(0);
  expect(logs).toEqual([]); // e.g. no fall-back from worker threads to the main thread
  return Buffer.concat(chunks)
    .toString('utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('yiwang classify', () => {
  it('writes one line per input line, in order, with error lines for bad ones', async () => {
    const out = await classify(LINES);
    expect(out).toHaveLength(LINES.length);
    expect(out.map((o) => o.id)).toEqual([1, null, 'x3', 4, 5, 6, 7, null, null, 0]);
    const errors = out.map((o) => (o.error as { code?: string } | undefined)?.code ?? null);
    // A line without an id (absent or null) is an error line, not a classified line nobody can match to its message.
    expect(errors).toEqual([null, 'BAD_JSON', 'CONTENT_MISSING', 'CONTENT_NOT_STRING', null, 'CONTENT_MISSING', null, 'ID_MISSING', 'ID_MISSING', null]);
    expect(out[7]).toEqual({ id: null, error: { code: 'ID_MISSING', message: expect.stringContaining('id') } });
    expect(out[9]?.category).toBeDefined();
    expect(out[0]?.category).toBe('劳动和社会保障');
    expect(out[4]?.category).toBe('环境保护');
    expect(out[6]?.category).toBe('教育文体');
    for (const o of [out[0], out[4], out[6]]) {
      expect(CATEGORIES).toContain(o?.category);
      expect(o?.department).toBe(DEFAULT_DEPARTMENTS[o?.category as (typeof CATEGORIES)[number]].name);
      expect(o?.confidence).toBeGreaterThan(0);
      expect(o?.confidence).toBeLessThanOrEqual(1);
      expect(Object.keys(o ?? {}).sort()).toEqual(['category', 'confidence', 'department', 'id']);
    }
  });

  it('gives the same lines in the same order with worker threads', async () => {
    const many = Array.from({ length: 5 }, () => LINES).flat();
    expect(await classify(many, 2)).toEqual(await classify(many, 1));
  });

  it('runs as a real command through bin/yiwang.js', () => {
    const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
    const r = spawnSync(process.execPath, [join(root, 'bin/yiwang.js'), 'classify'], {
      input: [...LINES.slice(0, 3), LINES[7]].join('\n') + '\n',
      encoding: 'utf8',
      cwd: root,
      timeout: CHILD_BOUND,
    });
    expect(r.status).toBe(0);
    const out = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(out.map((o) => o.id)).toEqual([1, null, 'x3', null]);
    expect((out[3]?.error as { code: string }).code).toBe('ID_MISSING');
    expect(out[0]?.category).toBe('劳动和社会保障');
    expect(out[0]?.department).toBe('A市人力资源和社会保障局');
  });
});
