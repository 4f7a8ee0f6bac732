/**
 * Everyday phrasings on the demo data: hit@1 and hit@5 for the service a citizen means, from `bench/search-everyday.jsonl`
 * (written on 27 Nov before the query-analysis change it first measured). Since the H10 change of 27 Nov (synonyms
 * and the need boost, chosen after reading this list's misses) its figures are TUNING figures, not held out: the
 * held-out check is the validation split of bench/search.ts.
 *
 *   npx tsx bench/search-everyday.ts [--rows /tmp/rows.json] [--misses]
 *
 * Builds the demo database as `yiwang demo` does (PGlite scratch: demo seed, one-stop catalogue, knowledge, the 599
 * policies, then syncSources) and searches the public index with the default synonyms. With --rows FILE the public
 * index rows are cached in FILE (built once, then read), so a re-run takes seconds. A line is a hit when any of its
 * `expect` item codes (or search ids) is among the first 1 / 5 hits.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SYNONYMS } from '../src/lib/text/synonyms.ts';
import { SearchIndex } from '../src/nlp/search/SearchIndex.ts';
import type { IndexRow } from '../src/nlp/search/types.ts';

const args = process.argv.slice(2);
const rowsAt = args.indexOf('--rows');
const rowsFile = rowsAt >= 0 ? args[rowsAt + 1] : undefined;
const showMisses = args.includes('--misses');

interface Case { q: string; expect: string[] }
const cases: Case[] = readFileSync(new URL('./search-everyday.jsonl', import.meta.url), 'utf8')
  .split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as Case);

async function demoRows(): Promise<IndexRow[]> {
  const { parseConfig } = await import('../src/config.ts');
  const { openScratchDatabase } = await import('../src/db/scratch.ts');
  const { createServices } = await import('../src/services.ts');
  const { seedDemo } = await import('../src/modules/demo/demo.seed.ts');
  const { seedServices } = await import('../src/modules/onestop/onestop.module.ts');
  const { seedKnowledgeDemo } = await import('../src/modules/knowledge/knowledge.seed.ts');
  const { seedSearchDemo } = await import('../src/modules/search/search.seed.ts');
  const { syncSources } = await import('../src/modules/search/search.sources.ts');
  const dataDir = mkdtempSync(join(tmpdir(), 'yiwang-bench-everyday-'));
  const database = await openScratchDatabase('pglite');
  const config = parseConfig({}, { YIWANG_DATA_DIR: dataDir, NODE_ENV: 'production', YIWANG_LOG_LEVEL: 'silent', YIWANG_SECURE_COOKIES: '0' });
  const services = await createServices(config, database);
  await seedDemo(services);
  await seedServices(services);
  await seedKnowledgeDemo(services);
  await seedSearchDemo(services);
  await syncSources(services);
  await services.search.refresh();
  const rows = (services.search as unknown as { publicIndex: SearchIndex }).publicIndex.toRows();
  await database.close();
  rmSync(dataDir, { recursive: true, force: true });
  return rows;
}

let rows: IndexRow[];
if (rowsFile && existsSync(rowsFile)) rows = JSON.parse(readFileSync(rowsFile, 'utf8')) as IndexRow[];
else {
  rows = await demoRows();
  if (rowsFile) writeFileSync(rowsFile, JSON.stringify(rows));
}
const index = SearchIndex.fromRows(rows, { synonyms: [...DEFAULT_SYNONYMS] });

let at1 = 0;
let at5 = 0;
const missLines: string[] = [];
for (const c of cases) {
  const hits = index.search(c.q, { top: 5, noSnippets: true }).hits;
  const ids = hits.map((h) => h.id);
  const rank = ids.findIndex((id) => c.expect.some((e) => id === e || id === `service:${e}`));
  if (rank === 0) at1++;
  if (rank >= 0) at5++;
  if (rank !== 0) missLines.push(`${rank < 0 ? 'miss' : `@${rank + 1}`}  ${c.q}  → ${hits.slice(0, 3).map((h) => `${h.id} ${h.title.slice(0, 24)}`).join(' | ')}`);
}
console.log(`# everyday phrasings on the demo data (${index.size} documents), load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
console.log(`n=${cases.length}  hit@1 ${(at1 / cases.length).toFixed(3)} (${at1})  hit@5 ${(at5 / cases.length).toFixed(3)} (${at5})`);
if (showMisses) for (const l of missLines) console.log(l);
