/**
 * Automatic routing of citizen messages: category (7 first-level classes of the TipDM 2020 data), calibrated
 * confidence, and the department from an editable table.
 *
 * ```ts
 * const r = await loadRoutingModel();
 * if (!r.ok) throw new Error(r.error.message);
 * const out = r.model.classify({ title: '小区噪音扰民', content: '…' });
 * if (out.ok) console.log(out.category, out.confidence, departmentFor(out.category));
 * ```
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { fromArtefact, type ArtefactResult } from './model.ts';
import { getJieba } from './text.ts';

export { CATEGORIES, isCategory, type Category } from './categories.ts';
export {
  DEFAULT_DEPARTMENTS,
  checkDepartmentTable,
  departmentFor,
  type Department,
  type DepartmentLookup,
  type DepartmentTable,
} from './departments.ts';
export {
  MAX_INPUT_CHARS,
  RoutingModel,
  fromArtefact,
  validateInput,
  type RoutingArtefact,
  type RoutingError,
  type RoutingInput,
  type RoutingOutcome,
  type RoutingPrediction,
} from './model.ts';

/** Path of the committed model artefact. */
export const DEFAULT_MODEL_PATH = join(dirname(fileURLToPath(import.meta.url)), 'model', 'routing-model.json.gz');

/** Parses a gzipped JSON artefact buffer into a model. */
export function modelFromBuffer(buf: Uint8Array): ArtefactResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(gunzipSync(buf).toString('utf8'));
  } catch (err) {
    return { ok: false, error: { code: 'BAD_ARTEFACT', message: `cannot read artefact: ${(err as Error).message}` } };
  }
  return fromArtefact(parsed, getJieba());
}

let cached: Promise<ArtefactResult> | undefined;

/**
 * Loads the routing model (default: the committed artefact). The default model is loaded once per process and
 * shared. A missing or unreadable artefact is returned as an error value.
 */
export async function loadRoutingModel(path?: string): Promise<ArtefactResult> {
  const load = async (p: string): Promise<ArtefactResult> => {
    let buf: Buffer;
    try {
      buf = await readFile(p);
    } catch (err) {
      return { ok: false, error: { code: 'BAD_ARTEFACT', message: `cannot read ${p}: ${(err as Error).message}` } };
    }
    return modelFromBuffer(buf);
  };
  if (path !== undefined && path !== DEFAULT_MODEL_PATH) return load(path);
  cached ??= load(DEFAULT_MODEL_PATH);
  const r = await cached;
  if (!r.ok) cached = undefined;
  return r;
}
