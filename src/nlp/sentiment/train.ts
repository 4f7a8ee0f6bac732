/**
 * Trains the sentiment model from `datasets/sentiment/` and writes `src/nlp/sentiment/model/sentiment.bin.gz`:
 *
 *   npx tsx src/nlp/sentiment/train.ts [options]      # or, once hooked under `train`: yiwang train sentiment
 *
 * This module is light to import (commander types only); the trainer itself (`trainer.ts`) is loaded when the
 * command runs, so the integrator can call `registerTrainSentiment(train)` from a CLI command file.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import type { Corpus } from './data.ts';
import type { TrainOptions } from './trainer.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..', '..');

/** Defaults of the command line; the trainer's defaults (`DEFAULT_TRAIN`) are the same. */
const CLI_DEFAULTS = {
  data: join(ROOT, 'datasets', 'sentiment'),
  out: join(HERE, 'model', 'sentiment.bin.gz'),
  bits: 22,
  charN: 4,
  epochs: 5,
  lr: 0.1,
  l2: 1e-7,
  specialistBlend: 0.8,
  specialistEpochs: 10,
  specialistRamp: 30,
  routerBits: 16,
  specialistDomainWeight: 1,
  specialistShift: 0.2,
  router: 'domain',
  dropBothLabels: 'none',
};

interface CliOpts {
  data: string;
  out: string;
  bits: string;
  charN: string;
  words: boolean;
  bigrams: boolean;
  negation: boolean;
  emoPos: boolean;
  contrast: boolean;
  ownWords: boolean;
  nb: boolean;
  epochs: string;
  lr: string;
  l2: string;
  final: boolean;
  sarcasm: boolean;
  weights?: string;
  specialistBlend: string;
  specialistEpochs: string;
  specialistRamp: string;
  routerBits: string;
  specialistDomainWeight: string;
  specialistShift: string;
  router: string;
  dropBothLabels: string;
}

/** `weibo,chnsenticorp` → corpora; `none` or empty → []. Unknown names are an error. */
export function parseCorpusList(list: string): Corpus[] {
  const known: readonly string[] = ['chnsenticorp', 'weibo', 'waimai', 'shopping'];
  const out: Corpus[] = [];
  for (const part of list.split(',').map((x) => x.trim())) {
    if (!part || part === 'none') continue;
    if (!known.includes(part)) throw new Error(`unknown corpus "${part}" (chnsenticorp, weibo, waimai, shopping or none)`);
    out.push(part as Corpus);
  }
  return out;
}

async function run(c: CliOpts): Promise<void> {
  const { DEFAULT_TRAIN, trainSentiment } = await import('./trainer.ts');
  const corpusWeight = { ...DEFAULT_TRAIN.corpusWeight };
  if (c.weights) {
    for (const part of c.weights.split(',')) {
      const [k, v] = part.split('=');
      if (k && v && k in corpusWeight) corpusWeight[k as Corpus] = Number(v);
    }
  }
  const opts: TrainOptions = {
    ...DEFAULT_TRAIN,
    dataDir: c.data,
    out: c.out,
    features: {
      bits: Number(c.bits),
      maxCharN: Number(c.charN),
      words: c.words,
      wordBigrams: c.bigrams,
      negation: c.negation,
      emoticonPositions: c.emoPos,
      contrast: c.contrast,
      ownWords: c.ownWords,
    },
    nb: c.nb,
    epochs: Number(c.epochs),
    lr: Number(c.lr),
    l2: Number(c.l2),
    final: c.final,
    sarcasm: c.sarcasm,
    specialistBlend: Number(c.specialistBlend),
    specialistEpochs: Number(c.specialistEpochs),
    specialistRamp: Number(c.specialistRamp),
    routerBits: Number(c.routerBits),
    specialistDomainWeight: Number(c.specialistDomainWeight),
    specialistShift: Number(c.specialistShift),
    routerTarget: c.router === 'review' ? 'review' : 'domain',
    dropBothLabels: parseCorpusList(c.dropBothLabels),
    corpusWeight,
    log: (s) => process.stderr.write(s + '\n'),
  };
  const r = trainSentiment(opts);
  if (!r.ok) {
    process.stderr.write(`train sentiment: ${r.error}\n`);
    process.exitCode = 1;
  }
}

function addOptions(cmd: Command): Command {
  const d = CLI_DEFAULTS;
  return cmd
    .option('--data <dir>', 'folder with the sentiment corpora', d.data)
    .option('--out <file>', 'artefact to write', d.out)
    .option('--bits <n>', 'log2 hash buckets', String(d.bits))
    .option('--char-n <n>', 'longest character n-gram', String(d.charN))
    .option('--no-words', 'no jieba word features')
    .option('--no-bigrams', 'no word bigrams')
    .option('--no-negation', 'no negation-scoped words')
    .option('--no-emo-pos', 'no emoticon position features')
    .option('--contrast', 'add contrast-scope and last-clause word features (measured: no gain)', false)
    .option('--own-words', 'add the words of the author\'s own part of a Weibo repost (before //@) as separate features', false)
    .option('--no-nb', 'plain logistic regression (no NB weighting)')
    .option('--epochs <n>', 'passes over the data', String(d.epochs))
    .option('--lr <x>', 'AdaGrad learning rate', String(d.lr))
    .option('--l2 <x>', 'L2 penalty', String(d.l2))
    .option('--weights <list>', 'per-corpus sample weights, e.g. chnsenticorp=2,weibo=1')
    .option('--no-sarcasm', 'no sarcasm-marker rule')
    .option('--specialist-blend <x>', 'weight of the review specialist where the router says the text is in its domain (0 = none)', String(d.specialistBlend))
    .option('--specialist-epochs <n>', 'passes of the specialist over ChnSentiCorp', String(d.specialistEpochs))
    .option('--specialist-ramp <n>', 'text length (characters) at which the specialist reaches its full blend (0 = no ramp)', String(d.specialistRamp))
    .option('--router-bits <n>', 'log2 buckets of the domain router', String(d.routerBits))
    .option('--router <target>', "what the router tells apart: 'domain' (ChnSentiCorp's hotel/laptop/book domains vs the rest) or 'review' (reviews vs Weibo)", d.router)
    .option('--specialist-domain-weight <x>', 'weight of the shopping 酒店/计算机/书籍 rows in the specialist (0 = ChnSentiCorp only)', String(d.specialistDomainWeight))
    .option('--specialist-shift <x>', "subtracted from the specialist's bias (review-domain threshold)", String(d.specialistShift))
    .option('--drop-both-labels <corpora>', 'leave out the training rows of these corpora whose text occurs with both labels (one row of a clear majority label kept), e.g. weibo; none = keep all', d.dropBothLabels)
    .option('--final', 'after measuring, retrain on train + validation for the shipped model (then bench figures are no longer held-out)', false);
}

/** Adds `sentiment` under the integrator's `train` command: `yiwang train sentiment [options]`. */
export function registerTrainSentiment(train: Command): void {
  addOptions(train.command('sentiment').description('train the sentiment model from datasets/sentiment')).action(
    (c: CliOpts) => run(c),
  );
}

// Run directly: npx tsx src/nlp/sentiment/train.ts [options]
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { Command } = await import('commander');
  const cmd = addOptions(new Command('train-sentiment'));
  cmd.parse(process.argv);
  await run(cmd.opts<CliOpts>());
}
