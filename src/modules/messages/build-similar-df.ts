/**
 * Builds the background document frequencies of character bigrams that the duplicate detector (similar.ts)
 * weights by: datasets/routing (rows with raw text) and datasets/hot-issue-messages, leaving out the messages of
 * the hand-checked hot issues (src/nlp/hotissues/gold.json) that evaluate-similar.ts scores on. Bigrams seen in
 * fewer than 2 documents are dropped (they count as unseen: highest weight). Writes model/bigram-df.json.gz.
 *   npx tsx src/modules/messages/build-similar-df.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { bigrams, comparisonText } from './similar.ts';

const root = new URL('../../../', import.meta.url);
const gz = (p: string) => gunzipSync(readFileSync(new URL(p, root))).toString('utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
const gold = JSON.parse(readFileSync(new URL('src/nlp/hotissues/gold.json', root), 'utf8')) as { issues: { message_ids: number[] }[] };
const held = new Set(gold.issues.flatMap((i) => i.message_ids));
const docs: string[] = [];
for (const r of gz('datasets/hot-issue-messages/messages_with_votes.jsonl.gz')) {
  if (held.has(r.message_id as number)) continue;
  docs.push(comparisonText({ title: String(r.title), content: String(r.detail).replace(/\s+/g, ' ').trim()}));
}
for (const r of gz('datasets/routing/train.jsonl.gz')) {
  if (typeof r.raw === 'string' && r.raw) docs.push(comparisonText({ title: '', content: r.raw}));
}
const df = new Map<string, number>();
for (const d of docs) for (const b of bigrams(d)) df.set(b, (df.get(b) ?? 0) + 1);
const kept = Object.fromEntries([...df].filter(([, n]) => n >= 2).sort((a, b) => b[1] - a[1]));
const out = new URL('model/bigram-df.json.gz', import.meta.url);
writeFileSync(out, gzipSync(JSON.stringify({ format: 'yiwang-bigram-df', version: 1, n: docs.length, df: kept }), { level: 9 }));
console.log(`${docs.length} documents, ${df.size} bigrams, ${Object.keys(kept).length} kept → ${out.pathname}`);
