import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, pgliteDirFor } from '../src/db/database.ts';
import { CHILD_BOUND, childEnv } from './helpers/child.ts';

const bin = new URL('../bin/yiwang.js', import.meta.url).pathname;

/**
 * `yiwang calendar import FILE --year YYYY` loads a year from the official notice into the configured database (here
 * a PGlite data directory), audited as the system; `--with-db` makes the other calendar commands count on it. Before,
 * a year could be added only through the API, and the calendar commands read the shipped table only.
 */
describe('yiwang calendar import (real process, PGlite data directory)', () => {
  it('refuses a bad file by line with exit 2, saves a good one, and --with-db counts on it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'yiwang-calendar-'));
    const env = childEnv({ YIWANG_DATA_DIR: dir });
    const run = (...args: string[]) => spawnSync('node', [bin, 'calendar', ...args], { encoding: 'utf8', env, timeout: CHILD_BOUND });
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'date,kind,holiday\n2027-10-01,off,测试假日\n\n2028-01-01,off,元旦\n2027-10-01,off,测试假日\n');
    const refused = run('import', bad, '--year', '2027');
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('line 4: 2028-01-01 is not in 2027');
    expect(refused.stderr).toContain('line 5: 2027-10-01 appears twice');
    expect(run('import', bad, '--year', '27').status).toBe(2);

    const good = join(dir, '2027.csv');
    writeFileSync(good, 'date,kind,holiday\n2027-01-01,off,元旦\n2027-10-01,off,测试假日\n2027-10-09,work,测试假日\n');
    const saved = run('import', good, '--year', '2027');
    expect(saved.stderr).toBe('');
    expect(saved.status).toBe(0);
    expect(saved.stdout).toBe('2027: 3 rows saved, 2 days off, 1 make-up working day\n');
    // A year already there is replaced only when asked.
    const again = run('import', good, '--year', '2027');
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('2027 is already in the calendar: add --replace to replace it');
    // A dry run makes the same checks (it said "ready" for a file the import then refused), and saves nothing.
    const dry = run('import', good, '--year', '2027', '--dry-run');
    expect(dry.status).toBe(2);
    expect(dry.stderr).toContain('2027 is already in the calendar: add --replace to replace it');
    const headerOnly = join(dir, 'header.csv');
    writeFileSync(headerOnly, 'date,kind,holiday\n');
    const dryEmpty = run('import', headerOnly, '--year', '2027', '--replace', '--dry-run');
    expect(dryEmpty.status).toBe(2);
    expect(dryEmpty.stderr).toContain('The table has no row');

    // Friday 2027-10-01: a working day on the shipped table (2027 unknown), a day off with the added year.
    expect(run('is-working-day', '2027-10-01').stdout).toBe('true\n');
    const withDb = run('is-working-day', '2027-10-01', '--with-db');
    expect(withDb.stdout).toBe('false\n');
    expect(withDb.stderr).toBe(''); // covered: no "weekends only" warning

    const database = await openDatabase({ pgliteDir: pgliteDirFor(dir) });
    try {
      const audit = await database.db.selectFrom('audit_events').select(['action', 'actor_label', 'entity_id']).where('action', '=', 'holidays.set').execute();
      expect(audit).toEqual([{ action: 'holidays.set', actor_label: 'system', entity_id: '2027' }]);
    } finally {
      await database.close();
    }
  });
});
