import type { Generated } from 'kysely';
import type { DocType } from '../../nlp/search/types.ts';

export interface SearchDocumentsTable {
  id: string;
  type: DocType;
  source_id: string;
  title: string;
  body: string;
  department: string | null;
  date: string | null;
  url: string | null;
  visibility: 'public' | 'staff';
  status: 'active' | 'withdrawn';
  source_version: string | null;
  /** The engine's analysed token streams: {"t": titleTokens, "b": bodyTokens}. */
  tokens: { t: string; b: string };
  seq: string | number | bigint;
  updated_at: Generated<Date>;
}

export interface SearchSynonymsTable {
  id: Generated<number>;
  term: string;
  /** Expansions separated by spaces or commas. */
  expansions: string;
  updated_at: Generated<Date>;
}

export interface SearchMissesTable {
  id: Generated<string>;
  query: string;
  at: Generated<Date>;
}

export interface SearchSyncStateTable {
  source: string;
  cursor: string;
  updated_at: Generated<Date>;
}

declare module '../../db/types.ts' {
  interface DB {
    search_documents: SearchDocumentsTable;
    search_synonyms: SearchSynonymsTable;
    search_misses: SearchMissesTable;
    search_sync_state: SearchSyncStateTable;
  }
}

/** A document as a module publishes it to the unified search. */
export interface PublishDoc {
  type: DocType;
  /** The id in its source (policy docid, service code, disclosure document id, ticket id, article id). */
  sourceId: string;
  title: string;
  body: string;
  department?: string | null;
  date?: string | null;
  url?: string | null;
  /** Staff-only documents never appear in public search. Default public. */
  visibility?: 'public' | 'staff';
  /** Opaque version of the source record (e.g. its updated_at); an unchanged version is not rewritten. */
  sourceVersion?: string | null;
}

/** The search id of a source record: `<type>:<sourceId>`. */
export function searchId(type: DocType, sourceId: string): string {
  return `${type}:${sourceId}`;
}

/** The source id inside a search id (`policy:abc` → `abc`). */
export function sourceIdOf(id: string): string {
  const i = id.indexOf(':');
  return i < 0 ? id : id.slice(i + 1);
}
