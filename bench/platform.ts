/**
 * Platform benchmark: time from `yiwang start` to a 200 from /readyz on the embedded database (first start on an
 * empty data directory, then restarts), and requests per second of /readyz and the home page under concurrent load
 * on loopback (autocannon, 50 connections). Prints medians of several runs.
 *   npx tsx bench/platform.ts [--runs 3] [--seconds 5]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';

const args = process.argv.slice(2);
const RUNS = Number(args[args.indexOf('--runs') + 1] || 3) || 3;
const SECONDS = Number(args[args.indexOf('--seconds') + 1] || 5) || 5;
const bin = new URL('../bin/yiwang.js', import.meta.url).pathname;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

async function startAndTime(dataDir: string, port: number): Promise<{ ms: number; child: ChildProcess }> {
  const t0 = performance.now();
  const child = spawn('node', [bin, 'start'], {
    env: { ...process.env, YIWANG_DATA_DIR: dataDir, YIWANG_DEMO: '1', PORT: String(port), HOST: '127.0.0.1', YIWANG_LOG_LEVEL: 'warn', DATABASE_URL: '' },
    stdio: 'ignore',
  });
  for (;;) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/readyz`);
      if (r.status === 200) return { ms: performance.now() - t0, child };
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null) throw new Error('server exited during start-up');
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function stop(child: ChildProcess): Promise<void> {
  const done = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await done;
}

function load(url: string): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon({ url, connections: 50, duration: SECONDS }, (err, res) => (err ? reject(err) : resolve(res)));
  });
}

const first: number[] = [];
const again: number[] = [];
const port = 39_000 + Math.floor(Math.random() * 1000);
for (let i = 0; i < RUNS; i++) {
  const dir = mkdtempSync(join(tmpdir(), 'yiwang-bench-'));
  const a = await startAndTime(dir, port);
  first.push(a.ms);
  await stop(a.child);
  const b = await startAndTime(dir, port);
  again.push(b.ms);
  await stop(b.child);
  rmSync(dir, { recursive: true, force: true });
}

const dir = mkdtempSync(join(tmpdir(), 'yiwang-bench-'));
const { child } = await startAndTime(dir, port);
const ready: number[] = [];
const home: number[] = [];
const homeP99: number[] = [];
for (let i = 0; i < RUNS; i++) {
  ready.push((await load(`http://127.0.0.1:${port}/readyz`)).requests.average);
  const h = await load(`http://127.0.0.1:${port}/`);
  home.push(h.requests.average);
  homeP99.push(h.latency.p99);
}
await stop(child);
rmSync(dir, { recursive: true, force: true });

console.log(`machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), node ${process.version}; ${RUNS} runs, medians`);
console.log(`start-up to ready, first start (empty data dir, migrate + demo seed): ${median(first).toFixed(0)} ms  [${first.map((x) => x.toFixed(0)).join(', ')}]`);
console.log(`start-up to ready, restart:                                          ${median(again).toFixed(0)} ms  [${again.map((x) => x.toFixed(0)).join(', ')}]  (target ≤ 3000 ms)`);
console.log(`/readyz: ${median(ready).toFixed(0)} req/s;  home page: ${median(home).toFixed(0)} req/s (p99 ${median(homeP99).toFixed(0)} ms)  [50 connections, ${SECONDS} s, loopback, PGlite]`);
