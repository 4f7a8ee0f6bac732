import type { Command } from 'commander';

/**
 * `yiwang hot-issues FILE.jsonl` — clusters messages (layout of datasets/hot-issue-messages; .gz accepted) into hot
 * issues and prints them hottest first: a table by default, JSON Lines with `--json` (one issue a line, with all
 * its `message_ids`). A malformed line is reported on stderr with its line number and skipped. Each issue's negative
 * share comes from the committed sentiment model (government domain) by default — until 27 Nov it was computed only
 * with `--sentiment` and was silently unknown otherwise; `--no-sentiment` turns it off, and the summary line says
 * which (`negative share: sentiment model` / `negative share: off (--no-sentiment)` / `…: unknown (why)`).
 */
export function register(program: Command): void {
  program
    .command('hot-issues')
    .description('cluster messages (JSON Lines: message_id, user_id, title, time, detail, likes, dislikes) into hot issues')
    .argument('<file>', 'JSON Lines file (optionally .gz)')
    .option('--top <n>', 'print only the N hottest issues', (v) => Number.parseInt(v, 10))
    .option('--json', 'print JSON Lines, one issue a line')
    .option('--min-items <n>', 'leave out issues with fewer items (default 1)', (v) => Number.parseInt(v, 10))
    .option('--sentiment', 'score messages with the sentiment model (the default; kept for older scripts)')
    .option('--no-sentiment', 'do not score messages with the sentiment model (src/nlp/sentiment); the negative share is then unknown')
    .action(async (file: string, opts: { top?: number; json?: boolean; minItems?: number; sentiment?: boolean }) => {
      const { readTextFile } = await import('../../nlp/hotissues/load.ts');
      const { parseMessageLine } = await import('../../nlp/hotissues/data.ts');
      const { clusterItems } = await import('../../nlp/hotissues/cluster.ts');
      const { formatIssueTable, issueToJson } = await import('../../nlp/hotissues/report.ts');
      let text: string;
      try {
        text = readTextFile(file);
      } catch (err) {
        process.stderr.write(`hot-issues: cannot read ${file}: ${(err as Error).message}\n`);
        process.exitCode = 2;
        return;
      }
      if (opts.top !== undefined && !(opts.top >= 0)) {
        process.stderr.write('hot-issues: --top must be a non-negative integer\n');
        process.exitCode = 2;
        return;
      }
      const items = [];
      const lines = text.split('\n');
      let bad = 0;
      for (let i = 0; i < lines.length; i++) {
        const l = (lines[i] as string).trim();
        if (!l) continue;
        const r = parseMessageLine(l);
        if (r.ok) items.push(r.item);
        else {
          bad++;
          process.stderr.write(`hot-issues: line ${i + 1}: ${r.error} (skipped)\n`);
        }
      }
      // Sentiment is on by default (the model is committed); without the model the command still clusters and says so.
      let sentiment: ((t: string) => { positive: number }) | undefined;
      let negativeNote = 'off (--no-sentiment)';
      if (opts.sentiment !== false) {
        try {
          const mod = (await import('../../nlp/sentiment/model.ts')) as {
            loadSentimentModel: () => { ok: true; model: { predict(t: string, o?: { domain?: 'government' }): { positive: number } } } | { ok: false; error: string };
          };
          const m = mod.loadSentimentModel();
          if (m.ok) {
            sentiment = (t) => m.model.predict(t, { domain: 'government' });
            negativeNote = 'sentiment model';
          } else {
            negativeNote = 'unknown (sentiment model not loaded)';
            process.stderr.write(`hot-issues: sentiment model not loaded (${m.error}); negative share left unknown\n`);
          }
        } catch (err) {
          negativeNote = 'unknown (sentiment module not available)';
          process.stderr.write(`hot-issues: sentiment module not available (${(err as Error).message}); negative share left unknown\n`);
        }
      }
      // The government domain reads |score| < 0.3 as neutral: negative means positive < 0.35.
      const { index, results } = clusterItems(items, sentiment ? { sentiment, negativeBelow: 0.35 } : {});
      for (const [i, r] of results.entries()) {
        if (!r.ok) process.stderr.write(`hot-issues: item ${String(items[i]?.id)}: ${r.error.message} (skipped)\n`);
      }
      const issues = index.issues({ top: opts.top, minItems: opts.minItems });
      const out: string[] = [];
      if (opts.json) {
        issues.forEach((iss, k) => out.push(JSON.stringify(issueToJson(iss, k + 1))));
        out.push('');
      } else {
        out.push(formatIssueTable(issues));
        out.push(`${items.length} messages, ${index.issueCount} issues${bad ? `, ${bad} bad lines skipped` : ''}; negative share: ${negativeNote}`);
        out.push('');
      }
      process.stdout.write(out.join('\n'));
    });
}
