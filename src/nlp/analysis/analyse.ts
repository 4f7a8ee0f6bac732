/**
 * Per-item analysis for public-opinion monitoring: sentiment, keywords, places, organisations, urgency.
 * One jieba segmentation per item is shared by the sentiment model and the keyword extractor.
 */
import { normaliseText } from '../sentiment/features.ts';
import {
  loadSentimentModel,
  SentimentModel,
  type Sentiment,
  type SentimentDomain,
} from '../sentiment/model.ts';
import { extractKeywords, getIdfTable, type IdfTable } from './keywords.ts';
import { extractOrganisations } from './organisations.ts';
import { extractPlaces, type Place } from './places.ts';
import { compileUrgency, DEFAULT_URGENCY_LEXICON, type Urgency, type UrgencyLexicon, type UrgencyMatcher } from './urgency.ts';

/** An item to analyse: a message, comment or post. */
export interface AnalysisInput {
  title?: string;
  text: string;
}

/** The analysis of one item. */
export interface ItemAnalysis {
  sentiment: Sentiment;
  keywords: string[];
  places: Place[];
  organisations: string[];
  urgency: Urgency;
}

/** Options of an analyser. */
export interface AnalyserOptions {
  /** Sentiment domain; 'government' (default) reads questions and requests as neutral. */
  domain?: SentimentDomain;
  /** Number of keywords (default 8). */
  keywords?: number;
  /** Urgency lexicon (default: `lexicon/urgency.json`). */
  urgencyLexicon?: UrgencyLexicon;
  /** A loaded sentiment model (default: the committed artefact). */
  model?: SentimentModel;
}

/** A ready analyser: models and tables loaded once. */
export interface Analyser {
  analyse(item: AnalysisInput): ItemAnalysis;
  analyseBatch(items: readonly AnalysisInput[]): ItemAnalysis[];
}

class DefaultAnalyser implements Analyser {
  constructor(
    private readonly model: SentimentModel,
    private readonly idf: IdfTable,
    private readonly urgency: UrgencyMatcher,
    private readonly domain: SentimentDomain,
    private readonly k: number,
  ) {}

  analyse(item: AnalysisInput): ItemAnalysis {
    const full = item.title ? `${item.title}。${item.text}` : item.text;
    const norm = normaliseText(full);
    const words = this.model.segment(norm) ?? [];
    const opts = { domain: this.domain };
    const sentiment = this.model.toSentiment(this.model.positiveFromNormalised(norm, words, opts), opts);
    return {
      sentiment,
      keywords: extractKeywords(words, this.k, this.idf),
      places: extractPlaces(full),
      organisations: extractOrganisations(full),
      urgency: this.urgency.match(full),
    };
  }

  analyseBatch(items: readonly AnalysisInput[]): ItemAnalysis[] {
    return items.map((i) => this.analyse(i));
  }
}

/** Builds an analyser. Fails (as a value) only when the sentiment model cannot be loaded. */
export function createAnalyser(opts: AnalyserOptions = {}): { ok: true; analyser: Analyser } | { ok: false; error: string } {
  let model = opts.model;
  if (!model) {
    const r = loadSentimentModel();
    if (!r.ok) return r;
    model = r.model;
  }
  return {
    ok: true,
    analyser: new DefaultAnalyser(
      model,
      getIdfTable(),
      compileUrgency(opts.urgencyLexicon ?? DEFAULT_URGENCY_LEXICON),
      opts.domain ?? 'government',
      opts.keywords ?? 8,
    ),
  };
}

let defaultAnalyser: Analyser | undefined;

/**
 * Analyses one item with the default analyser (committed model, government domain). Throws only if the committed
 * model artefact is missing or corrupt, which is a broken installation; use `createAnalyser` to handle that as a value.
 */
export function analyseItem(item: AnalysisInput): ItemAnalysis {
  if (!defaultAnalyser) {
    const r = createAnalyser();
    if (!r.ok) throw new Error(`sentiment model: ${r.error}`);
    defaultAnalyser = r.analyser;
  }
  return defaultAnalyser.analyse(item);
}

/** Analyses many items in order with the default analyser. */
export function analyseItems(items: readonly AnalysisInput[]): ItemAnalysis[] {
  return items.map(analyseItem);
}
