/**
 * Incremental hot-issue clustering (pure, in memory, no I/O).
 *
 * Each item becomes a TF-IDF vector over jieba words and character bigrams of its title (weighted up) and the start
 * of its text, truncated to its strongest terms. An inverted index from each item's rarest strong terms and from its
 * place names to the issues that contain them gives a handful of candidate issues per new item (the most recent
 * postings per term only),
 * so adding an item costs about the same at 1,000 or 1,000,000 items. The item joins the best candidate when
 *
 *   score = cos(item, issue centroid) + placeBonus·[a named place matches]
 *           − placePenalty·[both name places and none matches] − timePenalty·min(1, gap / timeDecayDays)
 *
 * reaches `threshold`; an issue in another district or county (A3区 vs A5区) is never a candidate. Otherwise the item
 * starts a new issue. Centroids are sums of item vectors truncated to their strongest terms.
 */
import { extractPlaces, isGenericName, placeKey, placeKind, placeSpecificity, samePlace, specificityOf } from './places.ts';
import { cleanText, problemCategories, stripAdmin, tokenize, trimPlaceName } from './text.ts';
import { countBetween, heatIndex, peakWindow } from './heat.ts';
import { DAY, cstString, dayNumber, dayString, parseTime } from './time.ts';
import { SmallMap, SmallSet } from './small.ts';

/** One message, comment or post. */
export interface HotIssueItem {
  id: string | number;
  title?: string;
  text: string;
  /** Epoch ms, Date, ISO string or the data's "YYYY/M/D H:MM:SS" (UTC+8). */
  time: string | number | Date;
  likes?: number;
  dislikes?: number;
  author?: string;
  /** Probability that the item is positive, when already known (e.g. stored analysis); used instead of `sentiment`. */
  positive?: number;
}

/** Optional sentiment model: probability that a text is positive. */
export type SentimentFn = (text: string) => { positive: number };

/** Tunable parameters of the clustering (defaults tuned on the training half of gold.json). */
export interface ClusterOptions {
  threshold: number;
  placeBonus: number;
  placePenalty: number;
  timePenalty: number;
  timeDecayDays: number;
  /** Issues idle for longer than this are no longer candidates (unless the same specific place, see below). */
  maxGapDays: number;
  /**
   * Idle limit when the same specific place (estate, school, village, station) agrees: a long-running complaint at
   * one place comes back after months.
   */
  samePlaceGapDays: number;
  itemTerms: number;
  centroidTerms: number;
  indexTerms: number;
  postingsPerTerm: number;
  titleWeight: number;
  bigramWeight: number;
  detailChars: number;
  /** Character bigrams of the text too (not only of the title); costs about twice the time. */
  bodyBigrams: boolean;
  representatives: number;
  /** Weight of "@category" problem features (see PROBLEM_CATEGORIES), as a count. */
  categoryWeight: number;
  /** Least topical cosine to join or merge, whatever the place bonus (same estate, different problem). */
  minCosine: number;
  /** Extra score needed to join when the item or the issue names no place (city-wide topics drift). */
  noPlaceMargin: number;
  /**
   * Least topical cosine to join or merge when the item or the issue names no place below the district (only A市 /
   * A7县, or nothing): a shared theme alone (普惠 kindergartens in A7县, "when will the metro come") is not one issue.
   */
  noPlaceMinCosine: number;
  /** Extra similarity needed to merge two issues that share no specific place. */
  mergeNoPlaceExtra: number;
  /** Score at which two issues are merged by {@link HotIssueIndex.consolidate}. */
  mergeThreshold: number;
  /** Weight factor of terms that are part of the item's own place names (the place counts through the bonus). */
  placeTermWeight: number;
  /** Tokenizer override (e.g. a memoised one for tuning); default: jieba words + character bigrams. */
  tokenizer?: (text: string, withBigrams: boolean) => string[];
  /** Optional sentiment model; items are "negative" when `positive < negativeBelow`. */
  sentiment?: SentimentFn;
  negativeBelow: number;
}

/** Default parameters. */
export const DEFAULT_OPTIONS: Readonly<ClusterOptions> = Object.freeze({
  threshold: 0.16,
  placeBonus: 0.2,
  placePenalty: 0.3,
  timePenalty: 0.1,
  timeDecayDays: 60,
  maxGapDays: 180,
  samePlaceGapDays: 365,
  itemTerms: 40,
  centroidTerms: 80,
  indexTerms: 8,
  postingsPerTerm: 48,
  titleWeight: 2,
  bigramWeight: 0.5,
  detailChars: 300,
  bodyBigrams: false,
  representatives: 6,
  placeTermWeight: 0.3,
  noPlaceMargin: 0.1,
  noPlaceMinCosine: 0.3,
  minCosine: 0.15,
  categoryWeight: 3,
  mergeThreshold: 0.3,
  mergeNoPlaceExtra: 0.2,
  negativeBelow: 0.5,
});

/** Why an item was not added. */
export type AddError = { code: 'BAD_TIME' | 'EMPTY_TEXT' | 'BAD_ID'; message: string };
/** Result of adding one item. */
export type AddResult = { ok: true; issueId: number; created: boolean; score: number } | { ok: false; error: AddError };

/** A representative item of an issue. */
export interface Representative {
  id: string | number;
  title: string;
}

/** An issue as reported. */
export interface HotIssue {
  id: number;
  heat: number;
  /** Title of the most central item. */
  title: string;
  /** "place + problem" phrase: the place and the strongest non-place keywords. */
  summary: string;
  /** Most specific place, prefixed by city and district when known ("A市A2区丽发新城"), or "" when none. */
  place: string;
  district: string | null;
  firstTime: string;
  lastTime: string;
  firstDay: string;
  lastDay: string;
  items: number;
  people: number;
  likes: number;
  dislikes: number;
  /** Share of negative items among items with known sentiment, null when none known. */
  negativeShare: number | null;
  peakWeek: number;
  keywords: string[];
  representatives: Representative[];
  messageIds: (string | number)[];
  /** Items per day, ascending, for charts and burst detection. */
  daily: { day: string; count: number }[];
}

interface Vec {
  terms: Int32Array;
  weights: Float32Array;
}

interface Rep {
  id: string | number;
  title: string;
  vec: Vec;
  score: number;
}

interface Cluster {
  id: number;
  /** Set when merged into another issue. */
  mergedInto: number | null;
  vec: Vec;
  norm: number;
  posted: SmallSet<number>;
  ids: (string | number)[];
  authors: SmallSet<string>;
  anonymous: number;
  likes: number;
  dislikes: number;
  first: number;
  last: number;
  days: SmallMap<number, number>;
  neg: number;
  sentKnown: number;
  districts: SmallMap<string, number>;
  cities: SmallMap<string, number>;
  places: SmallMap<string, number>;
  /** Cached main places (see dominantPlaces), null when stale. */
  dom: string[] | null;
  reps: Rep[];
}

interface Prepared {
  /** Pseudo-terms "%<place key>" for the place index (not part of the vector). */
  placeTerms: number[];
  id: string | number;
  title: string;
  time: number;
  vec: Vec;
  index: number[];
  districts: string[];
  cities: string[];
  places: string[];
  likes: number;
  dislikes: number;
  author: string | null;
  negative: boolean | null;
}

const MAX_PLACES_PER_ISSUE = 24;
/** Words left out of an issue's keywords (they carry no problem). */
const DISPLAY_STOP = new Set(['附近', '旁边', '周边', '周围', '对面', '楼下', '门口', '区域', '有无', '挨着', '将会', '有损于']);

/** The 12 strongest terms of a vector: enough to pick a representative, a third of the memory. */
function repVec(v: Vec): Vec {
  if (v.terms.length <= 12) return v;
  const idx = [...v.weights.keys()].sort((a, b) => (v.weights[b] as number) - (v.weights[a] as number)).slice(0, 12);
  idx.sort((a, b) => (v.terms[a] as number) - (v.terms[b] as number));
  return { terms: Int32Array.from(idx.map((i) => v.terms[i] as number)), weights: Float32Array.from(idx.map((i) => v.weights[i] as number)) };
}

/**
 * Best agreement between two place lists: 1 specific place (estate, school, village, station), 0.5 road, street or
 * line only, 0 none, −1 when both lists name specific places and none of them agrees (two estates on one road, two
 * stations on one metro line are two places, whatever road or line they share).
 */
function matchStrength(a: string[], b: string[]): number {
  let road = false;
  let specA = false;
  let specB = false;
  for (const x of a) if (specificityOf(x) >= 2) specA = true;
  for (const y of b) if (specificityOf(y) >= 2) specB = true;
  for (const x of a) {
    for (const y of b) {
      if (!samePlace(x, y)) continue;
      if (Math.max(specificityOf(x), specificityOf(y)) >= 2) return 1;
      road = true;
    }
  }
  if (specA && specB) return -1;
  return road ? 0.5 : 0;
}

/** Incremental clustering index of items into issues. */
export class HotIssueIndex {
  readonly options: ClusterOptions;
  private vocab = new Map<string, number>();
  private terms: string[] = [];
  private df = new Int32Array(1024);
  private docs = 0;
  private postings: number[][] = [];
  private clusters: Cluster[] = [];
  private scratch = new Float32Array(1024);
  private latest = -Infinity;
  private itemCount = 0;

  /** @param options overrides of {@link DEFAULT_OPTIONS} */
  constructor(options: Partial<ClusterOptions> = {}) {
    this.options = { ...DEFAULT_OPTIONS, ...options };
  }

  /** Number of items added. */
  get size(): number {
    return this.itemCount;
  }

  /** Number of issues (including single-item ones). */
  get issueCount(): number {
    let n = 0;
    for (const c of this.clusters) if (c.mergedInto === null) n++;
    return n;
  }

  /** Number of distinct terms seen. */
  get vocabularySize(): number {
    return this.terms.length;
  }

  private termId(t: string): number {
    let id = this.vocab.get(t);
    if (id === undefined) {
      id = this.terms.length;
      this.vocab.set(t, id);
      this.terms.push(t);
      this.postings.push([]);
      if (id >= this.df.length) {
        const df = new Int32Array(this.df.length * 2);
        df.set(this.df);
        this.df = df;
        this.scratch = new Float32Array(df.length);
      }
    }
    return id;
  }

  private rawCounts(item: { title?: string; text: string }, places: string[] = []): Map<number, number> {
    const o = this.options;
    const tok = o.tokenizer ?? tokenize;
    const title = cleanText(item.title ?? '');
    let body = cleanText(item.text ?? '');
    if (title && body.startsWith(title)) body = body.slice(title.length);
    body = body.slice(0, o.detailChars);
    const counts = new Map<number, number>();
    const add = (toks: string[], w: number, wb: number): void => {
      for (const t of toks) {
        const id = this.termId(t);
        let x = t.startsWith('#') ? wb : w;
        if (places.length) {
          const bare = t.startsWith('#') ? t.slice(1) : t;
          if (places.some((p) => p.includes(bare))) x *= o.placeTermWeight;
        }
        counts.set(id, (counts.get(id) ?? 0) + x);
      }
    };
    if (title) add(tok(stripAdmin(title), true), o.titleWeight, o.titleWeight * o.bigramWeight);
    if (body) add(tok(stripAdmin(body), o.bodyBigrams), 1, o.bigramWeight * 0.5);
    if (o.categoryWeight > 0) {
      const inTitle = new Set(problemCategories(title));
      for (const cat of problemCategories(`${title} ${body}`)) {
        const id = this.termId('@' + cat);
        counts.set(id, (counts.get(id) ?? 0) + o.categoryWeight * (inTitle.has(cat) ? 2 : 1));
      }
    }
    return counts;
  }

  /**
   * Counts the document frequencies of items before they are added (two-pass use: observe the whole batch, then
   * add it with `{ observed: true }`), so early items get the same IDF weights as late ones.
   */
  observe(items: Iterable<{ title?: string; text: string }>): void {
    for (const it of items) {
      for (const id of this.rawCounts(it).keys()) this.df[id] = (this.df[id] ?? 0) + 1;
      this.docs++;
    }
  }

  private idf(id: number): number {
    return Math.log((this.docs + 1) / ((this.df[id] ?? 0) + 1)) + 1;
  }

  private prepare(item: HotIssueItem, observed: boolean): Prepared | AddError {
    if (typeof item.id !== 'string' && typeof item.id !== 'number') return { code: 'BAD_ID', message: 'id must be a string or number' };
    const time = parseTime(item.time);
    if (time === null) return { code: 'BAD_TIME', message: `unreadable time ${JSON.stringify(item.time)}` };
    const titleRaw = cleanText(item.title ?? '');
    const textRaw = cleanText(typeof item.text === 'string' ? item.text : '');
    if (!titleRaw && !textRaw) return { code: 'EMPTY_TEXT', message: 'title and text are empty' };
    const tp = extractPlaces(titleRaw);
    const bp = extractPlaces(textRaw, 200);
    const districts = tp.districts.length ? tp.districts : bp.districts.slice(0, 1);
    const cities = tp.cities.length ? tp.cities : bp.cities.slice(0, 1);
    const places = [
      ...new Set((tp.places.length ? tp.places : bp.places.slice(0, 3)).map(trimPlaceName).filter((x) => !isGenericName(x))),
    ];
    const counts = this.rawCounts({ title: titleRaw, text: textRaw }, places);
    if (!observed) {
      for (const id of counts.keys()) this.df[id] = (this.df[id] ?? 0) + 1;
      this.docs++;
    }
    const weighted: [number, number][] = [];
    for (const [id, c] of counts) weighted.push([id, Math.log1p(c) * this.idf(id)]);
    weighted.sort((a, b) => b[1] - a[1]);
    const top = weighted.slice(0, this.options.itemTerms);
    let norm = 0;
    for (const [, w] of top) norm += w * w;
    norm = Math.sqrt(norm) || 1;
    // Index terms: the strongest terms that are not extremely common.
    const index: number[] = [];
    for (const [id] of top) {
      if (index.length >= this.options.indexTerms) break;
      if ((this.df[id] ?? 0) <= Math.max(20, this.docs * 0.05)) index.push(id);
    }
    const sortedTop = top.slice().sort((a, b) => a[0] - b[0]);
    const vec: Vec = {
      terms: Int32Array.from(sortedTop.map((p) => p[0])),
      weights: Float32Array.from(sortedTop.map((p) => p[1] / norm)),
    };
    const placeTerms = [...new Set(places.map((x) => placeKey(x)))].map((k) => this.termId('%' + k));
    let negative: boolean | null = null;
    if (typeof item.positive === 'number' && Number.isFinite(item.positive)) negative = item.positive < this.options.negativeBelow;
    else if (this.options.sentiment) {
      const p = this.options.sentiment(`${titleRaw} ${textRaw}`.slice(0, 2000)).positive;
      if (typeof p === 'number' && Number.isFinite(p)) negative = p < this.options.negativeBelow;
    }
    return {
      placeTerms,
      id: item.id,
      title: titleRaw || textRaw.slice(0, 40),
      time,
      vec,
      index,
      districts,
      cities,
      places,
      likes: Math.max(0, Number(item.likes) || 0),
      dislikes: Math.max(0, Number(item.dislikes) || 0),
      author: typeof item.author === 'string' && item.author ? item.author : null,
      negative,
    };
  }

  private dot(c: Cluster): number {
    let s = 0;
    const t = c.vec.terms;
    const w = c.vec.weights;
    for (let i = 0; i < t.length; i++) s += (w[i] as number) * (this.scratch[t[i] as number] as number);
    return s / c.norm;
  }

  /**
   * Place agreement of an item with an issue's main places: 1 for the same estate/school/village/station, 0.5 when
   * only a road, street or line agrees (intersections chain roads together), 0 when both name places and none agrees,
   * −1 when both name specific places and none agrees (never joined), null when either names none.
   */
  private placeMatch(p: Prepared, c: Cluster): number | null {
    if (p.places.length === 0 || c.places.size === 0) return null;
    return matchStrength(p.places, this.dominantPlaces(c));
  }

  private districtConflict(p: Prepared, c: Cluster): boolean {
    if (p.districts.length === 0 || c.districts.size === 0) return false;
    for (const d of p.districts) if (c.districts.has(d)) return false;
    return true;
  }

  /** Adds one item; returns the issue it joined or created, or an error value for an unusable item. */
  add(item: HotIssueItem, opts: { observed?: boolean } = {}): AddResult {
    const p = this.prepare(item, opts.observed ?? false);
    if ('code' in p) return { ok: false, error: p };
    const o = this.options;
    const cands = new Set<number>();
    for (const t of [...p.index, ...p.placeTerms]) {
      const list = this.postings[t] as number[];
      for (let i = list.length - 1, n = 0; i >= 0 && n < o.postingsPerTerm; i--, n++) cands.add(this.resolve(list[i] as number));
    }
    for (let i = 0; i < p.vec.terms.length; i++) this.scratch[p.vec.terms[i] as number] = p.vec.weights[i] as number;
    let best: Cluster | null = null;
    let bestScore = -Infinity;
    const maxGap = o.maxGapDays * DAY;
    const longGap = Math.max(maxGap, o.samePlaceGapDays * DAY);
    for (const cid of cands) {
      const c = this.clusters[cid] as Cluster;
      const gap = Math.max(0, p.time - c.last, c.first - p.time);
      if (gap > longGap) continue;
      if (this.districtConflict(p, c)) continue;
      let s = this.dot(c);
      if (s < o.minCosine) continue;
      const pm = this.placeMatch(p, c);
      if (pm !== null && pm < 0) continue;
      if (gap > maxGap && (pm === null || pm < 1)) continue;
      if (pm === null && s < o.noPlaceMinCosine) continue;
      if (pm === null) s -= o.noPlaceMargin;
      else if (pm > 0) s += o.placeBonus * pm;
      else s -= o.placePenalty;
      s -= o.timePenalty * Math.min(1, gap / (o.timeDecayDays * DAY));
      if (s > bestScore) {
        bestScore = s;
        best = c;
      }
    }
    for (let i = 0; i < p.vec.terms.length; i++) this.scratch[p.vec.terms[i] as number] = 0;
    let created = false;
    if (!best || bestScore < o.threshold) {
      best = this.newCluster(p);
      created = true;
      bestScore = 1;
    } else {
      this.join(best, p, bestScore);
    }
    this.post(best, p);
    this.itemCount++;
    if (p.time > this.latest) this.latest = p.time;
    return { ok: true, issueId: best.id, created, score: bestScore };
  }

  /** Adds many items in the given order; returns one result per item. */
  addAll(items: Iterable<HotIssueItem>, opts: { observed?: boolean } = {}): AddResult[] {
    const out: AddResult[] = [];
    for (const it of items) out.push(this.add(it, opts));
    return out;
  }

  private newCluster(p: Prepared): Cluster {
    const c: Cluster = {
      id: this.clusters.length,
      mergedInto: null,
      vec: p.vec, // shared with the representative; centroids are replaced, never mutated
      norm: 1,
      posted: new SmallSet(),
      ids: [],
      authors: new SmallSet(),
      anonymous: 0,
      likes: 0,
      dislikes: 0,
      first: p.time,
      last: p.time,
      days: new SmallMap(),
      neg: 0,
      sentKnown: 0,
      districts: new SmallMap(),
      cities: new SmallMap(),
      places: new SmallMap(),
      dom: null,
      reps: [],
    };
    this.clusters.push(c);
    this.addStats(c, p, 1);
    return c;
  }

  private join(c: Cluster, p: Prepared, score: number): void {
    // centroid += item, truncated to the strongest terms
    const merged = new Map<number, number>();
    for (let i = 0; i < c.vec.terms.length; i++) merged.set(c.vec.terms[i] as number, c.vec.weights[i] as number);
    for (let i = 0; i < p.vec.terms.length; i++) {
      const t = p.vec.terms[i] as number;
      merged.set(t, (merged.get(t) ?? 0) + (p.vec.weights[i] as number));
    }
    this.setCentroid(c, merged);
    this.addStats(c, p, score);
  }

  private addStats(c: Cluster, p: Prepared, score: number): void {
    c.ids.push(p.id);
    if (p.author) c.authors.add(p.author);
    else c.anonymous++;
    c.likes += p.likes;
    c.dislikes += p.dislikes;
    if (p.time < c.first) c.first = p.time;
    if (p.time > c.last) c.last = p.time;
    const d = dayNumber(p.time);
    c.days.set(d, (c.days.get(d) ?? 0) + 1);
    if (p.negative !== null) {
      c.sentKnown++;
      if (p.negative) c.neg++;
    }
    for (const x of p.districts) c.districts.set(x, (c.districts.get(x) ?? 0) + 1);
    for (const x of p.cities) c.cities.set(x, (c.cities.get(x) ?? 0) + 1);
    for (const x of p.places) {
      if (c.places.has(x) || c.places.size < MAX_PLACES_PER_ISSUE) c.places.set(x, (c.places.get(x) ?? 0) + 1);
    }
    if (p.places.length) c.dom = null;
    const rep: Rep = { id: p.id, title: p.title, vec: repVec(p.vec), score };
    if (c.reps.length < this.options.representatives) c.reps.push(rep);
    else {
      let worst = 0;
      for (let i = 1; i < c.reps.length; i++) if ((c.reps[i] as Rep).score < (c.reps[worst] as Rep).score) worst = i;
      if ((c.reps[worst] as Rep).score < score) c.reps[worst] = rep;
    }
  }

  private post(c: Cluster, p: Prepared): void {
    const cap = this.options.postingsPerTerm * 4;
    for (const t of [...p.index, ...p.placeTerms]) {
      if (c.posted.has(t)) continue;
      c.posted.add(t);
      const list = this.postings[t] as number[];
      list.push(c.id);
      if (list.length > cap) list.splice(0, list.length - this.options.postingsPerTerm * 2);
    }
  }

  private resolve(id: number): number {
    let c = this.clusters[id] as Cluster;
    while (c.mergedInto !== null) c = this.clusters[c.mergedInto] as Cluster;
    return c.id;
  }

  /**
   * Merges issues that a single pass left apart (the first items of an issue can each start their own): each live
   * issue is compared with the issues found through its centroid's strongest terms, with the same district, place
   * and time rules as items, and merged into the larger one when the centroid cosine (with place bonus/penalty)
   * reaches `mergeThreshold`. Call it after each batch; returns the number of merges.
   */
  consolidate(maxRounds = 3): number {
    let total = 0;
    for (let r = 0; r < maxRounds; r++) {
      const n = this.consolidateOnce();
      total += n;
      if (n === 0) break;
    }
    return total;
  }

  private consolidateOnce(): number {
    const o = this.options;
    let merges = 0;
    const maxGap = o.maxGapDays * DAY;
    const longGap = Math.max(maxGap, o.samePlaceGapDays * DAY);
    for (const a of this.clusters) {
      if (a.mergedInto !== null) continue;
      // strongest terms of a's centroid as lookup terms
      const order = [...a.vec.terms.keys()].sort((x, y) => (a.vec.weights[y] as number) - (a.vec.weights[x] as number));
      const cands = new Set<number>();
      let used = 0;
      for (const i of order) {
        if (used >= o.indexTerms) break;
        const t = a.vec.terms[i] as number;
        if ((this.df[t] ?? 0) > Math.max(20, this.docs * 0.05)) continue;
        used++;
        const list = this.postings[t] as number[];
        for (let k = list.length - 1, n = 0; k >= 0 && n < o.postingsPerTerm; k--, n++) cands.add(this.resolve(list[k] as number));
      }
      cands.delete(a.id);
      if (cands.size === 0) continue;
      for (let i = 0; i < a.vec.terms.length; i++) this.scratch[a.vec.terms[i] as number] = (a.vec.weights[i] as number) / a.norm;
      let best: Cluster | null = null;
      let bestScore = -Infinity;
      for (const cid of cands) {
        const b = this.clusters[cid] as Cluster;
        const gap = Math.max(0, a.first - b.last, b.first - a.last);
        if (gap > longGap) continue;
        if (this.clusterDistrictConflict(a, b)) continue;
        let s = this.dot(b);
        if (s < o.minCosine) continue;
        const pm = this.clusterPlaceMatch(a, b);
        if (pm !== null && pm < 0) continue;
        if (gap > maxGap && (pm === null || pm < 1)) continue;
        if (pm === null && s < o.noPlaceMinCosine) continue;
        // Merging whole issues needs a specific shared place, or a clearly higher similarity without one.
        if (pm === null) s -= o.noPlaceMargin + o.mergeNoPlaceExtra;
        else if (pm >= 1) s += o.placeBonus;
        else if (pm > 0) s += o.placeBonus * pm - o.mergeNoPlaceExtra;
        else s -= o.placePenalty;
        s -= o.timePenalty * Math.min(1, gap / (o.timeDecayDays * DAY));
        if (s > bestScore) [best, bestScore] = [b, s];
      }
      for (let i = 0; i < a.vec.terms.length; i++) this.scratch[a.vec.terms[i] as number] = 0;
      if (best && bestScore >= o.mergeThreshold) {
        const [big, small] = best.ids.length >= a.ids.length ? [best, a] : [a, best];
        this.mergeInto(big, small);
        merges++;
      }
    }
    return merges;
  }

  /** The issue's main places: at most three, each named by at least a quarter as many items as the top one. */
  private dominantPlaces(c: Cluster): string[] {
    if (c.dom) return c.dom;
    let max = 0;
    for (const v of c.places.values()) if (v > max) max = v;
    const floor = Math.max(1, max * 0.25);
    c.dom = [...c.places]
      .filter(([, v]) => v >= floor)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([k]) => k);
    return c.dom;
  }

  private clusterPlaceMatch(a: Cluster, b: Cluster): number | null {
    if (a.places.size === 0 || b.places.size === 0) return null;
    return matchStrength(this.dominantPlaces(a), this.dominantPlaces(b));
  }

  private clusterDistrictConflict(a: Cluster, b: Cluster): boolean {
    if (a.districts.size === 0 || b.districts.size === 0) return false;
    for (const d of a.districts.keys()) if (b.districts.has(d)) return false;
    return true;
  }

  private mergeInto(big: Cluster, small: Cluster): void {
    const merged = new Map<number, number>();
    for (let i = 0; i < big.vec.terms.length; i++) merged.set(big.vec.terms[i] as number, big.vec.weights[i] as number);
    for (let i = 0; i < small.vec.terms.length; i++) {
      const t = small.vec.terms[i] as number;
      merged.set(t, (merged.get(t) ?? 0) + (small.vec.weights[i] as number));
    }
    this.setCentroid(big, merged);
    for (const id of small.ids) big.ids.push(id);
    for (const a of small.authors) big.authors.add(a);
    big.anonymous += small.anonymous;
    big.likes += small.likes;
    big.dislikes += small.dislikes;
    big.first = Math.min(big.first, small.first);
    big.last = Math.max(big.last, small.last);
    for (const [d, n] of small.days) big.days.set(d, (big.days.get(d) ?? 0) + n);
    big.neg += small.neg;
    big.sentKnown += small.sentKnown;
    for (const [k, v] of small.districts) big.districts.set(k, (big.districts.get(k) ?? 0) + v);
    for (const [k, v] of small.cities) big.cities.set(k, (big.cities.get(k) ?? 0) + v);
    for (const [k, v] of small.places) {
      if (big.places.has(k) || big.places.size < MAX_PLACES_PER_ISSUE) big.places.set(k, (big.places.get(k) ?? 0) + v);
    }
    big.dom = null;
    for (const r of small.reps) {
      if (big.reps.length < this.options.representatives) big.reps.push(r);
    }
    for (const t of small.posted) {
      if (!big.posted.has(t)) {
        big.posted.add(t);
        (this.postings[t] as number[]).push(big.id);
      }
    }
    small.mergedInto = big.id;
    small.ids = [];
    small.authors = new SmallSet();
    small.days = new SmallMap();
    small.places = new SmallMap();
    small.reps = [];
    small.posted = new SmallSet();
  }

  private setCentroid(c: Cluster, merged: Map<number, number>): void {
    let entries = [...merged];
    if (entries.length > this.options.centroidTerms) {
      entries.sort((a, b) => b[1] - a[1]);
      entries = entries.slice(0, this.options.centroidTerms);
    }
    entries.sort((a, b) => a[0] - b[0]);
    c.vec = { terms: Int32Array.from(entries.map((e) => e[0])), weights: Float32Array.from(entries.map((e) => e[1])) };
    let n = 0;
    for (const w of c.vec.weights) n += w * w;
    c.norm = Math.sqrt(n) || 1;
  }

  /** Issue id of every item added, in the order added (for evaluation). */
  assignments(): Map<string | number, number> {
    const m = new Map<string | number, number>();
    for (const c of this.clusters) for (const id of c.ids) m.set(id, c.id);
    return m;
  }

  /**
   * The issues, hottest first.
   * @param opts.now reference time for growth (default: the latest item time)
   * @param opts.minItems leave out issues with fewer items (default 1)
   * @param opts.top return at most this many
   */
  issues(opts: { now?: number; minItems?: number; top?: number } = {}): HotIssue[] {
    const now = opts.now ?? (Number.isFinite(this.latest) ? this.latest : Date.now());
    const nowDay = dayNumber(now);
    const minItems = opts.minItems ?? 1;
    const scored: { c: Cluster; heat: number; people: number; peak: number }[] = [];
    for (const c of this.clusters) {
      if (c.mergedInto !== null || c.ids.length < minItems) continue;
      const people = c.authors.size + c.anonymous;
      const days = new Map(c.days);
      const peak = peakWindow(days, 7);
      const heat = heatIndex({
        people,
        peakWeek: peak,
        likes: c.likes,
        dislikes: c.dislikes,
        negativeShare: c.sentKnown ? c.neg / c.sentKnown : null,
        last7: countBetween(days, nowDay - 6, nowDay + 1),
        prev28: countBetween(days, nowDay - 34, nowDay - 6),
        placeFactor: this.placeFactor(c),
      });
      scored.push({ c, heat, people, peak });
    }
    scored.sort((a, b) => b.heat - a.heat || b.c.ids.length - a.c.ids.length || a.c.id - b.c.id);
    const top = opts.top !== undefined ? scored.slice(0, opts.top) : scored;
    return top.map((s) => this.describe(s.c, s.heat, s.people, s.peak));
  }

  /** 1 when most items name one place, 0.85 when most name one district, else 0.7. */
  private placeFactor(c: Cluster): number {
    const half = c.ids.length / 2;
    for (const v of c.places.values()) if (v >= half) return 1;
    // variants of one name ("魅力之城" / "万科魅力之城") count together
    const dom = this.dominantPlaces(c);
    let n = 0;
    for (const [k, v] of c.places) if (dom.some((d) => samePlace(d, k))) n += v;
    if (n >= half) return 1;
    for (const v of c.districts.values()) if (v >= half) return 0.85;
    return 0.7;
  }

  private describe(c: Cluster, heat: number, people: number, peak: number): HotIssue {
    const pick = (m: SmallMap<string, number>): string | null => {
      let best: string | null = null;
      let bc = 0;
      for (const [k, v] of m) if (v > bc) [best, bc] = [k, v];
      return best;
    };
    // District and city only when most items name them (city-wide topics get no district).
    const dominant = (m: SmallMap<string, number>): string | null => {
      const k = pick(m);
      return k !== null && (m.get(k) ?? 0) * 2 >= c.ids.length ? k : null;
    };
    // The district: named by most items, or else clearly the only one named (items often give just the estate).
    let district = dominant(c.districts);
    if (district === null) {
      const top = pick(c.districts);
      let total = 0;
      for (const v of c.districts.values()) total += v;
      const n = top !== null ? (c.districts.get(top) ?? 0) : 0;
      if (top !== null && n >= 0.8 * total && n >= Math.max(2, 0.25 * c.ids.length)) district = top;
    }
    const city = pick(c.cities);
    // Group place names by key (variants of one name), prefer specific kinds, then frequency.
    // Variants of one name are grouped; the group is named by its most frequent variant (ties: the longer).
    const groups: { name: string; best: number; count: number; spec: number }[] = [];
    for (const [name, count] of c.places) {
      const g = groups.find((x) => samePlace(x.name, name));
      if (g) {
        g.count += count;
        if (count > g.best || (count === g.best && name.length > g.name.length)) [g.name, g.best] = [name, count];
      } else groups.push({ name, best: count, count, spec: placeSpecificity(placeKind(name)) });
    }
    groups.sort((a, b) => b.count - a.count);
    const minCount = Math.max(1, Math.ceil(c.ids.length * 0.3), (groups[0]?.count ?? 0) * 0.5);
    const eligible = groups.filter((g) => g.count >= minCount);
    eligible.sort((a, b) => b.spec - a.spec || b.count - a.count);
    // the county-code artefact inside an estate name is shown as written ("五矿万境k9号小区" → "五矿万境K9县小区")
    const named = (eligible[0]?.name ?? '').replace(/([a-z])(\d{0,2})号(?=小区$)/, (_m, l: string, d: string) => `${l.toUpperCase()}${d}县`);
    const place = `${city ?? ''}${district ?? ''}${named && !(city ?? '').includes(named) ? named : ''}`;
    // Representative: the candidate closest to the final centroid.
    for (const r of c.reps) {
      for (let i = 0; i < c.vec.terms.length; i++) this.scratch[c.vec.terms[i] as number] = c.vec.weights[i] as number;
      let s = 0;
      for (let i = 0; i < r.vec.terms.length; i++) s += (r.vec.weights[i] as number) * (this.scratch[r.vec.terms[i] as number] as number);
      for (let i = 0; i < c.vec.terms.length; i++) this.scratch[c.vec.terms[i] as number] = 0;
      r.score = s / c.norm;
    }
    const reps = c.reps.slice().sort((a, b) => b.score - a.score);
    // Keywords: strongest centroid words that are not part of the place.
    const order = [...c.vec.terms.keys()].sort((a, b) => (c.vec.weights[b] as number) - (c.vec.weights[a] as number));
    const keywords: string[] = [];
    for (const i of order) {
      const t = this.terms[c.vec.terms[i] as number] as string;
      if (t.startsWith('#') || t.startsWith('@') || DISPLAY_STOP.has(t)) continue;
      if (place.includes(t) || [...c.places.keys()].some((p) => p.includes(t))) continue;
      keywords.push(t);
      if (keywords.length >= 6) break;
    }
    const daily = [...c.days].sort((a, b) => a[0] - b[0]).map(([d, n]) => ({ day: dayString(d), count: n }));
    return {
      id: c.id,
      heat,
      title: reps[0]?.title ?? '',
      summary: `${place || '（地点不明）'} ${keywords.slice(0, 3).join(' ')}`.trim(),
      place,
      district,
      firstTime: cstString(c.first),
      lastTime: cstString(c.last),
      firstDay: dayString(dayNumber(c.first)),
      lastDay: dayString(dayNumber(c.last)),
      items: c.ids.length,
      people,
      likes: c.likes,
      dislikes: c.dislikes,
      negativeShare: c.sentKnown ? Math.round((c.neg / c.sentKnown) * 1000) / 1000 : null,
      peakWeek: peak,
      keywords,
      representatives: reps.slice(0, 3).map((r) => ({ id: r.id, title: r.title })),
      messageIds: c.ids.slice(),
      daily,
    };
  }
}

/**
 * Clusters a batch in one call: observes all items (document frequencies), adds them in time order, then
 * consolidates. Returns the index (for `issues()` and `assignments()`) and the per-item results in input order
 * (an item's `issueId` there is the issue it first joined; after consolidation use `assignments()`).
 */
export function clusterItems(
  items: HotIssueItem[],
  options: Partial<ClusterOptions> = {},
): { index: HotIssueIndex; results: AddResult[] } {
  // Memoise tokens between the two passes (each text is segmented once); dropped when done.
  let memo: Map<string, string[]> | null = new Map();
  const base = options.tokenizer ?? tokenize;
  const tokenizer = (t: string, b: boolean): string[] => {
    if (!memo) return base(t, b);
    const k = (b ? '1' : '0') + t;
    let v = memo.get(k);
    if (!v) memo.set(k, (v = base(t, b)));
    return v;
  };
  const index = new HotIssueIndex({ ...options, tokenizer });
  index.observe(items.map((i) => ({ title: i.title, text: typeof i.text === 'string' ? i.text : '' })));
  const order = items.map((it, i) => ({ i, t: parseTime(it.time) ?? Number.POSITIVE_INFINITY }));
  order.sort((a, b) => a.t - b.t || a.i - b.i);
  const results: AddResult[] = new Array<AddResult>(items.length);
  for (const { i } of order) results[i] = index.add(items[i] as HotIssueItem, { observed: true });
  index.consolidate();
  memo = null;
  return { index, results };
}
