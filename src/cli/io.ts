import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';

/**
 * Reads JSON Lines from `input`, calls `handle` on batches of parsed lines, writes one output line per input
 * line in order. A line that is not a JSON object yields `{"id": <id or null>, "error": {code, message}}`
 * and does not stop the run. Batching lets models amortise work across lines.
 */
export async function mapJsonLines(
  input: Readable,
  output: Writable,
  handle: (items: Record<string, unknown>[]) => unknown[] | Promise<unknown[]>,
  batchSize = 2048,
): Promise<{ lines: number; errors: number }> {
  const rl = createInterface({ input, crlfDelay: Infinity });
  let pending: ({ ok: true; value: Record<string, unknown> } | { ok: false; out: unknown })[] = [];
  let lines = 0;
  let errors = 0;
  const flush = async (): Promise<void> => {
    const good = pending.filter((p) => p.ok).map((p) => (p as { value: Record<string, unknown> }).value);
    const results = good.length ? await handle(good) : [];
    let i = 0;
    const parts: string[] = [];
    for (const p of pending) {
      const out = p.ok ? results[i++] : p.out;
      if (out && typeof out === 'object' && 'error' in out) errors++;
      parts.push(JSON.stringify(out));
    }
    pending = [];
    if (parts.length && !output.write(parts.join('\n') + '\n')) {
      await new Promise<void>((resolve) => output.once('drain', () => resolve()));
    }
  };
  for await (const line of rl) {
    if (line.trim() === '') continue;
    lines++;
    try {
      const value: unknown = JSON.parse(line);
      if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('not a JSON object');
      pending.push({ ok: true, value: value as Record<string, unknown> });
    } catch (err) {
      pending.push({
        ok: false,
        out: { id: null, line: lines, error: { code: 'BAD_JSON', message: `line ${lines}: ${(err as Error).message}` } },
      });
    }
    if (pending.length >= batchSize) await flush();
  }
  await flush();
  return { lines, errors };
}
