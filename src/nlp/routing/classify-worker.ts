/**
 * Worker thread of `yiwang classify`: loads the model once, then classifies the batches it is sent.
 * Messages in: `{ id: number, items: Record<string, unknown>[] }`; out: `{ id, lines: unknown[] }` or
 * `{ id: -1, fatal: string }` when the model cannot be loaded.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { classifyLines } from './cli.ts';
import type { DepartmentTable } from './departments.ts';
import { loadRoutingModel } from './index.ts';

const data = workerData as { modelPath?: string; table: DepartmentTable; scores: boolean };
const loaded = await loadRoutingModel(data.modelPath);
const port = parentPort;
if (port) {
  if (!loaded.ok) port.postMessage({ id: -1, fatal: loaded.error.message });
  else {
    const model = loaded.model;
    port.on('message', (msg: { id: number; items: Record<string, unknown>[] }) => {
      port.postMessage({ id: msg.id, lines: classifyLines(model, msg.items, data.table, data.scores) });
    });
    port.postMessage({ id: 0, ready: true });
  }
}
