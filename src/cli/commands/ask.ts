import type { Command } from 'commander';
import { searchError } from '../../modules/search/search.errors.ts';

/** `yiwang ask "…"`: prints the answer passage and its source, or says there is no good answer. */
export function register(program: Command): void {
  program
    .command('ask')
    .description('answer a question from the policies, knowledge base and answered messages, with the source')
    .argument('<question...>', 'the question')
    .option('--json', 'print the answer as JSON')
    .action(async (words: string[], opts: { json?: boolean }) => {
      const question = words.join(' ');
      if (!question.trim()) {
        // As GET /api/v1/answer?q= (400 SEARCH_QUERY_EMPTY, the catalogue's message); refused before the database is opened.
        const { code, message } = searchError('SEARCH_QUERY_EMPTY').error;
        if (opts.json) process.stdout.write(JSON.stringify({ error: { code, message } }) + '\n');
        process.stderr.write(`${message}例如：yiwang ask "失业保险金怎么领取"\n`);
        process.exitCode = 2;
        return;
      }
      const { withServices } = await import('../context.ts');
      await withServices(async (services) => {
        const r = await services.search.ask(question);
        if (!r.ok) {
          process.stderr.write(`${r.error.message}\n`);
          process.exitCode = 2;
          return;
        }
        const a = r.value;
        if (opts.json) {
          process.stdout.write(JSON.stringify(a) + '\n');
          if ('none' in a) process.exitCode = 1; // as without --json: no good answer
          return;
        }
        if ('none' in a) {
          process.stdout.write(`没有找到可靠的答案（${a.reason}）。可以留言咨询：/messages/new\n`);
          process.exitCode = 1;
          return;
        }
        process.stdout.write(`${a.passage}\n\n来源：${a.sourceTitle}（${a.sourceType}${a.date ? '，' + a.date : ''}）${a.url ?? ''}\n`);
      });
    });
}
