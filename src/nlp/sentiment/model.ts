/**
 * The sentiment model at inference: hashed binary features × quantised weights → logistic probability that a
 * text is positive, then a three-way label with a neutral band. Pure apart from `loadSentimentModel`, which reads
 * the committed artefact.
 *
 * Artefact layout (`model/sentiment.bin.gz`, gzipped): 4-byte little-endian header length, UTF-8 JSON header
 * (`ModelHeader`), then `1 << bits` signed 8-bit codes q, companded: weight = sign(q)·(|q|/127)²·header.scale,
 * so small weights keep more resolution than a linear code would give them. Version 2 may append, in this order,
 * the codes of a review specialist (`1 << bits`, companded with `header.specialist.scale`) and of a domain router
 * (`1 << header.router.bits`, companded with `header.router.scale`).
 *
 * Specialist and router: the general model is trained on all corpora; the specialist on hotel, laptop and book
 * reviews (ChnSentiCorp and the shopping rows of those categories). The router is a logistic regression over the
 * same feature indices folded into `1 << router.bits` buckets that tells the specialist's domain from other text
 * (the committed model: hotel/laptop/book reviews against Weibo, food and other product reviews; an older one:
 * reviews against Weibo). In the 'general' domain the logit is
 * z = z_general + blend · p(router) · min(1, length / rampLength) · (z_specialist − z_general); a decision threshold
 * of the domain is folded into the specialist's bias.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import { FeatureExtractor, normaliseText, type FeatureOptions } from './features.ts';

export type SentimentLabel = 'negative' | 'neutral' | 'positive';

/** What the model says about one text. */
export interface Sentiment {
  label: SentimentLabel;
  /** 2·positive − 1, in −1..1 (rounded to 4 decimals). */
  score: number;
  /** Probability that the text is positive, 0..1 (rounded to 4 decimals). */
  positive: number;
}

/** Header of the optional review specialist (version 2). */
export interface SpecialistHeader {
  bias: number;
  scale: number;
  /** Weight of the specialist in the blend when the router is sure the text is a review (0..1). */
  blend: number;
  /**
   * The specialist learnt from long reviews: its weight grows linearly with the normalised length up to this many
   * characters (absent or 0: no ramp).
   */
  rampLength?: number;
}

/** Header of the optional domain router (version 2): p(specialist's domain) = sigmoid(bias + Σ w[idx & mask]·v). */
export interface RouterHeader {
  bits: number;
  bias: number;
  scale: number;
}

/** JSON header of the artefact. */
export interface ModelHeader {
  format: 'yiwang-sentiment';
  version: 1 | 2;
  features: FeatureOptions;
  /** Feature values are 1/sqrt(number of active features) when true, else 1. */
  sqrtNorm: boolean;
  bias: number;
  scale: number;
  /** Temperature applied to the logit before the sigmoid (calibration), 1 = none. */
  temperature: number;
  /** Apply the sarcasm-marker rule (damp positive readings of texts with 呵呵 and the like). */
  sarcasm: boolean;
  /** |score| below this is labelled neutral. */
  neutralBand: number;
  /** Free-form training summary (data, validation figures, command). */
  trained: Record<string, unknown>;
  /** Review specialist blended in by the router (version 2). */
  specialist?: SpecialistHeader;
  /** Domain router (version 2; present when `specialist` is). */
  router?: RouterHeader;
}

/** Raw model parameters: a header and one weight per hash bucket. */
export interface ModelData {
  header: ModelHeader;
  weights: Float32Array;
  /** The int8 codes when read from an artefact (inference reads these: 4× less memory traffic). */
  codes?: Int8Array;
  /** Specialist weights (`1 << bits`), when `header.specialist` is set. */
  specialist?: Float32Array;
  /** Router weights (`1 << header.router.bits`), when `header.router` is set. */
  router?: Float32Array;
}

export const MODEL_PATH = join(dirname(fileURLToPath(import.meta.url)), 'model', 'sentiment.bin.gz');

/** Serialises a model to the gzipped artefact format, quantising weights to int8 with `header.scale`. */
export function encodeModel(data: ModelData): Buffer {
  const header = Buffer.from(JSON.stringify(data.header), 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32LE(header.length, 0);
  const parts = [len, header, quantise(data.weights, data.header.scale)];
  if (data.header.specialist && data.specialist) parts.push(quantise(data.specialist, data.header.specialist.scale));
  if (data.header.router && data.router) parts.push(quantise(data.router, data.header.router.scale));
  return gzipSync(Buffer.concat(parts), { level: 9 });
}

function quantise(weights: Float32Array, s: number): Buffer {
  const q = new Int8Array(weights.length);
  for (let i = 0; i < q.length; i++) {
    const w = weights[i] ?? 0;
    const v = Math.round(Math.sqrt(Math.min(Math.abs(w) / s, 1)) * 127);
    q[i] = w < 0 ? -v : v;
  }
  return Buffer.from(q.buffer);
}

function dequantise(body: Buffer, scale: number): Float32Array {
  const table = codeTable(scale);
  const out = new Float32Array(body.length);
  for (let i = 0; i < body.length; i++) out[i] = table[body.readInt8(i) + 128] as number;
  return out;
}

/** Weight of each int8 code (index code + 128). */
function codeTable(scale: number): Float32Array {
  const table = new Float32Array(256);
  for (let v = -127; v <= 127; v++) table[v + 128] = Math.sign(v) * (v / 127) ** 2 * scale;
  return table;
}

/** Parses the artefact format. Returns an error value for a malformed buffer. */
export function decodeModel(buf: Buffer): { ok: true; model: ModelData } | { ok: false; error: string } {
  let raw: Buffer;
  try {
    raw = gunzipSync(buf);
  } catch (err) {
    return { ok: false, error: `not gzip: ${(err as Error).message}` };
  }
  if (raw.length < 4) return { ok: false, error: 'truncated' };
  const hl = raw.readUInt32LE(0);
  let header: ModelHeader;
  try {
    header = JSON.parse(raw.subarray(4, 4 + hl).toString('utf8')) as ModelHeader;
  } catch {
    return { ok: false, error: 'bad header' };
  }
  if (header?.format !== 'yiwang-sentiment' || (header.version !== 1 && header.version !== 2)) return { ok: false, error: 'unknown format' };
  if (header.version === 1 && (header.specialist || header.router)) return { ok: false, error: 'version 1 has no specialist' };
  if (Boolean(header.specialist) !== Boolean(header.router)) return { ok: false, error: 'specialist and router go together' };
  const n = 1 << header.features.bits;
  const nr = header.router ? 1 << header.router.bits : 0;
  const body = raw.subarray(4 + hl);
  const expected = header.specialist ? 2 * n + nr : n;
  if (body.length !== expected) return { ok: false, error: `expected ${expected} weights, got ${body.length}` };
  const model: ModelData = { header, weights: dequantise(body.subarray(0, n), header.scale) };
  if (header.specialist && header.router) {
    model.specialist = dequantise(body.subarray(n, 2 * n), header.specialist.scale);
    model.router = dequantise(body.subarray(2 * n), header.router.scale);
  }
  return { ok: true, model };
}

let sharedJieba: Jieba | undefined;
/** One jieba instance per process (loading the dictionary takes ~0.2 s). */
export function getJieba(): Jieba {
  sharedJieba ??= Jieba.withDict(dict);
  return sharedJieba;
}

function round4(x: number): number {
  return Math.round(x * 10000) / 10000;
}

/** Sarcasm / dismissive markers: when present, a positive reading is damped (呵呵, 真是服了, 好棒棒…). */
const SARCASM = /呵呵|嗬嗬|服了|醉了|好棒棒|谢谢您嘞|我也是醉|真行啊|真有你的|\[(?:鄙视|右哼哼|左哼哼|白眼)\]/;

/**
 * Text domain. 'general' reads the model as trained (reviews, Weibo). 'government' adapts it to citizen messages
 * (12345 / 问政): those are mostly complaints, questions and requests, which review-trained models read as
 * negative because a question in a review is usually a complaint, while the complaint vocabulary of citizens
 * (扰民, 不作为, 乱收费…) is rare in reviews. In this domain a request or question without complaint words is
 * pulled toward neutral, each complaint cue (up to two) lowers the logit by 0.8, and the neutral band is wider.
 */
export type SentimentDomain = 'general' | 'government';

/** Options of a prediction. */
export interface PredictOptions {
  domain?: SentimentDomain;
}

/** Neutral band on |score| for the government domain (the model's own band applies to 'general'). */
export const GOVERNMENT_NEUTRAL_BAND = 0.3;
/** Question / request / suggestion cues of citizen messages. */
const REQUEST = /请问|咨询|能否|可否|是否|何时|什么时候|怎么办|如何|怎样|怎么|建议|希望|请求|恳请|申请|[?？]|吗$/;
/** Complaint cues: when present, a negative reading of a request stands. */
const COMPLAINT = /投诉|举报|扰民|隐患|脏乱差|迟迟|拖延|占道|违章|违法|违规|乱收费|拖欠|欠薪|不作为|推诿|污染|噪音|恶臭|差劲|太差|严重|强制|坑|骗|霸王|黑心|垃圾|忍无可忍|愤怒/;

/** Number of distinct complaint cues in a text. */
function countComplaints(norm: string): number {
  const seen = new Set<string>();
  for (const m of norm.matchAll(COMPLAINT_G)) seen.add(m[0]);
  return seen.size;
}
const COMPLAINT_G = new RegExp(COMPLAINT.source, 'g');

/** The sarcasm rule only applies to short texts: in long reviews 呵呵 is as often friendly as it is sarcastic. */
const SARCASM_MAX_LEN = 40;

/** The sentiment classifier. Create once with `loadSentimentModel()` or `new SentimentModel(data)`. */
export class SentimentModel {
  readonly header: ModelHeader;
  private readonly w: Float32Array;
  private readonly codes: Int8Array | undefined;
  private readonly table: Float32Array;
  private readonly fx: FeatureExtractor;
  private readonly jieba: Jieba | undefined;
  private readonly spec: Float32Array | undefined;
  private readonly router: Float32Array | undefined;
  private readonly routerMask: number;

  constructor(data: ModelData, jieba?: Jieba) {
    this.header = data.header;
    this.w = data.weights;
    this.codes = data.codes;
    this.spec = data.header.specialist ? data.specialist : undefined;
    this.router = data.header.router ? data.router : undefined;
    this.routerMask = data.header.router ? (1 << data.header.router.bits) - 1 : 0;
    this.table = codeTable(data.header.scale);
    this.fx = new FeatureExtractor(data.header.features);
    this.jieba = data.header.features.words ? (jieba ?? getJieba()) : undefined;
  }

  /** Segments a normalised text the way the model expects (undefined when the model uses no words). */
  segment(norm: string): string[] | undefined {
    return this.jieba ? this.jieba.cut(norm, false) : undefined;
  }

  /**
   * Raw logit for a normalised text and its segmentation (no calibration, no sarcasm rule). With a specialist,
   * `blend` true (the default) mixes it in by the router's probability and the length ramp; false gives the general
   * model alone.
   */
  logit(norm: string, words: readonly string[] | undefined, blend = true): number {
    const idx = this.fx.extract(norm, words);
    const spec = this.spec;
    const router = this.router;
    const sh = this.header.specialist;
    const rh = this.header.router;
    if (blend && spec && router && sh && rh && idx.length > 0) {
      const w = this.w;
      const mask = this.routerMask;
      let s = 0;
      let s2 = 0;
      let r = 0;
      for (let i = 0; i < idx.length; i++) {
        const f = idx[i] as number;
        s += w[f] as number;
        s2 += spec[f] as number;
        r += router[f & mask] as number;
      }
      const v = 1 / Math.sqrt(idx.length);
      const zg = (this.header.sqrtNorm ? s * v : s) + this.header.bias;
      const zs = (this.header.sqrtNorm ? s2 * v : s2) + sh.bias;
      const pReview = 1 / (1 + Math.exp(-(r * v + rh.bias)));
      const ramp = sh.rampLength ? Math.min(1, norm.length / sh.rampLength) : 1;
      return zg + sh.blend * pReview * ramp * (zs - zg);
    }
    let s = 0;
    const codes = this.codes;
    if (codes) {
      const t = this.table;
      for (let i = 0; i < idx.length; i++) s += t[(codes[idx[i] as number] as number) + 128] as number;
    } else {
      for (let i = 0; i < idx.length; i++) s += this.w[idx[i] as number] as number;
    }
    if (this.header.sqrtNorm && idx.length > 0) s /= Math.sqrt(idx.length);
    return s + this.header.bias;
  }

  /** Probability that the text is positive, from a normalised text and optional segmentation. */
  positiveFromNormalised(norm: string, words?: readonly string[], opts: PredictOptions = {}): number {
    if (norm.length === 0) return 0.5;
    // the specialist is trained on reviews: citizen messages keep the general model their domain rules were set on
    let z = this.logit(norm, words ?? this.segment(norm), opts.domain !== 'government') / this.header.temperature;
    if (opts.domain === 'government') {
      // reviews and posts rarely use the complaint vocabulary of citizen messages (扰民, 不作为…): add it as a prior
      const complaints = countComplaints(norm);
      if (complaints === 0 && REQUEST.test(norm)) z *= 0.25;
      else z -= 0.8 * Math.min(complaints, 2);
    }
    if (z > 0 && this.header.sarcasm && norm.length <= SARCASM_MAX_LEN && SARCASM.test(norm)) z = z * 0.3 - 0.3;
    return 1 / (1 + Math.exp(-z));
  }

  /** Maps a probability to the label/score triple using the neutral band of the domain. */
  toSentiment(positive: number, opts: PredictOptions = {}): Sentiment {
    const score = 2 * positive - 1;
    const band = opts.domain === 'government' ? GOVERNMENT_NEUTRAL_BAND : this.header.neutralBand;
    const label: SentimentLabel = Math.abs(score) < band ? 'neutral' : score > 0 ? 'positive' : 'negative';
    return { label, score: round4(score), positive: round4(positive) };
  }

  /**
   * The router's probability that a text is in the specialist's domain (committed model: a hotel, laptop or book
   * review); undefined without a router.
   */
  reviewProbability(text: string): number | undefined {
    const router = this.router;
    const rh = this.header.router;
    if (!router || !rh) return undefined;
    const norm = normaliseText(text);
    const idx = this.fx.extract(norm, this.segment(norm));
    if (idx.length === 0) return undefined;
    let r = 0;
    for (let i = 0; i < idx.length; i++) r += router[(idx[i] as number) & this.routerMask] as number;
    return 1 / (1 + Math.exp(-(r / Math.sqrt(idx.length) + rh.bias)));
  }

  /** Sentiment of one text. */
  predict(text: string, opts: PredictOptions = {}): Sentiment {
    return this.toSentiment(this.positiveFromNormalised(normaliseText(text), undefined, opts), opts);
  }

  /** Sentiment of many texts, in order. */
  predictBatch(texts: readonly string[], opts: PredictOptions = {}): Sentiment[] {
    return texts.map((t) => this.predict(t, opts));
  }
}

/** Loads the committed model artefact (or another file in the same format). */
export function loadSentimentModel(path: string = MODEL_PATH): { ok: true; model: SentimentModel } | { ok: false; error: string } {
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (err) {
    return { ok: false, error: `cannot read ${path}: ${(err as Error).message}` };
  }
  const d = decodeModel(buf);
  if (!d.ok) return d;
  return { ok: true, model: new SentimentModel(d.model) };
}
