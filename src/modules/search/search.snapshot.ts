import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/types.ts';
import { SearchIndex, type SearchIndexSnapshot } from '../../nlp/search/SearchIndex.ts';
import type { IndexRow } from '../../nlp/search/types.ts';

/**
 * Snapshots of the built search indexes, so that a process (or cluster worker) starts from a file instead of
 * re-indexing the whole table. A snapshot is tagged with the database it was built from (`databaseIdentity`), the
 * engine that built it (`engineFingerprint`) and the last change number (`seq`) it contains; the loader applies the
 * changes after that `seq` exactly as the freshness check does (search.service.ts). Written atomically (temp + rename).
 */

/** Bumped when the snapshot layout changes. */
export const SNAPSHOT_FORMAT = 1;
const FILE = 'search-index.v8';

export interface SnapshotTag {
  format: number;
  /** See databaseIdentity. */
  database: string;
  /** See engineFingerprint. */
  engine: string;
}

export interface SearchSnapshot {
  tag: SnapshotTag;
  /** Last change number contained. */
  seq: number;
  pub: SearchIndexSnapshot;
  staff: SearchIndexSnapshot;
  urls: [string, string][];
  /** See stampsUpTo. */
  stamps: Map<string, string>;
}

/**
 * Identity of the database: cluster system identifier (differs per initdb, PGlite included), database name and oid,
 * and the oid of `search_documents` (a dropped and re-created table or database gets a new one); the system
 * identifier is left empty without permission for `pg_control_system()`. A copy of a database (a restored image)
 * can carry the same identity: `verifySnapshot` checks the contents too.
 */
export async function databaseIdentity(db: Kysely<DB>): Promise<string | undefined> {
  let system = '';
  try {
    const r = await sql<{ s: string }>`select system_identifier::text as s from pg_control_system()`.execute(db);
    system = r.rows[0]?.s ?? '';
  } catch {
    // no permission: the other parts and verifySnapshot still apply
  }
  try {
    const r = await sql<{ d: string; o: string; t: string }>`select current_database() as d, (select oid::text from pg_database where datname = current_database()) as o, 'search_documents'::regclass::oid::text as t`.execute(db);
    const row = r.rows[0];
    return row ? `${system}/${row.d}/${row.o}/${row.t}` : undefined;
  } catch {
    return undefined;
  }
}

const PROBE_ROWS: IndexRow[] = [
  { id: 'policy:a', type: 'policy', title: '居住证办理指南', body: '申请居住证需要提供身份证和居住证明。', titleTokens: '居住证 办理 指南', bodyTokens: '申请 居住证 需要 提供 身份证 和 居住 证明 。', department: '公安局', date: '2024-01-02' },
  { id: 'service:b', type: 'service', title: '社保卡补办', body: 'Social security card replacement 社保卡 遗失 补办', titleTokens: '社保卡 补办', bodyTokens: 'social security card replacement 社保卡 遗失 补办', date: '2025-06-30' },
  { id: 'knowledge:c', type: 'knowledge', title: '的 了 是', body: '', titleTokens: '的 了 是', bodyTokens: '' },
];
let fingerprint: string | undefined;

/**
 * Fingerprint of the indexing code and settings: a hash of the snapshot of a small fixed index. Changes when how rows
 * become postings changes (tokenising into terms, bigrams, stop words, packing, default ranking parameters), so a
 * snapshot written by another engine version is not loaded.
 */
export function engineFingerprint(): string {
  fingerprint ??= createHash('sha256').update(serialize(SearchIndex.fromRows(PROBE_ROWS).toSnapshot())).digest('hex').slice(0, 16);
  return fingerprint;
}

export async function currentTag(db: Kysely<DB>): Promise<SnapshotTag | undefined> {
  const database = await databaseIdentity(db);
  return database ? { format: SNAPSHOT_FORMAT, database, engine: engineFingerprint() } : undefined;
}

const STAMP = sql<string>`seq::text || '/' || (extract(epoch from updated_at) * 1000000)::bigint::text`;

/**
 * `seq/updated_at` of the active documents not changed since `seq` (id → stamp), stored in the snapshot so that the
 * loader can check it against the table (`verifySnapshot`).
 */
export async function stampsUpTo(db: Kysely<DB>, seq: number): Promise<Map<string, string>> {
  const rows = await db.selectFrom('search_documents').select(['id', STAMP.as('s')]).where('status', '=', 'active').where('seq', '<=', String(seq)).execute();
  return new Map(rows.map((r) => [r.id, r.s]));
}

/**
 * Checks a snapshot's documents against the table (one scan of id, seq, status, updated_at): every indexed document
 * must exist; one not changed since the snapshot (seq ≤ its seq) must be active with the stamp recorded at writing;
 * and every active document not changed since must be indexed. Catches a snapshot from another database that carries
 * the same identity (a copied data directory or image that then diverged), a table rolled back, or a corrupt file.
 */
export async function verifySnapshot(db: Kysely<DB>, seq: number, indexed: Iterable<string>, stamps: ReadonlyMap<string, string>): Promise<boolean> {
  const rows = await db.selectFrom('search_documents').select(['id', 'seq', 'status', STAMP.as('s')]).execute();
  const byId = new Map<string, { seq: number; active: boolean; s: string }>();
  let unchangedActive = 0;
  for (const r of rows) {
    const q = Number(r.seq);
    byId.set(r.id, { seq: q, active: r.status === 'active', s: r.s });
    if (q <= seq && r.status === 'active') unchangedActive++;
  }
  let indexedUnchanged = 0;
  for (const id of indexed) {
    const r = byId.get(id);
    if (!r) return false;
    if (r.seq > seq) continue; // changed after the snapshot: the changes replace it
    if (!r.active || stamps.get(id) !== r.s) return false;
    indexedUnchanged++;
  }
  return indexedUnchanged === unchangedActive;
}

function sameTag(a: SnapshotTag, b: SnapshotTag): boolean {
  return a.format === b.format && a.database === b.database && a.engine === b.engine;
}

/** Reads the snapshot in `dir` if it exists and carries `tag`; undefined otherwise (missing, other database, corrupt). */
export function readSnapshot(dir: string, tag: SnapshotTag): SearchSnapshot | undefined {
  let buf: Buffer;
  try {
    buf = readFileSync(join(dir, FILE));
  } catch {
    return undefined;
  }
  try {
    const s = deserialize(buf) as SearchSnapshot;
    if (!s || typeof s !== 'object' || !s.tag || !sameTag(s.tag, tag) || !Number.isSafeInteger(s.seq) || !(s.stamps instanceof Map) || !Array.isArray(s.urls)) return undefined;
    return s;
  } catch {
    return undefined;
  }
}

/**
 * Writes a snapshot atomically (temp file in the same directory, then rename). Temp files older than an hour (left by
 * a process that died while writing) are removed first.
 */
export function writeSnapshot(dir: string, snap: SearchSnapshot): void {
  mkdirSync(dir, { recursive: true });
  for (const f of readdirSync(dir)) {
    if (!f.startsWith(`${FILE}.`) || !f.endsWith('.tmp')) continue;
    try {
      if (Date.now() - statSync(join(dir, f)).mtimeMs > 3_600_000) rmSync(join(dir, f), { force: true });
    } catch {
      // removed by another process meanwhile
    }
  }
  const tmp = join(dir, `${FILE}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    writeFileSync(tmp, serialize(snap));
    renameSync(tmp, join(dir, FILE));
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}
