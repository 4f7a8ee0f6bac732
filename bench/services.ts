/**
 * One-stop services benchmark: application submissions per second (server-side form validation, 免提交 certificate
 * lookup, case creation with its first two log actions, outbox row and audit entries, all in one transaction) under
 * concurrent load, and the latency of the public guide page (median and p95, in-process via app.inject, so no
 * network). Runs on embedded PGlite and, when YIWANG_TEST_PG_URL or DATABASE_URL names a PostgreSQL server, on a
 * throwaway database there too.
 *
 *   npx tsx bench/services.ts                      # PGlite only
 *   YIWANG_TEST_PG_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/services.ts
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../src/app.ts';
import { parseConfig } from '../src/config.ts';
import { DEMO_CITIZEN, seedDemo } from '../src/modules/demo/demo.seed.ts';
import { seedServices } from '../src/modules/onestop/onestop.module.ts';
import { createServices } from '../src/services.ts';
import { openScratchDatabase } from '../src/db/scratch.ts';

const SUBMISSIONS = Number(process.argv[2] ?? 300);
const CONCURRENCY = 8;
const RUNS = 3;
const PAGE_REQUESTS = 300;

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}
const median = (xs: number[]) => quantile(xs, 0.5);

async function bench(engine: 'pglite' | 'postgres', url?: string): Promise<void> {
  const database = await openScratchDatabase(engine, { postgresUrl: url, poolSize: 10 });
  const config = parseConfig({}, { YIWANG_DATA_DIR: mkdtempSync(join(tmpdir(), 'yiwang-bench-')), NODE_ENV: 'test', YIWANG_LOG_LEVEL: 'silent' });
  const services = await createServices(config, database);
  await seedDemo(services);
  await seedServices(services);
  const citizen = await database.db.selectFrom('users').select('id').where('mobile', '=', DEMO_CITIZEN.mobile).executeTakeFirstOrThrow();
  const p = { kind: 'citizen' as const, id: citizen.id };
  const data = { applicantName: '张三', applicantId: DEMO_CITIZEN.idNumber, mobile: DEMO_CITIZEN.mobile, hukouType: 'urban', jobType: 'partTime', baseLevel: '100', startMonth: '2026-02', bankAccount: '6222020200001111222', pledge: 'true' };

  const rates: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    let next = 0;
    let failures = 0;
    const t0 = performance.now();
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      for (;;) {
        const i = next++;
        if (i >= SUBMISSIONS) return;
        const r = await services.onestop.submit(p, 'A-512B0369200000', { clientToken: `bench-${run}-${i}-${randomBytes(3).toString('hex')}`, data });
        if (!r.ok || !r.value.created) failures++;
      }
    }));
    const secs = (performance.now() - t0) / 1000;
    if (failures) throw new Error(`${failures} submissions failed`);
    rates.push(SUBMISSIONS / secs);
  }

  const app = await createApp(services);
  await app.ready();
  for (let i = 0; i < 20; i++) await app.inject({ url: '/services/item/A-512B0011200070' });
  const medians: number[] = [];
  const p95s: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const lat: number[] = [];
    for (let i = 0; i < PAGE_REQUESTS; i++) {
      const t0 = performance.now();
      const res = await app.inject({ url: '/services/item/A-512B0011200070' });
      lat.push(performance.now() - t0);
      if (res.statusCode !== 200) throw new Error(`guide page answered ${res.statusCode}`);
    }
    medians.push(median(lat));
    p95s.push(quantile(lat, 0.95));
  }
  const catalogueLat: number[] = [];
  for (let i = 0; i < 100; i++) {
    const t0 = performance.now();
    await app.inject({ url: `/services?q=${encodeURIComponent('登记')}` });
    catalogueLat.push(performance.now() - t0);
  }
  await app.close();
  await services.audit.seal(database.db);
  await database.close();
  console.log(`${engine.padEnd(9)} submissions/s (concurrency ${CONCURRENCY}, ${SUBMISSIONS} per run, median of ${RUNS}): ${median(rates).toFixed(0)}  [runs: ${rates.map((r) => r.toFixed(0)).join(', ')}]`);
  console.log(`${engine.padEnd(9)} guide page latency (${PAGE_REQUESTS} sequential requests, median of ${RUNS} runs): median ${median(medians).toFixed(2)} ms, p95 ${median(p95s).toFixed(2)} ms`);
  console.log(`${engine.padEnd(9)} catalogue search page (q=登记, 100 requests): median ${median(catalogueLat).toFixed(2)} ms, p95 ${quantile(catalogueLat, 0.95).toFixed(2)} ms`);
}

const cpu = cpus();
console.log(`machine: ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, Node ${process.version}`);
await bench('pglite');
const url = process.env.YIWANG_TEST_PG_URL ?? process.env.DATABASE_URL;
if (url) await bench('postgres', url);
else console.log('postgres  skipped (set YIWANG_TEST_PG_URL or DATABASE_URL)');
