import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { Services } from '../services.ts';

/**
 * A feature module. Each `src/modules/<name>/<name>.module.ts` default-exports one; the platform finds them by
 * their file names, so adding a module touches no shared file. A module that others call adds its service to
 * the `Services` interface by declaration merging:
 *
 *   declare module '../../services.ts' { interface Services { messages: MessagesService } }
 */
export interface ModuleDefinition {
  name: string;
  /** Lower runs first (services of a module may use those of modules built before it). Default 100. */
  order?: number;
  /** Builds the module's services; they are merged into the shared Services object. */
  services?(services: Services): Record<string, unknown> | Promise<Record<string, unknown>>;
  /** Registers routes (pages and /api/v1 endpoints) on the app. */
  routes?(app: FastifyInstance): Promise<void>;
  /** Seeds the module's demo data for the sample city (idempotent); `yiwang seed` calls it after the city exists. */
  seed?(services: Services): Promise<unknown>;
  /**
   * Background work (timers) to start with the server; returns a stop function. `role` says what this process does:
   * one process of an installation runs the once-per-installation work (demo seeding, pollers, escalation, mail);
   * every process that serves HTTP warms its own in-memory state (search index, classifier). One process does both
   * unless `yiwang start` runs several workers (src/cluster.ts).
   */
  start?(services: Services, role: StartRole): (() => Promise<void>) | undefined;
}

/** What a process runs at start (see `ModuleDefinition.start`). */
export interface StartRole {
  /** Once per installation: demo seeding, source polling, timers whose work is shared through the database. */
  readonly installation: boolean;
  /** This process serves HTTP: warm its per-process state (search index, models) before the first request needs it. */
  readonly serving: boolean;
}

/** The role of a single-process server: everything. */
export const SINGLE_PROCESS: StartRole = Object.freeze({ installation: true, serving: true });

const here = dirname(fileURLToPath(import.meta.url));
let loaded: Promise<ModuleDefinition[]> | undefined;

/** All feature modules, in order. */
export function loadModules(): Promise<ModuleDefinition[]> {
  loaded ??= (async () => {
    const mods: ModuleDefinition[] = [];
    for (const dir of readdirSync(here, { withFileTypes: true })) {
      if (!dir.isDirectory()) continue;
      const file = join(here, dir.name, `${dir.name}.module.ts`);
      if (!existsSync(file)) continue;
      const m = (await import(pathToFileURL(file).href)) as { default: ModuleDefinition };
      mods.push(m.default);
    }
    return mods.sort((a, b) => (a.order ?? 100) - (b.order ?? 100) || a.name.localeCompare(b.name));
  })();
  return loaded;
}
