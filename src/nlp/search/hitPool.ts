import type { SearchIndex } from './SearchIndex.ts';
import type { DocType, QueryTerm, SearchHit, SearchResult } from './types.ts';

/** The part of a search result that `HitPool.top` gives: the hits and the question's query terms. */
export type PooledHits = Pick<SearchResult, 'hits' | 'terms'>;

/**
 * The hits of one question, searched once (the best `size` hits of every type, without snippets) and then served
 * for any type filter: `top(n, types)` returns what `index.search(question, {top: n, type: types, noSnippets: true})`
 * returns as hits and terms. That holds because a hit's score does not depend on the type filter (the filter only
 * selects among the same scores, ties broken by id; see SearchIndex.search), so the first `n` hits of some types
 * are the first `n` hits of those types in the pool. When the pool cannot tell — `n` > `size`, or the pool is full
 * and holds fewer than `n` of those types — the index is searched again.
 *
 * Used by answer() (AnswerOptions.pool) so that the module's curated check and the engine's searches for one
 * question cost one search (search.service.ts, answerFrom). The search time (freshness) is that of the first call.
 */
export class HitPool {
  private base: SearchResult | undefined;

  constructor(
    readonly index: SearchIndex,
    readonly question: string,
    readonly size: number,
  ) {}

  /** The first `top` hits of `types` (every type when undefined) for the question, best first, and its terms. */
  top(top: number, types?: readonly DocType[]): PooledHits {
    const n = Math.max(1, Math.min(1000, Math.floor(top)));
    const direct = (): PooledHits => {
      const o = { top: n, noSnippets: true, ...(types ? { type: types } : {}) };
      const r = this.index.search(this.question, o);
      return { hits: r.hits, terms: r.terms };
    };
    if (n > this.size) return direct();
    this.base ??= this.index.search(this.question, { top: this.size, noSnippets: true });
    const allowed = types && new Set<DocType>(types);
    const hits: SearchHit[] = allowed ? this.base.hits.filter((h) => allowed.has(h.type)) : this.base.hits;
    if (hits.length < n && this.base.hits.length === this.size) return direct();
    const terms: QueryTerm[] = this.base.terms;
    return { hits: hits.slice(0, n), terms };
  }
}
