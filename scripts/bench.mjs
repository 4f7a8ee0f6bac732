#!/usr/bin/env node
// `npm run bench [-- name …]`: runs the benchmarks in bench/ one after another (all, or those named) and prints
// their figures. Each is also runnable alone: `npx tsx bench/<name>.ts`.
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const only = process.argv.slice(2);
const files = readdirSync(new URL('../bench/', import.meta.url))
  .filter((f) => f.endsWith('.ts'))
  .filter((f) => !only.length || only.includes(f.replace(/\.ts$/, '')))
  .sort();
let failed = 0;
for (const f of files) {
  console.log(`\n=== bench/${f}`);
  const r = spawnSync('npx', ['tsx', `bench/${f}`], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
