// Token cache + fold assignment, identical to crossValidate (tuning: pool = split's train part) and validate().
import { writeFileSync } from 'node:fs';
import { CATEGORIES } from '../../src/nlp/routing/categories.ts';
import { loadTrainingRows, splitForValidation } from '../../src/nlp/routing/dataset.ts';
import { getJieba, tokenizeRaw, tokenizeSegmented } from '../../src/nlp/routing/text.ts';
import { DEFAULT_TRAIN_OPTIONS as O, stopwordsFromRows } from '../../src/nlp/routing/train.ts';
import { makeRng, shuffle } from '../../src/nlp/routing/linear.ts';
import { DIR } from './common.ts';
const mode = process.argv[2] ?? 'tuning';
const jieba = getJieba();
const all = loadTrainingRows();
const split = splitForValidation(all, O.splitSeed, O.splitShare);
const pool = mode === 'tuning' ? split.train : all;
const stop = new Set(stopwordsFromRows(jieba, pool));
const rows = pool.map((r) => ({ id: r.id, y: CATEGORIES.indexOf(r.label), raw: r.raw, seg: r.segmented,
  tok: r.raw !== null ? tokenizeRaw(jieba, r.raw, stop) : tokenizeSegmented(r.segmented ?? '', stop) }));
const rng = makeRng(7);
const withRaw = pool.filter((r) => r.raw !== null);
const fold: Record<number, number> = {};
for (const c of CATEGORIES) shuffle(withRaw.filter((r) => r.label === c), rng).forEach((r, i) => (fold[r.id] = i % 5));
const val = mode === 'tuning' ? split.validation.map((r) => ({ id: r.id, y: CATEGORIES.indexOf(r.label), raw: r.raw, seg: r.segmented, tok: tokenizeRaw(jieba, r.raw as string, stop) })) : [];
writeFileSync(`${DIR}/prep-${mode}.json`, JSON.stringify({ rows, fold, val }));
console.log(rows.length, Object.keys(fold).length, val.length);
