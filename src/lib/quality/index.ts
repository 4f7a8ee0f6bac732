/** Data-quality checks for Chinese administrative data (issue 7 item 5). */
export { makeCellChecker, isCheckKind, parseLooseDate } from './checks.ts';
export type { CheckOptions, CellChecker } from './checks.ts';
export { checkCsv, detectEncoding } from './check-csv.ts';
export type { ColumnCheck, CsvCheckOptions, CsvCheckSummary, CsvCheckResult, CsvCheckFailure, CsvEncoding } from './check-csv.ts';
export { checkIdBirthDate, checkIdSex } from './consistency.ts';
export { createCsvParser, detectDelimiter } from './csv.ts';
export { CHECK_KINDS } from './types.ts';
export type { Finding, CellFinding, CheckKind } from './types.ts';
export { findDuplicates, clusterPairs, editDistance } from './duplicates.ts';
export type { PersonColumns, DuplicateOptions, DuplicatePair, DuplicateReport } from './duplicates.ts';
export { findConflicts } from './conflicts.ts';
export type { ConflictField, ConflictOptions, Conflict, ConflictReport } from './conflicts.ts';
export { canonicalName, canonicalValue } from './normalize-values.ts';
export type { CompareKind } from './normalize-values.ts';
