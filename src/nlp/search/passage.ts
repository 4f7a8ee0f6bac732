/** A sentence span in a text. */
export interface Span {
  start: number;
  end: number;
}

/**
 * Splits text into sentence spans at 。！？；!?; line breaks and wide gaps (the policy texts use runs of spaces
 * between paragraphs). Spans cover the text from `from` on, without the separating whitespace.
 */
export function sentenceSpans(text: string, from = 0): Span[] {
  const spans: Span[] = [];
  let start = from;
  const push = (end: number): void => {
    let s = start;
    while (s < end && isSpace(text.charCodeAt(s))) s++;
    let e = end;
    while (e > s && isSpace(text.charCodeAt(e - 1))) e--;
    if (e > s) spans.push({ start: s, end: e });
  };
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '。' || c === '！' || c === '？' || c === '；' || c === '!' || c === '?' || c === ';') {
      // Keep a closing quote or bracket with its sentence.
      let e = i + 1;
      while (e < text.length && /[”’」』）)]/.test(text[e] ?? '')) e++;
      push(e);
      start = e;
      i = e - 1;
    } else if (c === '\n' || c === '\r' || (isSpace(text.charCodeAt(i)) && isSpace(text.charCodeAt(i + 1)))) {
      push(i);
      start = i + 1;
    }
  }
  push(text.length);
  return spans;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 0xa0 || c === 0x3000;
}

/** A weighted needle to look for (a folded word or bigram). */
export interface Needle {
  text: string;
  weight: number;
  /** Needles sharing a group count once per window (a word and its bigrams). */
  group: string;
}

/** Per-sentence weighted matches: for each sentence, the best weight found per group. */
export function sentenceMatches(folded: string, spans: readonly Span[], needles: readonly Needle[]): Map<string, number>[] {
  const per: Map<string, number>[] = spans.map(() => new Map());
  for (const n of needles) {
    if (n.text === '') continue;
    let from = 0;
    let count = 0;
    while (count < 200) {
      const p = folded.indexOf(n.text, from);
      if (p < 0) break;
      // Binary search the sentence containing p.
      let lo = 0;
      let hi = spans.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if ((spans[mid]?.start ?? 0) <= p) lo = mid;
        else hi = mid - 1;
      }
      const m = per[lo];
      if (m && (m.get(n.group) ?? 0) < n.weight) m.set(n.group, n.weight);
      from = p + n.text.length;
      count++;
    }
  }
  return per;
}

/** Sum of the group weights over a window of sentences [i, j], each group counted once. */
export function windowScore(per: readonly Map<string, number>[], i: number, j: number): number {
  const best = new Map<string, number>();
  for (let k = i; k <= j; k++) {
    for (const [g, w] of per[k] ?? []) if ((best.get(g) ?? 0) < w) best.set(g, w);
  }
  let s = 0;
  for (const w of best.values()) s += w;
  return s;
}

