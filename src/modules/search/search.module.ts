import type { ModuleDefinition } from '../registry.ts';
import type { Services } from '../../services.ts';
import { searchApi } from './search.routes.ts';
import { searchPages } from './search.pages.ts';
import { SearchService } from './search.service.ts';
import { syncSources } from './search.sources.ts';
import './search.errors.ts';
import './search.types.ts';

declare module '../../services.ts' {
  interface Services {
    search: SearchService;
  }
}

/**
 * How often the installation's process (the single server, or the cluster primary) polls the source modules for
 * changes (see search.sources.ts).
 */
export const SYNC_INTERVAL_MS = 60_000;
/**
 * How often a process checks the search table for changes made by other processes before answering (ms): at most
 * this long after another process commits a change (a withdrawal included) can this one still show the old state.
 * Changes made through this process are seen by its next query. One indexed query per interval instead of one per
 * request (measured: the per-request check was about a fifth of the CPU of a search request on PGlite).
 */
export const FRESHNESS_MS = 100;

const mod: ModuleDefinition = {
  name: 'search',
  order: 60,
  services: (services: Services) => ({ search: new SearchService(services.database.db, services.audit, { freshnessMs: FRESHNESS_MS, snapshotDir: services.config.searchSnapshotDir, log: services.log }) }),
  routes: async (app) => {
    await app.register(searchApi);
    await app.register(searchPages);
  },
  seed: async (services) => {
    const { seedSearchDemo } = await import('./search.seed.ts');
    return seedSearchDemo(services);
  },
  start: (services, role) => {
    // Demo content and source polling are once per installation; each serving process builds its own index
    // (src/cluster.ts). Freshness is per process and needs no timer (a query checks for changes, docs/search-module.md).
    let stopped = false;
    let running: Promise<unknown> = Promise.resolve();
    const run = (fn: () => Promise<unknown>) => {
      running = running.then(() => (stopped ? undefined : fn())).catch((err: unknown) => {
        services.log.error({ err }, 'search: background work failed');
      });
    };
    // After listen: demo content (idempotent), then the first sync, then the index is built so the first search is fast.
    const first = setTimeout(() => {
      if (services.config.demo && role.installation) {
        run(async () => {
          const { seedSearchDemo } = await import('./search.seed.ts');
          await seedSearchDemo(services, () => stopped);
        });
      }
      if (role.installation) run(() => syncSources(services));
      if (role.serving) run(() => services.search.ensureLoaded());
    }, 1500);
    first.unref();
    const timer = role.installation ? setInterval(() => run(() => syncSources(services)), SYNC_INTERVAL_MS) : undefined;
    timer?.unref();
    return async () => {
      stopped = true;
      clearTimeout(first);
      clearInterval(timer);
      await running;
      // A snapshot write in progress is abandoned (the file is replaced only by a complete one; docs/search-module.md).
      await services.search.stop();
    };
  },
};
export default mod;
