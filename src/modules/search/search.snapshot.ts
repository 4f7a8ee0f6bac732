import { createHash, randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
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
 * changes after that `seq` exactly as the freshness check does (search.service.ts). Written atomically (temp + rename),
 * in pieces with the event loop free between them (`writeSnapshot`), by one process at a time (`takeWriteLock`).
 *
 * File: MAGIC, then frames (u32 little-endian length + `v8.serialize` bytes). Frame 0 is the header `{tag, seq}`
 * (`readSnapshotHeader` reads only it); the others are operations that rebuild the snapshot object: set a value at a
 * path, append items to an array, add entries to a Map, allocate a typed array and fill a range of it. Large arrays,
 * Maps and typed arrays are cut into pieces of about CHUNK_ITEMS items or CHUNK_BYTES bytes.
 */

/** Bumped when the snapshot layout changes (2: frames instead of one v8 value, 26 Nov 15:00). */
export const SNAPSHOT_FORMAT = 2;
const FILE = 'search-index.v8';
const LOCK = `${FILE}.lock`;
const MAGIC = Buffer.from('YWSNAP2\n');
const CHUNK_ITEMS = 4096;
const CHUNK_BYTES = 4 << 20;
/** A write lock older than this is taken to be left by a process that died while writing. */
const LOCK_STALE_MS = 10 * 60_000;

export interface SnapshotTag {
  format: number;
  /** See databaseIdentity. */
  database: string;
  /** See engineFingerprint. */
  engine: string;
}

export interface SnapshotHeader {
  tag: SnapshotTag;
  /** Last change number contained. */
  seq: number;
}

export interface SearchSnapshot extends SnapshotHeader {
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
  // In pages of STAMP_PAGE rows (keyset on the unique seq), the event loop free before each: on PGlite the database
  // runs in this process, and one query of 100k rows blocks it as long as it runs (a page of 10,000: 0.1–0.3 s).
  const out = new Map<string, string>();
  let after = 0;
  for (;;) {
    await new Promise((res) => setImmediate(res));
    const rows = await db.selectFrom('search_documents').select(['id', 'seq', STAMP.as('s')]).where('status', '=', 'active').where('seq', '>', String(after)).where('seq', '<=', String(seq)).orderBy('seq').limit(STAMP_PAGE).execute();
    for (const r of rows) out.set(r.id, r.s);
    if (rows.length < STAMP_PAGE) return out;
    after = Number(rows[rows.length - 1]!.seq);
  }
}
const STAMP_PAGE = 10_000;

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

/** Same format, database and engine: a snapshot with this tag can be loaded here. */
export function sameTag(a: SnapshotTag, b: SnapshotTag): boolean {
  return a.format === b.format && a.database === b.database && a.engine === b.engine;
}

/** Documents changed (published or withdrawn) after `seq`: what a process loading a snapshot of `seq` replays. */
export async function changesAfterCount(db: Kysely<DB>, seq: number): Promise<number> {
  const r = await db.selectFrom('search_documents').select(sql<string>`count(*)`.as('n')).where('seq', '>', String(seq)).executeTakeFirstOrThrow();
  return Number(r.n);
}

type Path = (string | number)[];
type Typed = Float64Array | Float32Array | Int32Array | Uint8Array | Uint16Array;
type Op =
  | ['set', Path, unknown]
  | ['push', Path, unknown[]]
  | ['entries', Path, [unknown, unknown][]]
  | ['typed', Path, string, number]
  | ['fill', Path, number, Typed];
const TYPED: Record<string, new (n: number) => Typed> = { Float64Array, Float32Array, Int32Array, Uint8Array, Uint16Array };

function frame(value: unknown): Buffer {
  const body = serialize(value);
  const len = Buffer.alloc(4);
  len.writeUInt32LE(body.length);
  return Buffer.concat([len, body]);
}

/**
 * The operations that rebuild `value` at `path`, large arrays, Maps and typed arrays in pieces (a generator: one piece
 * at a time); at a path in `frozen` its frames instead.
 */
function* operations(path: Path, value: unknown, frozen?: ReadonlyMap<string, Buffer[]>): Generator<Op | Buffer> {
  const f = frozen?.get(path.join('.'));
  if (f) {
    yield* f;
    return;
  }
  if (Array.isArray(value)) {
    if (value.length <= CHUNK_ITEMS) {
      yield ['set', path, value];
      return;
    }
    yield ['set', path, []];
    for (let i = 0; i < value.length; i += CHUNK_ITEMS) yield ['push', path, value.slice(i, i + CHUNK_ITEMS)];
  } else if (value instanceof Map) {
    if (value.size <= CHUNK_ITEMS) {
      yield ['set', path, value];
      return;
    }
    yield ['set', path, new Map()];
    let batch: [unknown, unknown][] = [];
    for (const e of value) {
      batch.push(e);
      if (batch.length === CHUNK_ITEMS) {
        yield ['entries', path, batch];
        batch = [];
      }
    }
    if (batch.length) yield ['entries', path, batch];
  } else if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const t = value as Typed;
    if (t.byteLength <= CHUNK_BYTES || !TYPED[t.constructor.name]) {
      yield ['set', path, t];
      return;
    }
    yield ['typed', path, t.constructor.name, t.length];
    const step = Math.max(1, Math.floor(CHUNK_BYTES / t.BYTES_PER_ELEMENT));
    for (let i = 0; i < t.length; i += step) yield ['fill', path, i, t.subarray(i, i + step)];
  } else if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    yield ['set', path, {}];
    for (const [k, v] of Object.entries(value)) yield* operations([...path, k], v, frozen);
  } else {
    yield ['set', path, value];
  }
}

function apply(root: Record<string, unknown>, op: Op): void {
  const path = op[1];
  let obj: Record<string | number, unknown> = root;
  for (let i = 0; i < path.length - 1; i++) obj = obj[path[i]!] as Record<string | number, unknown>;
  const key = path[path.length - 1]!;
  switch (op[0]) {
    case 'set':
      obj[key] = op[2];
      break;
    case 'push':
      for (const x of op[2]) (obj[key] as unknown[]).push(x);
      break;
    case 'entries':
      for (const [k, v] of op[2]) (obj[key] as Map<unknown, unknown>).set(k, v);
      break;
    case 'typed': {
      const C = TYPED[op[2]];
      if (!C) throw new Error('snapshot: unknown array type');
      obj[key] = new C(op[3]);
      break;
    }
    case 'fill':
      (obj[key] as Typed).set(op[3], op[2]);
      break;
  }
}

function isHeader(h: unknown): h is SnapshotHeader {
  const x = h as SnapshotHeader | null;
  return !!x && typeof x === 'object' && !!x.tag && typeof x.tag === 'object' && Number.isSafeInteger(x.seq);
}

/** The header of the snapshot in `dir` (its tag and seq; reads a few bytes), or undefined (missing, other format, corrupt). */
export function readSnapshotHeader(dir: string): SnapshotHeader | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(join(dir, FILE), 'r');
    const head = Buffer.alloc(MAGIC.length + 4);
    if (readSync(fd, head, 0, head.length, 0) < head.length || !head.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
    const len = head.readUInt32LE(MAGIC.length);
    if (len > 1 << 20) return undefined;
    const body = Buffer.alloc(len);
    if (readSync(fd, body, 0, len, head.length) < len) return undefined;
    const h = deserialize(body) as unknown;
    return isHeader(h) ? { tag: h.tag, seq: h.seq } : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Reads the snapshot in `dir` if it exists and carries `tag`; undefined otherwise (missing, other database, corrupt). */
export function readSnapshot(dir: string, tag: SnapshotTag): SearchSnapshot | undefined {
  const header = readSnapshotHeader(dir);
  if (!header || !sameTag(header.tag, tag)) return undefined;
  let buf: Buffer;
  try {
    buf = readFileSync(join(dir, FILE));
  } catch {
    return undefined;
  }
  try {
    let at = MAGIC.length;
    const next = (): unknown => {
      const len = buf.readUInt32LE(at);
      const v = deserialize(buf.subarray(at + 4, at + 4 + len)) as unknown;
      at += 4 + len;
      return v;
    };
    const h = next();
    if (!isHeader(h) || !sameTag(h.tag, tag)) return undefined;
    const root: Record<string, unknown> = {};
    while (at < buf.length) apply(root, next() as Op);
    const s = { ...root, tag: h.tag, seq: h.seq } as SearchSnapshot;
    if (!s.pub || !s.staff || !(s.stamps instanceof Map) || !Array.isArray(s.urls)) return undefined;
    return s;
  } catch {
    return undefined;
  }
}

/**
 * The exclusive right to write the snapshot in `dir` (a lock file created with O_EXCL): a release function, or
 * undefined while another process (or this one) holds it. A lock older than LOCK_STALE_MS (its holder died) is removed;
 * a release removes the lock file only if it is still the one this call wrote.
 */
export function takeWriteLock(dir: string): (() => void) | undefined {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, LOCK);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const mine = `${process.pid} ${new Date().toISOString()} ${randomBytes(8).toString('hex')}\n`;
      writeFileSync(path, mine, { flag: 'wx' });
      // Removed only while it is still this holder's: a write that outlived LOCK_STALE_MS may have been taken over.
      return () => {
        try {
          if (readFileSync(path, 'utf8') === mine) rmSync(path, { force: true });
        } catch {
          // already gone
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      try {
        if (Date.now() - statSync(path).mtimeMs <= LOCK_STALE_MS) return undefined;
        rmSync(path, { force: true });
      } catch {
        // removed meanwhile: try again
      }
    }
  }
  return undefined;
}

/**
 * Writes a snapshot atomically (temp file in the same directory, then rename) in pieces: one `v8.serialize` of a
 * piece (at most CHUNK_ITEMS items or CHUNK_BYTES) at a time, each written with an asynchronous write, so the event
 * loop serves requests between them. `snap` must not change while this runs (pass copies or views that stay as they
 * are: `SearchIndex.snapshotView` copies everything but the term Maps and the posting pool, a view the index leaves
 * unchanged until released; `frozen` holds, by path joined with dots, frames already serialized with
 * `frozenFrames`, e.g. of those Maps). `stop()` true between pieces abandons the write (false returned; the temp file
 * removed). Temp files older than an hour (left by a process that died while writing) are removed first.
 */
export async function writeSnapshot(dir: string, snap: SearchSnapshot, o: { frozen?: ReadonlyMap<string, Buffer[]>; stop?: () => boolean } = {}): Promise<boolean> {
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
  const fh = await open(tmp, 'w');
  let done = false;
  try {
    await fh.write(Buffer.concat([MAGIC, frame({ tag: snap.tag, seq: snap.seq })]));
    const { tag: _tag, seq: _seq, ...body } = snap;
    for (const [k, v] of Object.entries(body)) {
      for (const op of operations([k], v, o.frozen)) {
        if (o.stop?.()) return false;
        await fh.write(Buffer.isBuffer(op) ? op : frame(op));
      }
    }
    await fh.sync();
    await fh.close();
    if (o.stop?.()) return false;
    renameSync(tmp, join(dir, FILE));
    done = true;
    return true;
  } finally {
    if (!done) {
      await fh.close().catch(() => undefined);
      rmSync(tmp, { force: true });
    }
  }
}

/** Frames that rebuild `value` at `path`, serialized now (for values that change later, such as the live term Maps). */
export function frozenFrames(path: Path, value: unknown): Buffer[] {
  return [...operations(path, value)].map((op) => (Buffer.isBuffer(op) ? op : frame(op)));
}
