import { Command, CommanderError } from 'commander';

const KIND_HELP = 'KIND: cn-id, cn-uscc, cn-mobile, date, past-date, region-code, required, email, cn-orgcode, range:MIN..MAX';

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function usage(message: string): never {
  process.stderr.write(`yiwang quality check: ${message}\n`);
  throw new CommanderError(2, 'yiwang.usage', message);
}

/** `yiwang quality check FILE.csv --column NAME=KIND …`: data-quality findings as JSON Lines. */
export function register(program: Command): void {
  const quality = program.command('quality').description('data-quality checks for Chinese administrative data');
  quality
    .command('check')
    .description(
      'check columns of a CSV file; writes one JSON line per finding {row, column, rule, severity, message, suggestion?} ' +
        'to stdout, a summary on stderr, and exits 0 whatever it finds (non-zero only when the file cannot be read)',
    )
    .argument('<file>', 'CSV file (UTF-8 with or without BOM, GBK/GB18030, UTF-16 with BOM; header row required)')
    .option('-c, --column <NAME=KIND>', `a column to check (repeatable); ${KIND_HELP}`, collect, [])
    .option('--id-birth-date <ID_COLUMN=BIRTH_COLUMN>', 'the birth-date column must agree with the ID number (repeatable)', collect, [])
    .option('--encoding <enc>', 'auto | utf-8 | gbk | gb18030 | utf-16le | utf-16be', 'auto')
    .option('--delimiter <char>', 'field delimiter (default: guessed from the header: , tab ; |)')
    .option('--today <YYYY-MM-DD>', "today's date for birth-date and future-date checks (default: today in China)")
    .option('--allow-legacy-id15', 'accept 15-digit ID numbers with a warning instead of an error')
    .action(async (file: string, opts: {
      column: string[];
      idBirthDate: string[];
      encoding: string;
      delimiter?: string;
      today?: string;
      allowLegacyId15?: boolean;
    }) => {
      const { createReadStream } = await import('node:fs');
      const { stat } = await import('node:fs/promises');
      const { checkCsv, isCheckKind } = await import('../../lib/quality/index.ts');
      const { chinaDate, isValidDate } = await import('../../lib/calendar/date.ts');

      const columns = opts.column.map((spec) => {
        const eq = spec.lastIndexOf('=');
        const column = spec.slice(0, eq).trim();
        const kind = spec.slice(eq + 1).trim();
        if (eq <= 0 || !column) usage(`--column ${JSON.stringify(spec)}: expected NAME=KIND`);
        if (!isCheckKind(kind)) usage(`--column ${JSON.stringify(spec)}: unknown kind ${JSON.stringify(kind)} (${KIND_HELP})`);
        return { column, kind };
      });
      const idBirthDate = opts.idBirthDate.map((spec) => {
        const [idColumn, birthDateColumn, extra] = spec.split('=');
        if (!idColumn || !birthDateColumn || extra !== undefined) usage(`--id-birth-date ${JSON.stringify(spec)}: expected ID_COLUMN=BIRTH_COLUMN`);
        return { idColumn: idColumn.trim(), birthDateColumn: birthDateColumn.trim() };
      });
      if (columns.length === 0 && idBirthDate.length === 0) usage('give at least one --column NAME=KIND');
      const encodings = ['auto', 'utf-8', 'utf8', 'gbk', 'gb18030', 'utf-16le', 'utf-16be'];
      if (!encodings.includes(opts.encoding.toLowerCase())) usage(`--encoding: one of ${encodings.join(', ')}`);
      const encoding = opts.encoding.toLowerCase() === 'utf8' ? 'utf-8' : opts.encoding.toLowerCase();
      const today = opts.today ?? chinaDate(new Date());
      if (!isValidDate(today)) usage(`--today ${JSON.stringify(today)}: expected YYYY-MM-DD`);
      const delimiter = opts.delimiter === '\\t' || opts.delimiter === 'tab' ? '\t' : opts.delimiter;

      const fail = (message: string): void => {
        process.stderr.write(`yiwang quality: ${message}\n`);
        process.exitCode = 1;
      };
      try {
        const st = await stat(file);
        if (st.isDirectory()) return fail(`cannot read ${file}: it is a directory`);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        return fail(`cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (err as Error).message}`);
      }

      const input = createReadStream(file, { highWaterMark: 1 << 20 });
      const out = process.stdout;
      let closed = false;
      out.on('error', (err: NodeJS.ErrnoException) => {
        if (err.code === 'EPIPE') closed = true;
      });
      const t0 = process.hrtime.bigint();
      let result;
      try {
        result = await checkCsv(
          input,
          { columns, idBirthDate, today, encoding: encoding as 'auto', delimiter, allowLegacyId15: opts.allowLegacyId15 ?? false },
          async (batch) => {
            if (closed) return;
            let s = '';
            for (const f of batch) s += JSON.stringify(f) + '\n';
            if (!out.write(s)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
          },
        );
      } catch (err) {
        input.destroy();
        return fail(`cannot read ${file}: ${(err as Error).message}`);
      }
      input.destroy();
      if (!result.ok) {
        fail(`${file}: ${result.message}`);
        if (result.code === 'UNKNOWN_COLUMN' || result.code === 'BAD_OPTION') process.exitCode = 2;
        return;
      }
      const s = result.summary;
      const secs = Number(process.hrtime.bigint() - t0) / 1e9;
      const rules = Object.entries(s.byRule)
        .sort((a, b) => b[1] - a[1])
        .map(([r, n]) => `${r}=${n}`)
        .join(', ');
      process.stderr.write(
        `yiwang quality: ${s.rows} rows, ${columns.length} column check(s), ${s.findings} findings ` +
          `(${s.errors} errors, ${s.warnings} warnings)${rules ? ` [${rules}]` : ''}; encoding ${s.encoding}${s.bom ? ' with BOM' : ''}, ` +
          `delimiter ${JSON.stringify(s.delimiter)}; ${secs.toFixed(2)} s` +
          (s.decodeErrors ? `; WARNING: ${s.decodeErrors} undecodable bytes — try --encoding gbk` : '') +
          '\n',
      );
    });
}
