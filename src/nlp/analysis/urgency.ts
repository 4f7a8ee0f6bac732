/**
 * Urgency cues (safety, health, crowds, protest) from a lexicon kept as data (`lexicon/urgency.json`).
 *
 * Level: the highest cue weight (1..3). An intensifier (紧急, 立即, 救命…) raises a weight-1 reading to 2, and a
 * weight-2 reading to 3 when two or more categories carry a weight-2 cue. 0 means no cue. A cue preceded closely
 * by a negator (没有安全隐患) does not count; one preceded by a hypothetical (一旦发生火灾, 以免发生事故) counts
 * with weight 1. Pure once the lexicon is given.
 */
import lexiconData from './lexicon/urgency.json' with { type: 'json' };

export type UrgencyCategory = 'safety' | 'health' | 'crowds' | 'protest';

/** Lexicon layout: category → weight ("1".."3") → words; plus intensifiers and negators. */
export interface UrgencyLexicon {
  categories: Record<string, Record<string, string[]>>;
  intensifiers: string[];
  negators: string[];
  /** Words that make a following cue hypothetical (一旦发生火灾): its weight is capped at 1. */
  hypotheticals?: string[];
}

/** Urgency of one text. `cues` are "category:word" (and "intensifier:word"), in text order, unique. */
export interface Urgency {
  level: 0 | 1 | 2 | 3;
  cues: string[];
}

/** A compiled lexicon: build once, reuse. */
export interface UrgencyMatcher {
  match(text: string): Urgency;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Compiles a lexicon into one regular expression. */
export function compileUrgency(lex: UrgencyLexicon): UrgencyMatcher {
  const info = new Map<string, { cat: string; weight: number }>();
  for (const [cat, byWeight] of Object.entries(lex.categories)) {
    for (const [w, words] of Object.entries(byWeight)) {
      for (const word of words) {
        const prev = info.get(word);
        if (!prev || prev.weight < Number(w)) info.set(word, { cat, weight: Number(w) });
      }
    }
  }
  const intens = new Set(lex.intensifiers);
  const all = [...info.keys(), ...lex.intensifiers].sort((a, b) => b.length - a.length).map(escape);
  const re = new RegExp(all.join('|'), 'g');
  const negRe = new RegExp(`(?:${lex.negators.map(escape).join('|')})[^，。！？,.!?；;]{0,2}$`);
  const hyp = lex.hypotheticals ?? [];
  const hypRe = hyp.length ? new RegExp(`(?:${hyp.map(escape).join('|')})[^，。！？,.!?；;]{0,4}$`) : undefined;
  return {
    match(text: string): Urgency {
      let max = 0;
      let intensifier = false;
      const strongCats = new Set<string>();
      const cues: string[] = [];
      const seen = new Set<string>();
      for (const m of text.matchAll(re)) {
        const word = m[0];
        const at = m.index ?? 0;
        if (intens.has(word) && !info.has(word)) {
          intensifier = true;
          const c = `intensifier:${word}`;
          if (!seen.has(c)) {
            seen.add(c);
            cues.push(c);
          }
          continue;
        }
        const i = info.get(word);
        if (!i) continue;
        if (negRe.test(text.slice(Math.max(0, at - 6), at))) continue;
        const weight = hypRe?.test(text.slice(Math.max(0, at - 8), at)) ? 1 : i.weight;
        max = Math.max(max, weight);
        if (weight >= 2) strongCats.add(i.cat);
        const c = `${i.cat}:${word}`;
        if (!seen.has(c)) {
          seen.add(c);
          cues.push(c);
        }
      }
      if (max === 0) return { level: 0, cues: cues.filter((c) => !c.startsWith('intensifier:')) };
      let level = max as 1 | 2 | 3;
      if (intensifier && (max === 1 || (max === 2 && strongCats.size >= 2))) level = (max + 1) as 2 | 3;
      return { level, cues };
    },
  };
}

/** The lexicon shipped in `lexicon/urgency.json`. */
export const DEFAULT_URGENCY_LEXICON: UrgencyLexicon = lexiconData as UrgencyLexicon;

let defaultMatcher: UrgencyMatcher | undefined;
/** Urgency of a text with the shipped lexicon. */
export function detectUrgency(text: string): Urgency {
  defaultMatcher ??= compileUrgency(DEFAULT_URGENCY_LEXICON);
  return defaultMatcher.match(text);
}
