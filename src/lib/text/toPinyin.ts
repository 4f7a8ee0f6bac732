import { pinyin } from 'pinyin-pro';

/**
 * Pinyin of each character, without tones, lower case; non-Chinese characters are kept as runs (lower-cased, whitespace dropped).
 * `居住证` → `['ju', 'zhu', 'zheng']`. Polyphonic characters get pinyin-pro's reading in context.
 */
export function toPinyin(s: string): string[] {
  if (s === '') return [];
  return pinyin(s, { toneType: 'none', type: 'array', nonZh: 'consecutive', v: true }).map((p) => p.trim().toLowerCase())
    .filter((p) => p !== '');
}
