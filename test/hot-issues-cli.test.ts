import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHILD_BOUND, childEnv } from './helpers/child.ts';

const bin = new URL('../bin/yiwang.js', import.meta.url).pathname;

/**
 * `yiwang hot-issues` printed no negative share unless `--sentiment` was given, and said nothing about it. The
 * sentiment model is committed and scores a message in well under a millisecond, so the share is on by default;
 * `--no-sentiment` turns it off and the summary line says so.
 */
describe('yiwang hot-issues negative share', () => {
  const dir = mkdtempSync(join(tmpdir(), 'yiwang-hot-'));
  const file = join(dir, 'm.jsonl');
  const line = (i: number, detail: string) => JSON.stringify({ message_id: String(i), user_id: `u${i}`, title: 'A3区米兰春天小区垃圾站臭味扰民', time: `2020/1/${10 + (i % 5)} 10:00:00`, detail, likes: 0, dislikes: 0 });
  writeFileSync(file, Array.from({ length: 6 }, (_, i) => line(i, `米兰春天小区旁边的垃圾站臭味太大了，住户${i}号楼天天闻到，投诉多次没人管，非常气愤，要求马上搬走。`)).join('\n') + '\n');
  const run = (...args: string[]) => spawnSync('node', [bin, 'hot-issues', ...args, file], { encoding: 'utf8', env: childEnv({ YIWANG_DATA_DIR: dir }), timeout: CHILD_BOUND });

  it('is computed by default and said in the summary', () => {
    const json = run('--json');
    expect(json.status).toBe(0);
    const top = JSON.parse(json.stdout.split('\n')[0]!) as { negative_share: number | null };
    expect(top.negative_share).toBeGreaterThan(0.5);
    const table = run();
    expect(table.stdout).toContain('6 messages, 1 issues; negative share: sentiment model');
  });

  it('is off with --no-sentiment, and the summary says how it was turned off', () => {
    const json = run('--json', '--no-sentiment');
    expect((JSON.parse(json.stdout.split('\n')[0]!) as { negative_share: number | null }).negative_share).toBeNull();
    expect(run('--no-sentiment').stdout).toContain('negative share: off (--no-sentiment)');
    expect((JSON.parse(run('--json', '--sentiment').stdout.split('\n')[0]!) as { negative_share: number | null }).negative_share).toBeGreaterThan(0.5);
  });
});
