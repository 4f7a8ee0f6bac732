import { dict as dictBytes } from '@node-rs/jieba/dict.js';
import { getJieba } from '../sentiment/model.ts';

/**
 * Small helpers shared by the place and organisation extractors: walking left from a suffix to find the start of
 * a name. Pure.
 */

/** Characters that cannot be inside a place or organisation name: they end the walk to the left. */
const STOP = new Set(
  Array.from(
    '的在于和与及或是了到从对把被向给将为请我你他她它们这那有个也都就还又再很太最更已曾要想让使叫称说问找去来住由往等各每该本此其无没不因所以而但且并即如若由着过被离至自兼',
  ),
);

function isNameChar(c: number): boolean {
  return (
    (c >= 0x4e00 && c <= 0x9fff) || // CJK
    (c >= 48 && c <= 57) || // 0-9
    (c >= 65 && c <= 90) || // A-Z
    (c >= 97 && c <= 122) // a-z
  );
}

/**
 * Start index of the name that ends at `end` (exclusive): walks left over CJK letters and ASCII alphanumerics,
 * stopping at `floor`, at a stop character (的, 在, 和, …) or after `max` characters.
 */
export function nameStart(text: string, end: number, floor: number, max: number): number {
  let i = end;
  while (i > floor && end - i < max) {
    const ch = text[i - 1] as string;
    if (!isNameChar(text.charCodeAt(i - 1)) || STOP.has(ch)) break;
    i--;
  }
  return i;
}

/** Folds full-width ASCII to half-width and the ideographic space to a space (keeps length, so offsets agree). */
export function foldWidth(text: string): string {
  if (!/[\uff01-\uff5e\u3000]/.test(text)) return text;
  return text.replace(/[\uff01-\uff5e\u3000]/g, (c) =>
    c === '\u3000' ? ' ' : String.fromCharCode(c.charCodeAt(0) - 0xfee0),
  );
}

/** Single-character words that end a name when jieba leaves them on their own. */
const SINGLE_STOP = new Set(Array.from('系是人在到往从向至进出入过走住等和与及或的了着把被让给对为跟同用求'));

/** Parts of speech that never belong inside a place name (verbs, adjectives, adverbs, pronouns, numerals…). */
const STOP_TAGS = new Set(['v', 'vn', 'vg', 'vd', 'vi', 'vq', 'a', 'ad', 'an', 'ag', 'd', 'p', 'c', 'u', 'uj', 'ul', 'r', 'm', 'mq', 'q', 'f', 'tg', 'y', 'e', 'o', 'i', 'l', 'z', 'zg']);
let stopWords: Set<string> | undefined;
/** Words of jieba's dictionary whose part of speech cannot be inside a name (parsed once, ~0.1 s). */
function nameStopWords(): Set<string> {
  if (stopWords) return stopWords;
  stopWords = new Set();
  const text = Buffer.from(dictBytes).toString('utf8');
  let i = 0;
  while (i < text.length) {
    let j = text.indexOf('\n', i);
    if (j < 0) j = text.length;
    const a = text.indexOf(' ', i);
    const b = a >= 0 ? text.indexOf(' ', a + 1) : -1;
    if (a > i && b > a && b < j) {
      const tag = text.slice(b + 1, j).trim();
      if (STOP_TAGS.has(tag)) stopWords.add(text.slice(i, a));
    }
    i = j + 1;
  }
  return stopWords;
}

/**
 * Snaps a candidate name (text left of a suffix) to its last words: walks jieba words from the right and stops
 * at a verb, adjective, pronoun or similar (words of two or more characters, by jieba's dictionary tags; single
 * characters only from a short list), at one of `boundaryWords`, or when the name would exceed `max` characters.
 */
export function snapName(window: string, max: number, boundaryWords: ReadonlySet<string>): string {
  if (window.length === 0) return '';
  const words = getJieba().cut(window, false);
  const stops = nameStopWords();
  let name = '';
  for (let k = words.length - 1; k >= 0; k--) {
    const w = words[k] as string;
    if ((w.length > 1 ? stops.has(w) : SINGLE_STOP.has(w)) || boundaryWords.has(w) || name.length + w.length > max) break;
    name = w + name;
  }
  return name;
}

