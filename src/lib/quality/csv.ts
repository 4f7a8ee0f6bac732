/**
 * A small streaming CSV parser (RFC 4180 with the usual leniencies) built for speed on large files: quoted fields
 * with `""` escapes and embedded line breaks, CRLF / LF / CR line ends, blank lines skipped, a quote inside an
 * unquoted field kept literally. Records are reported as arrays of strings; shape problems (ragged rows) are the
 * caller's business. An unterminated quote at end of input is reported on the last record.
 */
export interface CsvRecordInfo {
  /** True for the last record when the input ended inside a quoted field. */
  unclosedQuote: boolean;
}

export interface CsvParser {
  /** Feeds decoded text (any chunk boundaries). */
  push(text: string): void;
  /** Signals end of input; flushes the last record. */
  end(): void;
}

const QUOTE = 34;
const CR = 13;
const LF = 10;

/** Creates a parser calling `onRecord(fields, info)` for each non-blank record, in order. */
export function createCsvParser(
  delimiter: string,
  onRecord: (fields: string[], info: CsvRecordInfo) => void,
): CsvParser {
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
    throw new RangeError(`bad CSV delimiter ${JSON.stringify(delimiter)}`);
  }
  const DELIM = delimiter.charCodeAt(0);
  const ok: CsvRecordInfo = { unclosedQuote: false };
  let carry = '';

  /**
   * Parses as many complete records of `s` as possible; returns the index where the incomplete tail starts.
   * With `final`, everything is consumed.
   */
  function parse(s: string, final: boolean): number {
    const n = s.length;
    let i = 0;
    let recStart = 0;
    let fields: string[] = [];
    while (i < n) {
      // Start of a field.
      let c = s.charCodeAt(i);
      if (c === QUOTE) {
        // Quoted field.
        let j = i + 1;
        let value = '';
        let segStart = j;
        let closed = false;
        while (j < n) {
          const q = s.indexOf('"', j);
          if (q < 0) {
            j = n;
            break;
          }
          if (q + 1 < n && s.charCodeAt(q + 1) === QUOTE) {
            value += s.slice(segStart, q + 1);
            j = q + 2;
            segStart = j;
            continue;
          }
          if (q + 1 >= n && !final) {
            // Cannot tell yet whether this quote is an escape ("") split across chunks.
            j = n;
            break;
          }
          value += s.slice(segStart, q);
          j = q + 1;
          closed = true;
          break;
        }
        if (!closed) {
          if (!final) return recStart;
          value += s.slice(segStart, n);
          fields.push(value);
          onRecord(fields, { unclosedQuote: true });
          return n;
        }
        // Anything between the closing quote and the next delimiter/line end is kept literally (lenient).
        let k = j;
        while (k < n) {
          const d = s.charCodeAt(k);
          if (d === DELIM || d === LF || d === CR) break;
          k++;
        }
        if (k > j) value += s.slice(j, k);
        fields.push(value);
        i = k;
      } else {
        // Unquoted field: up to the next delimiter or line end.
        let k = i;
        while (k < n) {
          c = s.charCodeAt(k);
          if (c === DELIM || c === LF || c === CR) break;
          k++;
        }
        fields.push(s.slice(i, k));
        i = k;
      }
      if (i >= n) {
        if (!final) return recStart;
        break;
      }
      c = s.charCodeAt(i);
      if (c === DELIM) {
        i++;
        if (i >= n) {
          if (!final) return recStart;
          fields.push('');
          break;
        }
        continue;
      }
      // Line end.
      if (c === CR) {
        if (i + 1 >= n && !final) return recStart; // maybe CRLF split across chunks
        i += i + 1 < n && s.charCodeAt(i + 1) === LF ? 2 : 1;
      } else {
        i++;
      }
      if (!(fields.length === 1 && fields[0] === '')) onRecord(fields, ok);
      fields = [];
      // Skip blank lines.
      while (i < n) {
        const d = s.charCodeAt(i);
        if (d === LF) i++;
        else if (d === CR) {
          if (i + 1 >= n && !final) break;
          i++;
        } else break;
      }
      recStart = i;
    }
    if (fields.length > 0 && !(fields.length === 1 && fields[0] === '')) onRecord(fields, ok);
    return n;
  }

  return {
    push(text) {
      const s = carry.length ? carry + text : text;
      const at = parse(s, false);
      carry = at < s.length ? s.slice(at) : '';
    },
    end() {
      if (carry.length) parse(carry, true);
      carry = '';
    },
  };
}

/**
 * Guesses the delimiter from the header line: the most frequent of `,` `\t` `;` `|` outside quotes (`,` on a tie
 * or when none occurs).
 */
export function detectDelimiter(headerLine: string): string {
  const counts = new Map<string, number>([[',', 0], ['\t', 0], [';', 0], ['|', 0]]);
  let inQuote = false;
  for (const ch of headerLine) {
    if (ch === '"') inQuote = !inQuote;
    else if (!inQuote && counts.has(ch)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  }
  let best = ',';
  let bestN = counts.get(',') ?? 0;
  for (const [d, k] of counts) if (k > bestN) [best, bestN] = [d, k];
  return best;
}
