/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

/** Marks every occurrence of `needles` in `text` (already escaped pieces in between); longest match wins. */
export function highlight(text: string, folded: string, needles: readonly string[]): string {
  const ns = [...new Set(needles.filter((n) => n.length > 0))].sort((a, b) => b.length - a.length);
  if (ns.length === 0 || folded.length !== text.length) return escapeHtml(text);
  // Needles by their first character (longest first, as in ns): a position is only tried against those.
  const byFirst = new Map<number, string[]>();
  for (const n of ns) {
    const c = n.charCodeAt(0);
    const list = byFirst.get(c);
    if (list) list.push(n);
    else byFirst.set(c, [n]);
  }
  let out = '';
  let i = 0;
  let plainStart = 0;
  while (i < folded.length) {
    let hit = 0;
    const list = byFirst.get(folded.charCodeAt(i));
    if (list !== undefined) {
      for (const n of list) {
        if (folded.startsWith(n, i)) {
          hit = n.length;
          break;
        }
      }
    }
    if (hit > 0) {
      out += escapeHtml(text.slice(plainStart, i)) + '<mark>' + escapeHtml(text.slice(i, i + hit)) + '</mark>';
      i += hit;
      plainStart = i;
    } else i++;
  }
  return out + escapeHtml(text.slice(plainStart));
}

/**
 * The window of about `width` characters of `text` that covers the most (weighted) query needles, HTML-escaped,
 * with `<mark>` around matches and `…` where it was cut. `folded` is foldToSimplified(text) (same length
 * expected; otherwise no highlighting is done but the window is still chosen on the folded text).
 */
export function makeSnippet(text: string, folded: string, needles: ReadonlyMap<string, number>, width = 120): string {
  if (text.length <= width) return highlight(text, folded, [...needles.keys()]);
  // Positions of needle occurrences.
  const occ: { pos: number; w: number }[] = [];
  for (const [n, w] of needles) {
    if (n.length === 0) continue;
    let from = 0;
    let count = 0;
    while (count < 50) {
      const p = folded.indexOf(n, from);
      if (p < 0) break;
      occ.push({ pos: p, w: w * n.length });
      from = p + n.length;
      count++;
    }
  }
  occ.sort((a, b) => a.pos - b.pos);
  let best = 0;
  let bestStart = 0;
  let j = 0;
  let sum = 0;
  for (let i = 0; i < occ.length; i++) {
    const oi = occ[i];
    if (!oi) continue;
    sum += oi.w;
    while (j < i && (occ[j]?.pos ?? 0) < oi.pos - width + 20) {
      sum -= occ[j]?.w ?? 0;
      j++;
    }
    if (sum > best) {
      best = sum;
      bestStart = occ[j]?.pos ?? 0;
    }
  }
  let start = Math.max(0, bestStart - 20);
  // Prefer to start after a sentence break close before the window.
  const brk = Math.max(folded.lastIndexOf('。', bestStart), folded.lastIndexOf('，', bestStart));
  if (brk >= 0 && bestStart - brk < 30) start = brk + 1;
  const end = Math.min(text.length, start + width);
  const piece = highlight(text.slice(start, end), folded.slice(start, end), [...needles.keys()]);
  return (start > 0 ? '…' : '') + piece + (end < text.length ? '…' : '');
}
