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
    .option('--workers <n>', 'worker threads (1 = analyse in the main thread; 2 uses both cores on large inputs)', '1')
    .action(async (opts: { domain: string; keywords: string; workers: string }) => {
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
      const workers = Number(opts.workers);
      if (!Number.isInteger(workers) || workers < 1 || workers > 16) {
        process.stderr.write(`yiwang analyse: --workers must be an integer 1..16\n`);
        process.exitCode = 2;
        return;
      }
      const [{ createAnalyser }, { createAnalyserPool }, { readTextRecord }, { mapJsonLines }] = await Promise.all([
        import('../../nlp/analysis/analyse.ts'),
        import('../../nlp/analysis/pool.ts'),
        import('../../nlp/sentiment/jsonl.ts'),
        import('../io.ts'),
      ]);
      const analyserOpts = { domain: opts.domain, keywords: k } as const;
      let analyseBatch: (items: { title?: string; text: string }[]) => unknown[] | Promise<unknown[]>;
      let close = async (): Promise<void> => {};
      if (workers > 1) {
        const p = await createAnalyserPool({ ...analyserOpts, workers });
        if (!p.ok) {
          process.stderr.write(`yiwang analyse: ${p.error}\n`);
          process.exitCode = 1;
          return;
        }
        analyseBatch = (items) => p.pool.analyseBatch(items);
        close = () => p.pool.close();
      } else {
        const created = createAnalyser(analyserOpts);
        if (!created.ok) {
          process.stderr.write(`yiwang analyse: ${created.error}\n`);
          process.exitCode = 1;
          return;
        }
        const analyser = created.analyser;
        analyseBatch = (items) => analyser.analyseBatch(items);
      }
      // a closed pipe (yiwang analyse < big.jsonl | head) ends the run quietly
      process.stdout.on('error', (err: NodeJS.ErrnoException) => {
        if (err.code === 'EPIPE') process.exit(0);
        throw err;
      });
      const r = await mapJsonLines(process.stdin, process.stdout, async (items) => {
        const recs = items.map(readTextRecord);
        const inputs: { title?: string; text: string }[] = [];
        for (const rec of recs) {
          if (rec.ok) inputs.push(rec.record.title === undefined ? { text: rec.record.text } : { title: rec.record.title, text: rec.record.text });
        }
        const results = await analyseBatch(inputs);
        let i = 0;
        return recs.map((rec) => (rec.ok ? { id: rec.record.id, ...(results[i++] as object) } : rec.line));
      });
      await close();
      if (r.errors > 0) process.stderr.write(`yiwang analyse: ${r.lines} lines, ${r.errors} errors\n`);
    });
}
