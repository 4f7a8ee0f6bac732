/**
 * Hashed sparse features for the sentiment model: character 1–4-grams of the normalised text, jieba words,
 * negation-scoped words (不满意 → NEG:满意), Weibo emoticons ([怒], [哈哈]) and a few shape cues. Pure: no I/O.
 *
 * Hashing works on UTF-16 code units without building substrings, so extraction costs little more than one pass
 * over the text plus the word list the caller already has.
 */

/** Options that change which features are produced. Stored in the model so training and inference agree. */
export interface FeatureOptions {
  /** log2 of the number of hash buckets. */
  bits: number;
  /** Longest character n-gram (1..4). */
  maxCharN: number;
  /** Add jieba word unigrams. */
  words: boolean;
  /** Add word bigrams. */
  wordBigrams: boolean;
  /** Add NEG:-prefixed words in the scope of a negator. */
  negation: boolean;
  /** Add first/last/own-part emoticon features (Weibo). */
  emoticonPositions: boolean;
  /** Add words after a contrast word (但是, 不过…) and words of the last clause as separate features. */
  contrast?: boolean;
  /** In a Weibo repost ("own text //@user: reposted text"), add the words of the author's own part again as OWN: features. */
  ownWords?: boolean;
}

export const DEFAULT_FEATURES: FeatureOptions = {
  bits: 22,
  maxCharN: 4,
  words: true,
  wordBigrams: true,
  negation: true,
  emoticonPositions: true,
};

const FNV = 0x811c9dc5;
const PRIME = 16777619;

/** Negators that open a negation scope over the next words (until punctuation or two content words). */
/** Contrast words: what follows them usually carries the verdict of a review. */
const CONTRAST = new Set(['但', '但是', '不过', '可是', '然而', '只是', '就是', '可惜', '却', '总之', '总的来说', '总体', '总体来说']);
/** Clause ends. */
function isClauseEnd(w: string): boolean {
  return /[。！？!?.；;\n]/.test(w);
}

const NEGATORS = new Set([
  '不', '没', '没有', '别', '无', '未', '非', '不是', '不太', '不够', '不会', '不能', '不要', '没什么', '毫无', '并不',
  '不算', '不怎么', '不大', '从不', '绝不', '决不', '不再', '难以', '不用',
]);

/**
 * Unicode emoji mapped to the Weibo emoticons the training data carries (the corpora predate emoji, whose
 * characters were lost as "?"), so 😡 reads like [怒] and 😂 like [哈哈].
 */
const EMOJI: Record<string, string> = {
  '😀': '[哈哈]', '😃': '[哈哈]', '😄': '[哈哈]', '😁': '[嘻嘻]', '😆': '[哈哈]', '😂': '[哈哈]', '🤣': '[哈哈]',
  '😊': '[可爱]', '🙂': '[可爱]', '☺': '[可爱]', '😍': '[花心]', '🥰': '[爱你]', '😘': '[亲亲]', '❤': '[心]',
  '💕': '[心]', '💖': '[心]', '👍': '[赞]', '👏': '[鼓掌]', '💪': '[威武]', '🎉': '[太开心]', '😎': '[酷]',
  '😜': '[挤眼]', '😋': '[馋嘴]', '🌹': '[鲜花]', '🙏': '[握手]', '😭': '[泪]', '😢': '[泪]', '😿': '[泪]',
  '😡': '[怒]', '😠': '[怒]', '🤬': '[怒骂]', '😤': '[哼]', '😒': '[鄙视]', '🙄': '[鄙视]', '👎': '[弱]',
  '😞': '[失望]', '😔': '[失望]', '😩': '[抓狂]', '😫': '[抓狂]', '😱': '[吃惊]', '😓': '[汗]', '😰': '[汗]',
  '😷': '[生病]', '🤮': '[吐]', '💔': '[伤心]', '🕯': '[蜡烛]', '😏': '[阴险]', '🤔': '[思考]',
};
const EMOJI_RE = new RegExp(Object.keys(EMOJI).join('|'), 'gu');

/**
 * Normalises a text for feature extraction: emoji to Weibo emoticons, full-width ASCII to half-width, lower
 * case, digits to 0, URLs to "u", Weibo @mentions to "@", runs of whitespace to one space.
 */
export function normaliseText(text: string): string {
  let s = text.replace(/https?:\/\/[!-~]+/g, ' U ');
  if (/[\u2600-\u27bf\ud83c-\ud83e]/.test(s)) s = s.replace(EMOJI_RE, (e) => EMOJI[e] ?? e);
  s = s.replace(/@[^\s:：,，)）@/]{1,30}/g, '@');
  let out = '';
  let lastSpace = false;
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c >= 0xff01 && c <= 0xff5e) c -= 0xfee0;
    else if (c === 0x3000) c = 32;
    if (c >= 65 && c <= 90) c += 32;
    else if (c >= 48 && c <= 57) c = 48;
    const space = c === 32 || c === 9 || c === 10 || c === 13;
    if (space) {
      if (!lastSpace) out += ' ';
      lastSpace = true;
      continue;
    }
    lastSpace = false;
    out += String.fromCharCode(c);
  }
  return out.trim();
}

/** Hash of a string with a namespace seed (FNV-1a over code units). */
export function hashString(s: string, seed: number): number {
  let h = (FNV ^ seed) >>> 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), PRIME);
  return h >>> 0;
}

function isContentChar(c: number): boolean {
  return (c >= 0x4e00 && c <= 0x9fff) || (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c >= 0x3400;
}

/** True when a token has no letter, digit or CJK character (punctuation, spaces). */
function isPunctWord(w: string): boolean {
  for (let i = 0; i < w.length; i++) if (isContentChar(w.charCodeAt(i))) return false;
  return true;
}

/**
 * Collects unique hashed feature indices for one document. Reuses its buffers between calls: one extractor per
 * model instance, not shared across concurrent async work (extraction is synchronous, so this is safe in Node).
 * Duplicates are removed with a small open-addressing set sized to the document, which stays in cache.
 */
export class FeatureExtractor {
  readonly opts: FeatureOptions;
  private readonly mask: number;
  private set = new Int32Array(1 << 12).fill(-1);
  private setMask = (1 << 12) - 1;
  private buf = new Int32Array(1 << 11);
  private n = 0;

  constructor(opts: FeatureOptions) {
    this.opts = opts;
    this.mask = (1 << opts.bits) - 1;
  }

  private add(h: number): void {
    const idx = (h >>> 0) & this.mask;
    const set = this.set;
    const m = this.setMask;
    let slot = Math.imul(idx, 0x9e3779b1) >>> 0 & m;
    for (;;) {
      const v = set[slot] as number;
      if (v === idx) return;
      if (v === -1) break;
      slot = (slot + 1) & m;
    }
    set[slot] = idx;
    this.buf[this.n++] = idx;
  }

  private reserve(maxFeatures: number): void {
    if (this.buf.length < maxFeatures) this.buf = new Int32Array(maxFeatures * 2);
    let size = this.set.length;
    while (size < maxFeatures * 2) size *= 2;
    if (size !== this.set.length) {
      this.set = new Int32Array(size).fill(-1);
      this.setMask = size - 1;
    }
  }

  /**
   * Features of a text. `norm` is `normaliseText(text)`; `words` is a segmentation of `norm` (jieba), or
   * undefined when the options use no words. Returns a fresh Int32Array of unique bucket indices (bias excluded).
   */
  extract(norm: string, words: readonly string[] | undefined): Int32Array {
    const len = norm.length;
    this.reserve(len * this.opts.maxCharN + (words ? words.length * 3 : 0) + 64);
    this.n = 0;
    const { maxCharN } = this.opts;
    // character n-grams (spaces skipped: they separate, they are not content); the set insertion of `add` is
    // inlined here with locals, as this loop makes most of the features
    {
      const set = this.set;
      const sm = this.setMask;
      const mask = this.mask;
      const buf = this.buf;
      let n = this.n;
      for (let i = 0; i < len; i++) {
        let h = FNV;
        for (let k = 0; k < maxCharN && i + k < len; k++) {
          const c = norm.charCodeAt(i + k);
          if (c === 32) break;
          h = Math.imul(h ^ c, PRIME);
          const idx = (Math.imul(h ^ (k + 1), PRIME) >>> 0) & mask;
          let slot = (Math.imul(idx, 0x9e3779b1) >>> 0) & sm;
          for (;;) {
            const v = set[slot] as number;
            if (v === idx) break;
            if (v === -1) {
              set[slot] = idx;
              buf[n++] = idx;
              break;
            }
            slot = (slot + 1) & sm;
          }
        }
      }
      this.n = n;
    }
    // emoticons [xx]: each, the first, the last, and those in the author's own part (before the first "//@")
    const own = norm.indexOf('//@');
    let first = '';
    let last = '';
    for (let i = norm.indexOf('['); i >= 0 && i < len; i = norm.indexOf('[', i + 1)) {
      const j = norm.indexOf(']', i + 1);
      if (j < 0) break;
      if (j - i > 9) continue;
      const e = norm.slice(i, j + 1);
      this.add(hashString(e, 0x5eed01));
      if (this.opts.emoticonPositions) {
        if (!first) first = e;
        last = e;
        if (own < 0 || i < own) this.add(hashString(e, 0x5eed05));
      }
    }
    if (first) {
      this.add(hashString(first, 0x5eed06));
      this.add(hashString(last, 0x5eed07));
    }
    // shape cues
    let excl = 0;
    let quest = 0;
    for (let i = 0; i < len; i++) {
      const c = norm.charCodeAt(i);
      if (c === 33) excl++;
      else if (c === 63) quest++;
    }
    if (excl >= 3) this.add(0x7a11e001);
    if (quest >= 3) this.add(0x7a11e002);
    if (len < 8) this.add(0x7a11e003);
    else if (len > 200) this.add(0x7a11e004);
    if (words && this.opts.words) {
      let neg = 0;
      let prevH = 0;
      let inContrast = false;
      let lastClause = 0;
      const contrast = this.opts.contrast === true;
      const ownEnd = this.opts.ownWords === true ? own : -1;
      let pos = 0;
      if (contrast) {
        for (let k = words.length - 1; k >= 0; k--) {
          const w = words[k] as string;
          if (isPunctWord(w) && isClauseEnd(w) && k < words.length - 1) {
            lastClause = k + 1;
            break;
          }
        }
      }
      for (let k = 0; k < words.length; k++) {
        const w = words[k] as string;
        const start = pos;
        pos += w.length;
        if (isPunctWord(w)) {
          neg = 0;
          prevH = 0;
          if (isClauseEnd(w)) inContrast = false;
          continue;
        }
        if (contrast) {
          if (inContrast) this.add(hashString(w, 0x5eed08));
          if (k >= lastClause) this.add(hashString(w, 0x5eed09));
          if (CONTRAST.has(w)) inContrast = true;
        }
        const hw = hashString(w, 0x5eed02);
        this.add(hw);
        if (ownEnd >= 0 && start < ownEnd) this.add(hashString(w, 0x5eed0a));
        if (this.opts.wordBigrams && prevH !== 0) this.add(Math.imul(prevH ^ 0x5eed03, PRIME) ^ hw);
        if (this.opts.negation) {
          if (neg > 0) {
            this.add(Math.imul(hw ^ 0x5eed04, PRIME));
            neg--;
          }
          if (NEGATORS.has(w)) neg = 2;
        }
        prevH = hw;
      }
    }
    const out = this.buf.slice(0, this.n);
    // clear the set for the next document
    const set = this.set;
    const m = this.setMask;
    for (let i = 0; i < out.length; i++) {
      const idx = out[i] as number;
      let slot = Math.imul(idx, 0x9e3779b1) >>> 0 & m;
      while (set[slot] !== -1) {
        set[slot] = -1;
        slot = (slot + 1) & m;
      }
    }
    return out;
  }
}
