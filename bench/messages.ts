/**
 * Message intake benchmark: messages per second taken in over HTTP (POST /api/v1/messages as a hotline operator:
 * validate, classify with the committed routing model, store message + ticket + action log, dispatch, audit) under
 * concurrent load (autocannon), on embedded PGlite and, when YIWANG_TEST_PG_URL or DATABASE_URL is set, on
 * PostgreSQL (in a throwaway database created and dropped on that server). Prints medians of several runs.
 *   npx tsx bench/messages.ts [--runs 3] [--seconds 5] [--connections 32]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
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
const RUNS = opt('runs', 3);
const SECONDS = opt('seconds', 5);
const CONNECTIONS = opt('connections', 32);
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
  let errors = 0;
  for (let i = 0; i < RUNS + 1; i++) {
    let n = 0;
    const res = await new Promise<autocannon.Result>((resolve, reject) => {
      autocannon({
        url: `${address}/api/v1/messages`,
        method: 'POST',
        connections: CONNECTIONS,
        duration: SECONDS,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        requests: [{ setupRequest: (req) => ({ ...req, body: SAMPLES[n++ % SAMPLES.length]! }) }],
      }, (err, r) => (err ? reject(err) : resolve(r)));
    });
    errors += res.non2xx + res.errors;
    if (i === 0) continue; // warm-up (model load, JIT, caches)
    rates.push(res.requests.average);
    p50.push(res.latency.p50);
    p99.push(res.latency.p99);
  }
  const counts = await database.db.selectFrom('message_tickets').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('status').execute();
  const audit = await database.db.selectFrom('audit_events').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', 'message.submit').executeTakeFirstOrThrow();
  console.log(
    `${engine.padEnd(8)} intake ${median(rates).toFixed(0)} messages/s (median of ${RUNS} × ${SECONDS} s, ${CONNECTIONS} connections), ` +
      `latency p50 ${median(p50)} ms p99 ${median(p99)} ms; non-2xx/errors ${errors}; ` +
      `tickets ${counts.map((c) => `${c.status} ${c.n}`).join(', ')}; audit entries ${audit.n}`,
  );
  await app.close();
  await database.close();
  rmSync(dataDir, { recursive: true, force: true });
}

console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version} (load generator on the same machine)`);
await run('pglite');
if (pgUrl) await run('postgres');
else console.log('postgres: skipped (set YIWANG_TEST_PG_URL or DATABASE_URL)');
