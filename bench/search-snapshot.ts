/**
 * Start-up index time with and without the index snapshot (src/modules/search/search.snapshot.ts): N generated
 * documents (default 100,000, the generator of bench/search-db.ts) stored once, then per run a new SearchService
 * (= a new process's index) built (a) from the table, (b) from the table + writing the snapshot, (c) from the
 * snapshot, (d) from the snapshot after 1,000 further changes (published after it was written). CPU time of this
 * process (PGlite runs in it; a PostgreSQL server's own CPU is not included), medians over --runs.
 * Then the snapshot write itself, per run: (e) as before 26 Nov 15:00 (toSnapshot, one v8.serialize, writeFileSync:
 * all synchronous) and (f) as now (SearchService.writeSnapshotNow: copies in one step, then pieces with asynchronous
 * writes), each with the longest event-loop delay seen meanwhile (perf_hooks.monitorEventLoopDelay, max) and its
 * CPU time. `--write-only` skips (a)–(d). `--replay N` measures only the start from the snapshot with no and with N
 * later changes (what a start replays up to the rewrite threshold, docs/search-module.md).
 *
 *   npx tsx bench/search-snapshot.ts [--docs 100000] [--runs 3] [--only pglite|postgres] [--write-only | --replay N]
 *   node scripts/with-pg.mjs npx tsx bench/search-snapshot.ts --only postgres
 */
import { mkdtempSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { serialize } from 'node:v8';
import { openScratchDatabase } from '../src/db/scratch.ts';
import { mulberry32 as rng } from '../src/lib/random.ts';
import { AuditLog } from '../src/modules/audit/audit.service.ts';
import { SYSTEM } from '../src/modules/identity/permissions.ts';
import { SearchService } from '../src/modules/search/search.service.ts';
import { currentTag, stampsUpTo } from '../src/modules/search/search.snapshot.ts';
import type { SearchIndex } from '../src/nlp/search/SearchIndex.ts';
import type { PublishDoc } from '../src/modules/search/search.types.ts';
import { loadPolicyDocs } from '../src/nlp/search/policyData.ts';

const args = process.argv.slice(2);
const opt = (name: string, dflt: number) => {
  const i = args.indexOf(`--${name}`);
  const v = i >= 0 ? Number(args[i + 1]) : NaN;
  return Number.isFinite(v) ? v : dflt;
};
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const DOCS = opt('docs', 100_000);
const RUNS = opt('runs', 3);
const REPLAY = opt('replay', 0);
const WRITE_ONLY = args.includes('--write-only') || REPLAY > 0;
const pgUrl = process.env.YIWANG_TEST_PG_URL ?? process.env.DATABASE_URL;
const load = () => loadavg().map((x) => x.toFixed(1)).join(' ');

const policies = loadPolicyDocs();
const sentences = policies.flatMap((d) => d.body.split(/(?<=[。！？；])/).map((s) => s.trim()).filter((s) => s.length >= 8 && s.length <= 200));
function generated(n: number, seed: number, prefix: string): PublishDoc[] {
  const r = rng(seed);
  const depts = ['A市人力资源和社会保障局', 'A市公安局', 'A市住房公积金管理中心', 'A市市场监督管理局', 'A市医疗保障局', 'A市教育局'];
  const types = ['policy', 'knowledge', 'reply', 'disclosure'] as const;
  const out: PublishDoc[] = [];
  for (let i = 0; i < n; i++) {
    const pick = () => sentences[Math.floor(r() * sentences.length)]!;
    out.push({ type: types[i % 4]!, sourceId: `${prefix}-${i}`, title: pick().slice(0, 40), body: `${pick()}${pick()}${pick()}`, department: depts[i % depts.length]!, date: `2025-${String(1 + (i % 12)).padStart(2, '0')}-15` });
  }
  return out;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function cpuOf(fn: () => Promise<unknown>): Promise<number> {
  const c = process.cpuUsage();
  await fn();
  const u = process.cpuUsage(c);
  return (u.user + u.system) / 1e6;
}

async function run(engine: 'pglite' | 'postgres'): Promise<void> {
  const database = await openScratchDatabase(engine, { postgresUrl: pgUrl, poolSize: 10 });
  const audit = new AuditLog('bench-signing-key-0123456789abcdef0123');
  const dir = mkdtempSync(join(tmpdir(), 'yiwang-bench-snap-'));
  const writer = new SearchService(database.db, audit);
  const docs = [...policies.map((d): PublishDoc => ({ type: 'policy', sourceId: d.id, title: d.title, body: d.body })), ...generated(DOCS, 42, 'gen')];
  let t0 = performance.now();
  for (let i = 0; i < docs.length; i += 2000) await writer.publish(SYSTEM, docs.slice(i, i + 2000));
  console.log(`${engine}: stored ${docs.length} documents in ${((performance.now() - t0) / 1000).toFixed(1)} s wall`);
  // No rewrites in the background here (each start must load the file written on purpose, and replay what it should).
  const never = { share: 0, min: Infinity, max: Infinity };
  const fresh = (snap: boolean) => new SearchService(database.db, audit, snap ? { snapshotDir: dir, snapshotRewrite: never } : {});
  const rows: number[] = [];
  const write: number[] = [];
  const snap: number[] = [];
  const after: number[] = [];
  for (let r = 0; r < (WRITE_ONLY ? 0 : RUNS); r++) {
    rows.push(await cpuOf(() => fresh(false).ensureLoaded()));
    const w = fresh(true);
    write.push(await cpuOf(async () => {
      await w.rebuild();
      await w.snapshotSettled(); // written in the background since 26 Nov 15:00
    }));
    const s = fresh(true);
    snap.push(await cpuOf(() => s.ensureLoaded()));
    if (s.lastBuildSource !== 'snapshot') throw new Error('snapshot not used');
  }
  if (WRITE_ONLY) {
    const w = fresh(true);
    await w.ensureLoaded();
    await w.snapshotSettled();
  }
  const size = statSync(join(dir, 'search-index.v8')).size;
  await writer.publish(SYSTEM, generated(1000, 7, `late`));
  for (let r = 0; r < (WRITE_ONLY ? 0 : RUNS); r++) {
    const s = fresh(true);
    after.push(await cpuOf(() => s.ensureLoaded()));
    if (s.lastBuildSource !== 'snapshot') throw new Error('snapshot not used');
  }
  const f = (xs: number[]) => `${median(xs).toFixed(2)} s (runs ${xs.map((x) => x.toFixed(2)).join(', ')})`;
  console.log(`${engine}: ${docs.length} documents, CPU of this process, median of ${RUNS}; load average ${load()}`);
  if (!WRITE_ONLY) {
    console.log(`  from the table:                    ${f(rows)}`);
    console.log(`  from the table + write snapshot:   ${f(write)}  (file ${(size / 1e6).toFixed(0)} MB)`);
    console.log(`  from the snapshot:                 ${f(snap)}`);
    console.log(`  from the snapshot + 1,000 changes: ${f(after)}`);
  }
  if (REPLAY > 0) {
    // The snapshot now lacks the 1,000 changes above: write one with them, then compare starts without and with N more.
    const w = fresh(true);
    await w.ensureLoaded();
    if ((await w.writeSnapshotNow(true)) !== 'written') throw new Error('snapshot not written');
    const none: number[] = [];
    const more: number[] = [];
    for (let r = 0; r < RUNS; r++) none.push(await cpuOf(() => fresh(true).ensureLoaded()));
    await writer.publish(SYSTEM, generated(REPLAY, 11, `replay`));
    for (let r = 0; r < RUNS; r++) {
      const s = fresh(true);
      more.push(await cpuOf(() => s.ensureLoaded()));
      if (s.lastBuildSource !== 'snapshot' || s.lastBuildReplayed !== REPLAY) throw new Error(`replayed ${s.lastBuildReplayed}`);
    }
    console.log(`  from the snapshot:                      ${f(none)}`);
    console.log(`  from the snapshot + ${REPLAY} later changes: ${f(more)}; load average ${load()}`);
  } else {
    await writes(database.db, audit, dir);
  }
  await database.close();
  rmSync(dir, { recursive: true, force: true });
}

interface Blocked {
  /** Longest delay by monitorEventLoopDelay (ms). */
  maxMs: number;
  /** Longest gap between ticks of a 2 ms setInterval (ms): the same thing measured in JavaScript (on PGlite the histogram missed blocks the interval saw). */
  gapMs: number;
  cpu: number;
  wall: number;
}

/** The longest event-loop delay (ms, two ways) and the CPU (s) while `fn` runs. */
async function blocked(fn: () => Promise<unknown>): Promise<Blocked> {
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  // A second measure: the longest gap between the ticks of a 2 ms JavaScript interval.
  let last = performance.now();
  let gap = 0;
  const tick = setInterval(() => {
    const now = performance.now();
    gap = Math.max(gap, now - last);
    last = now;
  }, 2);
  const t0 = performance.now();
  const cpu = await cpuOf(fn);
  const wall = (performance.now() - t0) / 1000;
  await new Promise((res) => setTimeout(res, 50)); // the timers must fire once after a block to record it
  clearInterval(tick);
  h.disable();

  return { maxMs: h.max / 1e6, gapMs: gap, cpu, wall };
}

/** (e) and (f): the snapshot write as before (all synchronous) and as now, RUNS times each, alternating. */
async function writes(db: ConstructorParameters<typeof SearchService>[0], audit: AuditLog, dir: string): Promise<void> {
  const s = new SearchService(db, audit, { snapshotDir: dir });
  await s.ensureLoaded();
  await s.snapshotSettled();
  // The code before 26 Nov 15:00 (build() → writeSnapshot), on this service's indexes.
  const inner = s as unknown as { publicIndex: SearchIndex; staffIndex: SearchIndex; urls: Map<string, string>; lastSeq: number };
  const tag = (await currentTag(db))!;
  const before = async () => {
    const seq = inner.lastSeq;
    const stamps = await stampsUpTo(db, seq);
    const tmp = join(dir, 'before.tmp');
    writeFileSync(tmp, serialize({ tag, seq, pub: inner.publicIndex.toSnapshot(), staff: inner.staffIndex.toSnapshot(), urls: [...inner.urls], stamps }));
    renameSync(tmp, join(dir, 'before.v8'));
  };
  const copy: { wallMs: number; cpuMs: number }[] = [];
  const b: Blocked[] = [];
  const a: Blocked[] = [];
  for (let r = 0; r < RUNS; r++) {
    b.push(await blocked(before));
    a.push(await blocked(async () => {
      const o = await s.writeSnapshotNow(true);
      if (o !== 'written') throw new Error(`snapshot write: ${o}`);
    }));
    copy.push({ ...s.lastSnapshotCopy });
  }
  const g = (xs: Blocked[]) =>
    `longest event-loop block ${median(xs.map((x) => x.maxMs)).toFixed(0)} ms (runs ${xs.map((x) => x.maxMs.toFixed(0)).join(', ')}), longest interval gap ${median(xs.map((x) => x.gapMs)).toFixed(0)} ms (${xs.map((x) => x.gapMs.toFixed(0)).join(', ')}), CPU ${median(xs.map((x) => x.cpu)).toFixed(2)} s (${xs.map((x) => x.cpu.toFixed(2)).join(', ')}), wall ${median(xs.map((x) => x.wall)).toFixed(2)} s`;
  console.log(`  snapshot write before (synchronous): ${g(b)}; file ${(statSync(join(dir, 'before.v8')).size / 1e6).toFixed(0)} MB`);
  console.log(`  snapshot write now (in pieces):      ${g(a)}; file ${(statSync(join(dir, 'search-index.v8')).size / 1e6).toFixed(0)} MB; load average ${load()}`);
  console.log(`    of which the synchronous copy step (snapshotView of both indexes: all but the posting pools copied; term Maps serialized): ${median(copy.map((c) => c.wallMs)).toFixed(0)} ms wall (runs ${copy.map((c) => c.wallMs.toFixed(0)).join(', ')}), ${median(copy.map((c) => c.cpuMs)).toFixed(0)} ms CPU (${copy.map((c) => c.cpuMs.toFixed(0)).join(', ')})`);
}

console.log(`Node ${process.version}; load average ${load()}`);
if (only !== 'postgres') await run('pglite');
if (only !== 'pglite' && pgUrl) await run('postgres');
