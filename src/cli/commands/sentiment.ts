import type { Command } from 'commander';

/**
 * `yiwang sentiment`: JSON Lines `{"id": …, "text": "…"}` on stdin → one line per input, in order:
 * `{"id": …, "label": "negative|neutral|positive", "score": -1..1, "positive": 0..1}`. A bad line gets
 * `{"id": …, "error": {"code", "message"}}` and the run goes on.
 */
export function register(program: Command): void {
  program
    .command('sentiment')
    .description('sentiment of JSON Lines {"id","text"} on stdin (label, score -1..1, positive 0..1)')
    .option('--domain <domain>', 'general (reviews, posts) or government (citizen messages: questions read neutral)', 'general')
    .action(async (opts: { domain: string }) => {
      if (opts.domain !== 'general' && opts.domain !== 'government') {
        process.stderr.write(`yiwang sentiment: --domain must be general or government\n`);
        process.exitCode = 2;
        return;
      }
      const domain = opts.domain;
      const [{ loadSentimentModel }, { sentimentLines }, { mapJsonLines }] = await Promise.all([
        import('../../nlp/sentiment/model.ts'),
        import('../../nlp/sentiment/jsonl.ts'),
        import('../io.ts'),
      ]);
      const loaded = loadSentimentModel();
      if (!loaded.ok) {
        process.stderr.write(`yiwang sentiment: ${loaded.error}\n`);
        process.exitCode = 1;
        return;
      }
      const model = loaded.model;
      // a closed pipe (yiwang sentiment < big.jsonl | head) ends the run quietly
      process.stdout.on('error', (err: NodeJS.ErrnoException) => {
        if (err.code === 'EPIPE') process.exit(0);
        throw err;
      });
      const r = await mapJsonLines(process.stdin, process.stdout, (items) => sentimentLines(model, items, { domain }));
      if (r.errors > 0) process.stderr.write(`yiwang sentiment: ${r.lines} lines, ${r.errors} errors\n`);
    });
}
