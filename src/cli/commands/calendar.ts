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
      .action(async (startedOn: string, limit: string, opts: { pause: string[]; today?: string; amber: string }) => {
        const { chinaDate, isValidDate, shippedCalendar } = await import('../../lib/calendar/index.ts');
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
        const r = shippedCalendar().caseClock({
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
      .action(async (a: string, b: string) => {
        const { isValidDate, shippedCalendar } = await import('../../lib/calendar/index.ts');
        for (const d of [a, b]) if (!isValidDate(d)) return fail(`invalid date ${JSON.stringify(d)}: expected YYYY-MM-DD`);
        const c = shippedCalendar();
        warnUncovered(c.uncoveredYearsBetween(a, b));
        process.stdout.write(`${c.workingDaysBetween(a, b)}\n`);
      }),
  );
}
