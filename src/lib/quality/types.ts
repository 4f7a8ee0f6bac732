/** One data-quality finding about a cell (or a row, for shape problems). */
export interface Finding {
  /** 1-based data row (the first row after the header is 1). */
  row: number;
  /** Column name from the header ('' for row-level findings such as ragged rows). */
  column: string;
  /** Stable rule id, `<kind>.<CODE>`, e.g. `cn-id.BAD_CHECKSUM`, `csv.RAGGED_ROW`. */
  rule: string;
  severity: 'error' | 'warning';
  /** Human message in Chinese. */
  message: string;
  /** The repaired value, only when a safe repair exists (full-width digits, stray spaces, `x`→`X`, date format …). */
  suggestion?: string;
}

/** A finding before it is placed in a row and column. */
export type CellFinding = Omit<Finding, 'row' | 'column'>;

/** The kinds of column check the CLI offers. */
export const CHECK_KINDS = ['cn-id', 'cn-uscc', 'cn-mobile', 'date', 'region-code', 'required', 'email', 'cn-orgcode', 'past-date'] as const;

/** A column check: one of `CHECK_KINDS`, or `range:MIN..MAX` (numbers; either bound may be omitted). */
export type CheckKind = (typeof CHECK_KINDS)[number] | `range:${string}`;
