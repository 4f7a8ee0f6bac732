import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { childEnv } from '../../test/helpers/child.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'yiwang-cli-log-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('CLI commands with the services (withServices)', () => {
  it('log background failures on stderr, so that standard output stays the command\'s own (--json)', async () => {
    const bin = fileURLToPath(new URL('../../bin/yiwang.js', import.meta.url));
    // Logging on (not NODE_ENV test); the snapshot directory cannot be created (under a file): the search module's
    // snapshot write after the first build fails and is logged.
    const env = childEnv({ NODE_ENV: 'development', YIWANG_DATA_DIR: dataDir, YIWANG_SEARCH_SNAPSHOT_DIR: '/dev/null/search-index' });
    const r = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, [bin, 'ask', '--json', '社保卡怎么补办'], { env }, (e, stdout, stderr) =>
        resolve({ code: e ? Number((e as { code?: number }).code) : 0, stdout, stderr }),
      );
    });
    expect(r.stderr).toContain('search: index snapshot not written');
    const lines = r.stdout.split('\n').filter((l) => l !== '');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '')).toHaveProperty('none', true);
    expect(r.code).toBe(1); // no good answer on an empty installation (exit 1, with --json too)
  });
});
