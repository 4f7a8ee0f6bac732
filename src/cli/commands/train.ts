import type { Command } from 'commander';

/**
 * Returns the `train` parent command, creating it on first use. Other command files add their own
 * sub-commands with `getTrainCommand(program).command('sentiment')…`; the call is idempotent, so the order in
 * which command files are loaded does not matter.
 */
export function getTrainCommand(program: Command): Command {
  const existing = program.commands.find((c) => c.name() === 'train');
  if (existing) return existing;
  return program.command('train').description('train a model from the data in the repository and write its artefact');
}

/** Registers `yiwang train routing`. */
export function register(program: Command): void {
  getTrainCommand(program)
    .command('routing')
    .description('train the message routing classifier; writes src/nlp/routing/model/routing-model.json.gz')
    .option('--corrections <file>', 'extra JSON Lines {"content","title","category"} (staff redispatch corrections)')
    .option('--out <file>', 'where to write the artefact (default: the committed model path)')
    .option('--no-validate', 'skip the validation run (the confidence calibration then uses a fixed default)')
    .action(async (opts: { corrections?: string; out?: string; validate: boolean }) => {
      const { runTrainRouting } = await import('../../nlp/routing/cli.ts');
      const code = await runTrainRouting(
        { correctionsPath: opts.corrections, outPath: opts.out, validate: opts.validate },
        (line) => process.stderr.write(line + '\n'),
      );
      if (code !== 0) process.exitCode = code;
    });
}
