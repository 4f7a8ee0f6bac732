import type { Command } from 'commander';

/**
 * `yiwang analyse`: JSON Lines `{"id": …, "text": "…", "title"?: "…"}` on stdin → one line per input, in order:
 * `{"id", "sentiment": {label, score, positive}, "keywords", "places", "organisations", "urgency": {level, cues}}`.
 * A bad line gets `{"id": …, "error": {"code", "message"}}` and the run goes on.
 */
export function register(program: Command): void {
  program
    .command('analyse')
    .alias('analyze')
    .description('per-item analysis of JSON Lines {"id","text","title"?} on stdin: sentiment, keywords, places, organisations, urgency')
    .option('--domain <domain>', 'government (default: citizen messages) or general (reviews, posts)', 'government')
    .option('--keywords <n>', 'keywords per item', '8')
    .action(async (opts: { domain: string; keywords: string }) => {
      if (opts.domain !== 'general' && opts.domain !== 'government') {
        process.stderr.write(`yiwang analyse: --domain must be general or government\n`);
        process.exitCode = 2;
        return;
      }
      const k = Number(opts.keywords);
      if (!Number.isInteger(k) || k < 0 || k > 100) {
        process.stderr.write(`yiwang analyse: --keywords must be an integer 0..100\n`);
        process.exitCode = 2;
        return;
      }
      const [{ createAnalyser }, { readTextRecord }, { mapJsonLines }] = await Promise.all([
        import('../../nlp/analysis/analyse.ts'),
        import('../../nlp/sentiment/jsonl.ts'),
        import('../io.ts'),
      ]);
      const created = createAnalyser({ domain: opts.domain, keywords: k });
      if (!created.ok) {
        process.stderr.write(`yiwang analyse: ${created.error}\n`);
        process.exitCode = 1;
        return;
      }
      const analyser = created.analyser;
      // a closed pipe (yiwang analyse < big.jsonl | head) ends the run quietly
      process.stdout.on('error', (err: NodeJS.ErrnoException) => {
        if (err.code === 'EPIPE') process.exit(0);
        throw err;
      });
      const r = await mapJsonLines(process.stdin, process.stdout, (items) =>
        items.map((item) => {
          const rec = readTextRecord(item);
          if (!rec.ok) return rec.line;
          const input = rec.record.title === undefined ? { text: rec.record.text } : { title: rec.record.title, text: rec.record.text };
          return { id: rec.record.id, ...analyser.analyse(input) };
        }),
      );
      if (r.errors > 0) process.stderr.write(`yiwang analyse: ${r.lines} lines, ${r.errors} errors\n`);
    });
}
