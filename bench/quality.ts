// Data-quality checker throughput: `npx tsx bench/quality.ts [rows=1000000] [runs=5]`.
// Generates a CSV of synthetic people (valid ID numbers from real GB/T 2260 codes, phones, dates, region codes,
// credit codes) with about 2% faults, then streams it through `checkCsv` from disk, one checked column and then
// all six, printing the median rows per second of several runs. The file is written to the OS temp directory and
// removed at the end.
import { createReadStream, createWriteStream, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { idNumberCheckChar } from '../src/lib/cn/id-number.ts';
import { REGION_TABLE_URL } from '../src/lib/cn/region.ts';
import { usccCheckChar, orgCodeCheckChar } from '../src/lib/cn/uscc.ts';
import { checkCsv, createCsvParser, findDuplicates, type ColumnCheck } from '../src/lib/quality/index.ts';
import { mulberry32 } from '../src/lib/random.ts';

const ROWS = Number(process.argv[2] ?? 1_000_000);
const RUNS = Number(process.argv[3] ?? 5);
const file = join(tmpdir(), `yiwang-quality-bench-${process.pid}.csv`);

// Deterministic PRNG (mulberry32) so every run checks the same file.
const rand = mulberry32(20251001);
const pick = <T>(a: readonly T[]): T => a[Math.floor(rand() * a.length)] as T;
const digits = (n: number): string => Array.from({ length: n }, () => Math.floor(rand() * 10)).join('');

const counties = readFileSync(REGION_TABLE_URL, 'utf8')
  .split('\n')
  .slice(1)
  .map((l) => l.split('\t'))
  .filter((c) => c[1] === 'county' && c[2] === '1' && c[5] === 'mca')
  .map((c) => c[0] as string);
const surnames = [...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗'];
const given = [...'伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂'];

async function generate(): Promise<void> {
  const out = createWriteStream(file);
  out.write('姓名,身份证号,手机号,出生日期,行政区划,统一社会信用代码\n');
  let buf = '';
  for (let i = 0; i < ROWS; i++) {
    const y = 1940 + Math.floor(rand() * 80);
    const m = 1 + Math.floor(rand() * 12);
    const d = 1 + Math.floor(rand() * 28);
    const birth = `${y}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}`;
    const region = pick(counties);
    const body = region + birth + digits(3);
    let id = body + idNumberCheckChar(body);
    let phone = `1${pick(['3', '5', '7', '8', '9'])}${digits(9)}`;
    let date = `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6)}`;
    const org = digits(8);
    const u17 = `91${region}${org}${orgCodeCheckChar(org)}`;
    let uscc = u17 + usccCheckChar(u17);
    const fault = rand();
    if (fault < 0.005) id = id.slice(0, 10) + ((Number(id[10]) + 1) % 10) + id.slice(11); // checksum error
    else if (fault < 0.01) id = id.toLowerCase() + ' ';
    else if (fault < 0.015) phone = `+86 ${phone}`;
    else if (fault < 0.02) date = date.replaceAll('-', '/');
    else if (fault < 0.022) uscc = uscc.slice(0, 17) + '0';
    buf += `${pick(surnames)}${pick(given)}${rand() < 0.5 ? pick(given) : ''},${id},${phone},${date},${region},${uscc}\n`;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.end(buf);
  await once(out, 'finish');
}

async function measure(columns: ColumnCheck[]): Promise<{ rowsPerSec: number; rowsPerCpuSec: number; findings: number }> {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  let findings = 0;
  const r = await checkCsv(createReadStream(file, { highWaterMark: 1 << 20 }), { columns, today: '2026-11-26' }, (b) => {
    findings += b.length;
  });
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(c0);
  if (!r.ok || r.summary.rows !== ROWS) throw new Error(`bench run failed: ${JSON.stringify(r)}`);
  return { rowsPerSec: ROWS / secs, rowsPerCpuSec: ROWS / ((cpu.user + cpu.system) / 1e6), findings };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? (s[h] as number) : ((s[h - 1] as number) + (s[h] as number)) / 2;
};

await generate();
const mb = statSync(file).size / 1e6;
console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`);
console.log(`load average at start: ${loadavg().map((x) => x.toFixed(1)).join(' ')} (the machine is shared; wall-clock figures fall with load)`);
console.log(`file: ${ROWS.toLocaleString('en')} rows, ${mb.toFixed(1)} MB UTF-8, ~2% faulty cells; ${RUNS} runs each, median`);
const scenarios: [string, ColumnCheck[]][] = [
  ['parse only (required on 姓名)', [{ column: '姓名', kind: 'required' }]],
  ['cn-id', [{ column: '身份证号', kind: 'cn-id' }]],
  ['cn-uscc', [{ column: '统一社会信用代码', kind: 'cn-uscc' }]],
  ['cn-mobile', [{ column: '手机号', kind: 'cn-mobile' }]],
  ['date', [{ column: '出生日期', kind: 'date' }]],
  ['region-code', [{ column: '行政区划', kind: 'region-code' }]],
  [
    'all 6 columns',
    [
      { column: '姓名', kind: 'required' },
      { column: '身份证号', kind: 'cn-id' },
      { column: '手机号', kind: 'cn-mobile' },
      { column: '出生日期', kind: 'date' },
      { column: '行政区划', kind: 'region-code' },
      { column: '统一社会信用代码', kind: 'cn-uscc' },
    ],
  ],
];
try {
  for (const [name, cols] of scenarios) {
    const rates: number[] = [];
    const cpuRates: number[] = [];
    let findings = 0;
    for (let i = 0; i < RUNS; i++) {
      const r = await measure(cols);
      rates.push(r.rowsPerSec);
      cpuRates.push(r.rowsPerCpuSec);
      findings = r.findings;
    }
    const med = median(rates);
    console.log(
      `${name.padEnd(30)} ${Math.round(med).toLocaleString('en').padStart(10)} rows/s` +
        `  (${Math.round(med * cols.length).toLocaleString('en')} cell checks/s; min ${Math.round(Math.min(...rates)).toLocaleString('en')}, ` +
        `max ${Math.round(Math.max(...rates)).toLocaleString('en')}; per CPU-second ${Math.round(median(cpuRates)).toLocaleString('en')} rows; ` +
        `${findings.toLocaleString('en')} findings)`,
    );
  }
  // Duplicate detection in memory: the first 200k rows plus 2,000 re-entered copies (spaces, lower-case x, +86).
  const text = readFileSync(file, 'utf8');
  const people: Record<string, string>[] = [];
  const DUP_ROWS = Math.min(ROWS, 200_000);
  let header: string[] | undefined;
  const parser = createCsvParser(',', (f) => {
    if (!header) header = f;
    else if (people.length < DUP_ROWS) people.push(Object.fromEntries(header.map((h, i) => [h, f[i] ?? ''])));
  });
  parser.push(text.slice(0, Math.min(text.length, (DUP_ROWS + 10) * 90)));
  parser.end();
  for (let i = 0; i < 2000 && i * 50 < people.length; i++) {
    const p = people[i * 50] as Record<string, string>;
    people.push({ ...p, 姓名: ` ${p['姓名'] ?? ''}`, 身份证号: (p['身份证号'] ?? '').toLowerCase(), 手机号: `+86 ${p['手机号'] ?? ''}` });
  }
  const dupRates: number[] = [];
  let found = 0;
  for (let i = 0; i < Math.min(RUNS, 3); i++) {
    const t0 = process.hrtime.bigint();
    const rep = findDuplicates(people, { columns: { name: '姓名', idNumber: '身份证号', phone: '手机号', birthDate: '出生日期' }, today: '2026-11-26' });
    dupRates.push(people.length / (Number(process.hrtime.bigint() - t0) / 1e9));
    const planted = people.length - DUP_ROWS;
    found = rep.pairs.filter((p) => p.b >= people.length - planted).length;
  }
  console.log(
    `${'findDuplicates (in memory)'.padEnd(30)} ${Math.round(median(dupRates)).toLocaleString('en').padStart(10)} rows/s  ` +
      `(${people.length.toLocaleString('en')} rows, ${found} of the 2,000 planted copies paired)`,
  );

  // End to end through the command, JSON Lines to /dev/null (includes ~0.5 s of process start and tsx loading).
  const bin = fileURLToPath(new URL('../bin/yiwang.js', import.meta.url));
  const rates: number[] = [];
  for (let i = 0; i < Math.min(RUNS, 3); i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [bin, 'quality', 'check', file, '--column', '身份证号=cn-id', '--today', '2026-11-26'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    if (r.status !== 0) throw new Error(`CLI failed: ${String(r.stderr)}`);
    rates.push(ROWS / (Number(process.hrtime.bigint() - t0) / 1e9));
  }
  console.log(`${'CLI yiwang quality check cn-id'.padEnd(30)} ${Math.round(median(rates)).toLocaleString('en').padStart(10)} rows/s  (whole process, ${rates.length} runs)`);
} finally {
  rmSync(file, { force: true });
}
