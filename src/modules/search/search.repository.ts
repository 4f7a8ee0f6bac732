import { sql } from 'kysely';
import type { Tx } from '../../db/tx.ts';
import type { DocType } from '../../nlp/search/types.ts';
import type { SearchDocumentsTable } from './search.types.ts';

type DocumentColumns = Omit<SearchDocumentsTable, 'seq' | 'updated_at'>;

/** A stored search document as the index needs it. */
export type StoredDoc = Omit<DocumentColumns, 'source_version'> & { seq: number };

/** A document as a writer stores it (the status and change number are the repository's). */
export type WriteRow = Omit<DocumentColumns, 'status'>;

/** Kept well below PGlite's bind-parameter limit (12 parameters a row). */
const CHUNK = 400;
/** Advisory lock key serialising writers, so change numbers commit in order (no reader can skip one). */
const WRITE_LOCK = 727_004_001;

const COLS = ['id', 'type', 'source_id', 'title', 'body', 'department', 'date', 'url', 'visibility', 'status', 'tokens', 'seq'] as const;

function toStored(r: Record<string, unknown>): StoredDoc {
  const tokens = typeof r.tokens === 'string' ? (JSON.parse(r.tokens) as { t: string; b: string }) : (r.tokens as { t: string; b: string });
  return { ...(r as unknown as StoredDoc), tokens, seq: Number(r.seq) };
}

/** SQL of the search module. Only this file imports Kysely. */
export const searchRepository = {
  /** Takes the writers' lock for the rest of the transaction. */
  async lockWrites(tx: Tx): Promise<void> {
    await sql`select pg_advisory_xact_lock(${WRITE_LOCK})`.execute(tx);
  },

  async versions(tx: Tx, ids: readonly string[]): Promise<Map<string, { version: string | null; status: string }>> {
    const out = new Map<string, { version: string | null; status: string }>();
    for (let i = 0; i < ids.length; i += 2000) {
      const part = ids.slice(i, i + 2000);
      if (!part.length) continue;
      const rows = await tx.selectFrom('search_documents').select(['id', 'source_version', 'status']).where('id', 'in', part).execute();
      for (const r of rows) out.set(r.id, { version: r.source_version, status: r.status });
    }
    return out;
  },

  /** Inserts or replaces documents (active), each with a new change number. */
  async upsert(tx: Tx, rows: readonly WriteRow[]): Promise<void> {
    for (let i = 0; i < rows.length; i += CHUNK) {
      const part = rows.slice(i, i + CHUNK);
      await tx
        .insertInto('search_documents')
        .values(part.map((r) => ({ ...r, tokens: JSON.stringify(r.tokens) as unknown as WriteRow['tokens'], status: 'active' as const, seq: sql<string>`nextval('search_documents_seq')` })))
        .onConflict((oc) =>
          oc.column('id').doUpdateSet((eb) => ({
            type: eb.ref('excluded.type'), source_id: eb.ref('excluded.source_id'), title: eb.ref('excluded.title'), body: eb.ref('excluded.body'),
            department: eb.ref('excluded.department'), date: eb.ref('excluded.date'), url: eb.ref('excluded.url'), visibility: eb.ref('excluded.visibility'),
            source_version: eb.ref('excluded.source_version'), tokens: eb.ref('excluded.tokens'), status: 'active', seq: eb.ref('excluded.seq'), updated_at: sql`now()`,
          })),
        )
        .execute();
    }
  },

  /** Marks documents withdrawn (kept as rows so every process sees the change); returns how many changed. */
  async withdraw(tx: Tx, ids: readonly string[]): Promise<number> {
    let n = 0;
    for (let i = 0; i < ids.length; i += 2000) {
      const part = ids.slice(i, i + 2000);
      if (!part.length) continue;
      const r = await tx.updateTable('search_documents').set({ status: 'withdrawn', seq: sql`nextval('search_documents_seq')`, updated_at: sql`now()` }).where('id', 'in', part).where('status', '=', 'active').executeTakeFirst();
      n += Number(r.numUpdatedRows);
    }
    return n;
  },

  async maxSeq(db: Tx): Promise<number> {
    const r = await db.selectFrom('search_documents').select(sql<string>`coalesce(max(seq), 0)`.as('m')).executeTakeFirstOrThrow();
    return Number(r.m);
  },

  /** Active documents with seq in (after, upto], in seq order, one page (keyset). */
  async activePage(db: Tx, after: number, upto: number, limit: number): Promise<StoredDoc[]> {
    const rows = await db.selectFrom('search_documents').select([...COLS]).where('status', '=', 'active').where('seq', '>', String(after)).where('seq', '<=', String(upto)).orderBy('seq').limit(limit).execute();
    return rows.map((r) => toStored(r as unknown as Record<string, unknown>));
  },

  /** Every change (active or withdrawn) after `after`, in seq order. Uses the unique index on seq. */
  async changesAfter(db: Tx, after: number, limit: number): Promise<StoredDoc[]> {
    const rows = await db.selectFrom('search_documents').select([...COLS]).where('seq', '>', String(after)).orderBy('seq').limit(limit).execute();
    return rows.map((r) => toStored(r as unknown as Record<string, unknown>));
  },

  async find(db: Tx, id: string): Promise<StoredDoc | undefined> {
    const r = await db.selectFrom('search_documents').select([...COLS]).where('id', '=', id).executeTakeFirst();
    return r ? toStored(r as unknown as Record<string, unknown>) : undefined;
  },

  async activeIdsOfType(db: Tx, type: DocType): Promise<string[]> {
    const rows = await db.selectFrom('search_documents').select('id').where('type', '=', type).where('status', '=', 'active').execute();
    return rows.map((r) => r.id);
  },

  async synonyms(db: Tx): Promise<{ term: string; expansions: string }[]> {
    return db.selectFrom('search_synonyms').select(['term', 'expansions']).orderBy('term').execute();
  },

  async synonymStamp(db: Tx): Promise<string> {
    const r = await db.selectFrom('search_synonyms').select([sql<string>`coalesce(max(updated_at)::text, '')`.as('m'), sql<string>`count(*)::text`.as('n')]).executeTakeFirstOrThrow();
    return `${r.m}/${r.n}`;
  },

  async replaceSynonyms(tx: Tx, rules: readonly { term: string; expansions: string }[]): Promise<void> {
    await tx.deleteFrom('search_synonyms').execute();
    for (let i = 0; i < rules.length; i += 1000) {
      const part = rules.slice(i, i + 1000);
      if (part.length) await tx.insertInto('search_synonyms').values(part.map((r) => ({ term: r.term, expansions: r.expansions }))).execute();
    }
  },

  async logMiss(db: Tx, query: string): Promise<void> {
    await db.insertInto('search_misses').values({ query }).execute();
  },

  async misses(db: Tx, since: Date, limit: number): Promise<{ query: string; n: number; last: Date }[]> {
    const rows = await db.selectFrom('search_misses').select(['query', sql<string>`count(*)`.as('n'), sql<Date>`max(at)`.as('last')]).where('at', '>=', since).groupBy('query').orderBy(sql`count(*)`, 'desc').orderBy('query').limit(limit).execute();
    return rows.map((r) => ({ query: r.query, n: Number(r.n), last: new Date(r.last) }));
  },

  async cursor(db: Tx, source: string): Promise<string | undefined> {
    const r = await db.selectFrom('search_sync_state').select('cursor').where('source', '=', source).executeTakeFirst();
    return r?.cursor;
  },

  async setCursor(tx: Tx, source: string, cursor: string): Promise<void> {
    await tx.insertInto('search_sync_state').values({ source, cursor }).onConflict((oc) => oc.column('source').doUpdateSet({ cursor, updated_at: sql`now()` })).execute();
  },
};
