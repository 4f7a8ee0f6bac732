/**
 * Bulk import of historic messages: CSV or XLSX with the TipDM columns (留言编号, 留言用户, 留言主题, 留言时间,
 * 留言详情) and JSON Lines in the layout of the hot-issue data (message_id, user_id, title, time, detail). Parsing
 * only (buffers in, rows out); a bad row is reported with its row number and the good rows are kept.
 */
import { plausibleInstant } from '../../lib/calendar/date.ts';
import { parse as parseCsv } from 'csv-parse/sync';
import { describeCsvError } from '../../lib/csv-error.ts';
import { decodeTextFile } from '../../lib/text/decodeTextFile.ts';
import type { MessageType } from './messages.types.ts';

/** One importable row. `row` is the 1-based line/row number in the file (the CSV/XLSX header is row 1). */
export interface ImportRow {
  row: number;
  externalId: string | null;
  submittedAt?: Date;
  data: { type: MessageType; title: string; content: string };
}

export interface RowError {
  row: number;
  message: string;
}

export interface ParsedImport {
  rows: ImportRow[];
  errors: RowError[];
}

export type ImportFormat = 'csv' | 'xlsx' | 'jsonl';

/** The format of a file from its name (undefined when unknown). */
export function formatOf(name: string): ImportFormat | undefined {
  const n = name.toLowerCase().replace(/\.gz$/, '');
  if (n.endsWith('.csv')) return 'csv';
  if (n.endsWith('.xlsx')) return 'xlsx';
  if (n.endsWith('.jsonl') || n.endsWith('.ndjson') || n.endsWith('.json')) return 'jsonl';
  return undefined;
}

const COLUMNS = {
  id: ['留言编号', 'message_id', 'id'],
  user: ['留言用户', 'user_id'],
  title: ['留言主题', 'title'],
  time: ['留言时间', 'time'],
  detail: ['留言详情', 'detail', 'content'],
  type: ['留言类型', 'type'],
};

/** Guesses the message type from the title (historic data has none). */
export function guessType(title: string): MessageType {
  if (/举报/.test(title)) return '举报';
  if (/投诉|反映|乱象|扰民|违规|违法|拖欠/.test(title)) return '投诉';
  if (/建议|希望|恳请|呼吁/.test(title)) return '建议';
  if (/求助|救助|帮助|帮忙/.test(title)) return '求助';
  return '咨询';
}

/** Parses "2019/2/28 11:25:05", "2019-02-28 11:25", ISO strings or Excel dates as China time. */
export function parseMessageTime(v: unknown): Date | null | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (v instanceof Date) return plausibleInstant(v) ?? null;
  const s = String(v).trim();
  const m = /^(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(s);
  if (m) {
    const [y, mo, d, h, mi, se] = [m[1], m[2], m[3], m[4] ?? '0', m[5] ?? '0', m[6] ?? '0'].map(Number) as number[];
    if (mo! < 1 || mo! > 12 || d! < 1 || d! > 31 || h! > 23 || mi! > 59 || se! > 59) return null;
    return plausibleInstant(new Date(Date.UTC(y!, mo! - 1, d!, h! - 8, mi!, se!))) ?? null;
  }
  const t = Date.parse(s);
  return Number.isNaN(t) ? null : plausibleInstant(new Date(t)) ?? null;
}

const clean = (s: unknown): string => (s === undefined || s === null ? '' : String(typeof s === 'object' && s && 'text' in s ? (s as { text: unknown }).text : s)).replace(/[\r\n\t]+/g, '\n').replace(/\n{2,}/g, '\n').trim();

function pick(rec: Record<string, unknown>, names: readonly string[]): unknown {
  for (const n of names) if (rec[n] !== undefined) return rec[n];
  return undefined;
}

function toRow(row: number, rec: Record<string, unknown>): ImportRow | RowError {
  const title = clean(pick(rec, COLUMNS.title)).replace(/\s+/g, ' ');
  const content = clean(pick(rec, COLUMNS.detail));
  if (!title && !content) return { row, message: '留言主题和留言详情都为空' };
  if (!content) return { row, message: '留言详情为空' };
  const time = parseMessageTime(pick(rec, COLUMNS.time));
  if (time === null) return { row, message: `留言时间无法识别：${String(pick(rec, COLUMNS.time))}` };
  const idRaw = pick(rec, COLUMNS.id);
  const typeIn = clean(pick(rec, COLUMNS.type));
  const t = title || content.slice(0, 40);
  return {
    row,
    externalId: idRaw === undefined || idRaw === null || String(idRaw).trim() === '' ? null : String(idRaw).trim(),
    ...(time ? { submittedAt: time } : {}),
    data: { type: (['咨询', '求助', '投诉', '建议', '举报'] as const).find((x) => x === typeIn) ?? guessType(t), title: t.slice(0, 200), content },
  };
}

function collect(items: Iterable<{ row: number; rec: Record<string, unknown> | RowError }>): ParsedImport {
  const out: ParsedImport = { rows: [], errors: [] };
  for (const { row, rec } of items) {
    if ('message' in rec && typeof rec.message === 'string' && 'row' in rec) {
      out.errors.push(rec as RowError);
      continue;
    }
    const r = toRow(row, rec as Record<string, unknown>);
    if ('message' in r) out.errors.push(r);
    else out.rows.push(r);
  }
  return out;
}

/** Parses JSON Lines (hot-issue layout); line numbers are 1-based. */
export function parseJsonLines(text: string): ParsedImport {
  const items: { row: number; rec: Record<string, unknown> | RowError }[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line) continue;
    try {
      const v = JSON.parse(line) as unknown;
      if (!v || typeof v !== 'object' || Array.isArray(v)) items.push({ row: i + 1, rec: { row: i + 1, message: '不是 JSON 对象' } });
      else items.push({ row: i + 1, rec: v as Record<string, unknown> });
    } catch {
      items.push({ row: i + 1, rec: { row: i + 1, message: 'JSON 格式错误' } });
    }
  }
  return collect(items);
}

const readCsv = (text: string): Record<string, unknown>[] =>
  parseCsv(text, { columns: (h: string[]) => h.map((x) => x.trim()), bom: true, relax_column_count: true, skip_empty_lines: true, relax_quotes: true, info: false }) as Record<string, unknown>[];

/**
 * Parses CSV with a header row (TipDM columns); row numbers count the header as row 1. A malformed line (an
 * unclosed quote swallows the rest of the file) is one bad row at the line csv-parse names; the rows before it and
 * the rows after it (read again from the next line, under the same header) are kept, as for any other bad row.
 */
export function parseCsvText(text: string): ParsedImport {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = lines[0] ?? '';
  const out: ParsedImport = { rows: [], errors: [] };
  // `first` is the file line (1-based) of the first data line of `chunk`; each pass reads up to the next bad line.
  let first = 2;
  let chunk = lines.slice(1);
  for (;;) {
    const body = [header, ...chunk].join('\n');
    try {
      const r = collect(readCsv(body).map((rec, i) => ({ row: i + first, rec })));
      out.rows.push(...r.rows);
      out.errors.push(...r.errors);
      return out;
    } catch (err) {
      const { line, detail } = describeCsvError(err, body);
      if (line === undefined || line < 2 || line > chunk.length + 1) {
        out.errors.push({ row: line === undefined ? 0 : line + first - 2, message: `CSV 格式有误（${detail}）` });
        return out;
      }
      // The good rows before the bad line, then the bad line as one row, then go on after it.
      const before = collect(readCsvSafe([header, ...chunk.slice(0, line - 2)].join('\n')).map((rec, i) => ({ row: i + first, rec })));
      out.rows.push(...before.rows);
      out.errors.push(...before.errors, { row: line + first - 2, message: `CSV 格式有误（${detail}）` });
      first += line - 1;
      chunk = chunk.slice(line - 1);
      if (!chunk.some((l) => l.trim() !== '')) return out;
    }
  }
}

/** The records of a CSV text known to end before its first malformed line (none if it still fails). */
function readCsvSafe(text: string): Record<string, unknown>[] {
  try {
    return readCsv(text);
  } catch {
    return [];
  }
}

/** The file is not a readable workbook (exceljs/JSZip say why in English: "Corrupted zip ?"; it does not help). */
export const XLSX_UNREADABLE = 'XLSX 文件无法读取（文件已损坏，或不是 .xlsx 格式；旧版 .xls 请另存为 .xlsx）';

/** Parses the first worksheet of an XLSX workbook (header in row 1). */
export async function parseXlsx(buf: Uint8Array): Promise<ParsedImport> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(Buffer.from(buf) as unknown as ArrayBuffer);
  } catch {
    return { rows: [], errors: [{ row: 0, message: XLSX_UNREADABLE }] };
  }
  const ws = wb.worksheets[0];
  if (!ws) return { rows: [], errors: [{ row: 0, message: 'XLSX 没有工作表' }] };
  const header: string[] = [];
  ws.getRow(1).eachCell({ includeEmpty: true }, (cell, col) => {
    header[col] = String(cell.text ?? '').trim();
  });
  const items: { row: number; rec: Record<string, unknown> }[] = [];
  ws.eachRow({ includeEmpty: false }, (r, n) => {
    if (n === 1) return;
    const rec: Record<string, unknown> = {};
    r.eachCell({ includeEmpty: false }, (cell, col) => {
      const h = header[col];
      if (!h) return;
      const v = cell.value;
      // Excel keeps wall-clock times without a zone: read them as China time.
      rec[h] = v instanceof Date ? new Date(v.getTime() - 8 * 3600_000) : v !== null && typeof v === 'object' ? cell.text : v;
    });
    items.push({ row: n, rec });
  });
  return collect(items);
}

/** Parses a file's bytes in the given format. */
export async function parseImport(buf: Uint8Array, format: ImportFormat): Promise<ParsedImport> {
  if (format === 'xlsx') return parseXlsx(buf);
  const text = decodeTextFile(buf);
  return format === 'csv' ? parseCsvText(text) : parseJsonLines(text);
}
