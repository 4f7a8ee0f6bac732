import type { Command } from 'commander';

export function register(program: Command): void {
  const audit = program.command('audit').description('the tamper-evident audit trail');
  audit
    .command('verify')
    .description('check the whole hash chain and its seals; names the first entry altered or removed; exits 1 then')
    .option('--json', 'print the report as JSON')
    .action(async (opts: { json?: boolean }) => {
      const { withServices } = await import('../context.ts');
      await withServices(async (services) => {
        const report = await services.audit.verify(services.database.db);
        if (opts.json) process.stdout.write(JSON.stringify(report) + '\n');
        else if (report.ok) process.stdout.write(`audit trail intact: ${report.sealed} sealed entries verified, ${report.pending} awaiting sealing (content checked)\n`);
        else process.stdout.write(`AUDIT TRAIL BROKEN after ${report.sealed} good entries: ${report.problem?.messageEn}\n`);
        if (!report.ok) process.exitCode = 1;
      });
    });
  audit
    .command('seal')
    .description('link and seal entries written since the last seal (the server does this every second)')
    .action(async () => {
      const { withServices } = await import('../context.ts');
      await withServices(async (services) => {
        const n = await services.audit.seal(services.database.db, 1_000_000);
        process.stdout.write(`sealed ${n} entries\n`);
      });
    });
}
