// Builds datasets/gb2260/regions.tsv (the compact table read by src/lib/cn/region.ts) from the copied sources in
// datasets/gb2260/source/. Run from the repository root:  node datasets/gb2260/build.mjs
// Deterministic: same sources, same output. See PROVENANCE.md for the rules.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const src = (f) => join(here, 'source', f);

/** Minimal CSV reader for these files (quoted fields without embedded commas or quotes). */
function readCsv(file) {
  const lines = readFileSync(file, 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.length > 0);
  const header = lines[0].split(',');
  return lines.slice(1).map((l) => {
    const cells = l.split(',').map((c) => c.replace(/^"(.*)"$/, '$1'));
    return Object.fromEntries(header.map((h, i) => [h, cells[i] ?? '']));
  });
}

/** @type {Map<string, {code:string, level:string, current:boolean, first:string, last:string, names:string[], source:string}>} */
const out = new Map();

for (const r of readCsv(src('gb2260_mca_all_revisions_1980_201904.csv'))) {
  out.set(r.code, {
    code: r.code,
    level: r.level,
    current: false, // decided below from the NBS 2023 lists
    first: r.first_revision,
    last: r.last_revision,
    names: r.names.split('|'),
    source: 'mca',
    mcaCurrent: r.in_current === '1',
  });
}

// "Current" = present in the NBS 2023 statistical division lists (cut-off 2023-06-30), which are newer than the
// MCA 2019-04 revision. NBS lists its municipal "市辖区" groupings (1101 …) as cities: those are not GB/T 2260 rows.
const nbs = new Map();
for (const r of readCsv(src('stats2023_provinces.csv'))) nbs.set(r.code + '0000', { name: r.name, level: 'province' });
for (const r of readCsv(src('stats2023_cities.csv'))) {
  if (r.name === '市辖区' || r.name === '县') continue;
  nbs.set(r.code + '00', { name: r.name, level: 'prefecture' });
}
for (const r of readCsv(src('stats2023_counties.csv'))) {
  if (r.name === '市辖区') continue;
  nbs.set(r.code, { name: r.name, level: 'county' });
}

let nbsOnly = 0;
let statistical = 0;
for (const [code, n] of nbs) {
  const e = out.get(code);
  if (e) {
    e.current = true;
    if (e.names[e.names.length - 1] !== n.name && !e.names.includes(n.name)) e.names.push(n.name);
    continue;
  }
  // Codes created after 2019-04 (county mergers, new districts) and NBS-only functional zones. NBS numbers its
  // development zones, new areas etc. with 7x in digits 5-6 (8x are county-level cities) ("statistical"): they are not GB/T 2260 codes and
  // no ID number carries them.
  const isStat = n.level === 'county' && code.slice(4, 5) === '7';
  if (isStat) statistical++;
  nbsOnly++;
  out.set(code, {
    code,
    level: n.level,
    current: true,
    first: '2023',
    last: '2023',
    names: [n.name],
    source: isStat ? 'nbs2023-statistical' : 'nbs2023',
  });
}

// The published GB/T 2260 standard (and the NBS versions of it before 2020) lists a "市辖区" row xxxx01 under each
// prefecture-level city; ID numbers issued in the 1980s-90s carry such codes (e.g. 440301 深圳市市辖区). The MCA
// lists used above omit them, so they are added for prefecture-level cities (names ending in 市) that had them.
let shixiaqu = 0;
for (const e of [...out.values()]) {
  if (e.level !== 'prefecture' || e.source !== 'mca') continue;
  if (!e.names.some((n) => n.endsWith('市'))) continue;
  const code = e.code.slice(0, 4) + '01';
  if (out.has(code)) continue;
  shixiaqu++;
  out.set(code, { code, level: 'county', current: false, first: e.first, last: e.last, names: ['市辖区'], source: 'gbt2260-shixiaqu' });
}

const rows = [...out.values()].sort((a, b) => (a.code < b.code ? -1 : 1));
const lines = ['code\tlevel\tcurrent\tfirst\tlast\tsource\tnames'];
for (const e of rows) {
  lines.push([e.code, e.level, e.current ? 1 : 0, e.first, e.last, e.source, e.names.join('|')].join('\t'));
}
writeFileSync(join(here, 'regions.tsv'), lines.join('\n') + '\n');
const mcaCurrentNotNbs = rows.filter((e) => e.mcaCurrent && !e.current).length;
process.stdout.write(
  `regions.tsv: ${rows.length} codes (${rows.filter((e) => e.current).length} current; ` +
    `${nbsOnly} NBS-2023-only of which ${statistical} statistical; ${shixiaqu} 市辖区 rows added; ` +
    `${mcaCurrentNotNbs} current in MCA 2019-04 but gone by NBS 2023)\n`,
);
