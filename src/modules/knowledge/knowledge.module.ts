import type { ModuleDefinition } from '../registry.ts';
import type { Services } from '../../services.ts';
import { html } from '../../web/html.ts';
import { workbenchSections } from '../identity/workbench.ts';
import { knowledgeApi } from './knowledge.routes.ts';
import { knowledgePages } from './knowledge.pages.ts';
import { KnowledgeService } from './knowledge.service.ts';
import './knowledge.errors.ts';
import './knowledge.types.ts';

declare module '../../services.ts' {
  interface Services {
    knowledge: KnowledgeService;
  }
}

workbenchSections.staff.push({
  render: (ctx, p) => p.kind === 'staff'
    ? html`<section class="card"><h2>${ctx.lang === 'en' ? 'Knowledge base' : '知识库'}</h2><ul><li><a href="/knowledge">${ctx.lang === 'en' ? 'Articles' : '知识条目'}</a></li><li><a href="/knowledge?due=1">${ctx.lang === 'en' ? 'Due for review' : '到期待复核'}</a></li></ul></section>`
    : html``,
});

const mod: ModuleDefinition = {
  name: 'knowledge',
  order: 70,
  services: (services: Services) => ({ knowledge: new KnowledgeService(services.database.db, services.audit, services.search, services.identity) }),
  routes: async (app) => {
    await app.register(knowledgeApi);
    await app.register(knowledgePages);
  },
  start: (services, role) => {
    if (!services.config.demo || !role.installation) return undefined;
    let seeding: Promise<unknown> = Promise.resolve();
    // After listen; the demo departments are seeded at start-up.
    const t = setTimeout(() => {
      seeding = import('./knowledge.seed.ts').then((m) => m.seedKnowledgeDemo(services)).catch((err: unknown) => {
        services.log.error({ err }, 'knowledge demo seeding failed');
      });
    }, 2500);
    t.unref();
    return async () => {
      clearTimeout(t);
      await seeding;
    };
  },
};
export default mod;
