#!/usr/bin/env node
// `npm test`: runs the whole suite with vitest. Database tests run on embedded PGlite and, where the PostgreSQL
// server binaries are installed, on a throwaway PostgreSQL cluster this script starts and stops itself.
// Extra arguments go to vitest (e.g. `npm test -- src/lib`).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPostgres } from './pg.mjs';

const pg = await startPostgres();
const env = { ...process.env, YIWANG_TEST_ENGINES: pg ? 'pglite,postgres' : 'pglite' };
if (pg) env.YIWANG_TEST_PG_URL = pg.url;
const reportFile = join(mkdtempSync(join(tmpdir(), 'yiwang-vitest-')), 'report.json');
const args = ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${reportFile}`, ...process.argv.slice(2)];
const res = spawnSync('npx', args, { stdio: 'inherit', env });
pg?.stop();
let status = res.status ?? 1;
try {
  const report = JSON.parse(readFileSync(reportFile, 'utf8'));
  const passed = report.numPassedTests ?? 0;
  // A suite that fails before its tests run (e.g. an import error) counts as one failure.
  const failed = (report.numFailedTests ?? 0) || (report.numFailedTestSuites ?? 0);
  const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  console.log(`\nengines: ${env.YIWANG_TEST_ENGINES}`);
  console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
  if (passed === 0) status = status || 1;
} catch {
  console.log('tests: 0 passed, 1 failed');
  status = status || 1;
}
process.exit(status);
