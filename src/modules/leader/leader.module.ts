import type { ModuleDefinition } from '../registry.ts';
import type { Services } from '../../services.ts';
import { html } from '../../web/html.ts';
import { workbenchSections } from '../identity/workbench.ts';
import { authorizeLeader } from './leader.permissions.ts';
import { LeaderService } from './leader.service.ts';

declare module '../../services.ts' {
  interface Services {
    leader: LeaderService;
  }
}

workbenchSections.staff.push({
  render: (ctx, p) => p.kind === 'staff' && authorizeLeader(p, 'leader.overview').ok
    ? html`<section class="card"><h2>${ctx.lang === 'en' ? 'Decision support' : '决策支持'}</h2><ul><li><a href="/leader">${ctx.lang === 'en' ? 'Figures at a glance' : '领导总览：办件、诉求、舆情一览'}</a></li></ul></section>`
    : html``,
});

const mod: ModuleDefinition = {
  name: 'leader',
  // After the modules whose figures it reads (onestop, messages, opinion).
  order: 200,
  // The services object is complete by the time a request arrives; the overview reads it then.
  services: (services: Services) => ({ leader: new LeaderService(services) }),
  routes: async (app) => {
    const { leaderPages } = await import('./leader.pages.ts');
    await app.register(leaderPages);
  },
};
export default mod;
