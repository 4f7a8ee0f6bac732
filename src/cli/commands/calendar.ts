import { Command, CommanderError } from 'commander';
import type { Calendar } from '../../lib/calendar/index.ts';

/** Usage errors (missing or extra arguments) exit 2 like bad values do; help still exits 0. */
function usageExit2(cmd: Command): Command {
  return cmd.exitOverride((err) => {
    if (err.exitCode === 0) throw err;
    throw new CommanderError(2, err.code, err.message);
  });
}

function fail(message: string): void {
  process.stderr.write(`yiwang calendar: ${message}\n`);
  process.exitCode = 2;
}

function warnUncovered(years: number[]): void {
  if (years.length) {
    process.stderr.write(
      `yiwang calendar: warning: no holiday table for ${years.join(', ')}; counted weekends only for those years\n`,
    );
  }
}

const WITH_DB = 'also count on the years an administrator added (opens the configured database: YIWANG_DATA_DIR or DATABASE_URL)';

/** The shipped calendar, or with `--with-db` the shipped table plus the added years, as the server counts. */
async function calendarFor(opts: { withDb?: boolean }): Promise<Calendar> {
  const { createCalendar, mergeHolidayRows, shippedCalendar } = await import('../../lib/calendar/index.ts');
  if (!opts.withDb) return shippedCalendar();
  const { loadConfig } = await import('../../config.ts');
  const { openAndMigrate } = await import('../../bootstrap.ts');
  const { addedHolidayRows } = await import('../../db/holidays.ts');
  const database = await openAndMigrate(loadConfig());
  try {
    return createCalendar(mergeHolidayRows(shippedCalendar().rows, await addedHolidayRows(database.db)));
  } finally {
    await database.close();
  }
}

/**
 * `yiwang calendar …`: the Chinese working-day calendar — the shipped official tables, with `--with-db` also the
 * years an administrator added — and `calendar import` to add a year from a file.
 */
export function register(program: Command): void {
  const cal = usageExit2(
    program.command('calendar').description('Chinese working-day calendar (weekends, public holidays, 调休 make-up days)'),
  );

  usageExit2(
    cal
      .command('add-working-days')
      .description('print the date N working days after DATE (DATE itself is not counted; N = 0 prints DATE)')
      .argument('<date>', 'start date, YYYY-MM-DD (e.g. the acceptance day)')
      .argument('<n>', 'number of working days, an integer ≥ 0')
      .option('--with-db', WITH_DB)
      .action(async (date: string, n: string, opts: { withDb?: boolean }) => {
        const { isValidDate } = await import('../../lib/calendar/index.ts');
        if (!isValidDate(date)) return fail(`invalid date ${JSON.stringify(date)}: expected a real date as YYYY-MM-DD`);
        if (!/^\d{1,5}$/.test(n)) return fail(`invalid N ${JSON.stringify(n)}: expected an integer from 0 to 99999`);
        const c = await calendarFor(opts);
        const out = c.addWorkingDays(date, Number(n));
        warnUncovered(c.uncoveredYearsBetween(date, out));
        process.stdout.write(`${out}\n`);
      }),
  );

  usageExit2(
    cal
      .command('is-working-day')
      .description('print true if DATE is a working day in mainland China, else false')
      .argument('<date>', 'YYYY-MM-DD')
      .option('--with-db', WITH_DB)
      .action(async (date: string, opts: { withDb?: boolean }) => {
        const { isValidDate } = await import('../../lib/calendar/index.ts');
        if (!isValidDate(date)) return fail(`invalid date ${JSON.stringify(date)}: expected a real date as YYYY-MM-DD`);
        const info = (await calendarFor(opts)).dayInfo(date);
        if (!info.covered) warnUncovered([Number(date.slice(0, 4))]);
        process.stdout.write(`${info.working}\n`);
      }),
  );

  usageExit2(
    cal
      .command('deadline')
      .description(
        'print the statutory clock of a case as JSON: deadline, green/amber/red on TODAY, used/remaining working days ' +
          '(the start day is not counted; working days inside pauses are not counted)',
      )
      .argument('<started-on>', 'the day the clock starts (受理 acceptance), YYYY-MM-DD')
      .argument('<limit>', 'time limit in working days')
      .option('--pause <FROM..TO>', 'a pause (补正 etc.), both ends inclusive; FROM.. for an open pause (repeatable)', (v: string, p: string[] = []) => [...p, v], [])
      .option('--today <YYYY-MM-DD>', 'the day to evaluate (default: today in China)')
      .option('--amber <N>', 'amber when at most N working days remain', '3')
      .option('--with-db', WITH_DB)
      .action(async (startedOn: string, limit: string, opts: { pause: string[]; today?: string; amber: string; withDb?: boolean }) => {
        const { chinaDate, isValidDate } = await import('../../lib/calendar/index.ts');
        if (!isValidDate(startedOn)) return fail(`invalid date ${JSON.stringify(startedOn)}: expected YYYY-MM-DD`);
        if (!/^\d{1,4}$/.test(limit)) return fail(`invalid limit ${JSON.stringify(limit)}: expected working days 0..9999`);
        if (!/^\d{1,3}$/.test(opts.amber)) return fail(`invalid --amber ${JSON.stringify(opts.amber)}`);
        const today = opts.today ?? chinaDate(new Date());
        if (!isValidDate(today)) return fail(`invalid --today ${JSON.stringify(today)}: expected YYYY-MM-DD`);
        const pauses: { from: string; to?: string }[] = [];
        for (const p of opts.pause) {
          const m = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})?$/.exec(p);
          if (!m?.[1]) return fail(`invalid --pause ${JSON.stringify(p)}: expected FROM..TO or FROM..`);
          pauses.push(m[2] ? { from: m[1], to: m[2] } : { from: m[1] });
        }
        const r = (await calendarFor(opts)).caseClock({
          startedOn,
          limitWorkingDays: Number(limit),
          pauses,
          today,
          amberWithinWorkingDays: Number(opts.amber),
        });
        if (!r.ok) return fail(r.message);
        warnUncovered(r.uncoveredYears);
        process.stdout.write(`${JSON.stringify({ startedOn, limitWorkingDays: Number(limit), today, ...r })}\n`);
      }),
  );

  usageExit2(
    cal
      .command('working-days-between')
      .description('print the number of working days d with A < d ≤ B (negative if B is before A)')
      .argument('<a>', 'YYYY-MM-DD')
      .argument('<b>', 'YYYY-MM-DD')
      .option('--with-db', WITH_DB)
      .action(async (a: string, b: string, opts: { withDb?: boolean }) => {
        const { isValidDate } = await import('../../lib/calendar/index.ts');
        for (const d of [a, b]) if (!isValidDate(d)) return fail(`invalid date ${JSON.stringify(d)}: expected YYYY-MM-DD`);
        const c = await calendarFor(opts);
        warnUncovered(c.uncoveredYearsBetween(a, b));
        process.stdout.write(`${c.workingDaysBetween(a, b)}\n`);
      }),
  );

  usageExit2(
    cal
      .command('import')
      .description(
        'add (or with --replace replace) one year of the calendar from the official notice as CSV date,kind,holiday ' +
          '(the shipped table\'s format: kind off = day off, work = make-up working day); every bad line is reported ' +
          'and nothing is saved (exit 2). Saved in the configured database and audited as the system',
      )
      .argument('<file>', 'the CSV file (UTF-8 or GBK)')
      .requiredOption('--year <YYYY>', 'the year the file is for; every date must be in it')
      .option('--replace', 'replace the year when the calendar already has it (shipped or added)')
      .option('--dry-run', 'make every check of an import (the database too: a year already there needs --replace) and save nothing')
      .action(async (file: string, opts: { year: string; replace?: boolean; dryRun?: boolean }) => {
        if (!/^\d{4}$/.test(opts.year)) return fail(`invalid --year ${JSON.stringify(opts.year)}: expected YYYY`);
        const year = Number(opts.year);
        const { readFile } = await import('node:fs/promises');
        const { decodeTextFile } = await import('../../lib/text/decodeTextFile.ts');
        const { parseHolidayCsv } = await import('../../lib/calendar/index.ts');
        let text: string;
        try {
          text = decodeTextFile(await readFile(file));
        } catch (err) {
          return fail(`cannot read ${file}: ${(err as Error).message}`);
        }
        // Checked before the database is opened: a bad file needs no database.
        const parsed = parseHolidayCsv(text, year);
        if (!parsed.ok) {
          for (const e of parsed.errors) process.stderr.write(`line ${e.line ?? 0}: ${e.messageEn}\n`);
          return fail(`${parsed.errors.length} bad line(s) in ${file}; nothing saved`);
        }
        const { withServices } = await import('../context.ts');
        const { SYSTEM } = await import('../../modules/identity/permissions.ts');
        // A dry run makes the import's own checks (year range, no row, a year already there), not the file's alone.
        const r = await withServices((services) => (opts.dryRun ? services.onestop.previewHolidayCsv : services.onestop.importHolidayCsv).call(services.onestop, SYSTEM, year, text, { replace: opts.replace === true }));
        if (!r.ok) {
          for (const f of r.error.fields ?? []) {
            process.stderr.write(`${f.field === 'replace' ? `${year} is already in the calendar: add --replace to replace it` : (f.messageEn ?? f.message)}\n`);
          }
          return fail(`${r.error.messageEn} Nothing saved.`);
        }
        for (const w of r.value.warnings) process.stderr.write(`yiwang calendar: warning: ${w.messageEn ?? w.message}\n`);
        if (opts.dryRun) {
          process.stdout.write(`${year}: ${r.value.rows.length} rows ready (dry run, nothing saved)\n`);
          return;
        }
        const replaced = r.value.replaces ? ` (replaced the ${r.value.replaces} table)` : '';
        process.stdout.write(`${year}: ${r.value.rows.length} rows saved, ${r.value.off} day${r.value.off === 1 ? '' : 's'} off, ${r.value.work} make-up working day${r.value.work === 1 ? '' : 's'}${replaced}\n`);
      }),
  );
}
