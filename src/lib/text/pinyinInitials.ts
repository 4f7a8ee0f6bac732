import { toPinyin } from './toPinyin.ts';

/**
 * Initial letters of the pinyin of each Chinese character, joined: `居住证` → `jzz`, `社保卡` → `sbk`.
 * Runs of Latin letters or digits contribute their first character (`12345热线` → `1rx`).
 */
export function pinyinInitials(s: string): string {
  return toPinyin(s)
    .map((p) => p.charAt(0))
    .join('')
    .replace(/[^a-z0-9]/g, '');
}
