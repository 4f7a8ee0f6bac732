/**
 * Urgency cues (safety, health, crowds, protest) from a lexicon kept as data (`lexicon/urgency.json`).
 *
 * Level: the highest cue weight (1..3), plus one when an intensifier (紧急, 立即…) accompanies a cue, plus one when
 * two or more categories carry a weight-2+ cue; capped at 3. 0 means no cue. A cue preceded closely by a negator
 * (没有安全隐患) does not count. Pure once the lexicon is given.
 */
import lexiconData from './lexicon/urgency.json' with { type: 'json' };

export type UrgencyCategory = 'safety' | 'health' | 'crowds' | 'protest';

/** Lexicon layout: category → weight ("1".."3") → words; plus intensifiers and negators. */
export interface UrgencyLexicon {
  categories: Record<string, Record<string, string[]>>;
  intensifiers: string[];
  negators: string[];
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
        max = Math.max(max, i.weight);
        if (i.weight >= 2) strongCats.add(i.cat);
        const c = `${i.cat}:${word}`;
        if (!seen.has(c)) {
          seen.add(c);
          cues.push(c);
        }
      }
      if (max === 0) return { level: 0, cues: cues.filter((c) => !c.startsWith('intensifier:')) };
      const level = Math.min(3, max + (intensifier ? 1 : 0) + (strongCats.size >= 2 ? 1 : 0)) as 1 | 2 | 3;
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
