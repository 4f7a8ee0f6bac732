/**
 * File reading for hot issues (the only module here that does I/O): JSON Lines, optionally gzipped.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseMessages } from './data.ts';
import type { HotIssueItem } from './cluster.ts';
import type { GoldIssue } from './evaluate.ts';

/** Path of the bundled dataset (datasets/hot-issue-messages/messages_with_votes.jsonl.gz). */
export const BUNDLED_MESSAGES = join(
  dirname(fileURLToPath(import.meta.url)),
  '../../../datasets/hot-issue-messages/messages_with_votes.jsonl.gz',
);

/** Reads a text file, gunzipping it when its name ends in ".gz". */
export function readTextFile(path: string): string {
  const buf = readFileSync(path);
  return (path.endsWith('.gz') ? gunzipSync(buf) : buf).toString('utf8');
}

/** Reads messages of the hot-issue-messages layout; bad lines are returned with their line numbers. */
export function readMessagesFile(path: string = BUNDLED_MESSAGES): {
  items: HotIssueItem[];
  errors: { line: number; error: string }[];
} {
  return parseMessages(readTextFile(path));
}

/** The hand-found gold issues (gold.json beside this file). */
export function readGold(): GoldIssue[] {
  const p = join(dirname(fileURLToPath(import.meta.url)), 'gold.json');
  return (JSON.parse(readFileSync(p, 'utf8')) as { issues: GoldIssue[] }).issues;
}
