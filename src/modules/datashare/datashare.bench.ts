// Sharing and quality figures: `npx tsx src/modules/datashare/datashare.bench.ts [records=10000] [calls=300] [runs=3]`.
// In-memory PGlite, the demo city and catalogue; then (1) sequential keyed reads through `access()` (key check,
// rate-limit count, approval lookup, record read, Ed25519-signed log insert, one transaction each) and (2) a quality run
// over `records` generated 居民户籍 rows. Prints medians of `runs` runs and the machine.
import { cpus, loadavg, tmpdir } from 'node:os';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig } from '../../config.ts';
import { openDatabase } from '../../db/database.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import { createServices } from '../../services.ts';
import { DEMO_CITIZEN, seedDemo } from '../demo/demo.seed.ts';
import { SYSTEM } from '../identity/permissions.ts';
import { seedDatashareDemo } from './datashare.seed.ts';
import { addDays } from '../../lib/calendar/index.ts';
import { idNumberCheckChar } from '../../lib/cn/index.ts';

const RECORDS = Number(process.argv[2] ?? 10_000);
const CALLS = Number(process.argv[3] ?? 300);
const RUNS = Number(process.argv[4] ?? 3);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const database = await openDatabase({});
const m = await migrateToLatest(database.db);
if (m.error) throw new Error(m.error);
const config = parseConfig({}, { YIWANG_DATA_DIR: mkdtempSync(join(tmpdir(), 'yiwang-bench-')), NODE_ENV: 'test', YIWANG_LOG_LEVEL: 'silent' });
const services = await createServices(config, database);
await seedDemo(services);
await seedDatashareDemo(services, DEMO_CITIZEN);
const svc = services.datashare;
const sys = await svc.registerSystem(SYSTEM, { departmentId: (await services.identity.departments())[0]!.id, name: 'bench', ratePerMinute: 10_000 });
if (!sys.ok) throw new Error(sys.error.code);
const req = await svc.requestAccess(SYSTEM, { systemId: sys.value.system.id, resource: 'PSB-HUJI', fields: ['name', 'address'], purpose: 'bench', legalBasis: 'bench', periodTo: '2099-12-31' });
if (!req.ok) throw new Error(`${req.error.code} ${JSON.stringify(req.error.fields)}`);
await svc.decide(SYSTEM, req.value.id, 'approve');

const perSecond: number[] = [];
for (let r = 0; r < RUNS; r++) {
  const t0 = performance.now();
  for (let i = 0; i < CALLS; i++) {
    const a = await svc.access(sys.value.apiKey, 'PSB-HUJI', DEMO_CITIZEN.idNumber, ['name']);
    if (!a.ok) throw new Error(a.error.code);
  }
  perSecond.push(CALLS / ((performance.now() - t0) / 1000));
}

// Quality: RECORDS rows built from the demo generator (repeated with distinct keys).
const huji = (await svc.catalogue(SYSTEM));
if (!huji.ok) throw new Error('catalogue');
const resource = huji.value.find((r) => r.code === 'PSB-HUJI')!;
const rows = Array.from({ length: RECORDS }, (_, i) => {
  const birth = addDays('1950-01-01', Math.floor(i / 900));
  const body = `430102${birth.replace(/-/g, '')}${String(100 + (i % 900)).padStart(3, '0')}`;
  let idNumber = body + idNumberCheckChar(body);
  let mobile = `139${String(10_000_000 + i).slice(-8)}`;
  // About 2% faulty cells: a space, a wrong check digit, a +86 prefix.
  if (i % 150 === 1) idNumber = ` ${idNumber}`;
  if (i % 150 === 2) idNumber = `${idNumber.slice(0, 17)}${idNumber.endsWith('1') ? '2' : '1'}`;
  if (i % 150 === 3) mobile = `+86${mobile}`;
  return { idNumber, name: `居民${i}`, sex: i % 2 ? '男' : '女', birthDate: birth, regionCode: '430102', address: `A市芙蓉区幸福路${i}号`, mobile };
});
const loaded = await svc.loadRecords(SYSTEM, resource.id, rows);
if (!loaded.ok) throw new Error('load');
const qualityRows: number[] = [];
let lastFindings = 0;
let total = 0;
for (let r = 0; r < RUNS; r++) {
  const t0 = performance.now();
  const q = await svc.runQuality(SYSTEM, resource.id);
  if (!q.ok) throw new Error(q.error.code);
  lastFindings = q.value.findings;
  total = q.value.run.total_rows;
  qualityRows.push(total / ((performance.now() - t0) / 1000));
}

console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, Node ${process.version}, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
console.log(`keyed access (PGlite, sequential, ${CALLS} calls × ${RUNS}): median ${median(perSecond).toFixed(0)} calls/s (${(1000 / median(perSecond)).toFixed(2)} ms per call incl. signed log)`);
console.log(`quality run (${total} records, 7 checks on 5 fields, findings stored: ${lastFindings}): median ${median(qualityRows).toFixed(0)} records/s`);
await database.close();
