/** Shared result types of the Chinese identifier checkers. Expected failures are values, never exceptions. */

/** A problem that does not make the value invalid but should be repaired (e.g. a lower-case `x`). */
export interface CheckWarning {
  /** Stable machine code, e.g. `LOWERCASE_X`, `FULL_WIDTH`, `WHITESPACE`. */
  code: string;
  /** Human message in Chinese. */
  message: string;
  /** The repaired value, when the repair is safe (changes nothing but the form). */
  suggestion?: string;
}

/** A failed check. */
export interface CheckFailure {
  ok: false;
  /** Stable machine code, e.g. `BAD_CHECKSUM`. */
  code: string;
  /** Human message in Chinese. */
  message: string;
  /** A repaired or upgraded value, only when it is safe to propose. */
  suggestion?: string;
}
