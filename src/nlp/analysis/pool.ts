/**
 * A pool of worker threads running the per-item analysis, for throughput on several cores. Each worker loads
 * its own model, dictionary and tables (about 0.5–1 s and 100 MB each). Results come back in input order.
 */
import { Worker } from 'node:worker_threads';
import type { AnalysisInput, AnalyserOptions, ItemAnalysis } from './analyse.ts';

/** A running pool. Call `close()` when done, or the process will not exit. */
export interface AnalyserPool {
  readonly size: number;
  /** Analyses items in order, split across the workers. */
  analyseBatch(items: readonly AnalysisInput[]): Promise<ItemAnalysis[]>;
  close(): Promise<void>;
}

type Msg = { type: 'ready' } | { type: 'failed'; error: string } | { type: 'done'; id: number; results: ItemAnalysis[] };

/** Starts `workers` threads (default 2). Fails as a value if a worker cannot load the model. */
export async function createAnalyserPool(
  opts: Omit<AnalyserOptions, 'model'> & { workers?: number } = {},
): Promise<{ ok: true; pool: AnalyserPool } | { ok: false; error: string }> {
  const { workers: n = 2, ...analyserOpts } = opts;
  const url = new URL('./pool-worker.mjs', import.meta.url);
  const workers: Worker[] = [];
  const pending = new Map<number, (r: ItemAnalysis[]) => void>();
  let nextId = 1;
  const starts = Array.from({ length: Math.max(1, n) }, () => {
    const w = new Worker(url, { workerData: analyserOpts });
    workers.push(w);
    return new Promise<string | null>((resolve) => {
      w.on('error', (err) => resolve(err.message));
      w.on('message', (m: Msg) => {
        if (m.type === 'ready') resolve(null);
        else if (m.type === 'failed') resolve(m.error);
        else {
          pending.get(m.id)?.(m.results);
          pending.delete(m.id);
        }
      });
    });
  });
  const errors = (await Promise.all(starts)).filter((e): e is string => e !== null);
  if (errors.length) {
    await Promise.all(workers.map((w) => w.terminate()));
    return { ok: false, error: errors[0] ?? 'worker failed' };
  }
  const run = (w: Worker, items: AnalysisInput[]): Promise<ItemAnalysis[]> =>
    new Promise((resolve) => {
      const id = nextId++;
      pending.set(id, resolve);
      w.postMessage({ id, items });
    });
  return {
    ok: true,
    pool: {
      size: workers.length,
      async analyseBatch(items) {
        if (items.length === 0) return [];
        const per = Math.ceil(items.length / workers.length);
        const parts = await Promise.all(
          workers.map((w, i) => {
            const chunk = items.slice(i * per, (i + 1) * per);
            return chunk.length ? run(w, chunk) : Promise.resolve([]);
          }),
        );
        return parts.flat();
      },
      async close() {
        await Promise.all(workers.map((w) => w.terminate()));
      },
    },
  };
}
