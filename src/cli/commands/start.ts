import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('start')
    .description('start the web server (embedded database unless DATABASE_URL is set)')
    .option('--demo', 'seed the sample city A市 with demo accounts (same as YIWANG_DEMO=1)')
    .option('-p, --port <port>', 'port to listen on (same as PORT)')
    .action(async (opts: { demo?: boolean; port?: string }) => {
      const { loadConfig } = await import('../../config.ts');
      const { startServer } = await import('../../server.ts');
      const config = loadConfig({ ...(opts.demo ? { YIWANG_DEMO: '1' } : {}), ...(opts.port ? { PORT: opts.port } : {}) });
      const running = await startServer(config);
      const shutdown = (signal: string) => {
        process.stdout.write(`\n${signal}: stopping…\n`);
        running.stop().then(() => process.exit(0), () => process.exit(1));
      };
      process.once('SIGINT', () => shutdown('SIGINT'));
      process.once('SIGTERM', () => shutdown('SIGTERM'));
    });
}
