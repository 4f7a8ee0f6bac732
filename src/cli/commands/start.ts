import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('start')
    .description('start the web server (embedded database unless DATABASE_URL is set; on PostgreSQL YIWANG_WORKERS processes, default one per CPU)')
    .option('--demo', 'seed the sample city A市 with demo accounts (same as YIWANG_DEMO=1)')
    .option('-p, --port <port>', 'port to listen on (same as PORT)')
    .action(async (opts: { demo?: boolean; port?: string }) => {
      const { loadConfig } = await import('../../config.ts');
      const config = loadConfig({ ...(opts.demo ? { YIWANG_DEMO: '1' } : {}), ...(opts.port ? { PORT: opts.port } : {}) });
      if (config.workers > 1) {
        // PostgreSQL with several worker processes (YIWANG_WORKERS, default one per CPU): src/cluster.ts.
        const { runCluster } = await import('../../cluster.ts');
        await runCluster(config);
        return;
      }
      const { startServer } = await import('../../server.ts');
      const running = await startServer(config);
      const shutdown = (signal: string) => {
        process.stdout.write(`\n${signal}: stopping…\n`);
        running.stop().then(() => process.exit(0), () => process.exit(1));
      };
      process.once('SIGINT', () => shutdown('SIGINT'));
      process.once('SIGTERM', () => shutdown('SIGTERM'));
    });
}
