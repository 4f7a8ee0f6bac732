/**
 * JSON-Lines record handling for `yiwang sentiment` and `yiwang analyse`: validates one parsed input object and
 * builds its output line. Pure; the CLI commands wire these to stdin/stdout with `mapJsonLines`.
 */
import type { PredictOptions, SentimentModel } from './model.ts';

/** Longest text accepted on one line (characters). Longer texts get a TEXT_TOO_LONG error line. */
export const MAX_TEXT_CHARS = 200_000;

/** An error output line. */
export interface ErrorLine {
  id: unknown;
  error: { code: 'BAD_INPUT' | 'TEXT_TOO_LONG'; message: string };
}

/** A validated input record. */
export interface TextRecord {
  id: unknown;
  text: string;
  title?: string;
}

/** Validates `{"id": …, "text": "…", "title"?: "…"}`; `id` may be any JSON value and defaults to null. */
export function readTextRecord(item: Record<string, unknown>): { ok: true; record: TextRecord } | { ok: false; line: ErrorLine } {
  const id = item.id ?? null;
  if (typeof item.text !== 'string') {
    return { ok: false, line: { id, error: { code: 'BAD_INPUT', message: '"text" must be a string' } } };
  }
  if (item.title !== undefined && item.title !== null && typeof item.title !== 'string') {
    return { ok: false, line: { id, error: { code: 'BAD_INPUT', message: '"title" must be a string when present' } } };
  }
  const length = item.text.length + (typeof item.title === 'string' ? item.title.length : 0);
  if (length > MAX_TEXT_CHARS) {
    return {
      ok: false,
      line: { id, error: { code: 'TEXT_TOO_LONG', message: `text has ${length} characters; the limit is ${MAX_TEXT_CHARS}` } },
    };
  }
  const record: TextRecord = { id, text: item.text };
  if (typeof item.title === 'string') record.title = item.title;
  return { ok: true, record };
}

/** Output lines of `yiwang sentiment` for a batch of parsed inputs, in order. */
export function sentimentLines(model: SentimentModel, items: Record<string, unknown>[], opts: PredictOptions = {}): unknown[] {
  return items.map((item) => {
    const r = readTextRecord(item);
    if (!r.ok) return r.line;
    const text = r.record.title ? `${r.record.title}。${r.record.text}` : r.record.text;
    return { id: r.record.id, ...model.predict(text, opts) };
  });
}
