/**
 * Pure helpers of public-opinion monitoring: text fingerprints (exact hash and SimHash for near-duplicates), times
 * in the layout of hot-issue-messages, webhook signatures, RSS/Atom parsing and CSV/XLSX/JSONL import parsing.
 * No I/O; expected failures are values.
 */
import { plausibleInstant } from '../../lib/calendar/date.ts';
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { parse as parseCsv } from 'csv-parse/sync';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describeCsvError } from '../../lib/csv-error.ts';
import { toItem } from '../../nlp/hotissues/index.ts';

/** An item as a source delivers it, before analysis. */
export interface RawItem {
  externalId: string;
  title: string;
  text: string;
  author?: string | null;
  publishedAt: Date;
  likes?: number;
  dislikes?: number;
  url?: string | null;
}

/** Folds a text for fingerprints: NFKC, lower case, only letters and digits (CJK kept). */
export function normaliseForHash(title: string, text: string): string {
  return `${title}${text}`.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

/** SHA-256 (hex) of the folded title and text: equal for the same post from two sources. */
export function textHash(title: string, text: string): string {
  return createHash('sha256').update(normaliseForHash(title, text)).digest('hex');
}

function fnv32(s: string, seed: number): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * 64-bit SimHash of the character trigrams of the folded text, as 16 hex digits. Texts that differ by a few
 * characters differ in a few bits; {@link hamming} ≤ {@link NEAR_DUPLICATE_BITS} reads as a near-duplicate.
 */
export function simHash(title: string, text: string): string {
  const s = normaliseForHash(title, text);
  const acc = new Int32Array(64);
  const n = Math.max(1, s.length - 2);
  for (let i = 0; i < n; i++) {
    const g = s.slice(i, i + 3);
    const hi = fnv32(g, 0x811c9dc5);
    const lo = fnv32(g, 0x01234567);
    for (let b = 0; b < 32; b++) {
      acc[b]! += (hi >>> b) & 1 ? 1 : -1;
      acc[32 + b]! += (lo >>> b) & 1 ? 1 : -1;
    }
  }
  let hi = 0;
  let lo = 0;
  for (let b = 0; b < 32; b++) {
    if (acc[b]! > 0) hi |= 1 << b;
    if (acc[32 + b]! > 0) lo |= 1 << b;
  }
  return (hi >>> 0).toString(16).padStart(8, '0') + (lo >>> 0).toString(16).padStart(8, '0');
}

/** Number of differing bits between two SimHashes. */
export function hamming(a: string, b: string): number {
  let d = 0;
  for (let i = 0; i < 16; i += 8) {
    let x = (parseInt(a.slice(i, i + 8), 16) ^ parseInt(b.slice(i, i + 8), 16)) >>> 0;
    while (x) {
      x &= x - 1;
      d++;
    }
  }
  return d;
}

/** SimHash distance (bits of 64) read as "nearly the same text" (kept for reference; MinHash decides). */
export const NEAR_DUPLICATE_BITS = 3;

/** MinHash signature length and LSH banding (10 bands of 2 rows). */
export const MINHASH_SIZE = 20;
const BAND_ROWS = 2;
/** Estimated trigram Jaccard similarity at or above which two texts are near-duplicates. */
export const NEAR_DUPLICATE_JACCARD = 0.6;

/** MinHash signature of the character trigrams of the folded text (MINHASH_SIZE × 8 hex digits). */
export function minHash(title: string, text: string): string {
  const s = normaliseForHash(title, text);
  const mins = new Array<number>(MINHASH_SIZE).fill(0xffffffff);
  const seen = new Set<string>();
  const n = Math.max(1, s.length - 2);
  for (let i = 0; i < n; i++) {
    const g = s.slice(i, i + 3);
    if (seen.has(g)) continue;
    seen.add(g);
    const h1 = fnv32(g, 0x811c9dc5);
    const h2 = fnv32(g, 0x9747b28c) | 1;
    for (let k = 0; k < MINHASH_SIZE; k++) {
      const h = (h1 + Math.imul(k + 1, h2)) >>> 0;
      if (h < mins[k]!) mins[k] = h;
    }
  }
  return mins.map((m) => m.toString(16).padStart(8, '0')).join('');
}

/** The LSH band keys of a MinHash signature (`band:hex`); near-duplicates share at least one with high probability. */
export function minHashBands(sig: string): string[] {
  const out: string[] = [];
  for (let b = 0; b < MINHASH_SIZE / BAND_ROWS; b++) out.push(`${b}:${sig.slice(b * BAND_ROWS * 8, (b + 1) * BAND_ROWS * 8)}`);
  return out;
}

/** Estimated Jaccard similarity of two MinHash signatures (share of equal positions). */
export function minHashSimilarity(a: string, b: string): number {
  let eq = 0;
  for (let k = 0; k < MINHASH_SIZE; k++) if (a.slice(k * 8, k * 8 + 8) === b.slice(k * 8, k * 8 + 8)) eq++;
  return eq / MINHASH_SIZE;
}
/** Texts shorter than this (folded) are only matched exactly. */
export const NEAR_DUPLICATE_MIN_CHARS = 30;

/** The four 16-bit bands (4 hex digits each) of a SimHash. */
export function bands(sim: string): [string, string, string, string] {
  return [sim.slice(0, 4), sim.slice(4, 8), sim.slice(8, 12), sim.slice(12, 16)];
}

/** Parses a time: the data's "YYYY/M/D H:MM:SS" (China time, UTC+8), ISO 8601, RFC 822 (RSS) or epoch ms. */
export function parseTime(v: unknown): Date | null {
  // Times outside 1900–2199 (epoch ms of ±8.64e15, a year -271821) are unreadable too: the database would refuse some.
  if (v instanceof Date) return plausibleInstant(v) ?? null;
  if (typeof v === 'number') return Number.isFinite(v) ? plausibleInstant(new Date(v)) ?? null : null;
  if (typeof v !== 'string' || !v.trim()) return null;
  const s = v.trim();
  const m = /^(\d{4})[/-](\d{1,2})[/-](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(s);
  if (m) {
    const [y, mo, d, h, mi, se] = [m[1], m[2], m[3], m[4] ?? '0', m[5] ?? '0', m[6] ?? '0'].map(Number) as number[];
    const t = Date.UTC(y!, mo! - 1, d!, h! - 8, mi!, se!);
    const check = new Date(t + 8 * 3600_000);
    if (check.getUTCMonth() !== mo! - 1 || check.getUTCDate() !== d!) return null;
    return plausibleInstant(new Date(t)) ?? null;
  }
  const t = Date.parse(s);
  return Number.isNaN(t) ? null : plausibleInstant(new Date(t)) ?? null;
}

/** China date (YYYY-MM-DD) of an instant. */
export function chinaDay(d: Date): string {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/** Pseudonymous author key: HMAC-SHA256 of the author handle under the platform's secret, 16 hex digits. */
export function authorHash(secret: string, author: string | null | undefined): string | null {
  if (author === null || author === undefined || String(author).trim() === '') return null;
  return createHmac('sha256', secret).update(String(author).trim()).digest('hex').slice(0, 16);
}

/** Checks `sha256=<hex>` (or bare hex) against HMAC-SHA256 of the raw body, in constant time. */
export function verifySignature(secret: string, rawBody: string | Buffer, header: string | undefined): boolean {
  const m = /^(?:sha256=)?([0-9a-f]{64})$/i.exec(header?.trim() ?? '');
  if (!m) return false;
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  return timingSafeEqual(Buffer.from(m[1]!, 'hex'), expected);
}

/** Signs a body as the webhook expects it: `sha256=<hex>`. */
export function signBody(secret: string, rawBody: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}

const stripTags = (s: string) => s.replace(/<[^>]*>/g, ' ').replace(/&nbsp;/g, ' ').replace(/\s+/g, ' ').trim();
const textOf = (v: unknown): string => {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string' || typeof v === 'number') return String(v);
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if ('#text' in o) return textOf(o['#text']);
  }
  return '';
};
const arr = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/**
 * The longest post text (characters) any source may bring: a longer webhook post is 413 BODY_TOO_LARGE, a longer
 * import row a row error, a longer feed item skipped and counted. Nothing is cut short without a word.
 */
export const MAX_POST_CHARS = 20_000;

export type FeedResult = { ok: true; items: RawItem[]; skipped: number; tooLong: number } | { ok: false; code: 'FEED_MALFORMED' | 'FEED_UNKNOWN_FORMAT'; message: string };

/** fast-xml-parser's validator codes in Chinese (its English `msg`, which names the tag, is kept after them). */
const XML_ERROR_ZH: Record<string, string> = {
  InvalidXml: 'XML 结构错误',
  InvalidTag: '标签错误',
  InvalidAttr: '属性错误',
  InvalidChar: '非法字符',
};
const XML_ERROR_EN: Record<string, string> = {
  InvalidXml: 'invalid structure',
  InvalidTag: 'invalid tag',
  InvalidAttr: 'invalid attribute',
  InvalidChar: 'invalid character',
};

/**
 * Parses an RSS 2.0 or Atom document into items (entries without a usable id or time are skipped and counted). A
 * failure's message is Chinese for the staff who manage the source (第 3 行：XML 格式有误（标签错误：…）).
 */
export function parseFeed(xml: string, now: Date = new Date()): FeedResult {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    const { code, line, msg } = valid.err;
    return { ok: false, code: 'FEED_MALFORMED', message: `第 ${line} 行：XML 格式有误（${XML_ERROR_ZH[code] ?? code}：${msg}）` };
  }
  let doc: Record<string, unknown>;
  try {
    doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', processEntities: true }).parse(xml) as Record<string, unknown>;
  } catch (err) {
    return { ok: false, code: 'FEED_MALFORMED', message: `XML 无法解析（${(err as Error).message}）` };
  }
  const items: RawItem[] = [];
  let skipped = 0;
  let tooLong = 0;
  const rss = doc.rss as { channel?: { item?: unknown } } | undefined;
  const feed = doc.feed as { entry?: unknown } | undefined;
  if (rss?.channel) {
    for (const it of arr(rss.channel.item) as Record<string, unknown>[]) {
      const link = textOf(it.link);
      const id = textOf(it.guid) || link || textOf(it.title);
      const title = stripTags(textOf(it.title));
      const text = stripTags(textOf(it.description) || textOf(it['content:encoded']));
      const t = parseTime(textOf(it.pubDate) || textOf(it['dc:date'])) ?? now;
      if (!id || (!title && !text)) {
        skipped++;
        continue;
      }
      if (text.length > MAX_POST_CHARS) {
        skipped++;
        tooLong++;
        continue;
      }
      items.push({ externalId: id.slice(0, 500), title: title.slice(0, 500), text, author: textOf(it.author) || textOf(it['dc:creator']) || null, publishedAt: t, url: link || null });
    }
    return { ok: true, items, skipped, tooLong };
  }
  if (feed) {
    for (const e of arr(feed.entry) as Record<string, unknown>[]) {
      const links = arr(e.link as Record<string, unknown> | Record<string, unknown>[] | undefined);
      const href = links.map((l) => (typeof l === 'object' && l ? String(l['@href'] ?? '') : '')).find((h) => h) ?? '';
      const id = textOf(e.id) || href;
      const title = stripTags(textOf(e.title));
      const text = stripTags(textOf(e.content) || textOf(e.summary));
      const t = parseTime(textOf(e.published) || textOf(e.updated)) ?? now;
      if (!id || (!title && !text)) {
        skipped++;
        continue;
      }
      if (text.length > MAX_POST_CHARS) {
        skipped++;
        tooLong++;
        continue;
      }
      const author = (e.author as Record<string, unknown> | undefined)?.name;
      items.push({ externalId: id.slice(0, 500), title: title.slice(0, 500), text, author: textOf(author) || null, publishedAt: t, url: href || null });
    }
    return { ok: true, items, skipped, tooLong };
  }
  return { ok: false, code: 'FEED_UNKNOWN_FORMAT', message: '既不是 RSS 2.0 也不是 Atom 格式的订阅源' };
}

/** A row of an import that could not be used. */
export interface RowError {
  row: number;
  message: string;
  /** The same in English (for English pages and API callers). */
  messageEn: string;
}

const HEADER_ALIASES: Record<string, string> = {
  留言编号: 'message_id', 留言用户: 'user_id', 留言主题: 'title', 留言时间: 'time', 留言详情: 'detail', 点赞数: 'likes', 反对数: 'dislikes',
  id: 'message_id', author: 'user_id', text: 'detail', url: 'url',
};

const COUNT_NAMES: Record<string, string> = { likes: '点赞数（likes）', dislikes: '反对数（dislikes）' };
const COUNT_NAMES_EN: Record<string, string> = { likes: 'likes (点赞数)', dislikes: 'dislikes (反对数)' };
/** A cell value as a row error quotes it (at most 40 characters). */
const quote = (v: unknown): string => {
  const s = JSON.stringify(v) ?? String(v);
  return Array.from(s).length > 40 ? `${Array.from(s).slice(0, 40).join('')}…` : s;
};

/**
 * Turns one record in the hot-issue-messages layout (English or the original Chinese headers) into an item, or says
 * in Chinese and in English what is wrong with it (naming the column both ways).
 */
export function recordToItem(rec: Record<string, unknown>): { ok: true; item: RawItem } | { ok: false; message: string; messageEn: string } {
  const r: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(rec)) r[HEADER_ALIASES[k.trim()] ?? k.trim()] = v;
  const given: Record<string, unknown> = { likes: r.likes, dislikes: r.dislikes };
  for (const k of ['likes', 'dislikes']) if (typeof r[k] === 'string') r[k] = r[k] === '' ? 0 : Number(r[k]);
  if (typeof r.message_id === 'number') r.message_id = String(r.message_id);
  const id = r.message_id ?? r.id;
  if ((typeof id !== 'string' && typeof id !== 'number') || String(id).trim() === '') return { ok: false, message: '缺少留言编号（message_id）', messageEn: 'The message id (message_id, 留言编号) is missing' };
  const title = typeof r.title === 'string' ? r.title : '';
  const detail = typeof r.detail === 'string' ? r.detail : typeof r.text === 'string' ? r.text : '';
  if (!title && !detail.trim()) return { ok: false, message: '留言主题（title）和留言详情（detail）都为空', messageEn: 'Both the title (留言主题) and the detail (留言详情) are empty' };
  if (detail.length > MAX_POST_CHARS) return { ok: false, message: `留言详情（detail）过长：${detail.length} 字（上限 ${MAX_POST_CHARS} 字）`, messageEn: `The detail (留言详情) is too long: ${detail.length} characters (at most ${MAX_POST_CHARS})` };
  const time = parseTime(r.time);
  if (!time) return { ok: false, message: `留言时间（time）无法识别：${quote(r.time)}`, messageEn: `The time (留言时间) cannot be read: ${quote(r.time)}` };
  for (const k of ['likes', 'dislikes']) {
    const v = r[k];
    if (v !== undefined && v !== null && (typeof v !== 'number' || !Number.isFinite(v) || v < 0)) return { ok: false, message: `${COUNT_NAMES[k]}应为不小于 0 的数：${quote(given[k])}`, messageEn: `${COUNT_NAMES_EN[k]} should be a number not below 0: ${quote(given[k])}` };
  }
  const parsed = toItem(r);
  if (!parsed.ok) return { ok: false, message: `记录无法使用（${parsed.error}）`, messageEn: `The record cannot be used (${parsed.error})` }; // the checks above cover toItem's reasons
  const it = parsed.item;
  return {
    ok: true,
    item: {
      externalId: String(it.id).trim(),
      title: (it.title ?? '').trim().slice(0, 500),
      text: it.text.replace(/\s+/g, ' ').trim(),
      author: it.author ?? null,
      publishedAt: time,
      likes: Math.round(it.likes ?? 0),
      dislikes: Math.round(it.dislikes ?? 0),
      url: typeof r.url === 'string' ? r.url : null,
    },
  };
}

export type ImportFormat = 'csv' | 'jsonl' | 'xlsx';

/** Parsed import: good rows and bad rows (numbered from 1 for the first data row; the header is row 0). */
export interface ParsedImport {
  items: { row: number; item: RawItem }[];
  errors: RowError[];
}

/** Parses JSON Lines (one record per line; blank lines ignored; line numbers from 1). */
export function parseJsonl(text: string): ParsedImport {
  const out: ParsedImport = { items: [], errors: [] };
  text.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      out.errors.push({ row: i + 1, message: 'JSON 格式错误', messageEn: 'Not valid JSON' });
      return;
    }
    if (!v || typeof v !== 'object' || Array.isArray(v)) return void out.errors.push({ row: i + 1, message: '不是 JSON 对象', messageEn: 'Not a JSON object' });
    const r = recordToItem(v as Record<string, unknown>);
    if (r.ok) out.items.push({ row: i + 1, item: r.item });
    else out.errors.push({ row: i + 1, message: r.message, messageEn: r.messageEn });
  });
  return out;
}

/**
 * csv-parse's error in English for `messageEn` (src/lib/csv-error.ts words it in Chinese for `message`); the same
 * cases, the code kept when unknown.
 */
function csvDetailEn(err: unknown): string {
  const e = (err && typeof err === 'object' ? err : {}) as { code?: unknown; message?: unknown; record?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  switch (code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'unclosed quote: no closing quote from the quote on this line to the end of the file';
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE': {
      const got = /got "(.{1,8}?)"/u.exec(typeof e.message === 'string' ? e.message : '')?.[1];
      return `${got !== undefined ? `"${got}"` : 'more characters'} after a closing quote, where a comma or a line break should be; a quote inside a field is written twice ("")`;
    }
    case 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH':
    case 'CSV_RECORD_INCONSISTENT_COLUMNS':
      return `the number of columns differs from the header row${Array.isArray(e.record) ? ` (this row has ${e.record.length})` : ''}`;
    case 'CSV_MAX_RECORD_SIZE':
      return 'a record is too long';
    case '':
      return 'cannot be parsed';
    default:
      return `cannot be parsed (${code})`;
  }
}

/** Parses CSV with a header row (UTF-8, BOM tolerated; rows numbered from 1 after the header). */
export function parseCsvImport(text: string): ParsedImport {
  const out: ParsedImport = { items: [], errors: [] };
  let rows: string[][];
  const body = text.replace(/^\uFEFF/, '');
  try {
    rows = parseCsv(body, { relax_column_count: true, skip_empty_lines: true }) as string[][];
  } catch (err) {
    const { line, detail } = describeCsvError(err, body);
    return { items: [], errors: [{ row: 0, message: `${line !== undefined ? `第 ${line} 行：` : ''}CSV 格式有误（${detail}）`, messageEn: `${line !== undefined ? `Line ${line}: ` : ''}the CSV is malformed (${csvDetailEn(err)})` }] };
  }
  const header = rows[0];
  if (!header) return out;
  rows.slice(1).forEach((cells, i) => {
    if (cells.length !== header.length) return void out.errors.push({ row: i + 1, message: `列数与标题行不一致：应为 ${header.length} 列，这一行有 ${cells.length} 列`, messageEn: `The row has ${cells.length} columns, the header row ${header.length}` });
    const rec: Record<string, unknown> = {};
    header.forEach((h, j) => (rec[h] = cells[j] ?? ''));
    const r = recordToItem(rec);
    if (r.ok) out.items.push({ row: i + 1, item: r.item });
    else out.errors.push({ row: i + 1, message: r.message, messageEn: r.messageEn });
  });
  return out;
}

/** Parses the first worksheet of an XLSX workbook with a header row. */
export async function parseXlsxImport(data: Buffer): Promise<ParsedImport> {
  const out: ParsedImport = { items: [], errors: [] };
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(data as unknown as ArrayBuffer);
  } catch {
    // exceljs/JSZip say why in English ("Corrupted zip ?"), which does not help the analyst
    return { items: [], errors: [{ row: 0, message: 'XLSX 文件无法读取（文件已损坏，或不是 .xlsx 格式；旧版 .xls 请另存为 .xlsx）', messageEn: 'The XLSX file cannot be read (it is damaged or not .xlsx; save an old .xls as .xlsx)' }] };
  }
  const ws = wb.worksheets[0];
  if (!ws) return out;
  const cellValue = (v: unknown): unknown => {
    if (v instanceof Date) return new Date(v.getTime() - 8 * 3600_000); // Excel dates carry no zone: read as China time
    if (v && typeof v === 'object' && 'richText' in v) return (v as { richText: { text: string }[] }).richText.map((t) => t.text).join('');
    if (v && typeof v === 'object' && 'text' in v) return (v as { text: string }).text;
    if (v && typeof v === 'object' && 'result' in v) return (v as { result: unknown }).result;
    return v ?? '';
  };
  const header: string[] = [];
  ws.getRow(1).eachCell({ includeEmpty: true }, (c, col) => (header[col - 1] = String(cellValue(c.value))));
  for (let r = 2; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    if (!row.hasValues) continue;
    const rec: Record<string, unknown> = {};
    header.forEach((h, j) => {
      const v = cellValue(row.getCell(j + 1).value);
      rec[h] = v instanceof Date ? v.toISOString() : typeof v === 'number' && !['likes', 'dislikes', '点赞数', '反对数'].includes(h) ? String(v) : v;
    });
    const p = recordToItem(rec);
    if (p.ok) out.items.push({ row: r - 1, item: p.item });
    else out.errors.push({ row: r - 1, message: p.message, messageEn: p.messageEn });
  }
  return out;
}

/** Chinese names of the urgency cue categories of `src/nlp/analysis/lexicon/urgency.json`. */
const CUE_CATEGORY_NAMES: Record<string, string> = {
  safety: '安全',
  health: '健康',
  crowds: '人员聚集',
  protest: '维权与群体性行为',
  intensifier: '紧急用语',
};

/**
 * A warning reason from urgency cues ("category:word", in text order): the words grouped under the category's
 * Chinese name, e.g. `安全：燃气泄漏、爆炸；紧急用语：十万火急`. Unknown categories keep their key.
 */
export function describeCues(cues: readonly string[]): string {
  const groups = new Map<string, string[]>();
  for (const cue of cues) {
    const at = cue.indexOf(':');
    const key = at < 0 ? '' : cue.slice(0, at);
    const word = at < 0 ? cue : cue.slice(at + 1);
    const name = CUE_CATEGORY_NAMES[key] ?? (key || '其他');
    const words = groups.get(name) ?? [];
    if (!words.includes(word)) words.push(word);
    groups.set(name, words);
  }
  return [...groups].map(([name, words]) => `${name}：${words.join('、')}`).join('；');
}

/** A feed refused because its address is not on the public internet (the code stays in it for the staff). */
export const FEED_NOT_PUBLIC_ZH = '订阅源地址不是公网地址，出于安全不予抓取（EADDRNOTPUBLIC）；政务内网的订阅源，请管理员在 YIWANG_FEED_ALLOW_HOSTS 中允许其主机';
export const FEED_NOT_PUBLIC_EN = 'The feed\'s address is not a public internet address, so it is not fetched (EADDRNOTPUBLIC); an administrator can allow an intranet feed host with YIWANG_FEED_ALLOW_HOSTS';

/**
 * A feed's last error (`CODE: message`, stored in Chinese) in English, for English pages; an unknown one as stored.
 */
export function feedErrorEn(stored: string): string {
  const m = /^([A-Z_]+): ([\s\S]*)$/.exec(stored);
  if (!m) return stored;
  const [, code, msg] = m as unknown as [string, string, string];
  let x: RegExpExecArray | null;
  if (msg === FEED_NOT_PUBLIC_ZH) return `${code}: ${FEED_NOT_PUBLIC_EN}`;
  if ((x = /^无法连接订阅源（(.*)）$/.exec(msg))) return `${code}: Could not connect to the feed (${x[1]})`;
  if ((x = /^([\d.]+) 秒内没有响应$/.exec(msg))) return `${code}: No answer within ${x[1]} seconds`;
  if ((x = /^订阅源返回 HTTP (\d+)$/.exec(msg))) return `${code}: The feed answered HTTP ${x[1]}`;
  if ((x = /^订阅源过大：(\d+) 字节（上限 (\d+) 字节）$/.exec(msg))) return `${code}: The feed is too large: ${x[1]} bytes (limit ${x[2]} bytes)`;
  if (code === 'FEED_UNKNOWN_FORMAT') return `${code}: Neither an RSS 2.0 nor an Atom feed`;
  if (code === 'FEED_MALFORMED') {
    // Our words in English; fast-xml-parser's own sentence (already English) stays as it is.
    const m2 = /^第 (\d+) 行：XML 格式有误（(.+?)：([\s\S]*)）$/.exec(msg);
    if (!m2) return `${code}: The feed's XML is malformed`;
    const kind = Object.entries(XML_ERROR_ZH).find(([, zh]) => zh === m2[2])?.[0];
    return `${code}: Line ${m2[1]}: the feed's XML is malformed (${kind ? XML_ERROR_EN[kind] : m2[2]}: ${m2[3]})`;
  }
  if ((x = /^共 (\d+) 条，新增 (\d+) 条，跳过 (\d+) 条(?:（其中 (\d+) 条超过 (\d+) 字）)?$/.exec(msg))) {
    return `${code}: ${x[1]} items, ${x[2]} new, ${x[3]} skipped${x[4] ? ` (${x[4]} of them longer than ${x[5]} characters)` : ''}`;
  }
  return stored;
}

/** Sources that have no row of their own: the platform's citizen messages and the demo's seeded messages. */
const BUILT_IN_SOURCES: Readonly<Record<string, { name: string; nameEn: string }>> = {
  messages: { name: '网络问政', nameEn: 'Citizen messages' },
  'demo-import': { name: '示例导入', nameEn: 'Demo import' },
};

/**
 * A source's name for the pages: the built-in `messages` source (the platform's own citizen messages) is 网络问政
 * and the demo's `demo-import` 示例导入 (Demo import); another its stored name, in English followed by its code
 * (`城市论坛 (city-forum)`: names are stored in Chinese only, and a code alone meant little to a reader); a code no
 * longer stored, the code.
 */
export function sourceName(code: string, names: ReadonlyMap<string, string>): { name: string; nameEn: string } {
  const builtIn = Object.hasOwn(BUILT_IN_SOURCES, code) ? BUILT_IN_SOURCES[code] : undefined;
  if (builtIn) return builtIn;
  const stored = names.get(code);
  return { name: stored ?? code, nameEn: stored ? `${stored} (${code})` : code };
}
