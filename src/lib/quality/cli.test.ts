import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { register } from '../../cli/commands/quality.ts';

// Drives the real `yiwang quality check` command (src/cli/commands/quality.ts) in-process.
const dir = mkdtempSync(join(tmpdir(), 'yiwang-quality-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string | Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

async function run(...args: string[]): Promise<{ code: number; lines: Record<string, unknown>[]; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((stdout += String(s)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((stderr += String(s)), true));
  const program = new Command().exitOverride();
  register(program);
  let code = 0;
  process.exitCode = 0;
  try {
    await program.parseAsync(['quality', 'check', ...args], { from: 'user' });
    code = Number(process.exitCode ?? 0);
  } catch (e) {
    code = (e as { exitCode?: number }).exitCode ?? 1;
  } finally {
    out.mockRestore();
    err.mockRestore();
    process.exitCode = 0;
  }
  const lines = stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
  return { code, lines, stderr };
}

const csv = '姓名,身份证号,手机\n张三,11010519491231002x,138 0013 8000\n李四,110105194912310021,13800138000\n';

describe('yiwang quality check', () => {
  it('writes one JSON line per finding, a summary on stderr, and exits 0', async () => {
    const r = await run(file('a.csv', csv), '--column', '身份证号=cn-id', '--column', '手机=cn-mobile', '--today', '2026-11-26');
    expect(r.code).toBe(0);
    expect(r.lines).toEqual([
      { row: 1, column: '身份证号', rule: 'cn-id.LOWERCASE_X', severity: 'warning', message: expect.any(String) as string, suggestion: '11010519491231002X' },
      { row: 1, column: '手机', rule: 'cn-mobile.WHITESPACE', severity: 'warning', message: expect.any(String) as string, suggestion: '13800138000' },
      { row: 2, column: '身份证号', rule: 'cn-id.BAD_CHECKSUM', severity: 'error', message: expect.any(String) as string },
    ]);
    expect(r.stderr).toMatch(/2 rows.*3 findings \(1 errors, 2 warnings\)/);
  });

  it('reads a GBK file', async () => {
    const r = await run(file('gbk.csv', iconv.encode(csv, 'gbk')), '-c', '身份证号=cn-id');
    expect(r.code).toBe(0);
    expect(r.lines.map((l) => l.rule)).toEqual(['cn-id.LOWERCASE_X', 'cn-id.BAD_CHECKSUM']);
    expect(r.stderr).toContain('gb18030');
  });

  it.each([
    [['missing.csv'], 1, 'no such file'],
    [['x.xlsx'], 1, 'CSV'],
    [['a.csv', 'nope'], 2, 'nope'],
  ])('%j exits %d with a clear message', async (names, code, text) => {
    file('x.xlsx', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0]));
    file('a.csv', csv);
    const [f, col] = names as [string, string | undefined];
    const r = await run(join(dir, f), '--column', `${col ?? '身份证号'}=cn-id`);
    expect(r.code).toBe(code);
    expect(r.lines).toEqual([]);
    expect(r.stderr).toContain(text);
  });

  it('rejects an unknown kind and a missing --column with exit 2', async () => {
    expect((await run(file('a.csv', csv), '--column', '身份证号=passport')).code).toBe(2);
    expect((await run(file('a.csv', csv))).code).toBe(2);
  });
});
