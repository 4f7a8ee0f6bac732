import { describe, expect, it } from 'vitest';
import { FeatureExtractor, DEFAULT_FEATURES, normaliseText } from './features.ts';
import { decodeModel, encodeModel, loadSentimentModel, SentimentModel, type ModelData } from './model.ts';

const loaded = loadSentimentModel();
if (!loaded.ok) throw new Error(loaded.error);
const model = loaded.model;
const p = (t: string): number => model.predict(t).positive;

describe('sentiment model: polarity and negation', () => {
  it('reads plain praise and complaints', () => {
    expect(model.predict('房间干净，服务很好，下次还来').label).toBe('positive');
    expect(model.predict('房间又脏又旧，服务态度极差').label).toBe('negative');
  });

  it('flips on negation: 不满意, 不是很好, 不太好, 不好吃', () => {
    expect(p('很满意')).toBeGreaterThan(0.5);
    expect(p('不满意')).toBeLessThan(0.5);
    expect(model.predict('不满意').label).toBe('negative');
    expect(p('服务很好')).toBeGreaterThan(0.5);
    expect(p('服务不是很好')).toBeLessThan(0.5);
    expect(p('不太好')).toBeLessThan(0.5);
    expect(p('好吃')).toBeGreaterThan(0.5);
    expect(p('不好吃')).toBeLessThan(0.5);
  });

  it('damps a positive reading marked as sarcastic (呵呵)', () => {
    expect(p('呵呵，真是好服务')).toBeLessThan(p('真是好服务'));
    expect(model.predict('呵呵，真是好服务').label).not.toBe('positive');
  });

  it('reads Weibo emoticons and the emoji mapped onto them', () => {
    expect(model.predict('今天天气真好[哈哈]').label).toBe('positive');
    expect(model.predict('又堵车了[怒]').label).toBe('negative');
    expect(p('😡')).toBeLessThan(0.5);
    expect(p('😂')).toBeGreaterThan(0.5);
    expect(p('等了一个小时😭')).toBeLessThan(p('等了一个小时'));
  });

  it('keeps score and positive consistent and in range; empty text is neutral', () => {
    for (const t of ['不错', '垃圾', '一般般吧', 'ok', '']) {
      const s = model.predict(t);
      expect(s.positive).toBeGreaterThanOrEqual(0);
      expect(s.positive).toBeLessThanOrEqual(1);
      expect(s.score).toBeCloseTo(2 * s.positive - 1, 3);
      expect(s.label === 'positive').toBe(s.score >= 0.2);
      expect(s.label === 'negative').toBe(s.score <= -0.2);
    }
    expect(model.predict('')).toEqual({ label: 'neutral', score: 0, positive: 0.5 });
  });
});

describe('sentiment model: government domain', () => {
  const gov = { domain: 'government' as const };
  it('reads a plain question or suggestion as neutral, a complaint as negative, thanks as positive', () => {
    expect(model.predict('请问公积金怎么提取？', gov).label).toBe('neutral');
    expect(model.predict('建议在小区门口增设红绿灯', gov).label).toBe('neutral');
    expect(model.predict('工地夜间施工噪音扰民严重，投诉多次没人管', gov).label).toBe('negative');
    expect(model.predict('非常感谢社区工作人员耐心细致的帮助，服务很好', gov).label).toBe('positive');
  });
  it('does not soften a question that carries complaint words: they lower the score instead', () => {
    const t = '物业乱收费，投诉多次没人管，请问怎么办？';
    expect(model.predict(t, gov).score).toBeLessThan(model.predict(t).score);
    expect(model.predict(t, gov).label).toBe('negative');
  });
  it('reads the complaint vocabulary of citizens (扰民) as negative', () => {
    expect(model.predict('工地夜间施工扰民', gov).score).toBeLessThan(model.predict('工地夜间施工扰民').score);
    expect(model.predict('工地夜间施工扰民', gov).label).toBe('negative');
  });
});

describe('features', () => {
  it('normalises full-width characters, digits, mentions and URLs', () => {
    expect(normaliseText('ＡＢＣ１２３')).toBe('abc000');
    expect(normaliseText('好的 //@张三:转发 http://t.cn/abc')).toBe('好的 //@:转发 u');
  });
  it('produces unique indices within the hash space, different under negation', () => {
    const fx = new FeatureExtractor({ ...DEFAULT_FEATURES, bits: 12 });
    const a = fx.extract('不满意', ['不', '满意']);
    expect(new Set(a).size).toBe(a.length);
    for (const i of a) expect(i).toBeLessThan(1 << 12);
    const b = fx.extract('满意', ['满意']);
    expect(a.length).toBeGreaterThan(b.length);
  });
  it('adds own-part word features only to the author\'s part of a repost when ownWords is on', () => {
    const on = new FeatureExtractor({ ...DEFAULT_FEATURES, bits: 16, ownWords: true });
    const off = new FeatureExtractor({ ...DEFAULT_FEATURES, bits: 16 });
    const text = '好的//@:转发';
    const words = ['好的', '/', '/', '@', ':', '转发'];
    expect(on.extract(text, words).length).toBe(off.extract(text, words).length + 1); // OWN:好的, not 转发
    expect(on.extract('好的', ['好的']).length).toBe(off.extract('好的', ['好的']).length); // no repost: nothing added
  });
});

describe('artefact format', () => {
  it('round-trips weights within quantisation error and rejects garbage', () => {
    const bits = 8;
    const weights = new Float32Array(1 << bits).map((_, i) => Math.sin(i) * 2);
    const data: ModelData = {
      header: {
        format: 'yiwang-sentiment', version: 1, features: { ...DEFAULT_FEATURES, bits }, sqrtNorm: true, bias: 0.1,
        scale: 2, temperature: 1, sarcasm: false, neutralBand: 0.2, trained: {},
      },
      weights,
    };
    const back = decodeModel(encodeModel(data));
    expect(back.ok).toBe(true);
    if (!back.ok) return;
    for (let i = 0; i < weights.length; i++) expect(Math.abs((back.model.weights[i] ?? 0) - (weights[i] ?? 0))).toBeLessThan(0.04);
    expect(decodeModel(Buffer.from('not a model')).ok).toBe(false);
  });
  it('the committed model is small', () => {
    expect(model.header.features.bits).toBeLessThanOrEqual(22);
  });
});

describe('review specialist and domain router (artefact version 2)', () => {
  const bits = 8;
  const n = 1 << bits;
  const header = (blend: number, routerBias: number): ModelData['header'] => ({
    format: 'yiwang-sentiment', version: 2, features: { ...DEFAULT_FEATURES, bits, words: false }, sqrtNorm: true,
    bias: 0, scale: 1, temperature: 1, sarcasm: false, neutralBand: 0.2, trained: {},
    specialist: { bias: 0, scale: 1, blend }, router: { bits: 4, bias: routerBias, scale: 1 },
  });
  // general model: all weights 0 (says 0.5); specialist: every feature positive; router: only its bias
  const synthetic = (blend: number, routerBias: number): ModelData => ({
    header: header(blend, routerBias),
    weights: new Float32Array(n),
    specialist: new Float32Array(n).fill(0.5),
    router: new Float32Array(16),
  });

  it('blends the specialist in by p(review), and not in the government domain', () => {
    const sure = new SentimentModel(synthetic(0.5, 20));
    const never = new SentimentModel(synthetic(0.5, -20));
    const text = '房间很大';
    expect(sure.reviewProbability(text)).toBeGreaterThan(0.99);
    expect(never.reviewProbability(text)).toBeLessThan(0.01);
    expect(sure.predict(text).positive).toBeGreaterThan(0.55);
    expect(never.predict(text).positive).toBeCloseTo(0.5, 2);
    expect(sure.predict(text, { domain: 'government' }).positive).toBeCloseTo(0.5, 4);
    // a larger blend moves further toward the specialist
    expect(new SentimentModel(synthetic(1, 20)).predict(text).positive).toBeGreaterThan(sure.predict(text).positive);
  });

  it('ramps the specialist in with text length when rampLength is set', () => {
    const ramped = synthetic(1, 20);
    ramped.header.specialist = { bias: 0, scale: 1, blend: 1, rampLength: 40 };
    const m = new SentimentModel(ramped);
    const full = new SentimentModel(synthetic(1, 20));
    const short = '房间很大';
    const long = '房间很大'.repeat(10); // 40 characters: the full blend
    expect(m.predict(short).positive).toBeGreaterThan(0.5);
    expect(m.predict(short).positive).toBeLessThan(full.predict(short).positive);
    expect(m.predict(long).positive).toBeCloseTo(full.predict(long).positive, 4);
  });

  it('round-trips specialist and router weights and rejects a body of the wrong length', () => {
    const d = synthetic(0.3, 1);
    d.router = new Float32Array(16).map((_, i) => (i % 2 ? 0.25 : -1));
    const back = decodeModel(encodeModel(d));
    expect(back.ok).toBe(true);
    if (!back.ok) return;
    expect(back.model.specialist?.length).toBe(n);
    expect(back.model.router?.[0]).toBeCloseTo(-1, 5);
    expect(back.model.router?.[1]).toBeCloseTo(0.25, 2);
    const bad = encodeModel({ ...d, router: undefined });
    expect(decodeModel(bad).ok).toBe(false);
  });

  it('the committed model routes Weibo posts and hotel reviews apart', () => {
    const post = model.reviewProbability('哈哈哈今天好开心[哈哈][哈哈] //@小明:转发微博');
    const review = model.reviewProbability('酒店位置不错，离火车站很近，房间干净，早餐一般，前台服务态度很好，下次出差还会入住。');
    if (post === undefined || review === undefined) return; // a version-1 model has no router
    expect(post).toBeLessThan(0.5);
    expect(review).toBeGreaterThan(0.5);
  });
});

describe('training data: shopping categories', () => {
  it('gives every shopping row its category, so the specialist can take the hotel, computer and book reviews', async () => {
    const { CHNSENTICORP_DOMAINS, loadCorpus } = await import('./data.ts');
    const { DEFAULT_DATA_DIR } = await import('./trainer.ts');
    const rows = loadCorpus(DEFAULT_DATA_DIR, 'shopping');
    expect(rows.every((r) => typeof r.cat === 'string' && r.cat.length > 0)).toBe(true);
    const inDomain = rows.filter((r) => CHNSENTICORP_DOMAINS.has(r.cat ?? ''));
    expect(inDomain.length).toBe(9628 + 3593 + 3461); // 酒店, 计算机, 书籍 (PROVENANCE.md)
    // row order is kept: the first rows of the file are book reviews
    expect(rows[0]?.cat).toBe('书籍');
    expect(loadCorpus(DEFAULT_DATA_DIR, 'waimai').some((r) => r.cat !== undefined)).toBe(false);
  });
});

describe('training data: texts with both labels (the additional Weibo figure)', () => {
  it('finds a text that occurs with both labels up to punctuation and case, and only such texts', async () => {
    const { mkdtempSync, rmSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { gzipSync } = await import('node:zlib');
    const { conflictingKeys, hasKey } = await import('./data.ts');
    const dir = mkdtempSync(join(tmpdir(), 'yiwang-sentiment-'));
    try {
      writeFileSync(join(dir, 'weibo.part1.csv.gz'), gzipSync('label,text\n1,转发微博 [哈哈]\n1,今天天气真好\n0,"好累啊,不想上班"\n'));
      writeFileSync(join(dir, 'weibo.part2.csv.gz'), gzipSync('label,text\n0,转发微博！[哈哈]\n0,好累啊 不想上班\n1,OK\n0,ok\n'));
      const keys = conflictingKeys(dir, 'weibo');
      expect(keys.size).toBe(2);
      expect(hasKey(keys, '转发微博。。[哈哈]')).toBe(true);
      expect(hasKey(keys, 'Ok!')).toBe(true);
      expect(hasKey(keys, '好累啊，不想上班')).toBe(false); // same label twice
      expect(hasKey(keys, '今天天气真好')).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('training data: leaving out texts with both labels (--drop-both-labels)', () => {
  it('marks every row of a tied text, keeps one row of a clear majority, and only in the corpora named', async () => {
    const { bothLabelRows } = await import('./data.ts');
    const rows = [
      { corpus: 'weibo', label: 1, text: '转发微博 [哈哈]' }, // 0: tied with 1 → out
      { corpus: 'weibo', label: 0, text: '转发微博！[哈哈]' }, // 1: out
      { corpus: 'weibo', label: 1, text: '好开心' }, // 2: majority positive: the first positive row stays
      { corpus: 'weibo', label: 0, text: '好开心！' }, // 3: out
      { corpus: 'weibo', label: 1, text: '好开心。' }, // 4: second positive row: out
      { corpus: 'weibo', label: 0, text: '好累' }, // 5: one label only: stays
      { corpus: 'weibo', label: 0, text: '好累!' }, // 6: stays
      { corpus: 'waimai', label: 1, text: '好开心' }, // 7: other corpus, not named: stays
      { corpus: 'waimai', label: 0, text: '好开心' }, // 8: stays
    ] as const;
    expect([...bothLabelRows(rows, ['weibo'])]).toEqual([1, 1, 0, 1, 1, 0, 0, 0, 0]);
    expect([...bothLabelRows(rows, [])]).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect([...bothLabelRows(rows, ['waimai'])]).toEqual([0, 0, 0, 0, 0, 0, 0, 1, 1]);
  });
});

describe('training data: leaving rows out for a learning curve (bench/sentiment-tries/curve.ts)', () => {
  it('leaves out whole texts of the corpus named, at least as many rows as asked, and their twins in other corpora', async () => {
    const { leaveOutRows } = await import('./data.ts');
    const rows = [
      { corpus: 'chnsenticorp', label: 1, text: '房间干净' }, // 0 ┐ one text (same once normalised)
      { corpus: 'chnsenticorp', label: 1, text: '房间干净！' }, // 1 ┘
      { corpus: 'chnsenticorp', label: 0, text: '太吵了' }, // 2
      { corpus: 'chnsenticorp', label: 0, text: '床很硬' }, // 3
      { corpus: 'chnsenticorp', label: 1, text: '早餐不错' }, // 4
      { corpus: 'shopping', label: 1, text: '房间干净。' }, // 5: twin of 0 and 1
      { corpus: 'shopping', label: 0, text: '太吵了' }, // 6: twin of 2
      { corpus: 'weibo', label: 1, text: '床很硬啊' }, // 7: another text
    ] as const;
    const key = (t: string): string => t.replace(/[\s\p{P}\p{S}]/gu, '');
    const texts = (out: Uint8Array): Set<string> => new Set(rows.filter((_, i) => out[i]).map((r) => key(r.text)));
    for (const seed of [1, 2, 3, 4, 5]) {
      const out = leaveOutRows(rows, { chnsenticorp: 2 }, seed);
      const csc = rows.filter((r, i) => out[i] && r.corpus === 'chnsenticorp').length;
      expect(csc).toBeGreaterThanOrEqual(2);
      expect(csc).toBeLessThanOrEqual(3); // stops once 2 are out: one more text at most
      // every row of a drawn text is out, in any corpus; nothing else
      rows.forEach((r, i) => expect(out[i]).toBe(texts(out).has(key(r.text)) ? 1 : 0));
      expect(out[7]).toBe(0);
      expect([...leaveOutRows(rows, { chnsenticorp: 2 }, seed)]).toEqual([...out]); // deterministic
    }
    // different seeds draw different texts
    const drawn = new Set([1, 2, 3, 4, 5].map((s) => [...leaveOutRows(rows, { chnsenticorp: 1 }, s)].join('')));
    expect(drawn.size).toBeGreaterThan(1);
    expect([...leaveOutRows(rows, {}, 1)]).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(leaveOutRows(rows, { chnsenticorp: 99 }, 1).reduce((a, b) => a + b, 0)).toBe(7); // all but the Weibo text
  });
});

describe('the committed artefact says what it was trained on', () => {
  it('names the training rows, and records held-out validation figures per corpus (the bench prints them)', async () => {
    const { TRAINED_ON } = await import('./trainer.ts');
    const trained = model.header.trained as { trainedOn?: string; rows?: number; finalRows?: number; validationAccuracy?: Record<string, number> };
    expect(Object.values(TRAINED_ON)).toContain(trained.trainedOn);
    for (const c of ['chnsenticorp', 'weibo', 'waimai', 'shopping']) expect(trained.validationAccuracy?.[c]).toBeGreaterThan(0.5);
    if (trained.trainedOn === TRAINED_ON.final) expect(trained.finalRows).toBeGreaterThan(trained.rows ?? Infinity);
  });
});
