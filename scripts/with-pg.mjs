#!/usr/bin/env node
// Runs a command with a throwaway PostgreSQL cluster (scripts/pg.mjs): YIWANG_TEST_PG_URL points at it for the
// command's lifetime, and the cluster is removed afterwards. For benchmarks, e.g.
//   node scripts/with-pg.mjs npx tsx bench/search-db.ts --only postgres --workers 2
import { spawn } from 'node:child_process';
import { startPostgres } from './pg.mjs';

const [cmd, ...args] = process.argv.slice(2);
if (!cmd) {
  console.error('usage: node scripts/with-pg.mjs COMMAND [ARG…]');
  process.exit(2);
}
const pg = await startPostgres();
if (!pg) process.exit(1);
const child = spawn(cmd, args, { stdio: 'inherit', env: { ...process.env, YIWANG_TEST_PG_URL: pg.url } });
for (const s of ['SIGINT', 'SIGTERM']) process.on(s, () => child.kill(s));
const code = await new Promise((resolve) => child.once('exit', (c, sig) => resolve(c ?? (sig ? 1 : 0))));
pg.stop();
process.exit(code);
