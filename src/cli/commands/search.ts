import type { Command } from 'commander';

/**
 * `yiwang search --top K`: JSON Lines `{"id","q"}` on stdin → one line per query, in order:
 * `{"id","hits":[{"id","type","score"}]}` (the hit id is the source id: the bare docid for policies). Bad lines
 * become error lines and the run continues. Uses the configured database's search table.
 */
export function register(program: Command): void {
  program
    .command('search')
    .description('search the unified index: reads JSON Lines {"id","q"} on stdin, writes {"id","hits":[{"id","type","score"}]} per line')
    .option('--top <k>', 'hits per query (1–1000)', '10')
    .option('--type <types>', 'only these types (comma-separated: policy,service,reply,knowledge,disclosure)')
    .action(async (opts: { top: string; type?: string }) => {
      const top = Math.min(Math.max(Math.trunc(Number(opts.top)) || 10, 1), 1000);
      const { withServices } = await import('../context.ts');
      const { mapJsonLines } = await import('../io.ts');
      const { SearchService } = await import('../../modules/search/search.service.ts');
      const { parseTypes } = await import('../../modules/search/search.routes.ts');
      const types = parseTypes(opts.type);
      await withServices(async (services) => {
        // One batch process: check the table once, not before every query.
        const search = new SearchService(services.database.db, services.audit, { freshnessMs: 3_600_000 });
        await search.ensureLoaded();
        await mapJsonLines(process.stdin, process.stdout, async (items) => {
          const out: unknown[] = [];
          for (const it of items) {
            const id = it.id ?? null;
            if (typeof it.q !== 'string') {
              out.push({ id, error: { code: 'BAD_INPUT', message: 'q: required (a string)' } });
              continue;
            }
            const r = await search.search(it.q, { top, noSnippets: true, logMiss: false, ...(types ? { type: types } : {}) });
            out.push(r.ok ? { id, hits: r.value.hits.map((h) => ({ id: h.sourceId, type: h.type, score: Math.round(h.score * 1e4) / 1e4 })) } : { id, hits: [] });
          }
          return out;
        });
      });
    });
}
