import { availableParallelism } from 'node:os';
import type { Command } from 'commander';

/** Registers `yiwang classify`: JSON Lines of messages on stdin → category, department, confidence on stdout. */
export function register(program: Command): void {
  program
    .command('classify')
    .description(
      'route messages: reads JSON Lines {"id","content","title"?} on stdin, writes {"id","category","department","confidence"} per line',
    )
    .option('--model <file>', 'model artefact (default: the committed one)')
    .option('--departments <file>', 'JSON object category → {"code","name"} or → "name" (default: the built-in A市 table)')
    .option('--scores', 'also print the probability of every category')
    .option(
      '--workers <n>',
      'worker threads for large inputs (batches of ≥ 1024 lines); 1 = main thread only',
      String(Math.min(2, availableParallelism())),
    )
    .action(async (opts: { model?: string; departments?: string; scores?: boolean; workers: string }) => {
      const { runClassify } = await import('../../nlp/routing/cli.ts');
      const code = await runClassify(
        {
          modelPath: opts.model,
          departmentsPath: opts.departments,
          scores: opts.scores === true,
          workers: Number(opts.workers) || 1,
        },
        process.stdin,
        process.stdout,
        (line) => process.stderr.write(line + '\n'),
      );
      if (code !== 0) process.exitCode = code;
    });
}
