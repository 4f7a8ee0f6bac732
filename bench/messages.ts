/**
 * Message intake benchmark: messages per second taken in over HTTP (POST /api/v1/messages as a hotline operator:
 * validate, classify with the committed routing model, store message + ticket + action log, dispatch, audit) under
 * concurrent load (autocannon), on embedded PGlite and, when YIWANG_TEST_PG_URL or DATABASE_URL is set, on
 * PostgreSQL (in a throwaway database created and dropped on that server). Prints medians of several runs, the
 * server's CPU time per intake (process.cpuUsage of the server process only: the load generator runs in a child
 * process on the same machine) and the load average.
 *   npx tsx bench/messages.ts [--runs 3] [--seconds 5] [--connections 32] [--engine pglite|postgres]
 *
 * A/B against another checkout (e.g. `git worktree add /tmp/yiwang-before e888717` with node_modules linked): both
 * source trees are loaded into this one process and take the same intakes in alternating rounds (app.inject, no
 * HTTP), so that a busy shared machine slows both alike; prints the median CPU per intake of each.
 *   npx tsx bench/messages.ts --compare /tmp/yiwang-before [--runs 8] [--intakes 300] [--concurrency 16] [--engine …]
 */
import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import { createApp } from '../src/app.ts';
import { parseConfig } from '../src/config.ts';
import { seedDemo } from '../src/modules/demo/demo.seed.ts';
import { createServices } from '../src/services.ts';
import { openScratchDatabase } from '../src/db/scratch.ts';

const args = process.argv.slice(2);
const opt = (name: string, dflt: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) || dflt : dflt;
};
const ENGINE = args.includes('--engine') ? args[args.indexOf('--engine') + 1] : undefined;
const RUNS = opt('runs', 3);
const SECONDS = opt('seconds', 5);
const CONNECTIONS = opt('connections', 32);
const COMPARE = args.includes('--compare') ? args[args.indexOf('--compare') + 1] : undefined;
const INTAKES = opt('intakes', 300);
const CONCURRENCY = opt('concurrency', 16);
const pgUrl = process.env.YIWANG_TEST_PG_URL || process.env.DATABASE_URL;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

const SAMPLES = [
  { type: '咨询', title: '社保卡丢失如何补办', content: '我的社保卡不小心丢了，请问需要带什么材料去哪里补办？多久可以拿到新卡？', district: 'A3区' },
  { type: '投诉', title: '小区楼下烧烤店油烟噪音扰民', content: '楼下烧烤店每天营业到凌晨两点，油烟和噪音严重影响居民休息，多次反映无果，请环保部门处理。', district: 'A2区' },
  { type: '求助', title: '公司拖欠工资三个月', content: '我在某建筑公司务工，公司已经拖欠工资三个月，老板一直推脱，请劳动监察部门帮忙追讨。', district: 'A5区' },
  { type: '建议', title: '建议增开早高峰公交班次', content: '新区到市中心的公交线路早高峰非常拥挤，建议增加班次或开通快线。', district: 'A7区' },
  { type: '举报', title: '举报无证幼儿园', content: '某小区内有一家没有办学许可证的幼儿园，安全设施不全，存在隐患。', district: 'A1区' },
  { type: '咨询', title: '新生儿医保如何办理', content: '孩子刚出生，请问新生儿医保在哪里办理，需要哪些材料？', district: 'A4区' },
  { type: '投诉', title: '道路施工围挡占道多月未撤', content: '某路段施工结束两个月了围挡还没撤，导致交通拥堵，请尽快处理。', district: 'A6区' },
  { type: '咨询', title: '景区门票优惠政策', content: '请问本市景区对老年人有没有门票优惠？需要出示什么证件？', district: 'A9区' },
].map((s) => JSON.stringify({ ...s, contactPhone: '13800138000', publishConsent: true }));

interface LoadResult { rate: number; p50: number; p99: number; errors: number; cpuMs: number }

const TICKS = 100; // USER_HZ on Linux

/** CPU ms used so far by the PostgreSQL backends serving this database (local server only; else undefined). */
async function backendCpuMs(db: Awaited<ReturnType<typeof openScratchDatabase>>): Promise<number | undefined> {
  if (db.engine !== 'postgres') return undefined;
  const r = await sql<{ pid: number }>`select pid from pg_stat_activity where datname = current_database()`.execute(db.db);
  let ticks = 0;
  for (const { pid } of r.rows) {
    try {
      const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      ticks += Number(f[11]) + Number(f[12]); // utime, stime
    } catch {
      return undefined;
    }
  }
  return (ticks * 1000) / TICKS;
}

/** The load generator, in its own process so that its CPU time is not counted as the server's. */
function loadFrom(url: string, token: string): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(new URL(import.meta.url), ['--load-generator'], { execArgv: process.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('message', (m) => resolve(m as LoadResult));
    child.once('error', reject);
    child.once('exit', (code) => code && reject(new Error(`load generator exited with ${code}`)));
    child.send({ url, token });
  });
}

async function loadGenerator(): Promise<void> {
  const { url, token } = await new Promise<{ url: string; token: string }>((resolve) => process.once('message', (m) => resolve(m as { url: string; token: string })));
  let n = 0;
  const cpu0 = process.cpuUsage();
  const res = await new Promise<autocannon.Result>((resolve, reject) => {
    autocannon({
      url,
      method: 'POST',
      connections: CONNECTIONS,
      duration: SECONDS,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      requests: [{ setupRequest: (req) => ({ ...req, body: SAMPLES[n++ % SAMPLES.length]! }) }],
    }, (err, r) => (err ? reject(err) : resolve(r)));
  });
  process.send!({ rate: res.requests.average, p50: res.latency.p50, p99: res.latency.p99, errors: res.non2xx + res.errors, cpuMs: (process.cpuUsage(cpu0).user + process.cpuUsage(cpu0).system) / 1000 } satisfies LoadResult);
  process.disconnect();
}

async function run(engine: 'pglite' | 'postgres'): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'yiwang-bench-messages-'));
  const database = await openScratchDatabase(engine, { postgresUrl: pgUrl, poolSize: 20 });
  const config = parseConfig({}, { YIWANG_DATA_DIR: dataDir, NODE_ENV: 'production', YIWANG_LOG_LEVEL: 'silent', YIWANG_SECURE_COOKIES: '0' });
  const services = await createServices(config, database);
  await seedDemo(services);
  const app = await createApp(services);
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  const login = await fetch(`${address}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ identifier: 'supervisor', password: 'Supervisor-demo-2026' }) });
  const token = ((await login.json()) as { token: string }).token;
  const rates: number[] = [];
  const p50: number[] = [];
  const p99: number[] = [];
  const cpuMs: number[] = [];
  const dbMs: number[] = [];
  const genMs: number[] = [];
  const loads: number[] = [];
  let errors = 0;
  for (let i = 0; i < RUNS + 1; i++) {
    const before = await database.db.selectFrom('message_tickets').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const db0 = await backendCpuMs(database);
    const cpu0 = process.cpuUsage();
    const res = await loadFrom(`${address}/api/v1/messages`, token);
    const cpu = process.cpuUsage(cpu0);
    const db1 = await backendCpuMs(database);
    const after = await database.db.selectFrom('message_tickets').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    errors += res.errors;
    if (i === 0) continue; // warm-up (model load, JIT, caches)
    rates.push(res.rate);
    p50.push(res.p50);
    p99.push(res.p99);
    const n = Math.max(1, Number(after.n) - Number(before.n));
    cpuMs.push((cpu.user + cpu.system) / 1000 / n);
    if (db0 !== undefined && db1 !== undefined) dbMs.push((db1 - db0) / n);
    genMs.push(res.cpuMs / n);
    loads.push(loadavg()[0]!);
  }
  const counts = await database.db.selectFrom('message_tickets').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('status').execute();
  const audit = await database.db.selectFrom('audit_events').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', 'message.submit').executeTakeFirstOrThrow();
  console.log(
    `${engine.padEnd(8)} intake ${median(rates).toFixed(0)} messages/s (median of ${RUNS} × ${SECONDS} s, ${CONNECTIONS} connections), ` +
      `latency p50 ${median(p50)} ms p99 ${median(p99)} ms; CPU per intake: server ${median(cpuMs).toFixed(2)} ms, ` +
      `${dbMs.length ? `database backends ${median(dbMs).toFixed(2)} ms, ` : ''}load generator ${median(genMs).toFixed(2)} ms; non-2xx/errors ${errors}; ` +
      `load average ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}; ` +
      `tickets ${counts.map((c) => `${c.status} ${c.n}`).join(', ')}; audit entries ${audit.n}`,
  );
  await app.close();
  await database.close();
  rmSync(dataDir, { recursive: true, force: true });
}

/** One source tree's app on a scratch database, with a function taking one intake as the hotline operator. */
async function treeApp(root: string, engine: 'pglite' | 'postgres') {
  const at = (f: string) => pathToFileURL(join(root, f)).href;
  const { createApp: create } = (await import(at('src/app.ts'))) as typeof import('../src/app.ts');
  const { parseConfig: parse } = (await import(at('src/config.ts'))) as typeof import('../src/config.ts');
  const { seedDemo: seed } = (await import(at('src/modules/demo/demo.seed.ts'))) as typeof import('../src/modules/demo/demo.seed.ts');
  const { createServices: services } = (await import(at('src/services.ts'))) as typeof import('../src/services.ts');
  const { openScratchDatabase: open } = (await import(at('src/db/scratch.ts'))) as typeof import('../src/db/scratch.ts');
  const dataDir = mkdtempSync(join(tmpdir(), 'yiwang-bench-messages-'));
  const database = await open(engine, { postgresUrl: pgUrl, poolSize: 20 });
  const svc = await services(parse({}, { YIWANG_DATA_DIR: dataDir, NODE_ENV: 'production', YIWANG_LOG_LEVEL: 'silent', YIWANG_SECURE_COOKIES: '0' }), database);
  await seed(svc);
  const app = await create(svc);
  await app.ready();
  const token = (await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { identifier: 'supervisor', password: 'Supervisor-demo-2026' } })).json<{ token: string }>().token;
  let n = 0;
  const one = async () => {
    const r = await app.inject({ method: 'POST', url: '/api/v1/messages', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload: SAMPLES[n++ % SAMPLES.length]! });
    if (r.statusCode !== 201) throw new Error(`intake failed: ${r.statusCode} ${r.body}`);
  };
  const close = async () => {
    await app.close();
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
  return { root, database, one, close };
}

async function compare(other: string, engine: 'pglite' | 'postgres'): Promise<void> {
  const trees = [await treeApp(join(import.meta.dirname, '..'), engine), await treeApp(other, engine)];
  const take = async (t: (typeof trees)[number], count: number) => {
    let i = 0;
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (i++ < count) await t.one();
    }));
  };
  for (const t of trees) await take(t, INTAKES); // warm-up
  const out = trees.map(() => ({ cpu: [] as number[], db: [] as number[], wall: [] as number[] }));
  for (let r = 0; r < RUNS; r++) {
    for (const k of r % 2 ? [1, 0] : [0, 1]) {
      const t = trees[k]!;
      const db0 = await backendCpuMs(t.database);
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      await take(t, INTAKES);
      const wall = performance.now() - t0;
      const cpu = process.cpuUsage(cpu0);
      const db1 = await backendCpuMs(t.database);
      out[k]!.cpu.push((cpu.user + cpu.system) / 1000 / INTAKES);
      if (db0 !== undefined && db1 !== undefined) out[k]!.db.push((db1 - db0) / INTAKES);
      out[k]!.wall.push(wall / INTAKES);
    }
  }
  console.log(`${engine}: ${RUNS} alternating rounds × ${INTAKES} intakes, ${CONCURRENCY} concurrent (app.inject); load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  trees.forEach((t, k) => {
    const o = out[k]!;
    console.log(`  ${k === 0 ? 'this tree ' : 'compared  '} ${t.root}: server CPU ${median(o.cpu).toFixed(2)} ms per intake${o.db.length ? `, database backends ${median(o.db).toFixed(2)} ms` : ''}, wall ${median(o.wall).toFixed(2)} ms`);
  });
  for (const t of trees) await t.close();
}

if (args.includes('--load-generator')) {
  await loadGenerator();
} else if (COMPARE) {
  if (!ENGINE || ENGINE === 'pglite') await compare(COMPARE, 'pglite');
  if (ENGINE !== 'pglite' && pgUrl) await compare(COMPARE, 'postgres');
} else {
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version} (load generator in a child process on the same machine); load average before: ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  if (!ENGINE || ENGINE === 'pglite') await run('pglite');
  if (ENGINE === 'pglite') {
    // only the embedded engine asked for
  } else if (pgUrl) await run('postgres');
  else console.log('postgres: skipped (set YIWANG_TEST_PG_URL or DATABASE_URL)');
}
