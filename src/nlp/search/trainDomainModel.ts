/**
 * Trains the government-domain classifier used by answer() to decline off-topic questions and writes
 * `src/nlp/search/domain-model.json`.
 *
 *   npx tsx src/nlp/search/trainDomainModel.ts [--dry]
 *
 * In-domain texts: citizen messages (`datasets/routing` train raw text and the unlabelled official test, the hot-issue
 * messages: titles and sentences), the service catalogue's item names (read by `loadCatalogue()`, the CSV parser the
 * one-stop module uses) and the 599 policies' sentences. Out-of-domain:
 * Weibo posts and shopping / waimai / hotel (ChnSentiCorp) reviews (`datasets/sentiment`), cut into sentences. Each
 * source is capped and split 80/20 by text (`splitByKey`, seed `yiwang-domain-v1`); the 20% is only evaluated.
 * Hashed character 1–3-grams (`domain.ts`), logistic regression by SGD with class-balanced weights, then the weights
 * are quantised to int8. The decline threshold: half the lowest p of a tuning-split policy question (none of them
 * is declined; the factor 0.5 is a margin for short real questions, not tuned on any figure). Deterministic.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mulberry32, shuffleInPlace } from '../../lib/random.ts';
import { loadCatalogue } from '../../modules/onestop/catalogue.ts';
import { loadTrainingRows, readJsonLines } from '../routing/dataset.ts';
import { loadCorpus, type Corpus } from '../sentiment/data.ts';
import { splitByKey } from './evaluate.ts';
import { loadPolicyDocs, loadPolicyQuestions } from './policyData.ts';
import { DOMAIN_BITS, domainFeatures, domainLogit, type DomainModel, type LoadedDomainModel } from './domain.ts';

const root = fileURLToPath(new URL('../../../datasets/', import.meta.url));
const CAP = 25000;
const EPOCHS = 6;
const L2 = 1e-6;
const SEED = 'yiwang-domain-v1';

function jsonl(path: string): Record<string, unknown>[] {
  return readJsonLines(join(root, path)) as Record<string, unknown>[];
}
function reviews(corpus: Corpus): string[] {
  return loadCorpus(join(root, 'sentiment'), corpus).map((e) => e.text);
}
/** Sentences of 5–80 characters (long ones cut at 80), the length of typed questions. */
function sentences(text: string): string[] {
  return text
    .replace(/\/\/@[^:：]*[:：]/g, '。')
    .replace(/@\S+/g, '')
    .split(/[。！？；!?;\n\r]+/)
    .map((s) => s.trim().slice(0, 80))
    .filter((s) => s.length >= 5);
}

interface Ex {
  text: string;
  y: 0 | 1;
  source: string;
}

function source(name: string, y: 0 | 1, texts: Iterable<string>): { tune: Ex[]; validation: Ex[] } {
  const seen = new Set<string>();
  const all: Ex[] = [];
  for (const t of texts) {
    if (seen.has(t)) continue;
    seen.add(t);
    all.push({ text: t, y, source: name });
  }
  shuffleInPlace(all, mulberry32(all.length));
  return splitByKey(all.slice(0, CAP), (e) => e.text, 20, SEED);
}

const sources = [
  source('routing', 1, loadTrainingRows().flatMap((r) => sentences(r.raw ?? ''))),
  source(
    'official-test',
    1,
    jsonl('routing/unlabelled-official-test.jsonl.gz').flatMap((r) => [String(r.title ?? ''), ...sentences(String(r.detail ?? ''))]),
  ),
  source(
    'hot-issue',
    1,
    jsonl('hot-issue-messages/messages_with_votes.jsonl.gz').flatMap((r) => [String(r.title ?? ''), ...sentences(String(r.detail ?? ''))]),
  ),
  source(
    'service-items',
    1,
    loadCatalogue()
      .map((r) => r.name)
      .filter((s) => s.length >= 2),
  ),
  source('policies', 1, loadPolicyDocs().flatMap((d) => [d.title, ...sentences(d.body)])),
  source('weibo', 0, reviews('weibo').flatMap(sentences)),
  source('shopping', 0, reviews('shopping').flatMap(sentences)),
  source('waimai', 0, reviews('waimai').flatMap(sentences)),
  source('chnsenticorp', 0, reviews('chnsenticorp').flatMap(sentences)),
];
const train = sources.flatMap((s) => s.tune);
const validation = sources.flatMap((s) => s.validation);
const pos = train.filter((e) => e.y === 1).length;
const classWeight = [train.length / 2 / (train.length - pos), train.length / 2 / pos];

// SGD on the logistic loss; features x_f = count / sqrt(n) (as domainLogit reads them).
const D = 1 << DOMAIN_BITS;
const w = new Float64Array(D);
let bias = 0;
const feats = train.map((e) => domainFeatures(e.text));
const order = train.map((_, i) => i);
const rng = mulberry32(7);
let step = 0;
for (let epoch = 0; epoch < EPOCHS; epoch++) {
  shuffleInPlace(order, rng);
  for (const i of order) {
    const f = feats[i]!;
    if (f.length === 0) continue;
    const e = train[i]!;
    const norm = 1 / Math.sqrt(f.length);
    let z = bias;
    for (const k of f) z += w[k]! * norm;
    const p = 1 / (1 + Math.exp(-z));
    const lr = 0.5 / (1 + step++ / 50000);
    const g = (p - e.y) * classWeight[e.y]!;
    bias -= lr * g * 0.1;
    for (const k of f) w[k] = w[k]! * (1 - lr * L2) - lr * g * norm;
  }
}

let maxAbs = 0;
for (const v of w) maxAbs = Math.max(maxAbs, Math.abs(v));
const scale = maxAbs / 127;
const q = new Int8Array(D);
for (let k = 0; k < D; k++) q[k] = Math.round(w[k]! / scale);
const model: LoadedDomainModel = { scale, bias, threshold: 0, weights: q };
const prob = (t: string): number => 1 / (1 + Math.exp(-domainLogit(model, domainFeatures(t))));

const perSource: Record<string, { n: number; accuracy: number }> = {};
for (const s of sources) {
  const v = s.validation;
  const right = v.filter((e) => (prob(e.text) >= 0.5 ? 1 : 0) === e.y).length;
  perSource[v[0]?.source ?? '?'] = { n: v.length, accuracy: Math.round((right / Math.max(1, v.length)) * 1e4) / 1e4 };
}
const right = validation.filter((e) => (prob(e.text) >= 0.5 ? 1 : 0) === e.y).length;

const { tune: tuneQ, validation: valQ } = splitByKey(loadPolicyQuestions(), (x) => x.qid);
const tuneP = tuneQ.map((x) => prob(x.question)).sort((a, b) => a - b);
const threshold = Math.round(0.5 * (tuneP[0] ?? 0) * 1e4) / 1e4;
const valDeclined = valQ.filter((x) => prob(x.question) < threshold).length;

const trainedOn = {
  command: 'npx tsx src/nlp/search/trainDomainModel.ts',
  examples: { train: train.length, validation: validation.length, inDomainShare: Math.round((pos / train.length) * 1e3) / 1e3 },
  validationAccuracy: Math.round((right / validation.length) * 1e4) / 1e4,
  perSourceValidationAccuracy: perSource,
  tuningQuestions: { n: tuneP.length, minP: Math.round((tuneP[0] ?? 0) * 1e4) / 1e4, p1: Math.round((tuneP[Math.floor(tuneP.length / 100)] ?? 0) * 1e4) / 1e4 },
  threshold: { value: threshold, rule: '0.5 × the lowest p of a tuning-split policy question' },
  validationQuestionsDeclined: `${valDeclined} of ${valQ.length}`,
};
console.log(JSON.stringify(trainedOn, null, 2));
if (!process.argv.includes('--dry')) {
  const out: DomainModel = {
    bits: DOMAIN_BITS,
    scale,
    bias,
    threshold,
    weights: Buffer.from(q.buffer).toString('base64'),
    trainedOn,
  };
  writeFileSync(new URL('./domain-model.json', import.meta.url), JSON.stringify(out) + '\n');
}
