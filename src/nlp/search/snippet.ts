import { BIGRAM_PREFIX, BREAK } from './analyze.ts';
import type { QueryTerm } from './types.ts';

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

/**
 * Marks every occurrence of `needles` in `text` (already escaped pieces in between); longest match wins. Needles in
 * `minor` (character bigrams) are only marked where no other needle matched: in 所欠工资 a bigram 欠工 of the query word
 * 拖欠工资 came first and took the place of the word 工资.
 */
export function highlight(text: string, folded: string, needles: readonly string[], minor?: ReadonlySet<string>): string {
  const ns = [...new Set(needles.filter((n) => n.length > 0))].sort((a, b) => b.length - a.length);
  if (ns.length === 0 || folded.length !== text.length) return escapeHtml(text);
  const major = minor?.size ? ns.filter((n) => !minor.has(n)) : ns;
  const rest = minor?.size ? ns.filter((n) => minor.has(n)) : [];
  const spans = matches(folded, major, 0, folded.length);
  if (rest.length > 0) {
    const all: number[] = [];
    let from = 0;
    for (let k = 0; k <= spans.length; k += 2) {
      const to = k < spans.length ? (spans[k] as number) : folded.length;
      if (to > from) all.push(...matches(folded, rest, from, to));
      if (k < spans.length) all.push(spans[k] as number, spans[k + 1] as number);
      from = k < spans.length ? (spans[k + 1] as number) : to;
    }
    spans.length = 0;
    spans.push(...all);
  }
  let out = '';
  let plainStart = 0;
  for (let k = 0; k < spans.length; k += 2) {
    const a = spans[k] as number;
    const b = spans[k + 1] as number;
    out += escapeHtml(text.slice(plainStart, a)) + '<mark>' + escapeHtml(text.slice(a, b)) + '</mark>';
    plainStart = b;
  }
  return out + escapeHtml(text.slice(plainStart));
}

/** Matches of `ns` (longest first) in folded[from, to), left to right, as flat [start, end, start, end, …]. */
function matches(folded: string, ns: readonly string[], from: number, to: number): number[] {
  const out: number[] = [];
  if (ns.length === 0) return out;
  // Needles by their first character (longest first, as in ns): a position is only tried against those.
  const byFirst = new Map<number, string[]>();
  for (const n of ns) {
    const c = n.charCodeAt(0);
    const list = byFirst.get(c);
    if (list) list.push(n);
    else byFirst.set(c, [n]);
  }
  let i = from;
  while (i < to) {
    let hit = 0;
    const list = byFirst.get(folded.charCodeAt(i));
    if (list !== undefined) {
      for (const n of list) {
        if (i + n.length <= to && folded.startsWith(n, i)) {
          hit = n.length;
          break;
        }
      }
    }
    if (hit > 0) {
      out.push(i, i + hit);
      i += hit;
    } else i++;
  }
  return out;
}

/**
 * The window of about `width` characters of `text` that covers the most (weighted) query needles, HTML-escaped,
 * with `<mark>` around matches and `…` where it was cut. `folded` is foldToSimplified(text) (same length
 * expected; otherwise no highlighting is done but the window is still chosen on the folded text). `minor`: see highlight.
 */
export function makeSnippet(text: string, folded: string, needles: ReadonlyMap<string, number>, width = 120, minor?: ReadonlySet<string>): string {
  if (text.length <= width) return highlight(text, folded, [...needles.keys()], minor);
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
  const piece = highlight(text.slice(start, end), folded.slice(start, end), [...needles.keys()], minor);
  return (start > 0 ? '…' : '') + piece + (end < text.length ? '…' : '');
}

/**
 * The query terms worth a `<mark>` (text → weight), from the analysed terms and the query's jieba tokens: the terms
 * that carry a match, not every piece of the query. A long question (a clerk's ticket text is searched whole) is cut
 * into single characters 月 / 不 / 好 and into bigrams across word joins (拖欠|工资 gives 欠工, which then took the
 * place of 工资 in 所欠工资); marking those made the highlight meaningless. So:
 * - a bigram is kept when it lies inside one query token, or joins two one-character tokens (words jieba could not
 *   join: 慈/济, a typo 居/往/证); a bigram across a join with a longer word is not;
 * - single characters are kept only when nothing longer is left (a one-character query still marks its character);
 * - words, synonyms and corrections of two or more characters are all kept (stop words never were terms).
 * `tokens` is segment(query) as analyzeQuery made it; `weight` gives a term's weight for the snippet window. `minor`:
 * the needles that are only character bigrams, marked where no word matched (highlight).
 */
export function highlightNeedles(terms: readonly QueryTerm[], tokens: readonly string[], isStop: (t: string) => boolean, weight: (t: QueryTerm) => number): { needles: Map<string, number>; minor: Set<string> } {
  const joined = new Set<string>();
  let prev = '';
  for (const t of tokens) {
    if (t === BREAK || isStop(t)) {
      prev = '';
      continue;
    }
    for (let i = 0; i + 1 < t.length; i++) joined.add(t.slice(i, i + 2));
    if (prev.length === 1 && t.length === 1) joined.add(prev + t);
    prev = t;
  }
  const all = new Map<string, number>();
  const words = new Set<string>();
  for (const t of terms) {
    const bigram = t.term.startsWith(BIGRAM_PREFIX);
    const text = bigram ? t.term.slice(BIGRAM_PREFIX.length) : t.term;
    if (text.length === 0 || (t.kind === 'bigram' && !joined.has(text))) continue;
    all.set(text, Math.max(all.get(text) ?? 0, weight(t)));
    if (!bigram) words.add(text);
  }
  const long = [...all.keys()].some((n) => [...n].length > 1);
  if (long) for (const n of [...all.keys()]) if ([...n].length <= 1) all.delete(n);
  return { needles: all, minor: new Set([...all.keys()].filter((n) => !words.has(n))) };
}
