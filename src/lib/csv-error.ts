/**
 * csv-parse's errors in Chinese, for the staff who imported the file: the line where the bad record starts and what is
 * wrong with it (引号未闭合, 列数不一致…), instead of the library's English sentence. A code this table does not know
 * is kept as it is (CSV_…) so it can still be looked up.
 */
export interface CsvErrorDescription {
  /** 1-based line of the file (the header is line 1) with the problem; undefined when not known. */
  line: number | undefined;
  /** What is wrong, in Chinese, without the line (e.g. "引号未闭合"). */
  detail: string;
}

interface CsvErrorLike {
  code?: unknown;
  message?: unknown;
  lines?: unknown;
  bytes?: unknown;
  record?: unknown;
}

const posInt = (v: unknown): number | undefined => (typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : undefined);

/** The 1-based line of `text` holding its UTF-8 byte `offset`. */
function lineAtByte(text: string, offset: number): number {
  const head = Buffer.from(text, 'utf8').subarray(0, offset).toString('utf8');
  let n = 1;
  for (const ch of head) if (ch === '\n') n++;
  return n;
}

/** Describes an error thrown by csv-parse (`text`, exactly as given to the parser, lets an unclosed quote be placed). */
export function describeCsvError(err: unknown, text?: string): CsvErrorDescription {
  const e = (err && typeof err === 'object' ? err : {}) as CsvErrorLike;
  const code = typeof e.code === 'string' ? e.code : '';
  const line = posInt(e.lines);
  const message = typeof e.message === 'string' ? e.message : '';
  switch (code) {
    case 'CSV_QUOTE_NOT_CLOSED': {
      // `lines` is the end of the file; `bytes` is where csv-parse met the opening quote (BOM included).
      const at = typeof e.bytes === 'number' && text !== undefined ? lineAtByte(text, e.bytes) : line;
      return { line: at, detail: '引号未闭合：从这一行的引号起到文件末尾都没有配对的右引号' };
    }
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE': {
      const got = /got "(.{1,8}?)"/u.exec(message)?.[1];
      return { line, detail: `右引号后${got !== undefined ? `出现了“${got}”` : '还有字符'}，应为逗号或换行；字段中的引号要写成两个（""）` };
    }
    case 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH':
    case 'CSV_RECORD_INCONSISTENT_COLUMNS': {
      const n = Array.isArray(e.record) ? e.record.length : undefined;
      return { line, detail: `列数与标题行不一致${n !== undefined ? `（这一行有 ${n} 列）` : ''}` };
    }
    case 'CSV_MAX_RECORD_SIZE':
      return { line, detail: '一条记录过长' };
    case '':
      return { line, detail: '无法解析' };
    default:
      return { line, detail: `无法解析（${code}）` };
  }
}
