/**
 * Hot issues (热点问题): incremental place-aware clustering of citizen messages into issues, heat index, burst
 * warnings. See docs/hot-issues.md.
 */
export {
  clusterItems,
  DEFAULT_OPTIONS,
  HotIssueIndex,
  type AddError,
  type AddResult,
  type ClusterOptions,
  type HotIssue,
  type HotIssueItem,
  type Representative,
  type SentimentFn,
} from './cluster.ts';
export {
  DEFAULT_BURST_OPTIONS,
  detectBursts,
  coveredBy,
  LEVELS,
  levelFor,
  newBurstState,
  placeBaseline,
  updateBursts,
  type BurstOptions,
  type BurstState,
  type BurstWarning,
  type DailySeries,
  type WarningLevel,
} from './burst.ts';
export { heatIndex, type HeatInputs } from './heat.ts';
export { extractPlaces, placeKey, placeKind, samePlace, type PlaceMentions } from './places.ts';
export { parseMessageLine, parseMessages, toItem, type ParseResult } from './data.ts';
export { scoreAgainstGold, type GoldIssue, type GoldScores } from './evaluate.ts';
export { formatIssueTable, issueToJson } from './report.ts';
