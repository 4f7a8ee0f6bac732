import { Converter } from 'opencc-js/t2cn';

let convert: ((s: string) => string) | undefined;

/** Full-width ASCII (U+FF01–U+FF5E) to half-width, ideographic space to space. */
function toHalfWidth(s: string): string {
  let out = '';
  let changed = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xff01 && c <= 0xff5e) {
      out += String.fromCharCode(c - 0xfee0);
      changed = true;
    } else if (c === 0x3000) {
      out += ' ';
      changed = true;
    } else out += s[i];
  }
  return changed ? out : s;
}

/**
 * Folds text for matching: Traditional Chinese → Simplified (OpenCC, Taiwan/Hong Kong variants included),
 * full-width letters, digits and punctuation → half-width, and lower case. `居住證` → `居住证`, `ＡＢＣ１２` → `abc12`.
 * The result has the same meaning as the input; character offsets may differ only where OpenCC
 * rewrites a multi-character phrase (rare).
 */
export function foldToSimplified(s: string): string {
  const c = (convert ??= Converter({ from: 'hk', to: 'cn' }));
  return c(toHalfWidth(s)).toLowerCase();
}
