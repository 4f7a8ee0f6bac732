import { foldToSimplified } from '../../lib/text/foldToSimplified.ts';
import { isStopWord, STOP_WORDS } from '../../lib/text/stopWords.ts';
import { buildSynonymMap, DEFAULT_SYNONYMS, type SynonymRule } from '../../lib/text/synonyms.ts';
import { pinyinKey, typoCandidates } from '../../lib/text/typoCandidates.ts';
import { toPinyin } from '../../lib/text/toPinyin.ts';
import { BIGRAM_PREFIX, BREAK, bigramKey, fieldTerms, segment } from './analyze.ts';
import { MAX_SLOTS, packPosting, PostingStore } from './postings.ts';
import { highlight, highlightNeedles, makeSnippet } from './snippet.ts';
import { sentenceMatches, sentenceSpans, windowScore, type Needle, type Span } from './passage.ts';
import { childAsKid, phraseTexts, readsAsNeed, tailVerbs } from './queryShape.ts';
import {
  DEFAULT_COUNT_DEPTH,
  DEFAULT_RANKING,
  DOC_TYPES,
  type DocType,
  type IndexRow,
  type QueryTerm,
  type RankingParams,
  type SearchDoc,
  type SearchHit,
  type SearchOptions,
  type SearchResult,
} from './types.ts';

const CJK_RUN = /[\u3400-\u9fff]+/g;
/** Buckets of the score histogram the pruning reads θ from. */
const HIST_BUCKETS = 2048;
/** A list is read in full rather than probed once candidates × this ≥ its length (a look-up costs more than a read). */
const PROBE_COST = 3;
const DAY_MS = 86_400_000;

export interface SearchIndexOptions {
  ranking?: Partial<RankingParams>;
  /** Synonym rules (default DEFAULT_SYNONYMS); pass the staff-edited rows from the database. */
  synonyms?: readonly SynonymRule[];
  stopWords?: ReadonlySet<string>;
  /**
   * Dynamic pruning of the scoring (default true): stops reading the posting lists of the commonest query terms once
   * they can no longer lift a document that is not already a candidate above what the result needs (the top hits,
   * the re-ranked top, the facet cutoff). Results are the same as with exhaustive scoring (false), only faster.
   */
  pruning?: boolean;
}

export interface TermExplanation {
  term: string;
  kind: QueryTerm['kind'];
  from: string;
  queryWeight: number;
  df: number;
  idf: number;
  title: { tf: number; contribution: number };
  body: { tf: number; contribution: number };
  total: number;
  /** True when the term was left out because it is in more than maxDfRatio of the documents. */
  skippedAsCommon: boolean;
}

export interface Explanation {
  id: string;
  found: boolean;
  /** 1-based rank among all hits for the query (no filters), 0 when it does not match. */
  rank: number;
  score: number;
  /** Sum of per-term BM25F contributions before boosts. */
  bm25f: number;
  coverage: { matchedWords: number; queryWords: number; factor: number };
  /**
   * Passage re-ranking of the top `rerankDepth`: the best 1–2-sentence window and its share of the query weight.
   * For re-ranked hits the search score is (rank-floor) + base/best base + passageWeight × share, so `score` below
   * is the score shown in the results and `baseScore` the BM25F × boosts before re-ranking.
   */
  passage: { reranked: boolean; share: number; text: string };
  baseScore: number;
  freshness: { applies: boolean; ageDays: number | null; factor: number };
  /** Need boost: the query reads as a need and the document is of a needTypes type (× needBoost). */
  need: { applies: boolean; factor: number };
  terms: TermExplanation[];
  params: RankingParams;
}

export interface Suggestion {
  text: string;
  kind: 'title' | 'term';
  id?: string;
}

/**
 * In-memory BM25F search index over government content, with incremental add/update/remove, facets, highlighted
 * snippets, explanations and suggestions. Pure: no I/O, no database; persist `IndexRow`s and rebuild with
 * `addRow`.
 */
/** The plain data of a built index (`SearchIndex.toSnapshot`), for `v8.serialize`. */
export interface SearchIndexSnapshot {
  params: RankingParams;
  stopWords: string[];
  slots: number;
  live: number;
  dead: number;
  sumTitle: number;
  sumBody: number;
  ids: string[];
  types: DocType[];
  titles: string[];
  bodies: string[];
  depts: (string | undefined)[];
  dates: (string | undefined)[];
  deptNames: string[];
  dateMs: Float64Array;
  freshMs: Float64Array;
  typeIdx: Uint8Array;
  deptIdx: Int32Array;
  lenTitle: Float32Array;
  lenBody: Float32Array;
  alive: Uint8Array;
  store: { words: Map<string, number>; bigrams: Map<number, number>; pool: Int32Array; head: Int32Array; tail: Int32Array; fill: Int32Array; count: Int32Array; terms: number };
}

/** The keys of two or more characters of a synonym map, longest first. */
function phrasesOf(map: ReadonlyMap<string, string[]>): string[] {
  return [...map.keys()].filter((k) => [...k].length >= 2).sort((a, b) => b.length - a.length || (a < b ? -1 : a > b ? 1 : 0));
}

export class SearchIndex {
  readonly params: RankingParams;
  private synonyms: Map<string, string[]>;
  /** The synonym phrases of two or more characters, longest first (looked up in the query text). */
  private synonymPhrases: string[];
  private readonly stopWords: ReadonlySet<string>;

  private store = new PostingStore();
  private readonly byId = new Map<string, number>();
  // Per-slot document data.
  private ids: string[] = [];
  private types: DocType[] = [];
  private titles: string[] = [];
  private bodies: string[] = [];
  /** Folded bodies, computed on first use (snippets, passages). */
  private foldedBodies: (string | undefined)[] = [];
  private depts: (string | undefined)[] = [];
  private dates: (string | undefined)[] = [];
  private dateMs = new Float64Array(1024);
  /** Date (ms) of slots whose type gets the freshness boost, NaN otherwise. */
  private freshMs = new Float64Array(1024);
  /**
   * Upper bound (rounded up) of each slot's freshness factor at any time ≥ freshT0 (the factor only falls with age),
   * and the largest of them: the pruning bounds use these instead of 1 + freshnessWeight. NaN freshT0: not computed.
   */
  private freshBound = new Float32Array(1024);
  private freshBoundMax = 1;
  private freshT0 = NaN;
  /** DOC_TYPES index of each slot, and department id (into deptNames, -1 for none), for facets without strings. */
  private typeIdx = new Uint8Array(1024);
  private deptIdx = new Int32Array(1024);
  private readonly deptIds = new Map<string, number>();
  private readonly deptNames: string[] = [];
  private lenTitle = new Float32Array(1024);
  private lenBody = new Float32Array(1024);
  private alive = new Uint8Array(1024);
  private slots = 0;
  private live = 0;
  private dead = 0;
  private sumTitle = 0;
  private sumBody = 0;
  // Scratch for scoring.
  private scores = new Float64Array(1024);
  private matched = new Uint16Array(1024);
  /** Per-slot BM25F field factors titleWeight / (1 − b + b·len/avg) (and body), valid for normVersion. */
  /** Interleaved (one cache line per slot's pair): inv[2·slot] title, inv[2·slot + 1] body. */
  private inv = new Float64Array(0);
  /** Slots touched by the current query (scratch; grows when needed). */
  private touchedBuf = new Int32Array(1024);
  private readonly hist = new Int32Array(HIST_BUCKETS + 1);
  private normVersion = -1;
  private kthScratch = new Float64Array(1024);
  /** See SearchIndexOptions.pruning. */
  pruning: boolean;
  /**
   * Work done by the last search: postings read in full, candidate look-ups in the pruned lists, and the candidates
   * when the scoring switched to them (0: it never did, every list was read in full).
   */
  readonly lastScan = { postings: 0, probes: 0, candidates: 0 };
  // Lazy caches.
  private pinyinVocab: { size: number; map: Map<string, string[]> } | undefined;
  private suggestCache: { version: number; entries: { key: string; text: string; kind: 'title' | 'term'; id?: string; w: number }[] } | undefined;
  private version = 0;

  constructor(options: SearchIndexOptions = {}) {
    this.params = { ...DEFAULT_RANKING, ...options.ranking };
    this.synonyms = buildSynonymMap(options.synonyms ?? DEFAULT_SYNONYMS);
    this.synonymPhrases = phrasesOf(this.synonyms);
    this.stopWords = options.stopWords ?? STOP_WORDS;
    this.pruning = options.pruning ?? true;
  }

  /** Replaces the synonym table (e.g. after staff edited it). Affects queries only; no re-indexing needed. */
  setSynonyms(rules: readonly SynonymRule[]): void {
    this.synonyms = buildSynonymMap(rules);
    this.synonymPhrases = phrasesOf(this.synonyms);
  }

  /** Number of live documents. */
  get size(): number {
    return this.live;
  }

  /** Ids of the indexed documents. */
  documentIds(): IterableIterator<string> {
    return this.byId.keys();
  }

  /** True when a document with this id is indexed. */
  has(id: string): boolean {
    return this.byId.has(id);
  }

  /**
   * Analyses a document into a plain row (runs jieba). Store the row; `addRow` rebuilds without jieba.
   */
  static analyze(doc: SearchDoc): IndexRow {
    return {
      ...doc,
      titleTokens: segment(foldToSimplified(doc.title)).join(' '),
      bodyTokens: segment(foldToSimplified(doc.body)).join(' '),
    };
  }

  /** Adds (or replaces) a document; returns its row for persistence. */
  add(doc: SearchDoc): IndexRow {
    const row = SearchIndex.analyze(doc);
    this.addRow(row);
    return row;
  }

  /** Same as `add`: replaces the document with the same id. */
  update(doc: SearchDoc): IndexRow {
    return this.add(doc);
  }

  /** Adds (or replaces) a pre-analysed row. */
  addRow(row: IndexRow): void {
    if (this.byId.has(row.id)) this.remove(row.id);
    if (this.slots >= MAX_SLOTS) this.compact();
    if (this.slots >= MAX_SLOTS) throw new RangeError(`a SearchIndex holds at most ${MAX_SLOTS} documents`);
    const slot = this.slots++;
    this.ensureCapacity(this.slots);
    this.ids[slot] = row.id;
    this.types[slot] = DOC_TYPES.includes(row.type) ? row.type : 'knowledge';
    this.titles[slot] = row.title;
    this.bodies[slot] = row.body;
    this.foldedBodies[slot] = undefined;
    this.depts[slot] = row.department;
    this.dates[slot] = row.date;
    const ms = row.date ? Date.parse(row.date) : NaN;
    this.dateMs[slot] = ms;
    const ti = DOC_TYPES.indexOf(this.types[slot] ?? 'knowledge');
    this.typeIdx[slot] = ti;
    this.freshMs[slot] = this.params.freshTypes.includes(this.types[slot] ?? 'knowledge') ? ms : NaN;
    if (this.freshT0 === this.freshT0) this.setFreshBound(slot);
    let di = -1;
    if (row.department !== undefined) {
      di = this.deptIds.get(row.department) ?? -1;
      if (di < 0) {
        di = this.deptNames.length;
        this.deptNames.push(row.department);
        this.deptIds.set(row.department, di);
      }
    }
    this.deptIdx[slot] = di;
    const t = fieldTerms(splitTokens(row.titleTokens), this.stopWords);
    const b = fieldTerms(splitTokens(row.bodyTokens), this.stopWords);
    this.lenTitle[slot] = t.length;
    this.lenBody[slot] = b.length;
    this.sumTitle += t.length;
    this.sumBody += b.length;
    const st = this.store;
    for (const [w, tf] of t.words) st.append(st.id(w, true), packPosting(slot, tf, b.words.get(w) ?? 0));
    for (const [w, tf] of b.words) if (!t.words.has(w)) st.append(st.id(w, true), packPosting(slot, 0, tf));
    for (const [k, tf] of t.bigrams) st.append(st.id(k, true), packPosting(slot, tf, b.bigrams.get(k) ?? 0));
    for (const [k, tf] of b.bigrams) if (!t.bigrams.has(k)) st.append(st.id(k, true), packPosting(slot, 0, tf));
    this.alive[slot] = 1;
    this.byId.set(row.id, slot);
    this.live++;
    this.version++;
  }

  /**
   * Withdraws a document: it stops matching at once. Its postings are dropped at the next compaction (automatic
   * when over 20% of slots are dead). Returns false when the id was not indexed.
   */
  remove(id: string): boolean {
    const slot = this.byId.get(id);
    if (slot === undefined) return false;
    this.byId.delete(id);
    this.alive[slot] = 0;
    this.sumTitle -= this.lenTitle[slot] ?? 0;
    this.sumBody -= this.lenBody[slot] ?? 0;
    this.bodies[slot] = '';
    this.titles[slot] = '';
    this.foldedBodies[slot] = undefined;
    this.live--;
    this.dead++;
    this.version++;
    if (this.dead > 64 && this.dead > 0.2 * this.slots) this.compact();
    return true;
  }

  /**
   * Drops the postings of removed documents, renumbers slots (document frequencies become exact again) and packs
   * every posting list into one tight block. Call after a bulk import: it roughly halves posting memory.
   */
  compact(): void {
    const remap = new Int32Array(this.slots).fill(-1);
    let next = 0;
    for (let s = 0; s < this.slots; s++) if (this.alive[s]) remap[s] = next++;
    this.store.compact(remap);
    const keep = <T>(arr: T[]): T[] => arr.filter((_, s) => s < this.slots && this.alive[s] === 1);
    const keepTyped = <A extends Float64Array | Float32Array | Uint8Array | Int32Array>(arr: A): void => {
      for (let s = 0; s < this.slots; s++) {
        const nd = remap[s] ?? -1;
        if (nd >= 0) arr[nd] = arr[s] ?? 0;
      }
    };
    this.ids = keep(this.ids);
    this.types = keep(this.types);
    this.titles = keep(this.titles);
    this.bodies = keep(this.bodies);
    this.foldedBodies = keep(this.foldedBodies);
    this.depts = keep(this.depts);
    this.dates = keep(this.dates);
    keepTyped(this.dateMs);
    keepTyped(this.freshMs);
    this.freshT0 = NaN;
    keepTyped(this.typeIdx);
    keepTyped(this.deptIdx);
    keepTyped(this.lenTitle);
    keepTyped(this.lenBody);
    this.alive.fill(0);
    this.alive.fill(1, 0, next);
    this.byId.clear();
    for (let s = 0; s < next; s++) this.byId.set(this.ids[s] ?? '', s);
    this.slots = next;
    this.dead = 0;
    this.version++;
  }

  /** The stored row data of a document (without tokens), or undefined. */
  get(id: string): SearchDoc | undefined {
    const s = this.byId.get(id);
    if (s === undefined) return undefined;
    const d: SearchDoc = { id, type: this.types[s] ?? 'knowledge', title: this.titles[s] ?? '', body: this.bodies[s] ?? '' };
    const dept = this.depts[s];
    const date = this.dates[s];
    if (dept !== undefined) d.department = dept;
    if (date !== undefined) d.date = date;
    return d;
  }

  /** Documents as analysed rows, for persistence (re-runs jieba on each; prefer storing the rows `add` returns). */
  toRows(): IndexRow[] {
    const out: IndexRow[] = [];
    for (const id of this.byId.keys()) {
      const d = this.get(id);
      if (d) out.push(SearchIndex.analyze(d));
    }
    return out;
  }

  /** Builds an index from stored rows, then compacts it (postings packed tight). */
  static fromRows(rows: Iterable<IndexRow>, options: SearchIndexOptions = {}): SearchIndex {
    const idx = new SearchIndex(options);
    for (const r of rows) idx.addRow(r);
    idx.compact();
    return idx;
  }

  /**
   * The built state as plain data (typed arrays, strings, Maps) for `v8.serialize`: a snapshot a later process loads
   * with `fromSnapshot` instead of re-indexing. Scratch buffers and lazy caches are not included. Synonyms are not
   * part of it (they affect queries only; pass them to `fromSnapshot`).
   */
  toSnapshot(): SearchIndexSnapshot {
    const st = this.store;
    return this.snapshotOf(st.pool.slice(0, st.poolUsed));
  }

  /**
   * `toSnapshot()` without copying the posting pool (about 80 MB at 100k documents, the largest part of the copy):
   * the snapshot's `store.pool` is a view of the index's own pool, and stays as it was until `release()` — a change
   * to the index meanwhile copies the pool first (once), then writes to the copy. Everything else is copied as in
   * `toSnapshot` (the term Maps are not: they keep changing). Serialises byte for byte as `toSnapshot()` does.
   * Release when the snapshot has been written, or the next change copies the pool needlessly.
   */
  snapshotView(): { snapshot: SearchIndexSnapshot; release: () => void } {
    const v = this.store.view();
    return { snapshot: this.snapshotOf(v.pool), release: v.release };
  }

  private snapshotOf(pool: Int32Array): SearchIndexSnapshot {
    const n = this.slots;
    const st = this.store;
    return {
      params: this.params,
      stopWords: [...this.stopWords].sort(),
      slots: n,
      live: this.live,
      dead: this.dead,
      sumTitle: this.sumTitle,
      sumBody: this.sumBody,
      ids: this.ids.slice(0, n),
      types: this.types.slice(0, n),
      titles: this.titles.slice(0, n),
      bodies: this.bodies.slice(0, n),
      depts: this.depts.slice(0, n),
      dates: this.dates.slice(0, n),
      deptNames: [...this.deptNames],
      dateMs: this.dateMs.slice(0, n),
      freshMs: this.freshMs.slice(0, n),
      typeIdx: this.typeIdx.slice(0, n),
      deptIdx: this.deptIdx.slice(0, n),
      lenTitle: this.lenTitle.slice(0, n),
      lenBody: this.lenBody.slice(0, n),
      alive: this.alive.slice(0, n),
      store: {
        words: st.words,
        bigrams: st.bigrams,
        pool,
        head: st.head.slice(0, st.terms),
        tail: st.tail.slice(0, st.terms),
        fill: st.fill.slice(0, st.terms),
        count: st.count.slice(0, st.terms),
        terms: st.terms,
      },
    };
  }

  /**
   * An index restored from `toSnapshot` data. Throws when the snapshot was built with other ranking parameters or
   * stop words than `options` give (its postings and freshness data would not match).
   */
  static fromSnapshot(s: SearchIndexSnapshot, options: SearchIndexOptions = {}): SearchIndex {
    const idx = new SearchIndex(options);
    if (JSON.stringify(s.params) !== JSON.stringify(idx.params)) throw new Error('snapshot: ranking parameters differ');
    if (s.stopWords.join('\u0000') !== [...idx.stopWords].sort().join('\u0000')) throw new Error('snapshot: stop words differ');
    const n = s.slots;
    if (s.ids.length !== n || s.alive.length !== n || s.lenBody.length !== n) throw new Error('snapshot: inconsistent');
    idx.ensureCapacity(Math.max(n, 1));
    idx.slots = n;
    idx.live = s.live;
    idx.dead = s.dead;
    idx.sumTitle = s.sumTitle;
    idx.sumBody = s.sumBody;
    idx.ids = s.ids;
    idx.types = s.types;
    idx.titles = s.titles;
    idx.bodies = s.bodies;
    idx.foldedBodies = new Array<string | undefined>(n).fill(undefined);
    idx.depts = s.depts;
    idx.dates = s.dates;
    idx.dateMs.set(s.dateMs);
    idx.freshMs.set(s.freshMs);
    idx.typeIdx.set(s.typeIdx);
    idx.deptIdx.set(s.deptIdx);
    idx.lenTitle.set(s.lenTitle);
    idx.lenBody.set(s.lenBody);
    idx.alive.set(s.alive);
    s.deptNames.forEach((d, i) => {
      idx.deptNames.push(d);
      idx.deptIds.set(d, i);
    });
    for (let slot = 0; slot < n; slot++) if (s.alive[slot]) idx.byId.set(s.ids[slot] ?? '', slot);
    if (idx.byId.size !== s.live) throw new Error('snapshot: inconsistent');
    const st = idx.store;
    const cap = Math.max(1024, s.store.terms);
    const sized = (a: Int32Array, len: number): Int32Array<ArrayBuffer> => {
      const b = new Int32Array(len);
      b.set(a);
      return b;
    };
    for (const [k, v] of s.store.words) st.words.set(k, v);
    for (const [k, v] of s.store.bigrams) st.bigrams.set(k, v);
    st.pool = sized(s.store.pool, Math.max(1 << 16, s.store.pool.length));
    st.poolUsed = s.store.pool.length;
    st.head = sized(s.store.head, cap);
    st.tail = sized(s.store.tail, cap);
    st.fill = sized(s.store.fill, cap);
    st.count = sized(s.store.count, cap);
    st.terms = s.store.terms;
    idx.version++;
    return idx;
  }

  /** Document frequency of a term (words as they are; bigrams via `'\u0001' + bigram`). Approximate until compaction. */
  df(term: string): number {
    const id = this.termId(term);
    return id < 0 ? 0 : (this.store.count[id] as number);
  }

  /** Term id of a query term string (bigrams as `'\u0001' + two characters`), -1 when not indexed. */
  private termId(term: string): number {
    if (term.length === 3 && term.charCodeAt(0) === 1) return this.store.id(bigramKey(term.slice(1)), false);
    return this.store.id(term, false);
  }

  /** Analyses a query into weighted terms (words, bigrams, synonyms, typo and pinyin corrections); `tokens`: its jieba tokens. */
  analyzeQuery(raw: string): { query: string; truncated: boolean; terms: QueryTerm[]; corrections: { from: string; to: string }[]; tokens: string[]; need: boolean } {
    const p = this.params;
    const trimmed = raw.replace(/\s+/g, ' ').trim();
    const truncated = trimmed.length > p.maxQueryLength;
    const query = foldToSimplified(truncated ? trimmed.slice(0, p.maxQueryLength) : trimmed);
    const weights = new Map<string, QueryTerm>();
    const addTerm = (term: string, kind: QueryTerm['kind'], from: string, weight: number): void => {
      const prev = weights.get(term);
      if (prev) {
        if (kind === prev.kind) prev.weight += weight;
        else if (weight > prev.weight) weights.set(term, { term, kind, from, weight });
      } else weights.set(term, { term, kind, from, weight });
    };
    const corrections: { from: string; to: string }[] = [];
    const tokens = segment(query);
    // A generic verb in a question tail (要办什么, 去哪办) carries no topic: no term, and a break for bigrams.
    // When nothing else is left (怎么办理, 办什么) the verb is kept: a query never loses all its terms this way.
    let tail = tailVerbs(tokens);
    if (tokens.every((t, i) => t === BREAK || tail.has(i) || isStopWord(t, this.stopWords))) tail = new Set();
    const words: string[] = [];
    tokens.forEach((t, i) => {
      if (t !== BREAK && !tail.has(i) && !isStopWord(t, this.stopWords)) words.push(t);
    });
    for (const w of words) addTerm(w, 'word', w, 1);
    // Bigrams over CJK runs, stop words acting as breaks.
    let prev = '';
    let fromWord = '';
    for (const [i, t] of tokens.entries()) {
      if (t === BREAK || tail.has(i) || isStopWord(t, this.stopWords)) {
        prev = '';
        continue;
      }
      for (const ch of t) {
        if (/[\u3400-\u9fff]/.test(ch)) {
          if (prev !== '') addTerm(BIGRAM_PREFIX + prev + ch, 'bigram', fromWord + t, p.bigramWeight);
          prev = ch;
        } else prev = '';
      }
      fromWord = t;
    }
    // Synonyms: the official terms as words, and their bigrams (the documents may hold them inside longer words,
    // 社会保险 in 社会保险费).
    // A phrase of two or more characters is also looked up in the query text itself, longest first: jieba splits
    // everyday phrases it does not know (生孩子 → 生/孩子), and then the whole-word lookup never saw them. A span
    // already taken by a longer phrase is not matched again (社保卡 does not also fire 社保).
    const synonymKeys: string[] = [...words];
    // The same lookup runs on the query without particles between a verb and its object (生了孩子 → 生孩子) and
    // with child words read as 孩子 (生宝宝 → 生孩子); see queryShape.ts.
    for (const text of [query, ...phraseTexts(query, tokens)]) {
      const taken: [number, number][] = [];
      for (const key of this.synonymPhrases) {
        for (let at = text.indexOf(key); at !== -1; at = text.indexOf(key, at + 1)) {
          if (taken.some(([a, b]) => at < b && at + key.length > a)) continue;
          taken.push([at, at + key.length]);
          if (!synonymKeys.includes(key)) synonymKeys.push(key);
        }
      }
    }
    // A phrase jieba split (生孩子 → 生/孩子, 生宝宝 → 生/宝宝) stands for its parts: the parts' own words and bigrams
    // keep half their weight, so a document that merely says 孩子 often does not outrank the phrase's meaning.
    for (const key of synonymKeys) {
      if (words.includes(key)) continue;
      for (const w of words) {
        if (!key.includes(w) && !key.includes(childAsKid(w))) continue;
        const wt = weights.get(w);
        if (wt && wt.kind === 'word') wt.weight *= p.splitPhrasePartWeight;
        const bt = weights.get(BIGRAM_PREFIX + w);
        if (w.length === 2 && bt && bt.kind === 'bigram') bt.weight *= p.splitPhrasePartWeight;
      }
    }
    for (const w of synonymKeys) {
      for (const target of this.synonyms.get(w) ?? []) {
        for (const tw of segment(target)) {
          if (tw === BREAK || isStopWord(tw, this.stopWords)) continue;
          addTerm(tw, 'synonym', w, p.synonymWeight);
          for (let i = 0; i + 1 < tw.length; i++) {
            const bg = tw.slice(i, i + 2);
            if (/^[\u3400-\u9fff]{2}$/.test(bg) && !weights.has(BIGRAM_PREFIX + bg)) {
              addTerm(BIGRAM_PREFIX + bg, 'synonym', w, (p.synonymWeight * p.bigramWeight) / 2);
            }
          }
        }
      }
    }
    // Typos: spans of single-character tokens that jieba could not join, and unknown words.
    if (this.live > 0) {
      // Longest spans first; a span must hold a bigram no document has (a typo makes one: 居往证 → 居往), and the
      // parts of a span already corrected are not corrected again.
      const spans = this.typoSpans(tokens).sort((a, b) => b.length - a.length);
      const fixed: string[] = [];
      for (const span of spans) {
        if (fixed.some((f) => f.includes(span))) continue;
        let unseenBigram = false;
        for (let i = 0; i + 1 < span.length && !unseenBigram; i++) {
          if (this.df(BIGRAM_PREFIX + span.slice(i, i + 2)) === 0) unseenBigram = true;
        }
        if (!unseenBigram) continue;
        const cands = typoCandidates(span, (w) => this.store.words.has(w), this.pinyinVocabulary());
        if (cands.length) fixed.push(span);
        for (const cand of cands) {
          addTerm(cand, 'typo', span, p.typoWeight);
          if (!corrections.some((c) => c.from === span && c.to === cand)) corrections.push({ from: span, to: cand });
        }
      }
      // The mistyped span's own bigrams (复公, 公复) now mostly mislead: a quarter of their weight.
      for (const span of fixed) {
        for (let i = 0; i + 1 < span.length; i++) {
          const bt = weights.get(BIGRAM_PREFIX + span.slice(i, i + 2));
          if (bt && bt.kind === 'bigram') bt.weight *= 0.25;
        }
      }
      // Pinyin query (juzhuzheng, jzz): map to vocabulary words with that pinyin or those initials.
      for (const w of words) {
        if (/^[a-z]{2,30}$/.test(w) && !this.store.words.has(w)) {
          for (const s of this.suggest(w, 3)) {
            if (s.kind !== 'term') continue;
            for (const tw of segment(s.text)) {
              if (tw !== BREAK && !isStopWord(tw, this.stopWords)) addTerm(tw, 'typo', w, p.typoWeight * 2);
            }
            corrections.push({ from: w, to: s.text });
          }
        }
      }
    }
    return { query, truncated, terms: [...weights.values()], corrections, tokens, need: readsAsNeed(query, tokens) };
  }

  /**
   * Searches. Hostile or huge input is safe: the query is plain text (no operators), capped at maxQueryLength.
   */
  search(raw: string, options: SearchOptions = {}): SearchResult {
    const top = Math.max(1, Math.min(1000, Math.floor(options.top ?? 10)));
    const q = this.analyzeQuery(raw);
    const empty: SearchResult = {
      query: q.query,
      truncated: q.truncated,
      corrections: q.corrections,
      terms: q.terms,
      hits: [],
      total: 0,
      totalIsLowerBound: false,
      facets: { type: {}, department: {} },
    };
    if (q.terms.length === 0 || this.live === 0) return empty;
    const typeFilter = options.type === undefined ? undefined : new Set(Array.isArray(options.type) ? options.type : [options.type]);
    let typeMask = 0;
    for (let i = 0; i < DOC_TYPES.length; i++) if (!typeFilter || typeFilter.has(DOC_TYPES[i] ?? 'knowledge')) typeMask |= 1 << i;
    const dept = options.department === undefined ? -1 : (this.deptIds.get(options.department) ?? -2);
    const typeIdx = this.typeIdx;
    const deptIdx = this.deptIdx;
    const typeOk = typeFilter ? (d: number): boolean => ((typeMask >> (typeIdx[d] as number)) & 1) === 1 : undefined;
    const deptOk = dept !== -1 ? (d: number): boolean => deptIdx[d] === dept : undefined;
    const pass = typeOk && deptOk ? (d: number): boolean => typeOk(d) && deptOk(d) : (typeOk ?? deptOk);
    const depth = Math.max(top, this.params.rerankDepth, Math.floor(options.countDepth ?? DEFAULT_COUNT_DEPTH));
    const { touched, cands } = this.scoreAll(q.terms, options.now ?? Date.now(), { top, pass, depth, need: q.need });
    const scores = this.scores;
    // The cutoff is a share of the rerankDepth-th best score BEFORE re-ranking (the bound the pruning uses, so
    // pruning stays exact). It used to be a share of the best score after re-ranking, which lifts the top
    // rerankDepth by about 1–1.5 (floor + base/best + passage share): for queries with small scores (words in most
    // documents) that left only the re-ranked ones above the cutoff.
    const cutoff = this.rerank(q.terms, cands) * this.params.cutoffRatio;
    const typeCount = new Int32Array(DOC_TYPES.length);
    const deptCount = new Int32Array(this.deptNames.length);
    // Min-heap of the best `top` slots passing the filters.
    const heap: number[] = [];
    const less = (a: number, b: number): boolean => {
      const sa = scores[a] ?? 0;
      const sb = scores[b] ?? 0;
      return sa < sb || (sa === sb && (this.ids[a] ?? '') > (this.ids[b] ?? ''));
    };
    const above: number[] = [];
    for (const d of cands) {
      const s = scores[d] ?? 0;
      if (s >= cutoff) above.push(d);
      if (pass !== undefined && !pass(d)) continue;
      if (heap.length < top) {
        heap.push(d);
        siftUp(heap, heap.length - 1, less);
      } else if (less(heap[0] ?? 0, d)) {
        heap[0] = d;
        siftDown(heap, 0, less);
      }
    }
    // Total and facets over the best `depth` slots above the cutoff (ties by id) among those passing both filters
    // (total), the department filter (type facet), the type filter (department facet).
    const passed = this.bestOf(above, depth, pass);
    const total = Math.min(passed.n, depth);
    const totalIsLowerBound = passed.n > depth;
    const byType = typeFilter === undefined ? passed : this.bestOf(above, depth, deptOk);
    for (const d of byType.slots) typeCount[typeIdx[d] as number] = (typeCount[typeIdx[d] as number] as number) + 1;
    const byDept = dept === -1 ? passed : this.bestOf(above, depth, typeOk);
    for (const d of byDept.slots) {
      const dk = deptIdx[d] as number;
      if (dk >= 0) deptCount[dk] = (deptCount[dk] as number) + 1;
    }
    const facetType = countsRecord(DOC_TYPES, typeCount);
    const facetDept = countsRecord(this.deptNames, deptCount);
    heap.sort((a, b) => (less(a, b) ? 1 : less(b, a) ? -1 : 0));
    // Marked terms: the ones that carry a match, not single characters or bigrams across word joins of a long
    // question (highlightNeedles).
    const { needles, minor } = options.noSnippets
      ? { needles: new Map<string, number>(), minor: new Set<string>() }
      : highlightNeedles(q.terms, q.tokens, (t) => isStopWord(t, this.stopWords), (t) => t.weight * Math.log(1 + this.live / (1 + this.df(t.term))));
    const hits: SearchHit[] = heap.map((d) => {
      const title = this.titles[d] ?? '';
      const body = this.bodies[d] ?? '';
      const hit: SearchHit = {
        id: this.ids[d] ?? '',
        type: this.types[d] ?? 'knowledge',
        score: Math.round((scores[d] ?? 0) * 1e4) / 1e4,
        title,
        titleHtml: '',
        snippet: '',
      };
      if (!options.noSnippets) {
        hit.titleHtml = highlight(title, foldToSimplified(title), [...needles.keys()], minor);
        hit.snippet = makeSnippet(body, this.foldedBody(d), needles, 120, minor);
      }
      const dk = this.depts[d];
      const dt = this.dates[d];
      if (dk !== undefined) hit.department = dk;
      if (dt !== undefined) hit.date = dt;
      return hit;
    });
    const matched = this.matched;
    for (let j = 0; j < touched.length; j++) {
      const d = touched[j] as number;
      scores[d] = 0;
      matched[d] = 0;
    }
    return { ...empty, hits, total, totalIsLowerBound, facets: { type: facetType, department: facetDept } };
  }

  /** Why `id` ranks where it does for `raw`: per-term, per-field BM25F contributions, coverage and freshness. */
  explain(raw: string, id: string, options: { now?: number } = {}): Explanation {
    const p = this.params;
    const slot = this.byId.get(id);
    const now = options.now ?? Date.now();
    const q = this.analyzeQuery(raw);
    const base: Explanation = {
      id,
      found: slot !== undefined,
      rank: 0,
      score: 0,
      bm25f: 0,
      coverage: { matchedWords: 0, queryWords: 0, factor: 1 },
      freshness: { applies: false, ageDays: null, factor: 1 },
      need: { applies: false, factor: 1 },
      passage: { reranked: false, share: 0, text: '' },
      baseScore: 0,
      terms: [],
      params: p,
    };
    if (slot === undefined) return base;
    const { avgT, avgB, n } = this.stats();
    const normT = 1 - p.bTitle + p.bTitle * ((this.lenTitle[slot] ?? 0) / avgT);
    const normB = 1 - p.bBody + p.bBody * ((this.lenBody[slot] ?? 0) / avgB);
    let bm = 0;
    const queryWords = new Set(q.terms.filter((t) => t.kind === 'word').map((t) => t.term));
    const matchedWords = new Set<string>();
    const maxDf = p.maxDfRatio >= 1 ? Infinity : Math.max(100, p.maxDfRatio * n);
    const rareLeft = q.terms.some((t) => {
      const df = this.df(t.term);
      return df > 0 && df <= maxDf;
    });
    for (const t of q.terms) {
      const id = this.termId(t.term);
      const st = this.store;
      const df = id < 0 ? 0 : (st.count[id] as number);
      const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      let tfT = 0;
      let tfB = 0;
      if (id >= 0) {
        const pool = st.pool;
        outer: for (let blk = st.head[id] as number; blk >= 0; blk = pool[blk] as number) {
          const end = blk === st.tail[id] ? (st.fill[id] as number) : (pool[blk + 1] as number);
          for (let i = 0; i < end; i++) {
            const v = pool[blk + 2 + i] as number;
            if (v >>> 10 === slot) {
              tfT = (v >>> 7) & 7;
              tfB = v & 127;
              break outer;
            }
          }
        }
      }
      const skippedAsCommon = rareLeft && df > maxDf && (t.kind === 'word' || t.kind === 'bigram');
      const partT = skippedAsCommon ? 0 : (p.titleWeight * tfT) / normT;
      const partB = skippedAsCommon ? 0 : (p.bodyWeight * tfB) / normB;
      const tfn = partT + partB;
      const total = tfn > 0 ? (t.weight * idf * tfn) / (p.k1 + tfn) : 0;
      if (total > 0 && t.kind === 'word') matchedWords.add(t.term);
      bm += total;
      base.terms.push({
        term: t.term.charCodeAt(0) === 1 ? t.term.slice(1) : t.term,
        kind: t.kind,
        from: t.from,
        queryWeight: t.weight,
        df,
        idf,
        title: { tf: tfT, contribution: tfn > 0 ? (total * partT) / tfn : 0 },
        body: { tf: tfB, contribution: tfn > 0 ? (total * partB) / tfn : 0 },
        total,
        skippedAsCommon,
      });
    }
    base.terms.sort((a, b) => b.total - a.total);
    const cov = queryWords.size > 0 ? matchedWords.size / queryWords.size : 0;
    const covFactor = 1 + p.coverageBoost * cov;
    const fresh = this.freshnessFactor(slot, now);
    base.bm25f = bm;
    base.coverage = { matchedWords: matchedWords.size, queryWords: queryWords.size, factor: covFactor };
    base.freshness = fresh;
    const needApplies = q.need && p.needBoost > 1 && p.needTypes.includes(this.types[slot] ?? 'knowledge');
    base.need = { applies: needApplies, factor: needApplies ? p.needBoost : 1 };
    base.baseScore = bm * covFactor * fresh.factor * base.need.factor;
    base.score = base.baseScore;
    if (base.baseScore > 0) {
      const res = this.search(raw, { top: 1000, now, noSnippets: true });
      const r = res.hits.findIndex((h) => h.id === id);
      base.rank = r >= 0 ? r + 1 : 0;
      const hit = res.hits[r];
      if (hit) base.score = hit.score;
      const needles = this.passageNeedles(q.terms);
      const total = needles.reduce((a, nd) => a + nd.weight, 0);
      const w = this.bestWindow(slot, needles, p.passageChars);
      base.passage = {
        reranked: p.passageWeight > 0 && r >= 0 && r < p.rerankDepth,
        share: total > 0 ? w.score / total : 0,
        text: (this.bodies[slot] ?? '').slice(w.start, w.end),
      };
    }
    return base;
  }

  /**
   * Completions for a prefix typed so far: titles and vocabulary (dictionary words seen in documents), matched on
   * the folded prefix, on full pinyin (`juzhuzheng`, `juzhu`) and on pinyin initials (`jzz`).
   */
  suggest(prefix: string, limit = 8): Suggestion[] {
    const pre = foldToSimplified(prefix.trim()).replace(/\s+/g, '').slice(0, 40);
    if (pre === '' || this.live === 0) return [];
    const entries = this.suggestEntries();
    // Binary search for the first key ≥ pre.
    let lo = 0;
    let hi = entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((entries[mid]?.key ?? '') < pre) lo = mid + 1;
      else hi = mid;
    }
    const found = new Map<string, { s: Suggestion; w: number; exact: boolean }>();
    for (let i = lo; i < entries.length && found.size < 500; i++) {
      const e = entries[i];
      if (!e || !e.key.startsWith(pre)) break;
      const k = e.kind + '\u0000' + e.text;
      const prev = found.get(k);
      const exact = e.key === pre;
      if (!prev || prev.w < e.w) {
        const s: Suggestion = { text: e.text, kind: e.kind };
        if (e.id !== undefined) s.id = e.id;
        found.set(k, { s, w: e.w, exact: exact || (prev?.exact ?? false) });
      }
    }
    return [...found.values()]
      .sort((a, b) => Number(b.exact) - Number(a.exact) || (a.s.kind === b.s.kind ? 0 : a.s.kind === 'term' ? -1 : 1) || b.w - a.w || (a.s.text < b.s.text ? -1 : 1))
      .slice(0, limit)
      .map((x) => x.s);
  }

  /** Folded body of a slot (cached). */
  foldedBody(slot: number): string {
    let f = this.foldedBodies[slot];
    if (f === undefined) {
      const b = this.bodies[slot] ?? '';
      f = foldToSimplified(b);
      if (f === b) f = b;
      this.foldedBodies[slot] = f;
    }
    return f;
  }

  /** Folded title of a slot. */
  foldedTitle(slot: number): string {
    return foldToSimplified(this.titles[slot] ?? '');
  }

  /** Slot of an id (internal; for the answer module). */
  slotOf(id: string): number | undefined {
    return this.byId.get(id);
  }

  /** Weighted needles for passage scoring: words and bigrams with weight × idf, grouped by their text. */
  passageNeedles(terms: readonly QueryTerm[]): Needle[] {
    const { n } = this.stats();
    const out: Needle[] = [];
    for (const t of terms) {
      const df = this.df(t.term);
      if (df === 0) continue;
      const text = t.term.charCodeAt(0) === 1 ? t.term.slice(1) : t.term;
      out.push({ text, weight: t.weight * Math.log(1 + (n - df + 0.5) / (df + 0.5)), group: text });
    }
    return out;
  }

  /**
   * Sum of weight × idf (at df = 0) of query words that occur in no document and whose synonym or typo expansions
   * found nothing either: a sign the question is about something the collection does not cover.
   */
  unseenWeight(terms: readonly QueryTerm[]): number {
    const { n } = this.stats();
    const covered = new Set<string>();
    for (const t of terms) if (t.kind !== 'word' && t.kind !== 'bigram' && this.df(t.term) > 0) covered.add(t.from);
    let s = 0;
    for (const t of terms) {
      if (t.kind === 'word' && this.df(t.term) === 0 && !covered.has(t.term)) s += t.weight * Math.log(1 + (n + 0.5) / 0.5);
    }
    return s;
  }

  /** Best window of 1–`maxSentences` consecutive sentences (≤ maxChars) of a slot's body for the needles, from `skipTo` on. */
  bestWindow(
    slot: number,
    needles: readonly Needle[],
    maxChars: number,
    skipTo = 0,
    maxSentences = 2,
  ): { start: number; end: number; score: number; spans: Span[]; first: number } {
    const folded = this.foldedBody(slot);
    const spans = sentenceSpans(folded, skipTo);
    const per = sentenceMatches(folded, spans, needles);
    let best = { start: 0, end: 0, score: 0, first: 0 };
    for (let i = 0; i < spans.length; i++) {
      if ((per[i]?.size ?? 0) === 0) continue;
      for (let j = i; j < Math.min(spans.length, i + maxSentences); j++) {
        const a = spans[i];
        const b = spans[j];
        if (!a || !b || (j > i && b.end - a.start > maxChars)) break;
        const sc = windowScore(per, i, j);
        if (sc > best.score) best = { start: a.start, end: b.end, score: sc, first: i };
      }
    }
    return { ...best, spans };
  }

  /**
   * Mixes the best passage score into the BM25F score of the top `rerankDepth` touched slots (when passageWeight > 0)
   * and returns the rerankDepth-th best score before re-ranking (the smallest when fewer slots were touched).
   */
  private rerank(terms: readonly QueryTerm[], touched: readonly number[]): number {
    const p = this.params;
    const scores = this.scores;
    // Top `rerankDepth` slots by a min-heap (sorting every touched slot would dominate the query time).
    const top: number[] = [];
    // Ties are broken by id (as in the results), so the re-ranked set does not depend on the order slots come in.
    const lessS = (a: number, b: number): boolean => {
      const sa = scores[a] ?? 0;
      const sb = scores[b] ?? 0;
      return sa < sb || (sa === sb && (this.ids[a] ?? '') > (this.ids[b] ?? ''));
    };
    for (const d of touched) {
      if (top.length < p.rerankDepth) {
        top.push(d);
        siftUp(top, top.length - 1, lessS);
      } else if (lessS(top[0] ?? 0, d)) {
        top[0] = d;
        siftDown(top, 0, lessS);
      }
    }
    top.sort((a, b) => (lessS(a, b) ? 1 : lessS(b, a) ? -1 : 0));
    if (top.length === 0) return 0;
    const floor = scores[top[top.length - 1] ?? 0] ?? 0;
    if (p.passageWeight <= 0) return floor;
    const needles = this.passageNeedles(terms);
    let totalW = 0;
    for (const nd of needles) if (nd.group.length > 0) totalW += nd.weight;
    if (totalW === 0) return floor;
    const maxS = scores[top[0] ?? 0] ?? 1;
    for (const d of top) {
      const w = this.bestWindow(d, needles, p.passageChars);
      // Keep re-ranked slots above the ones outside the re-rank depth.
      scores[d] = floor + (scores[d] ?? 0) / maxS + p.passageWeight * (w.score / totalW);
    }
    return floor;
  }

  // ---------------------------------------------------------------------------------------------------------------

  private stats(): { avgT: number; avgB: number; n: number } {
    const liveN = Math.max(1, this.live);
    return {
      avgT: Math.max(1, this.sumTitle / liveN),
      avgB: Math.max(1, this.sumBody / liveN),
      // Document frequencies count removed-but-not-compacted slots too, so N does as well.
      n: Math.max(1, this.slots),
    };
  }

  private freshnessFactor(slot: number, now: number): { applies: boolean; ageDays: number | null; factor: number } {
    const p = this.params;
    const type = this.types[slot] ?? 'knowledge';
    const ms = this.dateMs[slot] ?? NaN;
    if (!p.freshTypes.includes(type) || Number.isNaN(ms) || p.freshnessWeight === 0) {
      return { applies: false, ageDays: Number.isNaN(ms) ? null : Math.max(0, (now - ms) / DAY_MS), factor: 1 };
    }
    const age = Math.max(0, (now - ms) / DAY_MS);
    return { applies: true, ageDays: age, factor: 1 + p.freshnessWeight * Math.pow(2, -age / p.freshnessHalfLifeDays) };
  }

  /** Sets freshBound[slot] for freshT0 (and raises freshBoundMax). */
  private setFreshBound(slot: number): void {
    const p = this.params;
    const ms = this.freshMs[slot] as number;
    let f = 1;
    // A negative weight lowers the score of fresh documents: 1 bounds the factor then.
    if (ms === ms && p.freshnessWeight > 0) {
      f = 1 + p.freshnessWeight * Math.pow(2, -Math.max(0, (this.freshT0 - ms) / DAY_MS) / p.freshnessHalfLifeDays);
    }
    // Rounded up: Float32 rounding errs by < 6e-8 relative.
    const b = Math.fround(f * (1 + 1e-7));
    this.freshBound[slot] = b;
    if (b > this.freshBoundMax) this.freshBoundMax = b;
  }

  /**
   * Per-slot upper bounds of the freshness factor for a query at `now` (see freshBound): recomputed when `now` is
   * before the time they were computed for or more than a day after it (bounds loosen as documents age), and after
   * compaction; documents added meanwhile get theirs when added.
   */
  private freshBounds(now: number): Float32Array {
    if (!(now >= this.freshT0 && now - this.freshT0 < DAY_MS)) {
      this.freshT0 = now;
      this.freshBoundMax = 1;
      for (let d = 0; d < this.slots; d++) this.setFreshBound(d);
    }
    return this.freshBound;
  }

  /** Per-slot BM25F field factors for the current statistics (recomputed after any change). */
  private norms(): Float64Array {
    if (this.normVersion !== this.version || this.inv.length < 2 * this.slots) {
      const p = this.params;
      const { avgT, avgB } = this.stats();
      const cap = this.alive.length;
      if (this.inv.length !== 2 * cap) this.inv = new Float64Array(2 * cap);
      const cT = p.bTitle / avgT;
      const cB = p.bBody / avgB;
      const aT = 1 - p.bTitle;
      const aB = 1 - p.bBody;
      const lenT = this.lenTitle;
      const lenB = this.lenBody;
      for (let d = 0; d < this.slots; d++) {
        this.inv[2 * d] = p.titleWeight / (aT + cT * (lenT[d] as number));
        this.inv[2 * d + 1] = p.bodyWeight / (aB + cB * (lenB[d] as number));
      }
      this.normVersion = this.version;
    }
    return this.inv;
  }

  /**
   * Scores the query into this.scores (BM25F × coverage × freshness). Returns every slot whose score was touched
   * (to reset) and the candidates: the slots that can matter for the result, i.e. score ≥ a lower bound θ of
   * (a) the `need.top`-th best score among slots passing `need.pass` (the hits), (b) the rerankDepth-th best score
   * (the re-ranked top) and (c) what total and facets count: the best `need.depth` slots above the cutoff, so the
   * larger of cutoffRatio × (b) (after re-ranking the best score is at least the rerankDepth-th base score) and the
   * (need.depth + 1)-th best score passing the filters (the type and department facets each drop one filter, so
   * their depth-th best is at least that). Re-ranking only reorders the top rerankDepth ≤ depth, so the best `depth`
   * by final score are the best `depth` by base score. With pruning, terms are read in decreasing weight; once the weight
   * left cannot lift an untouched slot to θ, the remaining (commonest, longest) lists are only probed for the
   * candidates (galloping search), and candidates that can no longer reach θ are dropped. Slots left out have a
   * final score below θ, so hits, re-ranking, facets and total are exactly those of exhaustive scoring.
   */
  private scoreAll(qterms: readonly QueryTerm[], now: number, need: Need): { touched: Int32Array; cands: number[] } {
    const p = this.params;
    const { n } = this.stats();
    const inv = this.norms();
    const scores = this.scores;
    const matched = this.matched;
    const alive = this.alive;
    const checkAlive = this.dead > 0;
    let touched = this.touchedBuf;
    let nt = 0;
    const k1 = p.k1;
    const st = this.store;
    let queryWords = 0;
    // Skip very common terms unless nothing else is left.
    const maxDf = p.maxDfRatio >= 1 ? Infinity : Math.max(100, p.maxDfRatio * n);
    let rareLeft = false;
    for (const t of qterms) {
      const id = this.termId(t.term);
      if (id >= 0 && (st.count[id] as number) > 0 && (st.count[id] as number) <= maxDf) rareLeft = true;
    }
    // Only the query's own words and bigrams are skipped; synonym and typo expansions are kept (复公复产 → 复工复产
    // is common, but it is the whole point of the correction).
    const terms: { id: number; w: number; df: number; isWord: boolean }[] = [];
    for (const t of qterms) {
      const isWord = t.kind === 'word';
      if (isWord) queryWords++;
      const id = this.termId(t.term);
      if (id < 0) continue;
      const df = st.count[id] as number;
      if (df === 0 || (rareLeft && df > maxDf && (t.kind === 'word' || t.kind === 'bigram'))) continue;
      terms.push({ id, w: t.weight * Math.log(1 + (n - df + 0.5) / (df + 0.5)), df, isWord });
    }
    // Highest weight (rarest) first: the same order with or without pruning, so sums are bit-identical.
    terms.sort((a, b) => b.w - a.w || a.id - b.id);
    const cov = p.coverageBoost > 0 && queryWords > 0 ? p.coverageBoost : 0;
    const fw = p.freshnessWeight;
    // Boost factors are bounded per slot (freshness bound × the largest coverage factor); fmax bounds them all.
    const fb = this.freshBounds(now);
    // The need boost is bounded with the coverage factor (every slot by the larger factor: an upper bound suffices).
    const nb = need.need === true && p.needBoost > 1 ? p.needBoost : 1;
    let needMask = 0;
    if (nb !== 1) for (let i = 0; i < DOC_TYPES.length; i++) if (p.needTypes.includes(DOC_TYPES[i] ?? 'knowledge')) needMask |= 1 << i;
    const typeIdx = this.typeIdx;
    const covMax = (1 + cov) * nb;
    const fmax = covMax * this.freshBoundMax;
    // Each term adds at most w (tfn / (k1 + tfn) < 1).
    let rest = 0;
    for (const t of terms) rest += t.w;
    this.lastScan.postings = 0;
    this.lastScan.probes = 0;
    this.lastScan.candidates = 0;
    let theta = 0;
    const known = { rerank: 0, count: 0 };
    let maxAcc = 0;
    let cands: Int32Array | undefined;
    let nc = 0;
    let probe = new Int32Array(0);
    let sorted = false;
    // Histogram of the partial scores of the touched slots (NB buckets over [0, the sum of the weights]): without
    // filters θ is read from it (bucket floors are lower bounds of the order statistics), two counter updates a
    // posting instead of a selection over every touched slot after each term.
    const useHist = this.pruning && need.pass === undefined;
    const NB = HIST_BUCKETS;
    const scale = rest > 0 ? NB / rest : 0;
    const hist = this.hist;
    hist.fill(0);
    const kr = Math.max(1, p.rerankDepth);
    const kc = need.depth + 1;
    const ratio = Math.min(1, p.cutoffRatio);
    const histTheta = (): number => {
      let cum = 0;
      let bR = -1;
      let bT = -1;
      let bC = -1;
      for (let b = NB; b >= 0; b--) {
        cum += hist[b] as number;
        if (bR < 0 && cum >= kr) bR = b;
        if (bT < 0 && cum >= need.top) bT = b;
        if (cum >= kc) {
          bC = b;
          break;
        }
      }
      // One bucket lower: a score's bucket is its floor up to rounding.
      if (bR <= 0) return 0;
      const r = (bR - 1) / scale;
      const c = bC > 0 ? (bC - 1) / scale : 0;
      const t = bT > 0 ? (bT - 1) / scale : 0;
      return Math.min(r, t, Math.max(ratio * r, c));
    };
    for (let ti = 0; ti < terms.length; ti++) {
      const { id, w, isWord } = terms[ti]!;
      rest -= w;
      const countWord = cov > 0 && isWord;
      const pool = st.pool;
      const count = st.count[id] as number;
      // Reading the whole list costs less than probing it when the candidates are dense in it.
      if (cands === undefined || nc * PROBE_COST >= count) {
        this.lastScan.postings += count;
        const tailBlk = st.tail[id] as number;
        for (let blk = st.head[id] as number; blk >= 0; blk = pool[blk] as number) {
          const end = blk + 2 + (blk === tailBlk ? (st.fill[id] as number) : (pool[blk + 1] as number));
          for (let i = blk + 2; i < end; i++) {
            const v = pool[i] as number;
            const d = v >>> 10;
            if (checkAlive && alive[d] === 0) continue;
            const tfn = ((v >>> 7) & 7) * (inv[2 * d] as number) + (v & 127) * (inv[2 * d + 1] as number);
            const s = scores[d] as number;
            if (s === 0) {
              // A slot is touched once (scores are > 0 after a posting) unless a term weighs 0: grow then.
              if (nt === touched.length) {
                const g = new Int32Array(2 * nt);
                g.set(touched);
                touched = this.touchedBuf = g;
              }
              touched[nt++] = d;
            } else {
              const b0 = (s * scale) | 0;
              hist[b0] = (hist[b0] as number) - 1;
            }
            const ns = s + (w * tfn) / (k1 + tfn);
            scores[d] = ns;
            const b1 = (ns * scale) | 0;
            hist[b1] = (hist[b1] as number) + 1;
            if (ns > maxAcc) maxAcc = ns;
            if (countWord) matched[d] = (matched[d] as number) + 1;
          }
        }
      } else {
        // Look-ups need the candidates in slot order: sorted once, when they first get sparse enough to probe.
        if (!sorted) {
          cands.subarray(0, nc).sort();
          sorted = true;
        }
        this.probe(id, cands, nc, probe);
        this.lastScan.probes += nc;
        for (let j = 0; j < nc; j++) {
          const v = probe[j] as number;
          if (v === 0) continue;
          const d = cands[j] as number;
          const tfn = ((v >>> 7) & 7) * (inv[2 * d] as number) + (v & 127) * (inv[2 * d + 1] as number);
          const s = scores[d] as number;
          const ns = s + (w * tfn) / (k1 + tfn);
          scores[d] = ns;
          const b0 = (s * scale) | 0;
          const b1 = (ns * scale) | 0;
          hist[b0] = (hist[b0] as number) - 1;
          hist[b1] = (hist[b1] as number) + 1;
          if (countWord) matched[d] = (matched[d] as number) + 1;
        }
      }
      if (!this.pruning) continue;
      if (cands === undefined) {
        // Switch to candidates only when the weight left cannot lift an untouched slot to θ (θ ≤ the best score).
        if (ti + 1 < terms.length && maxAcc > rest * fmax) {
          if (useHist) theta = histTheta();
          else if (this.mayExceed(touched, nt, rest * fmax, need)) theta = this.threshold(touched, nt, need, known);
          if (theta > rest * fmax) {
            // A slot stays a candidate while (its score + the weight left) × its boost bound can reach θ.
            const c = new Int32Array(nt);
            for (let j = 0; j < nt; j++) {
              const d = touched[j] as number;
              if (((scores[d] as number) + rest) * covMax * (fb[d] as number) >= theta) c[nc++] = d;
            }
            cands = c;
            probe = new Int32Array(nc);
            this.lastScan.candidates = nc;
          }
        }
      } else {
        // Drop candidates that can no longer reach θ (θ only grows as scores do).
        theta = Math.max(theta, useHist ? histTheta() : this.threshold(cands, nc, need, known));
        let m = 0;
        for (let j = 0; j < nc; j++) {
          const d = cands[j] as number;
          if (((scores[d] as number) + rest) * covMax * (fb[d] as number) >= theta) cands[m++] = d;
        }
        nc = m;
      }
    }
    if (this.pruning && cands === undefined) theta = useHist ? histTheta() : this.threshold(touched, nt, need, known);
    const from = cands ?? touched;
    const len = cands ? nc : nt;
    const out: number[] = [];
    const lim = theta / fmax;
    for (let j = 0; j < len; j++) {
      const d = from[j] as number;
      let s = scores[d] as number;
      if (s < lim) continue;
      let f = 1;
      if (cov > 0) f *= 1 + (cov * (matched[d] as number)) / queryWords;
      if (needMask !== 0 && ((needMask >> (typeIdx[d] as number)) & 1) === 1) f *= nb;
      if (fw > 0) {
        const ms = this.freshMs[d] as number;
        if (ms === ms) f *= 1 + fw * Math.pow(2, -Math.max(0, (now - ms) / DAY_MS) / p.freshnessHalfLifeDays);
      }
      if (f !== 1) {
        s *= f;
        scores[d] = s;
      }
      if (s >= theta) out.push(d);
    }
    return { touched: touched.subarray(0, nt), cands: out };
  }

  /**
   * False when θ (see threshold) cannot exceed x: fewer than rerankDepth scores above x / cutoffRatio and fewer than
   * need.depth + 1 above x (θ ≤ max(cutoffRatio × the rerankDepth-th, the (depth + 1)-th)). A counting pass, no
   * selection: most calls before the switch to candidates end here.
   */
  private mayExceed(slots: Int32Array, len: number, x: number, need: Need): boolean {
    const p = this.params;
    const scores = this.scores;
    const kr = Math.max(1, p.rerankDepth);
    const kc = need.depth + 1;
    const ratio = Math.min(1, p.cutoffRatio);
    const xr = ratio > 0 ? x / ratio : Infinity;
    let above = 0;
    let aboveR = 0;
    for (let j = 0; j < len; j++) {
      const v = scores[slots[j] as number] as number;
      if (v > x) {
        if (++above >= kc) return true;
        if (v > xr && ++aboveR >= kr) return true;
      }
    }
    return false;
  }

  /**
   * The slots of `list` passing `pass`: how many (n) and the best k of them by score, ties by id (as in the hits).
   */
  private bestOf(list: readonly number[], k: number, pass: ((d: number) => boolean) | undefined): { n: number; slots: number[] } {
    const sel: number[] = [];
    for (const d of list) if (pass === undefined || pass(d)) sel.push(d);
    const n = sel.length;
    if (n <= k) return { n, slots: sel };
    const scores = this.scores;
    const kth = this.kthLargest(sel, n, k, undefined, 0);
    const out: number[] = [];
    const tied: number[] = [];
    for (const d of sel) {
      const s = scores[d] as number;
      if (s > kth) out.push(d);
      else if (s === kth) tied.push(d);
    }
    if (out.length + tied.length > k) {
      const ids = this.ids;
      tied.sort((a, b) => ((ids[a] ?? '') < (ids[b] ?? '') ? -1 : (ids[a] ?? '') > (ids[b] ?? '') ? 1 : 0));
    }
    for (let i = 0; out.length < k && i < tied.length; i++) out.push(tied[i] as number);
    return { n, slots: out };
  }

  /**
   * A lower bound θ of the smallest score that can matter (see scoreAll), from the current (partial, un-boosted)
   * scores of `slots`: min(rerankDepth-th best R, need.top-th best passing need.pass, max(cutoffRatio × R,
   * (need.depth + 1)-th best passing need.pass)); 0 when there are fewer than rerankDepth slots. `known` holds the
   * last R and (depth + 1)-th values (scores only grow, so they are floors for the next call) and is updated.
   */
  private threshold(slots: ArrayLike<number>, len: number, need: Need, known: { rerank: number; count: number }): number {
    const p = this.params;
    const depth = Math.max(1, p.rerankDepth);
    const kc = need.depth + 1;
    let kRerank: number;
    let kCount: number;
    if (need.pass === undefined) {
      // One scan for both: the scores ≥ the last (depth + 1)-th (≤ the last rerankDepth-th), all when too few.
      const floor = known.count;
      let m = this.collectScores(slots, len, floor);
      if (m < kc && floor > 0) m = this.collectScores(slots, len, 0);
      kCount = m >= kc ? this.selectKth(m, kc) : 0;
      kRerank = m >= depth ? this.selectKth(m, depth) : 0;
    } else {
      kRerank = this.kthLargest(slots, len, depth, undefined, known.rerank);
      kCount = this.kthLargest(slots, len, kc, need.pass, known.count);
    }
    known.rerank = kRerank;
    known.count = kCount;
    if (kRerank <= 0) return 0;
    const cut = Math.min(1, p.cutoffRatio) * kRerank;
    const theta = Math.min(kRerank, Math.max(cut, kCount));
    // The hits: the top-th best passing is ≥ kCount (top ≤ depth), and without a filter ≥ kRerank when top ≤ depth.
    if (cut <= kCount || (need.pass === undefined && need.top <= depth)) return theta;
    return Math.min(theta, this.kthLargest(slots, len, need.top, need.pass, 0));
  }

  /** The k-th largest score among `slots` (those passing `pass`), 0 when fewer (quickselect on a scratch copy). */
  private kthLargest(slots: ArrayLike<number>, len: number, k: number, pass: ((d: number) => boolean) | undefined, floor: number): number {
    if (len < k) return 0;
    // Only scores ≥ floor (a value the k-th largest is known to reach) need selecting; retry without when too few.
    let m = this.collectScores(slots, len, floor, pass);
    if (m < k && floor > 0) m = this.collectScores(slots, len, 0, pass);
    return m < k ? 0 : this.selectKth(m, k);
  }

  /** Copies the scores ≥ floor of `slots` (those passing `pass`) into the scratch array; returns how many. */
  private collectScores(slots: ArrayLike<number>, len: number, floor: number, pass?: (d: number) => boolean): number {
    if (this.kthScratch.length < len) this.kthScratch = new Float64Array(Math.max(len, this.kthScratch.length * 2));
    const a = this.kthScratch;
    const scores = this.scores;
    let m = 0;
    for (let j = 0; j < len; j++) {
      const d = slots[j] as number;
      const v = scores[d] as number;
      if (v >= floor && (pass === undefined || pass(d))) a[m++] = v;
    }
    return m;
  }

  /** The k-th largest of the first m values of the scratch array (quickselect; reorders them). */
  private selectKth(m: number, k: number): number {
    const a = this.kthScratch;
    let lo = 0;
    let hi = m - 1;
    const target = k - 1;
    while (lo < hi) {
      const pivot = a[(lo + hi) >>> 1] as number;
      let i = lo;
      let j = hi;
      while (i <= j) {
        while ((a[i] as number) > pivot) i++;
        while ((a[j] as number) < pivot) j--;
        if (i <= j) {
          const t = a[i] as number;
          a[i] = a[j] as number;
          a[j] = t;
          i++;
          j--;
        }
      }
      if (target <= j) hi = j;
      else if (target >= i) lo = i;
      else break;
    }
    return a[target] as number;
  }

  /**
   * For each of the `nc` sorted candidate slots, its posting in the term's list (0 when absent), by galloping
   * search: cost ~ nc · log(list / nc) instead of reading the whole list.
   */
  private probe(id: number, cands: Int32Array, nc: number, out: Int32Array): void {
    const st = this.store;
    const pool = st.pool;
    const tailBlk = st.tail[id] as number;
    let j = 0;
    for (let blk = st.head[id] as number; blk >= 0 && j < nc; blk = pool[blk] as number) {
      let lo = blk + 2;
      const end = lo + (blk === tailBlk ? (st.fill[id] as number) : (pool[blk + 1] as number));
      if (lo >= end) continue;
      const last = (pool[end - 1] as number) >>> 10;
      while (j < nc && (cands[j] as number) <= last) {
        const target = cands[j] as number;
        // Gallop: all positions before lo hold smaller slots.
        let hi = lo;
        let step = 1;
        while (hi < end && (pool[hi] as number) >>> 10 < target) {
          lo = hi + 1;
          hi = lo + step;
          step <<= 1;
        }
        if (hi > end) hi = end;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if ((pool[mid] as number) >>> 10 < target) lo = mid + 1;
          else hi = mid;
        }
        if (lo < end && (pool[lo] as number) >>> 10 === target) out[j] = pool[lo++] as number;
        else out[j] = 0;
        j++;
      }
    }
    for (; j < nc; j++) out[j] = 0;
  }

  private ensureCapacity(n: number): void {
    if (n <= this.alive.length) return;
    let cap = this.alive.length;
    while (cap < n) cap *= 2;
    const grow = <A extends Float64Array | Float32Array | Uint8Array | Uint16Array | Int32Array>(a: A, make: (c: number) => A): A => {
      const b = make(cap);
      b.set(a);
      return b;
    };
    this.dateMs = grow(this.dateMs, (c) => new Float64Array(c));
    this.freshMs = grow(this.freshMs, (c) => new Float64Array(c));
    this.freshBound = grow(this.freshBound, (c) => new Float32Array(c));
    this.typeIdx = grow(this.typeIdx, (c) => new Uint8Array(c));
    this.deptIdx = grow(this.deptIdx, (c) => new Int32Array(c));
    this.lenTitle = grow(this.lenTitle, (c) => new Float32Array(c));
    this.lenBody = grow(this.lenBody, (c) => new Float32Array(c));
    this.alive = grow(this.alive, (c) => new Uint8Array(c));
    this.scores = grow(this.scores, (c) => new Float64Array(c));
    this.touchedBuf = new Int32Array(cap);
    this.matched = grow(this.matched, (c) => new Uint16Array(c));
  }

  /**
   * Query spans worth a typo lookup: inside each run of tokens that are single CJK characters or CJK words the index
   * has never seen (where a typo usually breaks segmentation: 居往证 → 居往 + 证), every substring of 2–4 characters.
   */
  private typoSpans(tokens: readonly string[]): string[] {
    const spans = new Set<string>();
    let run = '';
    let suspicious = false;
    const flush = (): void => {
      if (suspicious && run.length >= 2) {
        const r = run.slice(0, 12);
        for (let len = Math.min(4, r.length); len >= 2; len--) {
          for (let i = 0; i + len <= r.length; i++) {
            const sub = r.slice(i, i + len);
            if (!this.store.words.has(sub)) spans.add(sub);
          }
        }
      }
      run = '';
      suspicious = false;
    };
    for (const t of tokens) {
      const cjk = /^[\u3400-\u9fff]+$/.test(t);
      if (cjk && (t.length === 1 || !this.store.words.has(t))) {
        run += t;
        if (t.length > 1 || run.length > 1) suspicious = true;
        continue;
      }
      flush();
    }
    flush();
    return [...spans];
  }

  /** pinyinKey → indexed words (2–6 CJK characters, in ≥2 documents); rebuilt when the vocabulary grew by 10%. */
  private pinyinVocabulary(): Map<string, string[]> {
    const words = this.store.words;
    if (this.pinyinVocab && words.size < this.pinyinVocab.size * 1.1) return this.pinyinVocab.map;
    const map = new Map<string, string[]>();
    for (const [term, id] of words) {
      if ((this.store.count[id] as number) < 2 || term.length < 2 || term.length > 6) continue;
      if (!/^[\u3400-\u9fff]+$/.test(term)) continue;
      const key = pinyinKey(term);
      const list = map.get(key);
      if (list) list.push(term);
      else map.set(key, [term]);
    }
    this.pinyinVocab = { size: words.size, map };
    return map;
  }

  private suggestEntries(): { key: string; text: string; kind: 'title' | 'term'; id?: string; w: number }[] {
    if (this.suggestCache && this.suggestCache.version === this.version) return this.suggestCache.entries;
    const entries: { key: string; text: string; kind: 'title' | 'term'; id?: string; w: number }[] = [];
    const addKeys = (text: string, kind: 'title' | 'term', w: number, id?: string): void => {
      const folded = foldToSimplified(text).replace(/\s+/g, '');
      const head = folded.slice(0, 24);
      const py = toPinyin(head);
      const keys = new Set([folded, py.join(''), py.map((s) => s.charAt(0)).join('')]);
      for (const key of keys) {
        if (key === '') continue;
        const e: { key: string; text: string; kind: 'title' | 'term'; id?: string; w: number } = { key, text, kind, w };
        if (id !== undefined) e.id = id;
        entries.push(e);
      }
    };
    // Vocabulary: words of 2–8 CJK characters in ≥2 documents (or any, for tiny indexes), weighted by df.
    const minDf = this.live >= 50 ? 2 : 1;
    for (const [term, id] of this.store.words) {
      const df = this.store.count[id] as number;
      if (df < minDf || term.length < 2 || term.length > 8) continue;
      if (!/^[\u3400-\u9fff]+$/.test(term)) continue;
      addKeys(term, 'term', df);
    }
    // Titles (up to 20,000 most recent slots, to bound the cost at 100k documents).
    for (let s = Math.max(0, this.slots - 20_000); s < this.slots; s++) {
      if (this.alive[s]) addKeys(this.titles[s] ?? '', 'title', 1, this.ids[s]);
    }
    entries.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    this.suggestCache = { version: this.version, entries };
    return entries;
  }
}

/** What a search needs from the scoring: the hits (`top` passing `pass`) and the `depth` counted in total/facets. */
interface Need {
  top: number;
  pass: ((d: number) => boolean) | undefined;
  depth: number;
  /** The query reads as a need (readsAsNeed): documents of needTypes get × needBoost. */
  need?: boolean;
}

/** Names with a non-zero count, most frequent first (ties in name order). */
function countsRecord(names: readonly string[], counts: Int32Array): Record<string, number> {
  const idx: number[] = [];
  for (let i = 0; i < counts.length; i++) if ((counts[i] as number) > 0) idx.push(i);
  idx.sort((a, b) => (counts[b] as number) - (counts[a] as number) || ((names[a] ?? '') < (names[b] ?? '') ? -1 : 1));
  const out: Record<string, number> = {};
  for (const i of idx) out[names[i] ?? ''] = counts[i] as number;
  return out;
}

function splitTokens(s: string): string[] {
  return s === '' ? [] : s.split(' ');
}

function siftUp(h: number[], i: number, less: (a: number, b: number) => boolean): void {
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (less(h[i] ?? 0, h[parent] ?? 0)) {
      [h[i], h[parent]] = [h[parent] ?? 0, h[i] ?? 0];
      i = parent;
    } else break;
  }
}

function siftDown(h: number[], i: number, less: (a: number, b: number) => boolean): void {
  for (;;) {
    const l = i * 2 + 1;
    const r = l + 1;
    let m = i;
    if (l < h.length && less(h[l] ?? 0, h[m] ?? 0)) m = l;
    if (r < h.length && less(h[r] ?? 0, h[m] ?? 0)) m = r;
    if (m === i) break;
    [h[i], h[m]] = [h[m] ?? 0, h[i] ?? 0];
    i = m;
  }
}
