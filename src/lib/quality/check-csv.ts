import iconv from 'iconv-lite';
import { makeCellChecker, type CellChecker, type CheckOptions } from './checks.ts';
import { checkIdBirthDate } from './consistency.ts';
import { createCsvParser, detectDelimiter } from './csv.ts';
import type { CheckKind, Finding } from './types.ts';

/** A column to check and how. */
export interface ColumnCheck {
  column: string;
  kind: CheckKind;
}

export type CsvEncoding = 'utf-8' | 'gb18030' | 'utf-16le' | 'utf-16be';

export interface CsvCheckOptions extends CheckOptions {
  columns: readonly ColumnCheck[];
  /** Pairs of columns whose birth dates must agree (ID number column, birth-date column). */
  idBirthDate?: readonly { idColumn: string; birthDateColumn: string }[];
  /** `auto` (default): BOM, else UTF-8 if the first 256 KiB are valid UTF-8, else GB18030 (a superset of GBK). */
  encoding?: 'auto' | CsvEncoding | 'gbk';
  /** Field delimiter; default: guessed from the header line (`,` `\t` `;` `|`). */
  delimiter?: string;
}

export interface CsvCheckSummary {
  /** Data rows read (the header excluded, blank lines skipped). */
  rows: number;
  findings: number;
  errors: number;
  warnings: number;
  /** Number of findings per rule. */
  byRule: Record<string, number>;
  encoding: CsvEncoding;
  /** True when a byte-order mark was present (and removed). */
  bom: boolean;
  delimiter: string;
  header: string[];
  /**
   * Bytes that were not valid in the detected encoding (decoded as U+FFFD). Non-zero with `utf-8` usually means a
   * GBK file whose first 256 KiB were plain ASCII: rerun with `encoding: 'gbk'`.
   */
  decodeErrors: number;
}

export type CsvCheckFailure = {
  ok: false;
  code: 'NOT_CSV' | 'EMPTY' | 'UNKNOWN_COLUMN' | 'BAD_OPTION';
  message: string;
};

export type CsvCheckResult = { ok: true; summary: CsvCheckSummary } | CsvCheckFailure;

const SAMPLE_BYTES = 256 * 1024;

/** Recognises files that are certainly not text CSV (spreadsheets, archives, PDFs, images). */
function sniffBinary(b: Uint8Array): string | undefined {
  const starts = (...sig: number[]): boolean => sig.every((x, i) => b[i] === x);
  if (starts(0x50, 0x4b, 0x03, 0x04)) return '这是 ZIP 压缩格式（如 Excel .xlsx），请另存为 CSV';
  if (starts(0xd0, 0xcf, 0x11, 0xe0)) return '这是旧版 Office 文件（如 Excel .xls），请另存为 CSV';
  if (starts(0x25, 0x50, 0x44, 0x46)) return '这是 PDF 文件';
  if (starts(0x89, 0x50, 0x4e, 0x47) || starts(0xff, 0xd8, 0xff)) return '这是图片文件';
  if (starts(0x1f, 0x8b)) return '这是 gzip 压缩文件，请先解压';
  let control = 0;
  const n = Math.min(b.length, 65536);
  for (let i = 0; i < n; i++) {
    const c = b[i] ?? 0;
    if (c < 9 || (c > 13 && c < 32 && c !== 27)) control++;
  }
  if (n > 0 && control / n > 0.01) return '文件含大量二进制控制字符，不是文本 CSV';
  return undefined;
}

/** Picks the encoding of a sample: BOM first, then strict UTF-8, else GB18030. Also returns the BOM length. */
export function detectEncoding(sample: Uint8Array, final: boolean): { encoding: CsvEncoding; bomLength: number } {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return { encoding: 'utf-8', bomLength: 3 };
  if (sample[0] === 0xff && sample[1] === 0xfe) return { encoding: 'utf-16le', bomLength: 2 };
  if (sample[0] === 0xfe && sample[1] === 0xff) return { encoding: 'utf-16be', bomLength: 2 };
  // Cut an incomplete multi-byte sequence at the end of a partial sample.
  let end = sample.length;
  if (!final) {
    let k = end - 1;
    let back = 0;
    while (k >= 0 && back < 4 && ((sample[k] ?? 0) & 0xc0) === 0x80) {
      k--;
      back++;
    }
    if (k >= 0 && (sample[k] ?? 0) >= 0xc0) end = k;
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(sample.subarray(0, end));
    return { encoding: 'utf-8', bomLength: 0 };
  } catch {
    return { encoding: 'gb18030', bomLength: 0 };
  }
}

interface Decoder {
  write(b: Uint8Array): string;
  end(): string;
}

function makeDecoder(encoding: CsvEncoding): Decoder {
  if (encoding === 'utf-8') {
    const td = new TextDecoder('utf-8');
    return { write: (b) => td.decode(b, { stream: true }), end: () => td.decode() };
  }
  const d = iconv.getDecoder(encoding === 'utf-16be' ? 'utf-16be' : encoding === 'utf-16le' ? 'utf-16le' : 'gb18030');
  return { write: (b) => d.write(Buffer.from(b.buffer, b.byteOffset, b.byteLength)), end: () => d.end() ?? '' };
}

/**
 * Streams a CSV file (bytes) through the column checks and reports findings in batches, in row order. The first
 * non-blank record is the header. Ragged rows (`csv.RAGGED_ROW`) and an unterminated quote (`csv.UNCLOSED_QUOTE`)
 * are findings, not failures; missing cells of a short row are checked as empty. Files that are not readable as CSV
 * (binary, empty, requested column missing) return a failure value before any finding is emitted.
 * `onFindings` may return a promise (e.g. to wait for an output stream to drain).
 */
export async function checkCsv(
  source: AsyncIterable<Uint8Array>,
  options: CsvCheckOptions,
  onFindings: (batch: Finding[]) => void | Promise<void>,
): Promise<CsvCheckResult> {
  if (options.columns.length === 0 && !options.idBirthDate?.length) {
    return { ok: false, code: 'BAD_OPTION', message: '没有指定要检查的列' };
  }
  if (options.delimiter !== undefined && options.delimiter.length !== 1) {
    return { ok: false, code: 'BAD_OPTION', message: `分隔符应为单个字符：${JSON.stringify(options.delimiter)}` };
  }
  const checkers: { column: string; kind: CheckKind; check: CellChecker; index: number }[] = [];
  for (const c of options.columns) checkers.push({ ...c, check: makeCellChecker(c.kind, options), index: -1 });
  const pairs = (options.idBirthDate ?? []).map((p) => ({ ...p, idIndex: -1, birthIndex: -1 }));

  let header: string[] | undefined;
  let delimiter = options.delimiter;
  let rows = 0;
  let errors = 0;
  let warnings = 0;
  const byRule: Record<string, number> = {};
  let batch: Finding[] = [];
  let failure: CsvCheckFailure | undefined;

  const add = (f: Finding): void => {
    batch.push(f);
    if (f.severity === 'error') errors++;
    else warnings++;
    byRule[f.rule] = (byRule[f.rule] ?? 0) + 1;
  };

  const onRecord = (fields: string[], info: { unclosedQuote: boolean }): void => {
    if (failure) return;
    if (!header) {
      header = fields.map((h, i) => (i === 0 ? h.replace(/^\uFEFF/, '') : h).trim());
      const missing: string[] = [];
      const indexOf = (name: string): number => {
        const i = header?.indexOf(name) ?? -1;
        if (i < 0) missing.push(name);
        return i;
      };
      for (const c of checkers) c.index = indexOf(c.column);
      for (const p of pairs) {
        p.idIndex = indexOf(p.idColumn);
        p.birthIndex = indexOf(p.birthDateColumn);
      }
      if (missing.length) {
        failure = {
          ok: false,
          code: 'UNKNOWN_COLUMN',
          message: `表头中没有列 ${[...new Set(missing)].map((m) => `“${m}”`).join('、')}；现有列：${header.join(', ')}`,
        };
      }
      return;
    }
    rows++;
    const row = rows;
    const width = header.length;
    if (fields.length !== width) {
      add({
        row,
        column: '',
        rule: 'csv.RAGGED_ROW',
        severity: 'error',
        message: `该行有 ${fields.length} 个字段，表头有 ${width} 个${fields.length < width ? '（缺少的单元格按空值检查）' : ''}`,
      });
    }
    if (info.unclosedQuote) {
      add({ row, column: '', rule: 'csv.UNCLOSED_QUOTE', severity: 'error', message: '引号未闭合：文件在带引号的字段中结束' });
    }
    for (let k = 0; k < checkers.length; k++) {
      const c = checkers[k];
      if (!c) continue;
      const f = c.check(fields[c.index] ?? '');
      if (f) add({ row, column: c.column, ...f });
    }
    for (const p of pairs) {
      const f = checkIdBirthDate(fields[p.idIndex] ?? '', fields[p.birthIndex] ?? '', options.today);
      if (f) add({ row, column: p.birthDateColumn, ...f });
    }
  };

  let parser: ReturnType<typeof createCsvParser> | undefined;
  let decoder: Decoder | undefined;
  let encoding: CsvEncoding = 'utf-8';
  let bom = false;
  let pendingText = '';
  let sample: Uint8Array[] = [];
  let sampleLength = 0;

  let decodeErrors = 0;
  const feedText = (text: string): void => {
    if (text.indexOf('\uFFFD') >= 0) for (const ch of text) if (ch === '\uFFFD') decodeErrors++;
    if (!parser) {
      pendingText += text;
      if (delimiter === undefined) {
        const nl = pendingText.search(/[\r\n]/);
        if (nl < 0) return; // need the whole header line first
        delimiter = detectDelimiter(pendingText.slice(0, nl));
      }
      parser = createCsvParser(delimiter, onRecord);
      text = pendingText;
      pendingText = '';
    }
    parser.push(text);
  };

  const start = (final: boolean): CsvCheckFailure | undefined => {
    const all = new Uint8Array(sampleLength);
    let o = 0;
    for (const s of sample) {
      all.set(s, o);
      o += s.length;
    }
    sample = [];
    if (all.length === 0) return { ok: false, code: 'EMPTY', message: '文件为空' };
    const det = detectEncoding(all, final);
    const binary = det.bomLength === 0 || det.encoding === 'utf-8' ? sniffBinary(all) : undefined;
    if (binary) return { ok: false, code: 'NOT_CSV', message: `不是 CSV 文件：${binary}` };
    const forced = options.encoding && options.encoding !== 'auto' ? (options.encoding === 'gbk' ? 'gb18030' : options.encoding) : undefined;
    encoding = forced ?? det.encoding;
    bom = det.bomLength > 0;
    decoder = makeDecoder(encoding);
    feedText(decoder.write(all.subarray(det.bomLength)));
    return undefined;
  };

  for await (const chunk of source) {
    if (!decoder) {
      sample.push(chunk);
      sampleLength += chunk.length;
      if (sampleLength < SAMPLE_BYTES) continue;
      const f = start(false);
      if (f) failure = f;
    } else {
      feedText(decoder.write(chunk));
    }
    if (failure) return failure;
    if (batch.length) {
      const out = batch;
      batch = [];
      await onFindings(out);
    }
  }
  if (!decoder) {
    const f = start(true);
    if (f) failure = f;
  }
  if (failure) return failure;
  feedText((decoder as Decoder | undefined)?.end() ?? '');
  if (!parser && pendingText.length) {
    delimiter ??= detectDelimiter(pendingText);
    parser = createCsvParser(delimiter, onRecord);
    parser.push(pendingText);
  }
  parser?.end();
  if (failure) return failure;
  if (!header) return { ok: false, code: 'EMPTY', message: '文件没有表头行' };
  if (batch.length) await onFindings(batch);
  return {
    ok: true,
    summary: {
      rows,
      findings: errors + warnings,
      errors,
      warnings,
      byRule,
      encoding,
      bom,
      delimiter: delimiter ?? ',',
      header,
      decodeErrors,
    },
  };
}
