import { Command, CommanderError } from 'commander';

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

/** `yiwang calendar …`: the Chinese working-day calendar (shipped 2025 and 2026 official holiday tables). */
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
      .action(async (date: string, n: string) => {
        const { isValidDate, shippedCalendar } = await import('../../lib/calendar/index.ts');
        if (!isValidDate(date)) return fail(`invalid date ${JSON.stringify(date)}: expected a real date as YYYY-MM-DD`);
        if (!/^\d{1,5}$/.test(n)) return fail(`invalid N ${JSON.stringify(n)}: expected an integer from 0 to 99999`);
        const c = shippedCalendar();
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
      .action(async (date: string) => {
        const { isValidDate, shippedCalendar } = await import('../../lib/calendar/index.ts');
        if (!isValidDate(date)) return fail(`invalid date ${JSON.stringify(date)}: expected a real date as YYYY-MM-DD`);
        const info = shippedCalendar().dayInfo(date);
        if (!info.covered) warnUncovered([Number(date.slice(0, 4))]);
        process.stdout.write(`${info.working}\n`);
      }),
  );

  usageExit2(
    cal
      .command('working-days-between')
      .description('print the number of working days d with A < d ≤ B (negative if B is before A)')
      .argument('<a>', 'YYYY-MM-DD')
      .argument('<b>', 'YYYY-MM-DD')
      .action(async (a: string, b: string) => {
        const { isValidDate, shippedCalendar } = await import('../../lib/calendar/index.ts');
        for (const d of [a, b]) if (!isValidDate(d)) return fail(`invalid date ${JSON.stringify(d)}: expected YYYY-MM-DD`);
        const c = shippedCalendar();
        warnUncovered(c.uncoveredYearsBetween(a, b));
        process.stdout.write(`${c.workingDaysBetween(a, b)}\n`);
      }),
  );
}
