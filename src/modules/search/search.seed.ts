import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import type { Services } from '../../services.ts';
import { SYSTEM } from '../identity/permissions.ts';
import type { ImportReport } from './search.service.ts';

const POLICIES = new URL('../../../datasets/policy-qa/policies.jsonl.gz', import.meta.url);

/** Parses JSON Lines text into numbered records (malformed lines become records the importer reports). */
export function jsonLines(text: string): { line: number; value: unknown }[] {
  const out: { line: number; value: unknown }[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!.trim();
    if (!l) continue;
    let value: unknown;
    try {
      value = JSON.parse(l);
    } catch {
      value = undefined;
    }
    out.push({ line: i + 1, value });
  }
  return out;
}

/**
 * Demo content: the 599 policies of datasets/policy-qa (idempotent: done once per database, remembered in
 * search_sync_state). Runs in batches of 25, yielding between batches so the server keeps answering.
 */
export async function seedSearchDemo(services: Services, stopped: () => boolean = () => false): Promise<ImportReport | undefined> {
  if (await services.search.cursor('demo-policies')) return undefined;
  const records = jsonLines(gunzipSync(await readFile(POLICIES)).toString('utf8'));
  const total: ImportReport = { created: 0, updated: 0, unchanged: 0, errors: [] };
  for (let i = 0; i < records.length; i += 25) {
    if (stopped()) return total;
    const r = await services.search.importPolicies(SYSTEM, records.slice(i, i + 25));
    if (!r.ok) throw new Error(r.error.messageEn);
    total.created += r.value.created;
    total.updated += r.value.updated;
    total.unchanged += r.value.unchanged;
    total.errors.push(...r.value.errors);
    await new Promise((res) => setImmediate(res));
  }
  await services.search.setCursor('demo-policies', new Date().toISOString());
  return total;
}
