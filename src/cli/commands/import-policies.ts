import type { Command } from 'commander';

/**
 * `yiwang import policies FILE.jsonl`: one JSON object a line `{"docid","text","title"?}` (no title: the first
 * sentence or line). Re-importing a docid updates it; malformed lines are reported with their line numbers and the
 * rest imported. A progress bar is drawn on stderr when it is a terminal; a summary line ends the run.
 */
export function register(program: Command): void {
  let parent = program.commands.find((c) => c.name() === 'import');
  parent ??= program.command('import').description('import data from files');
  parent
    .command('policies')
    .description('import policy documents into the unified search from JSON Lines {"docid","text","title"?} (.gz allowed)')
    .argument('<file>', 'the JSON Lines file')
    .action(async (file: string) => {
      const { readFile } = await import('node:fs/promises');
      const { gunzipSync } = await import('node:zlib');
      let text: string;
      try {
        let buf = await readFile(file);
        if (file.endsWith('.gz')) buf = gunzipSync(buf);
        text = buf.toString('utf8');
      } catch (err) {
        process.stderr.write(`yiwang: cannot read ${file}: ${(err as Error).message}\n`);
        process.exitCode = 2;
        return;
      }
      const { jsonLines } = await import('../../modules/search/search.seed.ts');
      const { withServices } = await import('../context.ts');
      const { SYSTEM } = await import('../../modules/identity/permissions.ts');
      const records = jsonLines(text);
      const tty = process.stderr.isTTY === true;
      const started = Date.now();
      const bar = (done: number) => {
        if (!tty) return;
        const width = 30;
        const frac = records.length ? done / records.length : 1;
        const fill = Math.round(frac * width);
        process.stderr.write(`\r[${'#'.repeat(fill)}${'-'.repeat(width - fill)}] ${done}/${records.length} ${(frac * 100).toFixed(0)}%`);
      };
      const total = { created: 0, updated: 0, unchanged: 0, errors: [] as { line: number; message: string }[] };
      await withServices(async (services) => {
        const BATCH = 200;
        for (let i = 0; i < records.length; i += BATCH) {
          const r = await services.search.importPolicies(SYSTEM, records.slice(i, i + BATCH));
          if (!r.ok) throw new Error(r.error.messageEn);
          total.created += r.value.created;
          total.updated += r.value.updated;
          total.unchanged += r.value.unchanged;
          total.errors.push(...r.value.errors);
          bar(Math.min(i + BATCH, records.length));
        }
      });
      if (tty) process.stderr.write('\n');
      for (const e of total.errors) process.stderr.write(`line ${e.line}: ${e.message}\n`);
      process.stdout.write(
        `${total.created} imported, ${total.updated} updated, ${total.unchanged} unchanged, ${total.errors.length} bad lines (${((Date.now() - started) / 1000).toFixed(1)} s)\n`,
      );
      if (total.errors.length) process.exitCode = 1;
    });
}
