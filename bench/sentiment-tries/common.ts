/**
 * What the sentiment experiments `cnn.ts` and `lm.ts` share: their command-line options, a CPU clock, the check of
 * the model `--validation` mixes into, and the cache of the shipped blend's out-of-fold logits.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { loadSentimentModel, MODEL_PATH } from '../../src/nlp/sentiment/model.ts';
import { normaliseText } from '../../src/nlp/sentiment/features.ts';
import { outOfFoldLogits } from '../../src/nlp/sentiment/oof.ts';
import { DEFAULT_TRAIN, TRAINED_ON } from '../../src/nlp/sentiment/trainer.ts';

/** The folds of `src/nlp/sentiment/cv.ts`. */
export const K = 5;

export const args = process.argv.slice(2);
/** The value after `--name`, or `def`. */
export const arg = (name: string, def: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? (args[i + 1] ?? def) : def;
};
export const VALIDATION = args.includes('--validation');

export const log = (s: string): void => void process.stderr.write(s + '\n');
const cpu0 = process.cpuUsage();
/** Seconds of CPU (user + system) since this module was loaded. */
export const cpuS = (): number => {
  const c = process.cpuUsage(cpu0);
  return (c.user + c.system) / 1e6;
};

/** --validation mixes into a model that never saw the validation rows; the committed one is trained with --final. */
export function checkHeldOutModel(): void {
  if (!VALIDATION) return;
  const held = loadSentimentModel(arg('model', MODEL_PATH));
  if (!held.ok) throw new Error(held.error);
  if (held.model.header.trained.trainedOn !== TRAINED_ON.heldOut) throw new Error('--validation needs a model trained without the validation rows: npx tsx src/nlp/sentiment/train.ts --out /tmp/held-out.bin.gz, then --model /tmp/held-out.bin.gz');
}

export interface Cache {
  fold: number[];
  zg: number[];
  zs: number[];
  pr: number[];
  len: number[];
  y: number[];
  corpus: string[];
  spec: number[];
  text: string[];
}

/** The shipped blend's out-of-fold logits, the same folds and fits as `cv.ts` with its defaults (`outOfFoldLogits`). */
function shippedOutOfFold(): Cache {
  const { train, m, fold, zg, zs, pr } = outOfFoldLogits(DEFAULT_TRAIN, K, (k) => log(`shipped blend, fold ${k + 1}/${K} (${cpuS().toFixed(0)} s CPU)`));
  return {
    fold: [...fold], zg: [...zg], zs: [...zs], pr: [...pr], len: train.map((e) => normaliseText(e.text).length), y: [...m.y],
    corpus: m.corpus, spec: [...m.spec], text: train.map((e) => e.text),
  };
}

/** Reads the shipped blend's out-of-fold logits from `path`, computing and writing them first when missing (≈ 160 s of CPU). */
export function loadShippedOutOfFold(path: string): Cache {
  if (existsSync(path)) return JSON.parse(readFileSync(path, 'utf8')) as Cache;
  const o = shippedOutOfFold();
  writeFileSync(path, JSON.stringify(o));
  return o;
}
