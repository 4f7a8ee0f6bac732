/**
 * Measures the reply-hint scores on real message/reply pairs (TipDM 2020 附件4, JSON Lines with title, detail,
 * time, reply, reply_time) and prints their distribution, so that the thresholds in reply-hints.ts sit at the
 * low end of real official replies. Usage:
 *   npx tsx src/modules/messages/calibrate-hints.ts /work/shared/data/messages-with-replies/messages_with_replies.jsonl
 */
import { readFileSync } from 'node:fs';
import { parseMessageTime } from './import.ts';
import { relevance, replyHints } from './reply-hints.ts';

const path = process.argv[2];
if (!path) {
  process.stderr.write('usage: calibrate-hints.ts FILE.jsonl\n');
  process.exit(2);
}
const rows = readFileSync(path, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as { title: string; detail: string; time: string; reply: string; reply_time: string });
const q = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
};
const rel: number[] = [];
const len: number[] = [];
const days: number[] = [];
const overall: number[] = [];
const fails: Record<string, number> = {};
for (const r of rows) {
  const content = r.detail.replace(/\s+/g, ' ').trim();
  const received = parseMessageTime(r.time) ?? new Date(0);
  const replied = parseMessageTime(r.reply_time) ?? received;
  rel.push(relevance({ title: r.title, content }, r.reply));
  len.push(r.reply.trim().length);
  days.push((replied.getTime() - received.getTime()) / 86_400_000);
  const h = replyHints({ title: r.title, content, receivedAt: received }, r.reply, replied);
  if (h.overall !== null) overall.push(h.overall);
  for (const x of h.hints) if (!x.ok) fails[x.aspect] = (fails[x.aspect] ?? 0) + 1;
}
const fmt = (xs: number[]) => [0.05, 0.1, 0.25, 0.5, 0.75, 0.9].map((p) => `p${p * 100}=${q(xs, p).toFixed(3)}`).join(' ');
process.stdout.write(`pairs: ${rows.length}\n`);
process.stdout.write(`relevance: ${fmt(rel)}\n`);
process.stdout.write(`reply length (chars): ${fmt(len)}\n`);
process.stdout.write(`days to reply: ${fmt(days)}\n`);
process.stdout.write(`overall score: ${fmt(overall)}\n`);
process.stdout.write(`share of replies flagged per aspect: ${Object.entries(fails).map(([k, v]) => `${k} ${(100 * v / rows.length).toFixed(1)}%`).join(', ')}\n`);
