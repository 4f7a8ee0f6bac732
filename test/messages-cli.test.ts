import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { CHILD_BOUND, childEnv } from './helpers/child.ts';
import { register } from '../src/cli/commands/import-messages.ts';

const bin = new URL('../bin/yiwang.js', import.meta.url).pathname;

describe('yiwang import messages', () => {
  it('shares the import parent command with other importers, whichever registers first', () => {
    const a = new Command();
    a.command('import').command('policies');
    register(a);
    expect(a.commands.filter((c) => c.name() === 'import')).toHaveLength(1);
    expect(a.commands.find((c) => c.name() === 'import')!.commands.map((c) => c.name()).sort()).toEqual(['messages', 'policies']);
    const b = new Command();
    register(b);
    expect(b.commands.find((c) => c.name() === 'import')!.commands.map((c) => c.name())).toEqual(['messages']);
  });

  it('reports bad rows by number and counts the good ones (dry run, real process)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'yiwang-import-'));
    const file = join(dir, 'tipdm.csv');
    writeFileSync(file, '\uFEFF留言编号,留言用户,留言主题,留言时间,留言详情\n1,U1,小区噪音,2019/2/28 11:25:05,夜间施工噪音大\n2,U2,无内容,2019/2/28 11:25:05,\n3,U3,公交,2019/3/1 8:00:00,站牌损坏\n');
    const r = spawnSync('node', [bin, 'import', 'messages', '--dry-run', file], { encoding: 'utf8', env: childEnv({ YIWANG_DATA_DIR: dir }), timeout: CHILD_BOUND });
    expect(r.stdout).toContain('2 rows ready, 1 bad rows');
    expect(r.stderr).toContain('row 3: 留言详情为空');
    expect(r.status).toBe(1);
    const unknown = spawnSync('node', [bin, 'import', 'messages', join(dir, 'x.txt')], { encoding: 'utf8', env: childEnv({ YIWANG_DATA_DIR: dir }), timeout: CHILD_BOUND });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('unknown format');
  });
});
