/**
 * Government-domain classifier for questions: p(the text is about government services / public affairs) from hashed
 * character 1–3-grams and a logistic regression (2^16 int8 weights, `domain-model.json`, trained by
 * `npx tsx src/nlp/search/trainDomainModel.ts`). answer() declines a question whose p is below the model's threshold
 * (reason `off-topic`), so that 今天天气怎么样 gets 留言/no answer instead of a policy passage.
 */
import { readFileSync } from 'node:fs';
import { foldToSimplified } from '../../lib/text/foldToSimplified.ts';

export const DOMAIN_BITS = 16;
const MASK = (1 << DOMAIN_BITS) - 1;

export interface DomainModel {
  bits: number;
  /** Weight of a feature = int8 value × scale. */
  scale: number;
  bias: number;
  /** Decline below this probability (chosen by the trainer, see docs/search.md "Answers"). */
  threshold: number;
  /** 2^bits int8 weights, base64. */
  weights: string;
  trainedOn?: unknown;
}

export interface LoadedDomainModel {
  scale: number;
  bias: number;
  threshold: number;
  weights: Int8Array;
}

/**
 * Question words, removed before reading n-grams: the in-domain messages ask questions and the out-of-domain posts and
 * reviews rarely do, so left in they would make any question look governmental.
 */
const QUESTION_WORDS = /怎么样|怎么办|怎么|怎样|如何|什么|为什么|为何|哪里|哪儿|哪些|哪个|哪家|哪座|哪部|哪|多少|多长|多久|多大|几年|几天|是否|是谁|谁|吗|呢|请问/gu;

/** Normalised text the n-grams are read from: folded to simplified, letters lowercased, digit runs → '0', question words and other symbols dropped. */
export function domainText(text: string): string {
  return foldToSimplified(text.slice(0, 300))
    .toLowerCase()
    .replace(QUESTION_WORDS, ' ')
    .replace(/[^\p{L}\p{N}]+/gu, '')
    .replace(/\p{N}+/gu, '0');
}

/** Hashed feature ids of the character 1–3-grams of `text` (with begin/end markers), duplicates kept. */
export function domainFeatures(text: string): number[] {
  const chars = Array.from(domainText(text));
  const s = ['\u0002', ...chars, '\u0003'];
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    let h = 2166136261;
    for (let n = 0; n < 3 && i + n < s.length; n++) {
      h = Math.imul(h ^ (s[i + n] as string).codePointAt(0)!, 16777619);
      h = Math.imul(h ^ (n + 1), 16777619);
      // unigram of a marker alone carries nothing
      if (n === 0 && (i === 0 || i === s.length - 1)) continue;
      out.push((h ^ (h >>> 16)) & MASK);
    }
  }
  return out;
}

/** Logistic score (log-odds) of features under weights; features are averaged (length-independent). */
export function domainLogit(model: LoadedDomainModel, features: readonly number[]): number {
  if (features.length === 0) return model.bias;
  let sum = 0;
  for (const f of features) sum += model.weights[f] ?? 0;
  return model.bias + (sum * model.scale) / Math.sqrt(features.length);
}

/** p(government domain) of a question. */
export function domainProbability(model: LoadedDomainModel, text: string): number {
  return 1 / (1 + Math.exp(-domainLogit(model, domainFeatures(text))));
}

export function decodeDomainModel(m: DomainModel): LoadedDomainModel {
  const buf = Buffer.from(m.weights, 'base64');
  return { scale: m.scale, bias: m.bias, threshold: m.threshold, weights: new Int8Array(buf.buffer, buf.byteOffset, buf.length) };
}

let defaultModel: LoadedDomainModel | null | undefined;

/** The committed domain model (`src/nlp/search/domain-model.json`), read once; null when absent. */
export function loadDomainModel(): LoadedDomainModel | null {
  if (defaultModel === undefined) {
    try {
      defaultModel = decodeDomainModel(JSON.parse(readFileSync(new URL('./domain-model.json', import.meta.url), 'utf8')) as DomainModel);
    } catch {
      defaultModel = null;
    }
  }
  return defaultModel;
}
