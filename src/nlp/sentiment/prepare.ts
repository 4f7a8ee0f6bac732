/**
 * One-off data preparation: copies the sentiment corpora from the project's shared data folder into
 * `datasets/sentiment/` as lean gzipped CSV (`label,text`), no other columns, BOMs removed, every file under 5 MB.
 *
 *   npx tsx src/nlp/sentiment/prepare.ts /work/shared/data/sentiment datasets/sentiment
 *
 * The product trains from `datasets/sentiment/` only; this script is kept so the copy can be reproduced.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';

const [src, dst] = process.argv.slice(2);
if (!src || !dst) {
  process.stderr.write('usage: prepare.ts SHARED_SENTIMENT_DIR OUT_DIR\n');
  process.exit(2);
}

function csvField(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function load(file: string): { label: number; text: string; cat?: string }[] {
  const rows = parse(readFileSync(join(src!, file), 'utf8'), { columns: true, bom: true, relax_quotes: true }) as Record<
    string,
    string
  >[];
  const out: { label: number; text: string; cat?: string }[] = [];
  for (const r of rows) {
    const label = Number(r.label);
    const text = (r.text ?? r.review ?? '').replace(/\uFEFF/g, '').trim();
    if ((label === 0 || label === 1) && text) out.push(r.cat ? { label, text, cat: r.cat.trim() } : { label, text });
  }
  return out;
}

function write(name: string, rows: { label: number; text: string }[]): void {
  const body = 'label,text\n' + rows.map((r) => `${r.label},${csvField(r.text)}`).join('\n') + '\n';
  const gz = gzipSync(Buffer.from(body, 'utf8'), { level: 9 });
  if (gz.length >= 5 * 1024 * 1024) throw new Error(`${name} is ${gz.length} bytes gzipped; split it`);
  writeFileSync(join(dst!, name), gz);
  process.stdout.write(`${name}: ${rows.length} rows, ${gz.length} bytes\n`);
}

write('chnsenticorp.csv.gz', load('chnsenticorp_train_dev.csv'));
write('waimai.csv.gz', load('waimai_10k.csv'));
const shopping = load('online_shopping_10_cats.csv');
write('shopping.csv.gz', shopping);
// the category of each shopping row, one a line in the row order of shopping.csv.gz (酒店, 计算机, 书籍 are the
// domains of ChnSentiCorp; the trainer uses them for the review specialist)
const cats = gzipSync(Buffer.from(shopping.map((r) => r.cat ?? '').join('\n') + '\n', 'utf8'), { level: 9 });
writeFileSync(join(dst!, 'shopping.cat.txt.gz'), cats);
process.stdout.write(`shopping.cat.txt.gz: ${shopping.length} rows, ${cats.length} bytes\n`);
const weibo = load('weibo_senti.csv');
const half = Math.ceil(weibo.length / 2);
write('weibo.part1.csv.gz', weibo.slice(0, half));
write('weibo.part2.csv.gz', weibo.slice(half));
