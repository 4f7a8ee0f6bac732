/**
 * Search module benchmark over HTTP: GET /api/v1/search req/s at the 599 policies and at N generated documents
 * (default 100,000: random 3-sentence mixes of the policies' sentences, analysed with jieba and stored), on embedded
 * PGlite and, when YIWANG_TEST_PG_URL or DATABASE_URL is set, PostgreSQL (a throwaway database); plus the time to
 * store the documents and to build a process's in-memory index from the table.
 *
 * Two query mixes, each sent in turn with a distinct query per request (no result cache exists; nothing is repeated
 * within a mix until it wraps around):
 *   long  — the 622 policy-qa questions (question-shaped, ~20 characters: the expensive case);
 *   short — the 1,135 service catalogue item names without their bracketed qualifiers, ≤ 12 characters (what a search
 *           box mostly gets), e.g. 居住证办理, 失业保险金申领.
 * The load generator (autocannon, N connections) runs in a child process, so the server's own CPU time per request
 * is measured apart from the client's; both share the machine's cores. The load average is printed with each figure.
 *
 *   npx tsx bench/search-db.ts [--docs 100000] [--runs 1] [--seconds 10] [--connections 16] [--only pglite|postgres]
 *                              [--workers N[,M…]]
 * About 3–4 minutes per engine at 100k on an idle 2-core machine (storing the documents and building dominate).
 *
 * --workers N or N,M,… (PostgreSQL only; each count in turn on the same stored documents): the server is a real `yiwang start` process tree in a child (`bin/yiwang.js start`
 * with DATABASE_URL = the bench's database and YIWANG_WORKERS = N; N = 1 is the single-process server, N > 1 the
 * node:cluster primary and N workers, src/cluster.ts), started after the documents are stored and stopped after each
 * phase; "server CPU" is then the CPU time of every process of that tree (/proc) during the load, and the figures
 * include the ceiling the CPU times allow on this machine's cores. Throwaway cluster and all, one line:
 *   node scripts/with-pg.mjs npx tsx bench/search-db.ts --only postgres --workers 1,2
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import { createApp } from '../src/app.ts';
import { parseConfig } from '../src/config.ts';
import { SYSTEM } from '../src/modules/identity/permissions.ts';
import type { PublishDoc } from '../src/modules/search/search.types.ts';
import { loadCatalogue } from '../src/modules/onestop/catalogue.ts';
import { loadPolicyDocs, loadPolicyQuestions } from '../src/nlp/search/policyData.ts';
import { createServices } from '../src/services.ts';
import { openScratchDatabase } from '../src/db/scratch.ts';
import { mulberry32 as rng } from '../src/lib/random.ts';
// @ts-expect-error plain JavaScript helper shared with the test runner (as in bench/audit.ts)
import { freePort } from '../scripts/pg.mjs';

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
const RUNS = opt('runs', 1);
const SECONDS = opt('seconds', 10);
const CONNECTIONS = opt('connections', 16);
/** --workers 2, or a list (--workers 1,2: each count in turn on the same stored documents). */
const WORKERS = (() => {
  const i = args.indexOf('--workers');
  if (i < 0) return [];
  const list = String(args[i + 1] ?? '').split(',').map(Number);
  if (!list.length || list.some((n) => !Number.isInteger(n) || n < 1 || n > 64)) throw new Error('--workers: a count from 1 to 64, or a list such as 1,2');
  return list;
})();
const pgUrl = process.env.YIWANG_TEST_PG_URL || process.env.DATABASE_URL;

const load = () => loadavg().map((x) => x.toFixed(1)).join(' ');
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};


const longMix = () => loadPolicyQuestions().map((q) => q.question);
const shortMix = () => [...new Set(loadCatalogue().map((r) => r.name.replace(/[（(【[].*?[）)】\]]/g, '').trim()).filter((n) => n.length >= 2 && n.length <= 12))];

// ------------------------------------------------------------------------------------------------ client process
if (args[0] === '--client') {
  // Child: autocannon against args[1] with the named mix; prints the result as JSON on stdout's last line.
  const [, url, mix, seconds, connections] = args;
  const queries = mix === 'short' ? shortMix() : longMix();
  let n = 0;
  const cpu0 = process.cpuUsage();
  const res = await new Promise<autocannon.Result>((resolve, reject) => {
    autocannon({
      url: `${url}/api/v1/search`,
      connections: Number(connections),
      duration: Number(seconds),
      requests: [{ setupRequest: (req) => ({ ...req, path: `/api/v1/search?q=${encodeURIComponent(queries[n++ % queries.length]!)}` }) }],
    }, (err, r) => (err ? reject(err) : resolve(r)));
  });
  const cpu = process.cpuUsage(cpu0);
  process.send?.({
    total: res.requests.total, rate: res.requests.average, p50: res.latency.p50, p99: res.latency.p99, errors: res.non2xx + res.errors,
    distinct: Math.min(n, queries.length), clientCpuMs: (cpu.user + cpu.system) / 1000 / Math.max(1, res.requests.total),
  });
  process.exit(0);
}

interface ClientResult { total: number; rate: number; p50: number; p99: number; errors: number; distinct: number; clientCpuMs: number }

/** Resident memory (MB) of a process and of each of its descendants, from /proc (Linux): root first. */
function treeRssMb(root: number): number[] {
  const rss = (pid: number) => {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      return m ? Math.round(Number(m[1]) / 1024) : 0;
    } catch {
      return 0;
    }
  };
  const children: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const line = readFileSync(`/proc/${d}/stat`, 'utf8');
      if (Number(line.slice(line.lastIndexOf(')') + 2).split(' ')[1]) === root) children.push(Number(d));
    } catch {
      // exited meanwhile
    }
  }
  return [rss(root), ...children.map(rss)];
}

/** CPU time (ms) so far of a process and all its descendants, from /proc (Linux); clock ticks of 10 ms. */
function treeCpuMs(root: number): number {
  return treeCpu(root).total;
}

/** CPU time (ms) so far of a process tree and of its root alone (the cluster primary). */
function treeCpu(root: number): { total: number; root: number } {
  const stats = new Map<number, { ppid: number; ticks: number }>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    let line: string;
    try {
      line = readFileSync(`/proc/${d}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    const f = line.slice(line.lastIndexOf(')') + 2).split(' '); // fields from 3 (state) on
    stats.set(Number(d), { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) }); // ppid (4), utime (14), stime (15)
  }
  let ticks = 0;
  const todo = [root];
  while (todo.length) {
    const pid = todo.pop()!;
    ticks += stats.get(pid)?.ticks ?? 0;
    for (const [child, st] of stats) if (st.ppid === pid) todo.push(child);
  }
  return { total: ticks * 10, root: (stats.get(root)?.ticks ?? 0) * 10 };
}

/**
 * Runs the load generator in a child process; returns its figures and the server's CPU ms per request (this
 * process's, or with `serverPid` the CPU of that process tree).
 */
function loadTest(address: string, mix: 'long' | 'short', seconds: number, serverPid?: number): Promise<ClientResult & { serverCpuMs: number; rootCpuMs: number }> {
  return new Promise((resolve, reject) => {
    const cpu0 = process.cpuUsage();
    const tree0 = serverPid ? treeCpu(serverPid) : { total: 0, root: 0 };
    const child = fork(process.argv[1]!, ['--client', address, mix, String(seconds), String(CONNECTIONS)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('message', (m) => {
      const u = process.cpuUsage(cpu0);
      const r = m as ClientResult;
      const tree1 = serverPid ? treeCpu(serverPid) : { total: 0, root: 0 };
      const ms = serverPid ? tree1.total - tree0.total : (u.user + u.system) / 1000;
      resolve({ ...r, serverCpuMs: ms / Math.max(1, r.total), rootCpuMs: (tree1.root - tree0.root) / Math.max(1, r.total) });
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code) reject(new Error(`client exited with ${code}`));
    });
  });
}

const policies = loadPolicyDocs();
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

async function measure(engine: 'pglite' | 'postgres', label: string, address: string, rebuild: () => Promise<number>, docs: number): Promise<void> {
  const builds: number[] = [];
  const buildCpu: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const c = process.cpuUsage();
    builds.push(await rebuild());
    const u = process.cpuUsage(c);
    buildCpu.push((u.user + u.system) / 1000);
  }
  console.log(`${engine.padEnd(8)} ${label}: ${docs} documents; index build from the table ${(median(builds) / 1000).toFixed(1)} s wall, ${(median(buildCpu) / 1000).toFixed(1)} s CPU (median of ${RUNS}; load ${load()})`);
  await loadTest(address, 'long', 2); // warm-up (JIT, suggestion and pinyin tables)
  for (const mix of ['long', 'short'] as const) {
    const r = await loadTest(address, mix, SECONDS);
    console.log(
      `${engine.padEnd(8)} ${label}: GET /api/v1/search, ${mix.padEnd(5)} queries: ${r.rate.toFixed(0)} req/s (${SECONDS} s, ${CONNECTIONS} connections, ${r.distinct} distinct queries), ` +
        `p50 ${r.p50} ms, p99 ${r.p99} ms; server CPU ${r.serverCpuMs.toFixed(2)} ms/request; non-2xx/errors ${r.errors}; load ${load()}`,
    );
  }
}

// ------------------------------------------------------------------------------------- server as a process tree

/** One search on a new connection; resolves with the worker that answered ('' from a single-process server). */
function searchOnce(port: number, q: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: `/api/v1/search?q=${encodeURIComponent(q)}`, agent: false, headers: { connection: 'close' } }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve(String(res.headers['x-yiwang-worker'] ?? '')) : reject(new Error(`search: HTTP ${res.statusCode}`))));
    });
    req.on('error', reject);
  });
}

interface ServerTree { child: ChildProcess; address: string; stop(): Promise<void> }

/**
 * `yiwang start` with YIWANG_WORKERS = `workers` on `databaseUrl`, in a child process tree; resolves once every
 * worker has answered a search (so each has built its index).
 */
async function startServerTree(databaseUrl: string, workers: number, label: string): Promise<ServerTree> {
  const port: number = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'yiwang-bench-tree-'));
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('YIWANG_') && k !== 'DATABASE_URL') env[k] = v;
  Object.assign(env, {
    DATABASE_URL: databaseUrl, YIWANG_WORKERS: String(workers), PORT: String(port), HOST: '127.0.0.1', YIWANG_DATA_DIR: dataDir,
    NODE_ENV: 'production', YIWANG_LOG_LEVEL: 'silent', YIWANG_SECURE_COOKIES: '0',
  });
  const t0 = performance.now();
  const child = spawn(process.execPath, [join(import.meta.dirname, '..', 'bin', 'yiwang.js'), 'start'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (out += c));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for (;;) {
    if (/yiwang ready on/.test(out)) break;
    if (child.exitCode !== null) throw new Error(`yiwang start exited ${child.exitCode}:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const ready = performance.now();
  const cpu0 = treeCpuMs(child.pid!);
  const seen = new Set<string>();
  while (seen.size < workers) seen.add(await searchOnce(port, '居住证') || '1');
  const built = performance.now();
  console.log(
    `postgres ${label}: yiwang start, ${workers} worker${workers > 1 ? 's' : ''} (pid ${child.pid}): ready ${((ready - t0) / 1000).toFixed(1)} s, ` +
      `every worker's index built ${((built - ready) / 1000).toFixed(1)} s later (tree CPU ${(treeCpuMs(child.pid!) - cpu0) / 1000} s; ` +
      `resident memory ${workers > 1 ? 'primary, workers' : 'server'} ${treeRssMb(child.pid!).join(', ')} MB; load ${load()})`,
  );
  return {
    child,
    address: `http://127.0.0.1:${port}`,
    async stop() {
      child.kill('SIGTERM');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function measureTree(label: string, databaseUrl: string, docs: number, workers: number): Promise<void> {
  const tree = await startServerTree(databaseUrl, workers, label);
  try {
    await loadTest(tree.address, 'long', 2 * workers, tree.child.pid); // warm-up (JIT, suggestion and pinyin tables): 2 s per worker
    for (const mix of ['long', 'short'] as const) {
      const r = await loadTest(tree.address, mix, SECONDS, tree.child.pid);
      const cores = cpus().length;
      console.log(
        `postgres ${label}: ${docs} documents, ${workers} worker${workers > 1 ? 's' : ''}, GET /api/v1/search, ${mix.padEnd(5)} queries: ${r.rate.toFixed(0)} req/s ` +
          `(${SECONDS} s, ${CONNECTIONS} connections, ${r.distinct} distinct queries), p50 ${r.p50} ms, p99 ${r.p99} ms; ` +
          `server CPU ${r.serverCpuMs.toFixed(2)} ms/request (all processes${workers > 1 ? `; primary ${r.rootCpuMs.toFixed(2)}` : ''}), client ${r.clientCpuMs.toFixed(2)} ms/request; ` +
          `CPU ceiling on ${cores} cores: ${Math.round((cores * 1000) / r.serverCpuMs)} req/s server alone, ` +
          `${Math.round((cores * 1000) / (r.serverCpuMs + r.clientCpuMs))} with this client on the same cores; non-2xx/errors ${r.errors}; load ${load()}`,
      );
    }
  } finally {
    await tree.stop();
  }
}

/** PostgreSQL with the server as a `yiwang start` process tree of each count in WORKERS (the bench stores the documents). */
async function runTree(): Promise<void> {
  const database = await openScratchDatabase('postgres', { postgresUrl: pgUrl, poolSize: 20 });
  const dataDir = mkdtempSync(join(tmpdir(), 'yiwang-bench-search-'));
  const config = parseConfig({}, { YIWANG_DATA_DIR: dataDir, NODE_ENV: 'production', YIWANG_LOG_LEVEL: 'silent', YIWANG_SECURE_COOKIES: '0' });
  const services = await createServices(config, database);
  const name = (await sql<{ n: string }>`select current_database() as n`.execute(database.db)).rows[0]!.n;
  const url = new URL(pgUrl!);
  url.pathname = `/${name}`;
  let t0 = performance.now();
  const imp = await services.search.importPolicies(SYSTEM, policies.map((d, i) => ({ line: i + 1, value: { docid: d.id, text: d.body } })));
  if (!imp.ok) throw new Error(imp.error.code);
  console.log(`postgres import 599 policies (jieba + insert): ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  for (const w of WORKERS) await measureTree('599 policies', url.toString(), 599, w);
  if (DOCS > 0) {
    const docs = generated(DOCS);
    t0 = performance.now();
    for (let i = 0; i < docs.length; i += 2000) await services.search.publish(SYSTEM, docs.slice(i, i + 2000));
    console.log(`postgres store ${DOCS} generated documents: ${((performance.now() - t0) / 1000).toFixed(1)} s wall (load ${load()})`);
    for (const w of WORKERS) await measureTree(`+${DOCS} generated`, url.toString(), DOCS + 599, w);
  }
  await database.close();
  rmSync(dataDir, { recursive: true, force: true });
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
  await measure(engine, '599 policies', address, () => services.search.rebuild(), 599);
  if (DOCS > 0) {
    const docs = generated(DOCS);
    t0 = performance.now();
    const c = process.cpuUsage();
    for (let i = 0; i < docs.length; i += 2000) await services.search.publish(SYSTEM, docs.slice(i, i + 2000));
    const u = process.cpuUsage(c);
    const s = (performance.now() - t0) / 1000;
    console.log(
      `${engine.padEnd(8)} store ${DOCS} generated documents (jieba + insert): ${s.toFixed(1)} s wall = ${Math.round(DOCS / s)} docs/s; ` +
        `this process's CPU ${((u.user + u.system) / 1e6).toFixed(1)} s = ${Math.round(DOCS / ((u.user + u.system) / 1e6))} docs/s (load ${load()})`,
    );
    await measure(engine, `+${DOCS} generated`, address, () => services.search.rebuild(), DOCS + 599);
  }
  await app.close();
  await database.close();
  rmSync(dataDir, { recursive: true, force: true });
}

console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}; load average ${load()} (load generator on the same machine)`);
if (WORKERS.length) {
  // The server as a `yiwang start` process tree: PostgreSQL only (PGlite is single-process and in the bench's process).
  if (!pgUrl) {
    console.log('--workers: needs PostgreSQL (set YIWANG_TEST_PG_URL or DATABASE_URL, or run under node scripts/with-pg.mjs)');
    process.exit(1);
  }
  await runTree();
  process.exit(0);
}
if (only !== 'postgres') await run('pglite');
if (only !== 'pglite') {
  if (pgUrl) await run('postgres');
  else console.log('postgres: skipped (set YIWANG_TEST_PG_URL or DATABASE_URL)');
}
