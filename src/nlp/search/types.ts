/** The kinds of content the unified search covers. */
export type DocType = 'policy' | 'service' | 'reply' | 'knowledge' | 'disclosure';
export const DOC_TYPES: readonly DocType[] = ['policy', 'service', 'reply', 'knowledge', 'disclosure'];

/** A document as the modules publish it to search. `date` is ISO 8601 (`2020-02-04` or a full timestamp). */
export interface SearchDoc {
  id: string;
  type: DocType;
  title: string;
  body: string;
  department?: string;
  date?: string;
}

/**
 * A document with its analysed token streams (jieba tokens of the folded text, stop words kept, `|` for breaks,
 * joined by single spaces). Plain data for the database: rebuild an index from rows without running jieba.
 */
export interface IndexRow extends SearchDoc {
  titleTokens: string;
  bodyTokens: string;
}

/** Ranking parameters (BM25F and boosts). Defaults in DEFAULT_RANKING were tuned on the tuning split only. */
export interface RankingParams {
  k1: number;
  titleWeight: number;
  bodyWeight: number;
  bTitle: number;
  bBody: number;
  /** Weight of character-bigram terms relative to words. */
  bigramWeight: number;
  /** Weight of synonym expansions relative to the word typed. */
  synonymWeight: number;
  /** Weight of typo / pinyin corrections. */
  typoWeight: number;
  /** Factor on the words (and their bigrams) inside a synonym phrase that jieba split (生孩子 → 生/孩子). */
  splitPhrasePartWeight: number;
  /** Bonus per extra distinct query word matched: score × (1 + coverageBoost × fraction of query words present). */
  coverageBoost: number;
  /** Freshness: score × (1 + freshnessWeight × 2^(−age/halfLife)) for `freshTypes`. */
  freshnessWeight: number;
  freshnessHalfLifeDays: number;
  freshTypes: readonly DocType[];
  /**
   * Need-type queries (queryShape.ts `readsAsNeed`: 怎么办, 要带什么, 去哪办, or a service verb 办/领/补/换/申请):
   * score × needBoost for documents of `needTypes` (the catalogue services), so 2020 news does not outrank the
   * service a citizen wants done. 1 disables.
   */
  needBoost: number;
  needTypes: readonly DocType[];
  /** Passage re-ranking: the best 1–2 sentence window's matched query weight, mixed into the top `rerankDepth`. */
  passageWeight: number;
  rerankDepth: number;
  /** Longest passage window (characters) considered by the re-ranker. */
  passageChars: number;
  /** Query terms found in more than this share of documents (and in more than 100) are skipped: they barely change
   * the ranking and cost the most time. Not when every term of the query is that common. 1 disables. */
  maxDfRatio: number;
  /** Queries are cut to this many characters. */
  maxQueryLength: number;
  /** Hits scoring below cutoffRatio × best score do not count in `total` and facets. */
  cutoffRatio: number;
}

export const DEFAULT_RANKING: RankingParams = {
  k1: 0.9,
  titleWeight: 2,
  bodyWeight: 1,
  bTitle: 0.5,
  bBody: 0.75,
  bigramWeight: 2,
  synonymWeight: 0.6,
  splitPhrasePartWeight: 0.5,
  typoWeight: 0.5,
  coverageBoost: 0,
  freshnessWeight: 0.3,
  freshnessHalfLifeDays: 180,
  freshTypes: ['reply', 'disclosure', 'knowledge'],
  needBoost: 1.3,
  needTypes: ['service'],
  passageWeight: 0.5,
  rerankDepth: 10,
  passageChars: 300,
  maxDfRatio: 0.2,
  maxQueryLength: 200,
  cutoffRatio: 0.3,
};

export interface SearchOptions {
  /** Number of hits (default 10, at most 1000). */
  top?: number;
  type?: DocType | readonly DocType[];
  department?: string;
  /** Current time in ms for freshness (default Date.now()). */
  now?: number;
  /** Skip snippets (faster, for batch evaluation and the CLI). */
  noSnippets?: boolean;
  /**
   * `total` and facets count only the best `countDepth` hits above the relevance cutoff (default DEFAULT_COUNT_DEPTH;
   * never fewer than `top` nor the re-rank depth), as Elasticsearch's track_total_hits does: beyond that the total
   * is a lower bound (`totalIsLowerBound`), and the engine can skip scoring the long tail.
   */
  countDepth?: number;
}

/** Default SearchOptions.countDepth. */
export const DEFAULT_COUNT_DEPTH = 1000;

export interface SearchHit {
  id: string;
  type: DocType;
  score: number;
  title: string;
  /** HTML-escaped title with `<mark>` around matches. */
  titleHtml: string;
  /** HTML-escaped passage of the body with `<mark>` around matches. */
  snippet: string;
  department?: string;
  date?: string;
}

export interface QueryTerm {
  term: string;
  /** What produced it: a word of the query, a character bigram, a synonym, a typo/pinyin correction. */
  kind: 'word' | 'bigram' | 'synonym' | 'typo';
  /** The query word it came from. */
  from: string;
  weight: number;
}

export interface SearchResult {
  /** The query as searched (trimmed, capped, folded). */
  query: string;
  /** True when the query was cut to maxQueryLength. */
  truncated: boolean;
  /** Corrections applied ("juzhuzheng" → "居住证", "居往证" → "居住证"). */
  corrections: { from: string; to: string }[];
  terms: QueryTerm[];
  hits: SearchHit[];
  /**
   * Documents above the relevance cutoff that pass the filters, counted up to countDepth: exact when
   * `totalIsLowerBound` is false, otherwise there are more than `total` (= countDepth).
   */
  total: number;
  /** True when more than countDepth documents pass: show "1000+". */
  totalIsLowerBound: boolean;
  /**
   * Counts per type (over the best countDepth hits above the cutoff that pass the department filter) and per
   * department (those passing the type filter). Exact when fewer pass than countDepth.
   */
  facets: { type: Record<string, number>; department: Record<string, number> };
}
