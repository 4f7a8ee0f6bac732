/** Loads the shipped background bigram document frequencies for the duplicate detector (once per process). */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { UNIFORM_DF, type DocFreq } from './similar.ts';

let cached: DocFreq | undefined;

/** The shipped table (model/bigram-df.json.gz); uniform weights when it cannot be read. */
export function shippedDocFreq(): DocFreq {
  if (cached) return cached;
  try {
    const o = JSON.parse(gunzipSync(readFileSync(new URL('model/bigram-df.json.gz', import.meta.url))).toString('utf8')) as { format: string; n: number; df: Record<string, number> };
    cached = o.format === 'yiwang-bigram-df' ? { n: o.n, df: new Map(Object.entries(o.df)) } : UNIFORM_DF;
  } catch {
    cached = UNIFORM_DF;
  }
  return cached;
}
