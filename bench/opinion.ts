/**
 * Public-opinion ingestion benchmark: the 4,326 messages of datasets/hot-issue-messages taken in through
 * OpinionService.ingest in batches of 500 (analysis: sentiment, keywords, places, organisations, urgency; fingerprints;
 * idempotent insert; duplicate lookup; audit), then clustered into persisted issues with warnings, on a fresh
 * migrated PGlite database and, when YIWANG_TEST_PG_URL or DATABASE_URL is set, on PostgreSQL (a throwaway database
 * created and dropped on that server). Prints medians of several runs and the top issues.
 *   npx tsx bench/opinion.ts [--runs 3]
 */
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { gunzipSync } from 'node:zlib';
import { AuditLog } from '../src/modules/audit/audit.service.ts';
import { parseJsonl } from '../src/modules/opinion/opinion.pure.ts';
import { DEMO_FILE } from '../src/modules/opinion/opinion.seed.ts';
import { OpinionService } from '../src/modules/opinion/opinion.service.ts';
import { SYSTEM } from '../src/modules/identity/permissions.ts';
import { openScratchDatabase } from '../src/db/scratch.ts';

const args = process.argv.slice(2);
const RUNS = Number(args[args.indexOf('--runs') + 1]) || 3;
const pgUrl = process.env.YIWANG_TEST_PG_URL || process.env.DATABASE_URL;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

const items = parseJsonl(gunzipSync(readFileSync(DEMO_FILE)).toString('utf8')).items.map((x) => x.item);
console.log(`machine: ${cpus()[0]?.model ?? '?'} × ${cpus().length} cores, Node ${process.version}; ${items.length} messages`);

for (const engine of ['pglite', ...(pgUrl ? ['postgres'] : [])] as ('pglite' | 'postgres')[]) {
  const ingestRates: number[] = [];
  const clusterSecs: number[] = [];
  const replaySecs: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const d = await openScratchDatabase(engine, { postgresUrl: pgUrl, poolSize: 5 });
    const svc = new OpinionService(d.db, new AuditLog('bench'), { secret: 'bench' });
    if (run === 0) await svc.ingest('warmup', items.slice(0, 20)); // loads the models once, outside the timing
    let t = performance.now();
    for (let i = 0; i < items.length; i += 500) await svc.ingest('demo-import', items.slice(i, i + 500), SYSTEM);
    ingestRates.push(items.length / ((performance.now() - t) / 1000));
    t = performance.now();
    const c = await svc.cluster();
    clusterSecs.push((performance.now() - t) / 1000);
    t = performance.now();
    for (let i = 0; i < items.length; i += 500) await svc.ingest('demo-import', items.slice(i, i + 500), SYSTEM);
    replaySecs.push((performance.now() - t) / 1000);
    if (run === RUNS - 1) {
      const n = await svc.counts();
      console.log(`${engine}: stored ${n.items} (duplicates ${n.duplicates}); ${c.issues} issues of ≥ 2 items, ${c.warnings} warnings`);
      const top = await svc.issues(SYSTEM, 10);
      if (top.ok) for (const [k, i] of top.value.entries()) console.log(`  ${k + 1}. heat ${i.heat.toFixed(1)} · ${i.first_at.toISOString().slice(0, 10)}–${i.last_at.toISOString().slice(0, 10)} · ${i.items} items/${i.people} people · ${i.place || '—'} · ${i.title.slice(0, 40)}`);
    }
    await d.close();
  }
  console.log(`${engine}: ingest (analyse + store + duplicates + audit) median ${median(ingestRates).toFixed(0)} items/s over ${RUNS} runs [${ingestRates.map((r) => r.toFixed(0)).join(', ')}]`);
  console.log(`${engine}: cluster all ${items.length} (rebuild, persist issues, bursts) median ${median(clusterSecs).toFixed(2)} s [${clusterSecs.map((r) => r.toFixed(2)).join(', ')}]`);
  console.log(`${engine}: re-import of the same file (idempotent, nothing added) median ${median(replaySecs).toFixed(2)} s`);
}
