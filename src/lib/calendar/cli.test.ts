import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { register } from '../../cli/commands/calendar.ts';

// Drives the real `yiwang calendar` command (src/cli/commands/calendar.ts) in-process, plus one run of the binary.
async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((stdout += String(s)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((stderr += String(s)), true));
  const program = new Command().exitOverride();
  register(program);
  let code = 0;
  process.exitCode = 0;
  try {
    await program.parseAsync(['calendar', ...args], { from: 'user' });
    code = Number(process.exitCode ?? 0);
  } catch (e) {
    code = (e as { exitCode?: number }).exitCode ?? 1;
  } finally {
    out.mockRestore();
    err.mockRestore();
    process.exitCode = 0;
  }
  return { code, stdout, stderr };
}

afterEach(() => vi.restoreAllMocks());

describe('yiwang calendar', () => {
  it.each([
    [['add-working-days', '2025-09-30', '1'], '2025-10-09\n'],
    [['add-working-days', '2025-09-30', '0'], '2025-09-30\n'],
    [['add-working-days', '2026-02-14', '1'], '2026-02-24\n'],
    [['is-working-day', '2025-09-28'], 'true\n'],
    [['is-working-day', '2025-10-03'], 'false\n'],
    [['working-days-between', '2025-09-26', '2025-10-12'], '6\n'],
  ])('%j prints %j', async (args, expected) => {
    expect(await run(...args)).toEqual({ code: 0, stdout: expected, stderr: '' });
  });

  it('deadline prints the case clock as JSON', async () => {
    const r = await run('deadline', '2025-09-22', '10', '--pause', '2025-09-25..2025-09-29', '--today', '2025-10-15');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      ok: true, deadline: '2025-10-16', pausedWorkingDays: 4, status: 'amber', remainingWorkingDays: 1,
    });
    const open = await run('deadline', '2025-09-22', '10', '--pause', '2025-09-25..', '--today', '2025-10-15');
    expect(JSON.parse(open.stdout)).toMatchObject({ deadline: null, paused: true });
  });

  it.each([
    [['deadline', '2025-09-22', '10', '--pause', '2025-09-25']],
    [['deadline', '2025-09-22', '10', '--pause', '2025-09-25..2025-09-20']],
    [['add-working-days', '2025-02-30', '1']],
    [['add-working-days', '2025-09-30', 'x']],
    [['add-working-days', '2025-09-30', '-1']],
    [['is-working-day', '30/09/2025']],
    [['is-working-day']],
    [['add-working-days', '2025-09-30']],
  ])('bad input %j exits 2 with a message on stderr and nothing on stdout', async (args) => {
    const r = await run(...args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    if (args.length > 1 && args[0] === 'is-working-day') expect(r.stderr).toContain('YYYY-MM-DD');
  });

  it('warns on stderr when a year is not covered, still answering', async () => {
    const r = await run('is-working-day', '2027-10-01');
    expect(r).toMatchObject({ code: 0, stdout: 'true\n' });
    expect(r.stderr).toContain('2027');
  });

  it('the installed binary answers and exits 2 on a bad date', async () => {
    const bin = fileURLToPath(new URL('../../../bin/yiwang.js', import.meta.url));
    const r = await new Promise<{ code: number; stdout: string }>((resolve) => {
      execFile(process.execPath, [bin, 'calendar', 'add-working-days', '2025-13-01', '1'], (e, stdout) =>
        resolve({ code: e ? Number((e as { code?: number }).code) : 0, stdout }),
      );
    });
    expect(r).toEqual({ code: 2, stdout: '' });
  });
});
