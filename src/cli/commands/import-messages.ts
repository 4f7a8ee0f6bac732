import type { Command } from 'commander';

/**
 * `yiwang import messages FILE`: bulk import of citizen messages from CSV / XLSX (TipDM columns 留言编号, 留言用户,
 * 留言主题, 留言时间, 留言详情) or JSON Lines (message_id, user_id, title, time, detail). Each row is classified and
 * routed like a new message; re-importing a file changes nothing (留言编号 makes rows idempotent). Bad rows are
 * reported with their row numbers; the good rows are kept.
 */
export function register(program: Command): void {
  let parent = program.commands.find((c) => c.name() === 'import');
  parent ??= program.command('import').description('import data from files');
  parent
    .command('messages')
    .description('import citizen messages from CSV, XLSX or JSON Lines (.gz allowed)')
    .argument('<file>', 'the file to import')
    .option('--dry-run', 'only parse and report bad rows; store nothing')
    .option('--limit <n>', 'import at most n rows', (v) => Number(v))
    .action(async (file: string, opts: { dryRun?: boolean; limit?: number }) => {
      const { readFile } = await import('node:fs/promises');
      const { gunzipSync } = await import('node:zlib');
      const { formatOf, parseImport } = await import('../../modules/messages/import.ts');
      const format = formatOf(file);
      if (!format) {
        process.stderr.write(`yiwang: ${file}: unknown format (use .csv, .xlsx or .jsonl)\n`);
        process.exitCode = 2;
        return;
      }
      let buf: Buffer;
      try {
        buf = await readFile(file);
        if (file.endsWith('.gz')) buf = gunzipSync(buf);
      } catch (err) {
        process.stderr.write(`yiwang: cannot read ${file}: ${(err as Error).message}\n`);
        process.exitCode = 2;
        return;
      }
      const parsed = await parseImport(buf, format);
      const rows = opts.limit && opts.limit > 0 ? parsed.rows.slice(0, opts.limit) : parsed.rows;
      const errors: { row: number; message: string }[] = [...parsed.errors];
      let created = 0;
      let replayed = 0;
      if (!opts.dryRun) {
        const { withServices } = await import('../context.ts');
        const { SYSTEM } = await import('../../modules/identity/permissions.ts');
        await withServices(async (services) => {
          const r = await services.messages.importRows(SYSTEM, rows);
          if (!r.ok) throw new Error(r.error.messageEn);
          created = r.value.created;
          replayed = r.value.replayed;
          errors.push(...r.value.errors.map((e) => ({ row: e.row, message: e.fields ? e.fields.map((f) => `${f.field}: ${f.message}`).join('; ') : e.message })));
        });
      }
      errors.sort((a, b) => a.row - b.row);
      for (const e of errors) process.stderr.write(`row ${e.row}: ${e.message}\n`);
      process.stdout.write(
        opts.dryRun
          ? `${rows.length} rows ready, ${errors.length} bad rows (dry run, nothing stored)\n`
          : `${created} imported, ${replayed} already present, ${errors.length} bad rows\n`,
      );
      if (errors.length) process.exitCode = 1;
    });
}
