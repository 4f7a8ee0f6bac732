/** Runs inside a worker thread of the analyser pool: builds one analyser and answers batches. */
import { parentPort, workerData } from 'node:worker_threads';
import { createAnalyser, type AnalysisInput, type AnalyserOptions } from './analyse.ts';

const port = parentPort;
if (port) {
  const created = createAnalyser(workerData as Omit<AnalyserOptions, 'model'>);
  if (!created.ok) {
    port.postMessage({ type: 'failed', error: created.error });
  } else {
    const analyser = created.analyser;
    port.on('message', (msg: { id: number; items: AnalysisInput[] }) => {
      port.postMessage({ type: 'done', id: msg.id, results: analyser.analyseBatch(msg.items) });
    });
    port.postMessage({ type: 'ready' });
  }
}
