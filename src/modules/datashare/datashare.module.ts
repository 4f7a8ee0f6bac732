import type { ModuleDefinition } from '../registry.ts';
import type { Services } from '../../services.ts';
import { portalEntries } from '../../web/context.ts';
import { html } from '../../web/html.ts';
import { DEMO_CITIZEN } from '../demo/demo.seed.ts';
import { workbenchSections } from '../identity/workbench.ts';
import './datashare.errors.ts';
import { datasharePages } from './datashare.pages.ts';
import { datashareApi } from './datashare.routes.ts';
import { seedDatashareDemo } from './datashare.seed.ts';
import { DatashareService } from './datashare.service.ts';
import './datashare.types.ts';

declare module '../../services.ts' {
  interface Services {
    datashare: DatashareService;
  }
}

workbenchSections.todo.push({ items: (services, p) => services.datashare.todo(p) });
workbenchSections.staff.push({
  render: (ctx, p) => p.kind === 'staff' && p.roles.some((r) => ['dept_head', 'data_admin', 'supervisor', 'leader', 'clerk'].includes(r))
    ? html`<section class="card"><h2>${ctx.lang === 'en' ? 'Data resources and sharing' : '数据资源与共享'}</h2><ul>
<li><a href="/datashare">${ctx.lang === 'en' ? 'Data resource catalogue' : '政务信息资源目录'}</a></li>
<li><a href="/datashare/requests">${ctx.lang === 'en' ? 'Sharing requests' : '共享申请与审批'}</a></li>
${p.roles.some((r) => ['dept_head', 'data_admin', 'supervisor'].includes(r)) ? html`<li><a href="/datashare/log">${ctx.lang === 'en' ? 'Access log' : '调用日志'}</a></li>` : ''}
${p.roles.some((r) => ['dept_head', 'data_admin', 'supervisor', 'leader'].includes(r)) ? html`<li><a href="/datashare/quality">${ctx.lang === 'en' ? 'Data quality' : '数据质量'}</a></li>` : ''}</ul></section>`
    : html``,
});
workbenchSections.citizen.push({
  render: (ctx) => html`<section class="card"><h2>${ctx.lang === 'en' ? 'Who used my data' : '我的数据被谁使用'}</h2><p><a href="/datashare/my-data">${ctx.lang === 'en' ? 'See which departments read records about you, and why' : '查看哪些部门因何调用了您的信息'}</a></p></section>`,
});
void portalEntries;

const mod: ModuleDefinition = {
  name: 'datashare',
  order: 60,
  services: (services: Services) => ({
    datashare: new DatashareService(services.database.db, services.audit, { signingSecret: services.config.signingSecret }),
  }),
  routes: async (app) => {
    await app.register(datashareApi);
    await app.register(datasharePages);
  },
  seed: (services) => seedDatashareDemo(services, DEMO_CITIZEN),
  start: (services, role) => {
    if (!services.config.demo || !role.installation) return undefined;
    const seeding = seedDatashareDemo(services, DEMO_CITIZEN).catch((err: unknown) => {
      services.log.error({ err }, 'datashare demo seeding failed');
      return { created: false };
    });
    return async () => {
      await seeding;
    };
  },
};
export default mod;
