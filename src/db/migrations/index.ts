import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Migration } from 'kysely/migration';

const here = dirname(fileURLToPath(import.meta.url));
const modulesDir = join(here, '..', '..', 'modules');

/**
 * Every migration: the platform's own in this folder, and each module's in `src/modules/<name>/migrations/`.
 * A migration's name is its file name without `.ts`; names must be unique across the tree and start with a
 * sortable stamp (e.g. `0001_platform`, `2026112601_messages`). A released migration never changes.
 */
export async function loadMigrations(): Promise<Record<string, Migration>> {
  const files: string[] = [];
  const collect = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const f of readdirSync(dir)) if (/^\d{4,}_[\w-]+\.ts$/.test(f) && !f.endsWith('.test.ts')) files.push(join(dir, f));
  };
  collect(here);
  for (const d of readdirSync(modulesDir, { withFileTypes: true })) if (d.isDirectory()) collect(join(modulesDir, d.name, 'migrations'));
  const out: Record<string, Migration> = {};
  for (const file of files) {
    const name = file.slice(file.lastIndexOf('/') + 1, -3);
    if (out[name]) throw new Error(`two migrations are named ${name}`);
    out[name] = (await import(pathToFileURL(file).href)) as Migration;
  }
  return out;
}
