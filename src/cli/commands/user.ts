import type { Command } from 'commander';

export function register(program: Command): void {
  const user = program.command('user').description('manage accounts');
  user
    .command('create')
    .description('create a staff account (password from --password or the first line of stdin)')
    .requiredOption('-u, --username <name>', 'login name: lower-case letters, digits, . _ -')
    .requiredOption('-n, --name <displayName>', 'the person\'s name as shown to colleagues')
    .requiredOption('-r, --role <roles>', 'comma-separated: clerk, dept_head, supervisor, analyst, leader, data_admin, sys_admin')
    .option('-d, --department <code>', 'department code (required for clerk and dept_head)')
    .option('--password <password>', 'initial password (otherwise read from the first line of stdin)')
    .action(async (opts: { username: string; name: string; role: string; department?: string; password?: string }) => {
      const { withServices } = await import('../context.ts');
      const { SYSTEM } = await import('../../modules/identity/permissions.ts');
      const password = opts.password ?? (await readFirstLine());
      await withServices(async (services) => {
        let departmentId: number | null = null;
        if (opts.department) {
          const d = (await services.identity.departments()).find((x) => x.code === opts.department);
          if (!d) {
            process.stderr.write(`no department with code ${opts.department}\n`);
            process.exitCode = 2;
            return;
          }
          departmentId = d.id;
        }
        const r = await services.identity.createStaff(SYSTEM, {
          username: opts.username, displayName: opts.name, password, departmentId,
          roles: opts.role.split(',').map((s) => s.trim()).filter(Boolean),
        });
        if (!r.ok) {
          process.stderr.write(`${r.error.code}: ${r.error.message}\n`);
          for (const f of r.error.fields ?? []) process.stderr.write(`  ${f.field}: ${f.message}\n`);
          process.exitCode = 2;
          return;
        }
        process.stdout.write(`created staff account ${r.value.username} (id ${r.value.id})\n`);
      });
    });
}

async function readFirstLine(): Promise<string> {
  const { createInterface } = await import('node:readline');
  const rl = createInterface({ input: process.stdin });
  for await (const line of rl) {
    rl.close();
    return line;
  }
  return '';
}
