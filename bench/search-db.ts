/**
 * Search module benchmark: queries per second over HTTP (GET /api/v1/search, autocannon on loopback) and the time to
 * rebuild a process's in-memory index from the search_documents table, at the 599 policies and at N generated
 * documents (default 100,000: random 3-sentence mixes of the policies' sentences, analysed with jieba and stored),
 * on embedded PGlite and, when YIWANG_TEST_PG_URL or DATABASE_URL is set, PostgreSQL (a throwaway database).
 * Prints medians.
 *   npx tsx bench/search-db.ts [--docs 100000] [--runs 3] [--seconds 5] [--connections 32] [--only pglite|postgres]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { createApp } from '../src/app.ts';
import { parseConfig } from '../src/config.ts';
import { SYSTEM } from '../src/modules/identity/permissions.ts';
import { SearchService } from '../src/modules/search/search.service.ts';
import type { PublishDoc } from '../src/modules/search/search.types.ts';
import { loadPolicyDocs, loadPolicyQuestions } from '../src/nlp/search/policyData.ts';
import { createServices } from '../src/services.ts';
import type { Database } from '../src/db/database.ts';
import { openScratchDatabase } from '../src/db/scratch.ts';

const args = process.argv.slice(2);
const opt = (name: string, dflt: number) => {
  const i = args.indexOf(`--${name}`);
  const v = i >= 0 ? Number(args[i + 1]) : NaN;
  return Number.isFinite(v) ? v : dflt;
};
const only = (() => {
  const i = args.indexOf('--only');
  return i >= 0 ? args[i + 1] : undefined;
})();
const DOCS = opt('docs', 100_000);
const RUNS = opt('runs', 3);
const SECONDS = opt('seconds', 5);
const CONNECTIONS = opt('connections', 32);
const pgUrl = process.env.YIWANG_TEST_PG_URL || process.env.DATABASE_URL;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** Deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const policies = loadPolicyDocs();
const questions = loadPolicyQuestions().map((q) => q.question);
const sentences = policies.flatMap((d) => d.body.split(/(?<=[。！？；])/).map((s) => s.trim()).filter((s) => s.length >= 8 && s.length <= 200));

function generated(n: number): PublishDoc[] {
  const r = rng(42);
  const depts = ['A市人力资源和社会保障局', 'A市公安局', 'A市住房公积金管理中心', 'A市市场监督管理局', 'A市医疗保障局', 'A市教育局'];
  const types = ['policy', 'knowledge', 'reply', 'disclosure'] as const;
  const out: PublishDoc[] = [];
  for (let i = 0; i < n; i++) {
    const pick = () => sentences[Math.floor(r() * sentences.length)]!;
    const body = `${pick()}${pick()}${pick()}`;
    out.push({ type: types[i % 4]!, sourceId: `gen-${i}`, title: pick().slice(0, 40), body, department: depts[i % depts.length]!, date: `2025-${String(1 + (i % 12)).padStart(2, '0')}-15` });
  }
  return out;
}

async function measure(engine: 'pglite' | 'postgres', label: string, database: Database, address: string, appSearch: SearchService): Promise<void> {
  const search = new SearchService(database.db, (await createServices(parseConfig({}, { YIWANG_DATA_DIR: mkdtempSync(join(tmpdir(), 'yw-b-')), NODE_ENV: 'production', YIWANG_LOG_LEVEL: 'silent' }), database)).audit);
  const builds: number[] = [];
  for (let i = 0; i < RUNS; i++) builds.push(await search.rebuild());
  const stats = await search.stats();
  // The server's own index: bring it up to date before the load (at 100k, applying the changes takes as long as a build).
  await appSearch.rebuild();
  const rates: number[] = [];
  const p50: number[] = [];
  const p99: number[] = [];
  let errors = 0;
  for (let i = 0; i < RUNS + 1; i++) {
    let n = 0;
    const res = await new Promise<autocannon.Result>((resolve, reject) => {
      autocannon({
        url: `${address}/api/v1/search`,
        connections: CONNECTIONS,
        duration: SECONDS,
        requests: [{ setupRequest: (req) => ({ ...req, path: `/api/v1/search?q=${encodeURIComponent(questions[n++ % questions.length]!)}` }) }],
      }, (err, r) => (err ? reject(err) : resolve(r)));
    });
    errors += res.non2xx + res.errors;
    if (i === 0) continue; // warm-up (index build in the app's process, JIT)
    rates.push(res.requests.average);
    p50.push(res.latency.p50);
    p99.push(res.latency.p99);
  }
  console.log(
    `${engine.padEnd(8)} ${label.padEnd(18)} docs ${stats.public}: rebuild from table ${median(builds).toFixed(0)} ms (median of ${RUNS}); ` +
      `GET /api/v1/search ${median(rates).toFixed(0)} req/s (median of ${RUNS} × ${SECONDS} s, ${CONNECTIONS} connections), p50 ${median(p50)} ms, p99 ${median(p99)} ms; non-2xx/errors ${errors}`,
  );
}

async function run(engine: 'pglite' | 'postgres'): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'yiwang-bench-search-'));
  const database = await openScratchDatabase(engine, { postgresUrl: pgUrl, poolSize: 20 });
  const config = parseConfig({}, { YIWANG_DATA_DIR: dataDir, NODE_ENV: 'production', YIWANG_LOG_LEVEL: 'silent', YIWANG_SECURE_COOKIES: '0' });
  const services = await createServices(config, database);
  const app = await createApp(services);
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  let t0 = performance.now();
  const imp = await services.search.importPolicies(SYSTEM, policies.map((d, i) => ({ line: i + 1, value: { docid: d.id, text: d.body } })));
  if (!imp.ok) throw new Error(imp.error.code);
  console.log(`${engine.padEnd(8)} import 599 policies (jieba + insert): ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  await measure(engine, '599 policies', database, address, services.search);
  if (DOCS > 0) {
    const docs = generated(DOCS);
    t0 = performance.now();
    for (let i = 0; i < docs.length; i += 2000) await services.search.publish(SYSTEM, docs.slice(i, i + 2000));
    console.log(`${engine.padEnd(8)} store ${DOCS} generated documents (jieba + insert): ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    await measure(engine, `+${DOCS} generated`, database, address, services.search);
  }
  await app.close();
  await database.close();
  rmSync(dataDir, { recursive: true, force: true });
}

console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version} (load generator on the same machine, shared with other work)`);
if (only !== 'postgres') await run('pglite');
if (only !== 'pglite') {
  if (pgUrl) await run('postgres');
  else console.log('postgres: skipped (set YIWANG_TEST_PG_URL or DATABASE_URL)');
}
