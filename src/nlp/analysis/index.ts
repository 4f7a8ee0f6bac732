/** Per-item analysis for public-opinion monitoring (issue 6, item 2). */
export { analyseItem, analyseItems, createAnalyser } from './analyse.ts';
export type { AnalysisInput, Analyser, AnalyserOptions, ItemAnalysis } from './analyse.ts';
export { extractPlaces, type Place } from './places.ts';
export { extractOrganisations } from './organisations.ts';
export { extractKeywords, getIdfTable, KEYWORD_STOP_WORDS, type IdfTable } from './keywords.ts';
export { compileUrgency, detectUrgency, DEFAULT_URGENCY_LEXICON } from './urgency.ts';
export type { Urgency, UrgencyCategory, UrgencyLexicon, UrgencyMatcher } from './urgency.ts';
export { createAnalyserPool, type AnalyserPool } from './pool.ts';
