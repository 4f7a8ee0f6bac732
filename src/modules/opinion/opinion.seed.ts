import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { Services } from '../../services.ts';
import { SYSTEM } from '../identity/permissions.ts';
import { parseJsonl } from './opinion.pure.ts';

const here = dirname(fileURLToPath(import.meta.url));
/** The 4,326 real messages of the 2020 TipDM Cup (see datasets/hot-issue-messages/PROVENANCE.md). */
export const DEMO_FILE = join(here, '..', '..', '..', 'datasets', 'hot-issue-messages', 'messages_with_votes.jsonl.gz');

/**
 * Seeds public-opinion monitoring with the demo messages as the `demo-import` source, then clusters them.
 * Idempotent: a second run (or a run after a restart midway) adds only what is missing.
 */
export async function seedOpinionDemo(services: Services, opts: { limit?: number } = {}): Promise<{ added: number; rows: number; errors: number }> {
  const parsed = parseJsonl(gunzipSync(readFileSync(DEMO_FILE)).toString('utf8'));
  const items = parsed.items.slice(0, opts.limit ?? parsed.items.length).map((x) => x.item);
  let added = 0;
  // Small batches: each is one short transaction, so requests interleave with the seeding.
  for (let i = 0; i < items.length; i += 100) added += (await services.opinion.ingest('demo-import', items.slice(i, i + 100), SYSTEM)).added;
  await services.opinion.cluster();
  return { added, rows: items.length, errors: parsed.errors.length };
}
