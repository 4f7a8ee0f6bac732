/**
 * The I/O side of `yiwang classify` and `yiwang train routing` (the command files only parse options).
 */
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { gzipSync } from 'node:zlib';
import { mapJsonLines } from '../../cli/io.ts';
import { CATEGORIES } from './categories.ts';
import { loadTrainingRows, parseCorrections, type Correction } from './dataset.ts';
import { checkDepartmentTable, DEFAULT_DEPARTMENTS, type Department, type DepartmentTable } from './departments.ts';
import { DEFAULT_MODEL_PATH, loadRoutingModel } from './index.ts';
import type { RoutingModel } from './model.ts';
import { getJieba } from './text.ts';
import { trainRouting, type ValidationReport } from './train.ts';

const ID_MISSING = { code: 'ID_MISSING', message: 'id is missing: each line is {"id": …, "content": "…", "title": "…"}' } as const;

/** Reads a department table file: values may be `{code, name}` objects or plain names. */
export function parseDepartmentTable(text: string): { ok: true; table: DepartmentTable } | { ok: false; message: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return { ok: false, message: `departments file is not JSON: ${(err as Error).message}` };
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return { ok: false, message: 'departments file must be a JSON object' };
  const table: Record<string, Department> = {};
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    table[k] = typeof v === 'string' ? { code: k, name: v } : (v as Department);
  }
  const problems = checkDepartmentTable(table);
  return problems.length ? { ok: false, message: problems.join('; ') } : { ok: true, table };
}

/**
 * Classifies a batch of parsed JSON-Lines objects into output objects (same order). A line without an `id` (absent
 * or null) is an `ID_MISSING` error line: its answer could not be matched to its message.
 */
export function classifyLines(model: RoutingModel, items: readonly Record<string, unknown>[], table: DepartmentTable, withScores: boolean): unknown[] {
  return items.map((item) => {
    const id = item.id ?? null;
    if (id === null) return { id, error: ID_MISSING };
    const out = model.classify(item as { content: string; title?: string });
    if (!out.ok) return { id, error: out.error };
    const dept = table[out.category];
    const line: Record<string, unknown> = {
      id,
      category: out.category,
      department: dept?.name ?? null,
      confidence: out.confidence,
    };
    if (withScores) line.scores = out.scores;
    return line;
  });
}

/** A pool of worker threads that each hold the model and classify a share of every batch. */
class WorkerPool {
  private next = 1;
  private readonly waiting = new Map<number, (lines: unknown[]) => void>();
  private constructor(private readonly workers: Worker[]) {
    for (const w of workers) {
      w.on('message', (m: { id: number; lines?: unknown[] }) => {
        const done = this.waiting.get(m.id);
        if (done && m.lines) {
          this.waiting.delete(m.id);
          done(m.lines);
        }
      });
    }
  }

  /** Starts `n` workers and waits until each has loaded the model; an error value when one cannot. */
  static async start(
    n: number,
    data: { modelPath?: string | undefined; table: DepartmentTable; scores: boolean },
  ): Promise<{ ok: true; pool: WorkerPool } | { ok: false; message: string }> {
    const url = new URL('./classify-worker.mjs', import.meta.url);
    const workers = Array.from({ length: n }, () => new Worker(url, { workerData: data }));
    const ready = await Promise.all(
      workers.map(
        (w) =>
          new Promise<string | null>((resolve) => {
            w.once('message', (m: { ready?: boolean; fatal?: string }) => resolve(m.ready ? null : (m.fatal ?? 'worker failed')));
            w.once('error', (err) => resolve(err.message));
          }),
      ),
    );
    const failure = ready.find((r) => r !== null);
    if (failure) {
      await Promise.all(workers.map((w) => w.terminate()));
      return { ok: false, message: failure };
    }
    return { ok: true, pool: new WorkerPool(workers) };
  }

  /** Classifies a batch: split evenly over the workers, results concatenated in input order. */
  async classify(items: Record<string, unknown>[]): Promise<unknown[]> {
    const size = Math.ceil(items.length / this.workers.length);
    const parts = this.workers.map((w, k) => {
      const chunk = items.slice(k * size, (k + 1) * size);
      if (chunk.length === 0) return Promise.resolve([] as unknown[]);
      const id = this.next++;
      return new Promise<unknown[]>((resolve) => {
        this.waiting.set(id, resolve);
        w.postMessage({ id, items: chunk });
      });
    });
    return (await Promise.all(parts)).flat();
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/**
 * `yiwang classify`. Returns the exit code. With `workers` > 1, batches of at least `minParallelBatch` lines
 * are classified by that many worker threads (each loads the model once); small inputs stay on the main thread.
 */
export async function runClassify(
  opts: {
    modelPath?: string | undefined;
    departmentsPath?: string | undefined;
    scores: boolean;
    workers?: number | undefined;
    minParallelBatch?: number | undefined;
  },
  input: Readable,
  output: Writable,
  log: (line: string) => void,
): Promise<number> {
  let table: DepartmentTable = DEFAULT_DEPARTMENTS;
  if (opts.departmentsPath) {
    let text: string;
    try {
      text = await readFile(opts.departmentsPath, 'utf8');
    } catch (err) {
      log(`yiwang classify: ${(err as Error).message}`);
      return 2;
    }
    const t = parseDepartmentTable(text);
    if (!t.ok) {
      log(`yiwang classify: ${t.message}`);
      return 2;
    }
    table = t.table;
  }
  const workers = Math.max(1, Math.floor(opts.workers ?? 1));
  const minParallel = opts.minParallelBatch ?? 1024;
  let model: RoutingModel | undefined;
  let pool: WorkerPool | undefined;
  let failure: string | undefined;
  const handle = async (items: Record<string, unknown>[]): Promise<unknown[]> => {
    if (failure) return items.map((i) => ({ id: i.id ?? null, error: { code: 'MODEL_UNAVAILABLE', message: failure } }));
    if (!pool && !model && workers > 1 && items.length >= minParallel) {
      const started = await WorkerPool.start(workers, { modelPath: opts.modelPath, table, scores: opts.scores });
      if (started.ok) pool = started.pool;
      else log(`yiwang classify: worker threads unavailable (${started.message}); classifying on the main thread`);
    }
    if (pool) return pool.classify(items);
    if (!model) {
      const loaded = await loadRoutingModel(opts.modelPath);
      if (!loaded.ok) {
        failure = `${loaded.error.message} (run: node bin/yiwang.js train routing)`;
        log(`yiwang classify: ${failure}`);
        return handle(items);
      }
      model = loaded.model;
    }
    return classifyLines(model, items, table, opts.scores);
  };
  try {
    await mapJsonLines(input, output, handle);
  } finally {
    await pool?.close();
  }
  return failure ? 2 : 0;
}

function formatReport(v: ValidationReport): string[] {
  const pct = (x: number): string => (x * 100).toFixed(1) + '%';
  const lines = [
    `validation (raw text, ${v.validationRows} messages; trained on ${v.trainRows} rows): macro-F1 ${v.macroF1.toFixed(4)}, accuracy ${v.accuracy.toFixed(4)}, ECE ${v.ece.toFixed(3)}`,
  ];
  for (const c of CATEGORIES) {
    const p = v.perClass[c];
    lines.push(`  ${c}: F1 ${p.f1.toFixed(3)} (P ${p.precision.toFixed(3)}, R ${p.recall.toFixed(3)}, n ${p.support})`);
  }
  for (const t of v.thresholds) lines.push(`  confidence ≥ ${t.threshold}: ${pct(t.coverage)} of messages, accuracy ${pct(t.accuracy)}`);
  return lines;
}

/** `yiwang train routing`. Returns the exit code. */
export async function runTrainRouting(
  opts: { correctionsPath?: string | undefined; outPath?: string | undefined; validate: boolean },
  log: (line: string) => void,
): Promise<number> {
  let corrections: Correction[] = [];
  if (opts.correctionsPath) {
    let text: string;
    try {
      text = await readFile(opts.correctionsPath, 'utf8');
    } catch (err) {
      log(`yiwang train routing: ${(err as Error).message}`);
      return 2;
    }
    const parsed = parseCorrections(text);
    for (const e of parsed.errors) log(`corrections line ${e.line}: ${e.message} (skipped)`);
    corrections = parsed.corrections;
    log(`corrections: ${corrections.length} used, ${parsed.errors.length} skipped`);
  }
  const t0 = Date.now();
  const rows = loadTrainingRows();
  log(`training rows: ${rows.length}${opts.validate ? '; validating first' : ''}`);
  const OpenCC = await import('opencc-js/t2cn');
  const toSimplified = OpenCC.Converter({ from: 'tw', to: 'cn' });
  const { artefact, validation } = trainRouting(getJieba(), rows, corrections, undefined, !opts.validate, toSimplified);
  if (validation) for (const l of formatReport(validation)) log(l);
  const out = opts.outPath ?? DEFAULT_MODEL_PATH;
  const buf = gzipSync(JSON.stringify(artefact), { level: 9 });
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, buf);
  log(`wrote ${out} (${(buf.length / 1024).toFixed(0)} KiB, ${artefact.features.length} features) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return 0;
}
