/**
 * Reading the hot-issue-messages layout (pure parsing; file reading lives in load.ts).
 *
 * One JSON object per line: `message_id`, `user_id`, `title`, `time` ("YYYY/M/D H:MM:SS"), `detail`, `likes`,
 * `dislikes`. The generic item fields (`id`, `author`, `text`) are accepted too.
 */
import type { HotIssueItem } from './cluster.ts';
import { parseTime } from './time.ts';

/** Result of parsing one line. */
export type ParseResult = { ok: true; item: HotIssueItem } | { ok: false; error: string };

/** Parses one JSON Lines line of the hot-issue-messages layout into an item. */
export function parseMessageLine(line: string): ParseResult {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch (err) {
    return { ok: false, error: `bad JSON: ${(err as Error).message}` };
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return { ok: false, error: 'not a JSON object' };
  return toItem(v as Record<string, unknown>);
}

/** Converts a record of the hot-issue-messages layout (or the generic item layout) into an item. */
export function toItem(r: Record<string, unknown>): ParseResult {
  const id = r.message_id ?? r.id;
  if (typeof id !== 'string' && typeof id !== 'number') return { ok: false, error: 'missing message_id' };
  const title = typeof r.title === 'string' ? r.title : undefined;
  const text = typeof r.detail === 'string' ? r.detail : typeof r.text === 'string' ? r.text : '';
  if (!title && !text.trim()) return { ok: false, error: 'missing title and detail' };
  if (parseTime(r.time) === null) return { ok: false, error: `bad time ${JSON.stringify(r.time)}` };
  const author = r.user_id ?? r.author;
  const num = (x: unknown): number => (typeof x === 'number' && Number.isFinite(x) ? x : Number(x) || 0);
  const item: HotIssueItem = {
    id,
    text,
    time: r.time as string | number,
    likes: num(r.likes),
    dislikes: num(r.dislikes),
  };
  if (title !== undefined) item.title = title;
  if (typeof author === 'string' || typeof author === 'number') item.author = String(author);
  return { ok: true, item };
}

/** Parses a whole JSON Lines text; bad lines are returned with their 1-based line numbers. */
export function parseMessages(text: string): { items: HotIssueItem[]; errors: { line: number; error: string }[] } {
  const items: HotIssueItem[] = [];
  const errors: { line: number; error: string }[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = (lines[i] as string).trim();
    if (!l) continue;
    const r = parseMessageLine(l);
    if (r.ok) items.push(r.item);
    else errors.push({ line: i + 1, error: r.error });
  }
  return { items, errors };
}
