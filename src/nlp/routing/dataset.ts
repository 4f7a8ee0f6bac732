/**
 * The routing training data (datasets/routing) and the fixed, seeded validation split.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { isCategory, type Category } from './categories.ts';
import { makeRng, shuffle } from './linear.ts';

/** One labelled training row: raw text where known, always the source team's segmented text. */
export interface RoutingRow {
  id: number;
  label: Category;
  raw: string | null;
  segmented: string | null;
}

/** A staff correction (redispatch) as passed to training: the message and its right category. */
export interface Correction {
  title?: string;
  content: string;
  category: Category;
}

/** Path of the repository's datasets/routing folder. */
export const DATASET_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../../datasets/routing');

/** Reads a JSON Lines file, gunzipping it when the name ends in .gz. */
export function readJsonLines(path: string): unknown[] {
  const buf = readFileSync(path);
  const text = path.endsWith('.gz') ? gunzipSync(buf).toString('utf8') : buf.toString('utf8');
  const out: unknown[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() !== '') out.push(JSON.parse(line));
  }
  return out;
}

/** Loads datasets/routing/train.jsonl.gz (7,951 labelled rows). */
export function loadTrainingRows(dir = DATASET_DIR): RoutingRow[] {
  return readJsonLines(join(dir, 'train.jsonl.gz')).map((r) => {
    const o = r as { id: number; label: string; raw: string | null; segmented: string | null };
    if (!isCategory(o.label)) throw new Error(`unknown label ${o.label} in row ${o.id}`);
    return { id: o.id, label: o.label, raw: o.raw ?? null, segmented: o.segmented ?? null };
  });
}

/** Result of reading a corrections file: good corrections and the numbers of bad lines with reasons. */
export interface CorrectionsResult {
  corrections: Correction[];
  errors: { line: number; message: string }[];
}

/**
 * Parses staff corrections, JSON Lines of `{"content","title"?,"category"}`. Bad lines are reported, not thrown.
 */
export function parseCorrections(text: string): CorrectionsResult {
  const corrections: Correction[] = [];
  const errors: { line: number; message: string }[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      errors.push({ line: i + 1, message: 'not JSON' });
      return;
    }
    const o = v as { content?: unknown; title?: unknown; category?: unknown } | null;
    if (!o || typeof o !== 'object') errors.push({ line: i + 1, message: 'not a JSON object' });
    else if (typeof o.content !== 'string' || o.content.trim() === '')
      errors.push({ line: i + 1, message: 'content missing or empty' });
    else if (!isCategory(o.category)) errors.push({ line: i + 1, message: `unknown category ${String(o.category)}` });
    else if (o.title !== undefined && o.title !== null && typeof o.title !== 'string')
      errors.push({ line: i + 1, message: 'title is not a string' });
    else
      corrections.push({
        content: o.content,
        category: o.category,
        ...(typeof o.title === 'string' ? { title: o.title } : {}),
      });
  });
  return { corrections, errors };
}

/** The validation split: rows to train on and rows to evaluate on (all of which have raw text). */
export interface Split {
  train: RoutingRow[];
  validation: RoutingRow[];
}

/**
 * Fixed, seeded validation split, stratified by label and drawn only from rows that have raw text (production
 * input is raw, so validation is scored on raw text). `share` of each label's raw rows are held out, and every
 * row whose segmented text equals a held-out row's is removed from training too (the data has duplicates).
 */
export function splitForValidation(rows: readonly RoutingRow[], seed = 20201, share = 0.35): Split {
  const rng = makeRng(seed);
  const byLabel = new Map<string, RoutingRow[]>();
  for (const r of rows) {
    if (r.raw === null) continue;
    const list = byLabel.get(r.label) ?? [];
    list.push(r);
    byLabel.set(r.label, list);
  }
  const held = new Set<number>();
  for (const label of [...byLabel.keys()].sort()) {
    const list = shuffle([...(byLabel.get(label) as RoutingRow[])], rng);
    for (const r of list.slice(0, Math.round(list.length * share))) held.add(r.id);
  }
  const heldSeg = new Set<string>();
  const heldRaw = new Set<string>();
  for (const r of rows) {
    if (!held.has(r.id)) continue;
    if (r.segmented) heldSeg.add(r.segmented);
    if (r.raw) heldRaw.add(r.raw);
  }
  const train: RoutingRow[] = [];
  const validation: RoutingRow[] = [];
  for (const r of rows) {
    if (held.has(r.id)) validation.push(r);
    else if ((r.segmented && heldSeg.has(r.segmented)) || (r.raw && heldRaw.has(r.raw))) continue;
    else train.push(r);
  }
  return { train, validation };
}
