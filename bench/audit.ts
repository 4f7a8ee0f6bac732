/**
 * What the audit trail costs writers, on PostgreSQL: transactions per second of a one-row write with and without
 * its audit entry (the sealer running meanwhile), against pgbench's simple-update (-N) on the same cluster.
 * Uses YIWANG_TEST_PG_URL / DATABASE_URL, or starts a throwaway cluster.
 *   npx tsx bench/audit.ts [--seconds 10] [--clients 8]
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { sql } from 'kysely';
import pg from 'pg';
import { openDatabase } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { inTransaction } from '../src/db/tx.ts';
import { AuditLog } from '../src/modules/audit/audit.service.ts';
// @ts-expect-error plain JavaScript helper shared with the test runner
import { startPostgres } from '../scripts/pg.mjs';

const args = process.argv.slice(2);
const SECONDS = Number(args[args.indexOf('--seconds') + 1] || 10) || 10;
const CLIENTS = Number(args[args.indexOf('--clients') + 1] || 8) || 8;

const given = process.env.YIWANG_TEST_PG_URL || process.env.DATABASE_URL;
// startPostgres returns null without server binaries (initdb, pg_ctl) or when they cannot run here.
const started = (given ? null : await startPostgres()) as { url: string; stop(): void } | null;
const base = given || started?.url;
if (base) await bench(base);
else console.log('bench/audit: skipped: no PostgreSQL (set YIWANG_TEST_PG_URL or DATABASE_URL, or install the server binaries initdb and pg_ctl); this benchmark measures PostgreSQL only.');

async function bench(base: string): Promise<void> {
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  for (const d of ['yw_bench_audit', 'yw_bench_pgbench']) {
    await admin.query(`drop database if exists ${d} with (force)`);
    await admin.query(`create database ${d}`);
  }
  await admin.end();
  const url = (d: string) => Object.assign(new URL(base), { pathname: `/${d}` }).toString();

  // pgbench simple-update on the same cluster
  const pgbench = ['/usr/lib/postgresql/15/bin/pgbench', '/usr/local/bin/pgbench'].find((p) => existsSync(p));
  let pgbenchTps: number | undefined;
  if (pgbench) {
    const u = new URL(url('yw_bench_pgbench'));
    const conn = ['-h', u.hostname, '-p', u.port, '-U', u.username || 'postgres'];
    execFileSync(pgbench, ['-i', '-s', '10', '-q', ...conn, 'yw_bench_pgbench'], { stdio: 'ignore' });
    const out = execFileSync(pgbench, ['-N', '-c', String(CLIENTS), '-j', '2', '-T', String(SECONDS), ...conn, 'yw_bench_pgbench'], { encoding: 'utf8' });
    pgbenchTps = Number(/tps = ([\d.]+)/.exec(out)?.[1]);
  }

  const database = await openDatabase({ databaseUrl: url('yw_bench_audit'), poolSize: CLIENTS + 2 });
  const r = await migrateToLatest(database.db);
  if (r.error) throw new Error(r.error);
  await sql`create table bench_rows (id bigserial primary key, n integer not null, at timestamptz not null default now())`.execute(database.db);
  const audit = new AuditLog('bench-signing-key-bench-signing-key-0123');

  async function run(withAudit: boolean): Promise<number> {
    let done = 0;
    const end = Date.now() + SECONDS * 1000;
    await Promise.all(Array.from({ length: CLIENTS }, async (_, c) => {
      while (Date.now() < end) {
        await inTransaction(database.db, async (tx) => {
          await sql`insert into bench_rows (n) values (${c})`.execute(tx);
          if (withAudit) await audit.record(tx, { actor: { id: c, label: `staff:${c}` }, action: 'bench.write', entity: 'bench_row', after: { n: c } });
        });
        done++;
      }
    }));
    return done / SECONDS;
  }

  const plain = await run(false);
  const auditedNoSeal = await run(true);
  await audit.seal(database.db, 1_000_000);
  const stopSealer = audit.startSealer(database.db, 1000, (e) => console.error(e));
  const audited = await run(true);
  await stopSealer();
  await audit.seal(database.db, 1_000_000);
  const report = await audit.verify(database.db);
  await database.close();
  started?.stop();

  console.log(`machine: ${cpus().length} cores, node ${process.version}; PostgreSQL, ${CLIENTS} clients, ${SECONDS} s each`);
  if (pgbenchTps) console.log(`pgbench simple-update (-N):            ${pgbenchTps.toFixed(0)} tps`);
  console.log(`one-row write, no audit entry:         ${plain.toFixed(0)} tps`);
  console.log(`one-row write + audit entry (sealing): ${audited.toFixed(0)} tps  (${(audited / plain * 100).toFixed(0)} % of the plain write${pgbenchTps ? `, ${(audited / pgbenchTps).toFixed(2)} × pgbench -N` : ''})`);
  console.log(`(the same, sealer stopped:       ${auditedNoSeal.toFixed(0)} tps: linking costs ${((1 - audited / auditedNoSeal) * 100).toFixed(0)} %)`);
  console.log(`chain after the run: ${report.ok ? 'intact' : 'BROKEN'}, ${report.sealed} entries sealed`);
}
