/**
 * Loads the sentiment corpora from `datasets/sentiment/` and cuts the fixed, seeded validation splits.
 * Used by the trainer and the benchmark, not by inference.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { mulberry32, shuffleInPlace } from '../../lib/random.ts';

export type Corpus = 'chnsenticorp' | 'weibo' | 'waimai' | 'shopping';
export const CORPORA: readonly Corpus[] = ['chnsenticorp', 'weibo', 'waimai', 'shopping'];

export interface Example {
  corpus: Corpus;
  label: 0 | 1;
  text: string;
  /** Product category of a shopping row (酒店, 计算机, 书籍, 平板…), from `shopping.cat.txt.gz` when present. */
  cat?: string;
}

/** Shopping categories in the domains of ChnSentiCorp (hotel, laptop, book reviews). */
export const CHNSENTICORP_DOMAINS: ReadonlySet<string> = new Set(['酒店', '计算机', '书籍']);

/** Per-row categories of the shopping corpus (one a line, row order of shopping.csv.gz), or undefined. */
function loadCategories(dir: string): string[] | undefined {
  const f = join(dir, 'shopping.cat.txt.gz');
  if (!existsSync(f)) return undefined;
  return gunzipSync(readFileSync(f)).toString('utf8').split('\n');
}

const FILES: Record<Corpus, string[]> = {
  chnsenticorp: ['chnsenticorp.csv.gz'],
  weibo: ['weibo.part1.csv.gz', 'weibo.part2.csv.gz'],
  waimai: ['waimai.csv.gz'],
  shopping: ['shopping.csv.gz'],
};

/** Validation rows held out of training per corpus (fixed; the seed below fixes which rows). */
export const VALIDATION_SIZE: Record<Corpus, number> = {
  chnsenticorp: 1200,
  weibo: 4000,
  waimai: 1000,
  shopping: 3000,
};
export const SPLIT_SEED = 20261126;

/** Reads one corpus from a datasets folder. */
export function loadCorpus(dir: string, corpus: Corpus): Example[] {
  const out: Example[] = [];
  for (const f of FILES[corpus]) {
    const text = gunzipSync(readFileSync(join(dir, f))).toString('utf8');
    const rows = parse(text, { columns: true }) as { label: string; text: string }[];
    for (const r of rows) out.push({ corpus, label: r.label === '1' ? 1 : 0, text: r.text });
  }
  const cats = corpus === 'shopping' ? loadCategories(dir) : undefined;
  if (cats) out.forEach((e, i) => {
    const c = cats[i];
    if (c) e.cat = c;
  });
  return out;
}

export { mulberry32 as rng };

/** Fisher–Yates shuffle in place with a seeded PRNG. */
export function shuffle<T>(xs: T[], seed: number): T[] {
  return shuffleInPlace(xs, mulberry32(seed));
}

function key(text: string): string {
  return text.replace(/[\s\p{P}\p{S}]/gu, '').toLowerCase();
}

/**
 * Normalised texts (punctuation, symbols and spaces removed, lower case) that occur in a corpus with both labels.
 * The Weibo corpus is a de-duplicated union of (text, label) pairs whose labels were derived from emoticons, so a
 * text with both labels is two rows; a validation row of such a text cannot be right more than half of the time.
 * Used by the bench for the additional "without such rows" Weibo figure (docs/sentiment.md, "Weibo protocol").
 */
export function conflictingKeys(dir: string, corpus: Corpus): Set<string> {
  const seen = new Map<string, number>();
  for (const e of loadCorpus(dir, corpus)) {
    const k = key(e.text);
    seen.set(k, (seen.get(k) ?? 0) | (e.label ? 2 : 1));
  }
  const out = new Set<string>();
  for (const [k, v] of seen) if (v === 3) out.add(k);
  return out;
}

/** True when the normalised text of `text` is in `keys` (see `conflictingKeys`). */
export function hasKey(keys: ReadonlySet<string>, text: string): boolean {
  return keys.has(key(text));
}

/**
 * Rows to leave out of training because their normalised text occurs with both labels among `xs` (in one of
 * `corpora`): 1 = leave out. Of such a text, one row of the majority label is kept when the labels are not tied
 * (e.g. 2 positive, 1 negative); on a tie every row is left out. In the Weibo training rows 727 texts occur with
 * both labels (1,455 rows, one of them 2 : 1); see docs/sentiment.md, "fourth round".
 */
export function bothLabelRows(xs: readonly Example[], corpora: readonly Corpus[]): Uint8Array {
  const out = new Uint8Array(xs.length);
  const which = new Set(corpora);
  const groups = new Map<string, number[]>();
  xs.forEach((e, i) => {
    if (!which.has(e.corpus)) return;
    const k = `${e.corpus}\u0000${key(e.text)}`;
    const g = groups.get(k);
    if (g) g.push(i);
    else groups.set(k, [i]);
  });
  for (const g of groups.values()) {
    if (g.length < 2) continue;
    let pos = 0;
    for (const i of g) pos += (xs[i] as Example).label;
    const neg = g.length - pos;
    if (pos === 0 || neg === 0) continue;
    const keep = pos > neg ? 1 : neg > pos ? 0 : -1;
    let kept = false;
    for (const i of g) {
      if (!kept && (xs[i] as Example).label === keep) kept = true;
      else out[i] = 1;
    }
  }
  return out;
}

/**
 * Rows to leave out of training for a learning curve (`bench/sentiment-tries/curve.ts`): for each corpus `c` in
 * `rows`, whole groups of its rows with the same normalised text, drawn in an order shuffled by `mulberry32(seed)`,
 * until at least `rows[c]` rows of that corpus are out; rows of any corpus with a drawn text are left out too, as
 * `loadSplits` does for validation texts, so the rows left out stand for as many new validation rows. 1 = leave out.
 */
export function leaveOutRows(xs: readonly Example[], rows: Partial<Record<Corpus, number>>, seed: number): Uint8Array {
  const drawn = new Set<string>();
  for (const c of CORPORA) {
    const n = rows[c] ?? 0;
    if (n <= 0) continue;
    const groups = new Map<string, number>();
    for (const e of xs) {
      if (e.corpus !== c) continue;
      const k = key(e.text);
      groups.set(k, (groups.get(k) ?? 0) + 1);
    }
    let taken = 0;
    for (const k of shuffleInPlace([...groups.keys()], mulberry32(seed))) {
      if (taken >= n) break;
      if (drawn.has(k)) continue;
      drawn.add(k);
      taken += groups.get(k) as number;
    }
  }
  const out = new Uint8Array(xs.length);
  xs.forEach((e, i) => {
    if (drawn.has(key(e.text))) out[i] = 1;
  });
  return out;
}

/**
 * Loads every corpus and splits each into train and validation with a fixed seed. Training rows whose
 * normalised text equals any validation text (in any corpus: the shopping corpus contains hotel reviews that
 * also occur in ChnSentiCorp) are dropped, so validation figures are honest.
 */
export function loadSplits(dir: string): { train: Example[]; validation: Record<Corpus, Example[]> } {
  const validation = {} as Record<Corpus, Example[]>;
  const rest: Example[] = [];
  for (const c of CORPORA) {
    const xs = shuffle(loadCorpus(dir, c), SPLIT_SEED);
    validation[c] = xs.slice(0, VALIDATION_SIZE[c]);
    rest.push(...xs.slice(VALIDATION_SIZE[c]));
  }
  const held = new Set<string>();
  for (const c of CORPORA) for (const e of validation[c]) held.add(key(e.text));
  const train = rest.filter((e) => !held.has(key(e.text)));
  return { train, validation };
}
