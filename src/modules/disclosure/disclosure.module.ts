import type { ModuleDefinition } from '../registry.ts';
import type { Services } from '../../services.ts';
import { portalEntries } from '../../web/context.ts';
import { html } from '../../web/html.ts';
import { workbenchSections } from '../identity/workbench.ts';
import { disclosurePages } from './disclosure.pages.ts';
import { disclosureApi } from './disclosure.routes.ts';
import { seedDisclosureDemo } from './disclosure.seed.ts';
import { DisclosureService } from './disclosure.service.ts';
import './disclosure.types.ts';

declare module '../../services.ts' {
  interface Services {
    disclosure: DisclosureService;
  }
}

portalEntries.push({
  href: '/disclosure', icon: '公', zh: '政府信息公开', en: 'Government information',
  descZh: '按分类和部门查阅政策文件、通知公告、预决算，申请政府信息公开。', descEn: 'Browse policies, notices and budgets; apply for information.',
});
workbenchSections.todo.push({ items: (services, p) => services.disclosure.todo(p) });
workbenchSections.staff.push({
  render: (ctx, p) => p.kind === 'staff' && p.roles.some((r) => ['clerk', 'dept_head', 'supervisor', 'leader'].includes(r))
    ? html`<section class="card"><h2>${ctx.lang === 'en' ? 'Government information disclosure' : '政务公开'}</h2><ul><li><a href="/disclosure/manage">${ctx.lang === 'en' ? 'Published documents' : '主动公开文件管理'}</a></li><li><a href="/disclosure/requests">${ctx.lang === 'en' ? 'Disclosure requests' : '依申请公开办理'}</a></li></ul></section>`
    : html``,
});
workbenchSections.citizen.push({
  render: (ctx) => html`<section class="card"><h2>${ctx.lang === 'en' ? 'Government information' : '政府信息公开'}</h2><ul><li><a href="/disclosure/my">${ctx.lang === 'en' ? 'My disclosure requests' : '我的信息公开申请'}</a></li><li><a href="/disclosure/apply">${ctx.lang === 'en' ? 'Apply for information' : '申请政府信息公开'}</a></li></ul></section>`,
});

const mod: ModuleDefinition = {
  name: 'disclosure',
  order: 50,
  services: (services: Services) => ({
    disclosure: new DisclosureService(services.database.db, services.audit, { calendar: services.calendar.live() }),
  }),
  routes: async (app) => {
    await app.register(disclosureApi);
    await app.register(disclosurePages);
  },
  seed: (services) => seedDisclosureDemo(services),
  start: (services, role) => {
    if (!services.config.demo || !role.installation) return undefined;
    // The demo city's departments are seeded before modules start; the catalogue follows them.
    const seeding = seedDisclosureDemo(services).catch((err: unknown) => {
      services.log.error({ err }, 'disclosure demo seeding failed');
      return false;
    });
    return async () => {
      await seeding;
    };
  },
};
export default mod;
