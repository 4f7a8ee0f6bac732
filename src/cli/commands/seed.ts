import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('seed')
    .description('seed the sample city A市 (departments, one staff account per role, a citizen) and every module\'s demo data; safe to repeat')
    .action(async () => {
      const { withServices } = await import('../context.ts');
      const { seedDemo } = await import('../../modules/demo/demo.seed.ts');
      const { loadModules } = await import('../../modules/registry.ts');
      await withServices(async (services) => {
        const r = await seedDemo(services);
        for (const m of await loadModules()) {
          if (!m.seed) continue;
          await m.seed(services);
          process.stdout.write(`  ${m.name}: demo data in place\n`);
        }
        process.stdout.write(r.created ? 'demo data created. Demo-only accounts:\n' : 'demo data already present. Demo-only accounts:\n');
        for (const a of r.accounts) process.stdout.write(`  ${a.role.padEnd(12)} ${a.account.padEnd(14)} ${a.password}\n`);
      });
    });
}
