/**
 * Shared pieces of the routing "tries" harness (docs/routing.md, fourth round): the token cache written by
 * prep.ts, the tuning folds (exactly those of crossValidate inside the split's training part) and the validation
 * task, and the score files each member writes. Files go to $ROUTING_TRIES_DIR (default /tmp/routing-tries).
 * Not run by `npm run bench` (a sub-folder). Order (CPU-s measured on the shared machine, 2026-11-26):
 *
 *   npx tsx bench/routing-tries/prep.ts                       # tokens, tuning folds, validation rows (≈ 30 CPU-s)
 *   npx tsx bench/routing-tries/svm.ts svm                    # shipped settings: tuning CV 0.9358, val 0.9175 (91 CPU-s)
 *   npx tsx bench/routing-tries/knn.ts                        # top-30 cosine neighbours per message (52 CPU-s)
 *   npx tsx bench/routing-tries/ft.ts '{"name":"ft2","epochs":25,"bigrams":false}'   # fastText-style (259 CPU-s)
 *   npx tsx bench/routing-tries/sgns.ts                       # our own word vectors, unlabelled text only (176 CPU-s)
 *   npx tsx bench/routing-tries/svmdense.ts svmd10 1.0        # SVM + averaged word-vector block × 1.0 (120 CPU-s)
 *   npx tsx bench/routing-tries/svmsub.ts svmsub3 3           # 3 k-means sub-classes per class, max back to 7 (210 CPU-s)
 *   npx tsx bench/routing-tries/mix.ts svm ft2 knn:10:1       # probability averages and a nested stacker
 *   npx tsx bench/routing-tries/dup.ts                        # near-duplicate override (needs knn.ts and svm.ts)
 *   npx tsx bench/routing-tries/conf.ts svm                   # confusion matrices
 *   # fifth round (docs/routing.md "Fifth round"; CPU-s at load average 14-20):
 *   npx tsx bench/routing-tries/taxsvm.ts tax20 20            # OvR SVM over taxonomy level-2 sub-classes (491 CPU-s)
 *   npx tsx bench/routing-tries/taxmix.ts tax20               # back to 7 classes: max, log-sum-exp, SVM + w · max
 *   npx tsx bench/routing-tries/taxblock.ts taxb0.5 0.5       # level-2 evidence as a feature block (141 CPU-s)
 *   npx tsx bench/routing-tries/ft.ts '{"name":"ftv","epochs":25,"bigrams":false,"d":64,"init":"vec"}'  # (418 CPU-s)
 *   npx tsx bench/routing-tries/mix.ts svm ftv                # SVM + w · fastText initialised from the SGNS vectors
 *   npx tsx bench/routing-tries/ft.ts '{"name":"ftr64","epochs":25,"bigrams":false,"d":64}'  # its random-init control (402 CPU-s)
 *   npx tsx bench/routing-tries/pair.ts pair && npx tsx bench/routing-tries/pairmix.ts pair   # one-vs-one (213 CPU-s)
 *   (taxsvm.ts and ft.ts take a task list to split a run over processes; merge.ts joins ft.ts's parts)
 *   # sixth round (docs/routing.md "Sixth round"): weak labels from the departments named in official replies
 *   npx tsx bench/routing-tries/replies.ts                    # weak labels, leak check, agreement figures (≈ 2 CPU-s)
 *   npx tsx bench/routing-tries/svmweak.ts w1 1 all           # SVM + all weakly labelled rows at weight 1 (153 CPU-s)
 *   npx tsx bench/routing-tries/svmweak.ts agree03-noJT 0.3 agree 交通运输   # only rows the fold's model agrees with,
 *                                                             # 交通运输 weak labels dropped, weight 0.3 (see docs)
 *   npx tsx bench/routing-tries/bag.ts bag5a 5 f0,f1,f2 & npx tsx bench/routing-tries/bag.ts bag5b 5 f3,f4,val; wait
 *   npx tsx bench/routing-tries/merge.ts bag5 bag5a bag5b     # bagging: 5 bootstrap SVMs averaged (288 CPU-s in all)
 *   # seventh round (docs/routing.md "Seventh round"; CPU-s at load average 7-14):
 *   npx tsx bench/routing-tries/lm.ts lmkn kn t1,t2,t3,c3,c4,c5  # class-conditional Kneser-Ney LMs, tokens/chars (230 CPU-s)
 *   npx tsx bench/routing-tries/lm.ts lmwb wb t1,t3,c3,c5     # the same with Witten-Bell (137 CPU-s)
 *   npx tsx bench/routing-tries/rawview.ts rvseg seg          # char 1-4 SVM over raw text + segmented rows joined (179 CPU-s;
 *                                                             # `rv raw`: raw rows only, 17 CPU-s; `rvtok tok`: our tokens)
 *   npx tsx bench/routing-tries/mix3.ts svm rvseg lmkn-t1c3 0.3 0.7   # three members: grid, nested, fixed weights
 *
 * Every figure is macro-F1 over raw text; "tuning" pools the 5 folds inside the split's training part, "val" is
 * the fixed validation split (651 messages) scored by a model trained on the whole training part (unquantised).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { buildVocabulary, vectorize, type SparseVector, type Vocabulary } from '../../src/nlp/routing/features.ts';
import { computeMetrics } from '../../src/nlp/routing/linear.ts';
import { DEFAULT_TRAIN_OPTIONS as O } from '../../src/nlp/routing/train.ts';
import type { RoutingRow } from '../../src/nlp/routing/dataset.ts';
import type { Jieba } from '@node-rs/jieba';
import { tokenizeRaw, tokenizeSegmented } from '../../src/nlp/routing/text.ts';
export const DIR = process.env.ROUTING_TRIES_DIR ?? '/tmp/routing-tries';
mkdirSync(DIR, { recursive: true });
export interface Row { id: number; y: number; raw: string | null; seg: string | null; tok: string[] }
export interface Prep { rows: Row[]; fold: Record<number, number>; val: Row[] }
/** ROUTING_TRIES_MODE=all (after `prep.ts all`): the 5-fold CV over all raw rows of `bench/routing.ts --cv 5`, no validation task. */
export const loadPrep = (mode = process.env.ROUTING_TRIES_MODE ?? 'tuning'): Prep => JSON.parse(readFileSync(`${DIR}/prep-${mode}.json`, 'utf8')) as Prep;
export interface Task { name: string; train: Row[]; test: Row[] }
/** Tasks: 5 folds exactly as crossValidate, then 'val' (train = whole pool, test = validation rows). */
export function tasks(p: Prep, withVal = true): Task[] {
  const out: Task[] = [];
  for (let f = 0; f < 5; f++) {
    const test = p.rows.filter((r) => r.raw !== null && p.fold[r.id] === f);
    const segSet = new Set(test.map((r) => r.seg));
    const rawSet = new Set(test.map((r) => r.raw));
    const train = p.rows.filter((r) => p.fold[r.id] !== f && !(r.seg && segSet.has(r.seg)) && !(r.raw && rawSet.has(r.raw)));
    out.push({ name: `f${f}`, train, test });
  }
  if (withVal && p.val.length) out.push({ name: 'val', train: p.rows, test: p.val });
  return out;
}
export interface Scores { [task: string]: { ids: number[]; gold: number[]; s: number[][] } }
export const save = (name: string, s: Scores): void => writeFileSync(`${DIR}/s-${name}.json`, JSON.stringify(s));
export const load = (name: string): Scores => JSON.parse(readFileSync(`${DIR}/s-${name}.json`, 'utf8')) as Scores;
/** Index of the largest score. */
export const argmax = (a: number[]): number => a.indexOf(Math.max(...a));
/**
 * Stores a task's class scores in `out` and prints its macro-F1 (7 classes). The folds' predictions are pooled in
 * `pool`; before the 'val' task the pooled "tuning CV" figure is printed.
 */
export function record(out: Scores, pool: { G: number[]; P: number[] }, t: Task, s: number[][]): void {
  out[t.name] = { ids: t.test.map((r) => r.id), gold: t.test.map((r) => r.y), s };
  const g = t.test.map((r) => r.y), pr = s.map(argmax);
  if (t.name !== 'val') { pool.G.push(...g); pool.P.push(...pr); } else console.log(`tuning CV ${computeMetrics(pool.G, pool.P, 7).macroF1.toFixed(4)}`);
  console.log(t.name, computeMetrics(g, pr, 7).macroF1.toFixed(4));
}

/**
 * What a member script starts with: the prep of ROUTING_TRIES_MODE, an empty score store (`record`, `save`), the
 * pool of the folds' predictions (`record`) and the CPU clock at the start (for the CPU-s line it prints).
 */
export function startRun(): { p: Prep; out: Scores; pool: { G: number[]; P: number[] }; c0: NodeJS.CpuUsage } {
  return { p: loadPrep(), out: {}, pool: { G: [], P: [] }, c0: process.cpuUsage() };
}

/**
 * A task's training part with the shipped features (DEFAULT_TRAIN_OPTIONS): the vocabulary, its size `F`, the labels
 * `y` and `vec`, a message's shipped feature vector.
 */
export function shippedVocabulary(t: Task): { vocab: Vocabulary; F: number; y: number[]; vec: (tok: string[]) => SparseVector } {
  const vocab = buildVocabulary(t.train.map((r) => r.tok), O.features, O.minDf);
  return { vocab, F: vocab.idf.length, y: t.train.map((r) => r.y), vec: (tok) => vectorize(tok, vocab, O.features) };
}

/**
 * Class weights as the shipped training balances the 7 classes, n / (7 · n_c), for outputs that each stand for one
 * class: `parentOf[k]` is the class of output k (default: the 7 classes themselves; sub-classes take their parent's).
 */
export function balancedClassWeight(y: readonly number[], parentOf: readonly number[] = [0, 1, 2, 3, 4, 5, 6]): number[] {
  const counts = Array.from({ length: 7 }, (_, k) => y.filter((q) => q === k).length);
  return parentOf.map((c) => y.length / (7 * counts[c]!));
}

/** trainOvrSvm options with the shipped C, epochs, NB smoothing and seed, and the given class weights (and extras). */
export const shippedSvm = (extra: { classWeight: number[]; nbSkipFrom?: number }) => ({ C: O.C, epochs: O.epochs, nbAlpha: O.nbAlpha, seed: O.seed, ...extra });

/** A message's head for the leakage checks: whitespace removed, the first 40 characters (sgns.ts, replies.ts). */
export const rawHead = (s: string): string => s.replace(/\s/g, '').slice(0, 40);
/** The heads of every labelled raw-text row. */
export const labelledHeads = (all: readonly RoutingRow[]): Set<string> => new Set(all.filter((r) => r.raw !== null).map((r) => rawHead(r.raw!)));
/**
 * Finds the labelled row (any: tuning, validation or segmented-only training) an unlabelled message repeats: by the
 * head of {@link labelledHeads}, by the whole text without whitespace and punctuation, or — for the rows that have
 * only the source team's tokens — by the first 12 tokens (raw text cut as at prediction time; the two token forms
 * agree to 99.7 %, docs/routing.md). Returns the row or undefined.
 */
export function labelledMatcher(all: readonly RoutingRow[], jieba: Jieba, stop: ReadonlySet<string>): (text: string) => RoutingRow | undefined {
  const flat = (s: string): string => s.replace(/[\s\p{P}\p{S}]/gu, '');
  const tokKey = (t: string[]): string | null => (t.length >= 4 ? t.slice(0, 12).join(' ') : null);
  const byHead = new Map<string, RoutingRow>(), byFlat = new Map<string, RoutingRow>(), byTok = new Map<string, RoutingRow>();
  for (const r of all) {
    if (r.raw !== null) { byHead.set(rawHead(r.raw), r); byFlat.set(flat(r.raw), r); }
    const k = r.segmented ? tokKey(tokenizeSegmented(r.segmented, stop)) : null;
    if (k) byTok.set(k, r);
  }
  return (text) => {
    const hit = byHead.get(rawHead(text)) ?? byFlat.get(flat(text));
    if (hit) return hit;
    const k = tokKey(tokenizeRaw(jieba, text, stop));
    return k ? byTok.get(k) : undefined;
  };
}
