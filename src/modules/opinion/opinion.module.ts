import type { ModuleDefinition } from '../registry.ts';
import type { Services } from '../../services.ts';
import { html } from '../../web/html.ts';
import { SYSTEM } from '../identity/permissions.ts';
import { workbenchSections } from '../identity/workbench.ts';
import './opinion.errors.ts';
import { feedFetch } from './feed-fetch.ts';
import { OpinionService } from './opinion.service.ts';
import './opinion.types.ts';

declare module '../../services.ts' {
  interface Services {
    opinion: OpinionService;
  }
}

workbenchSections.todo.push({ items: (services: Services, p) => services.opinion.todo(p) });
workbenchSections.staff.push({
  render: (ctx, p) => p.kind === 'staff' && p.roles.some((r) => ['analyst', 'leader', 'supervisor'].includes(r))
    ? html`<section class="card"><h2>${ctx.lang === 'en' ? 'Public opinion' : '舆情监测'}</h2><ul>
<li><a href="/opinion">${ctx.lang === 'en' ? 'Dashboard, hot issues and warnings' : '舆情看板、热点问题与预警'}</a></li>
<li><a href="/opinion/briefing?period=day">${ctx.lang === 'en' ? 'Daily briefing' : '舆情日报'}</a> · <a href="/opinion/briefing?period=week">${ctx.lang === 'en' ? 'Weekly briefing' : '舆情周报'}</a></li></ul></section>`
    : html``,
});

const TICK_MS = 60_000;

const opinionModule: ModuleDefinition = {
  name: 'opinion',
  order: 120,
  services: (services: Services) => ({
    opinion: new OpinionService(services.database.db, services.audit, {
      secret: services.config.signingSecret,
      // Task deadlines count on the shared working-day calendar, with the holiday years an administrator added.
      calendar: services.calendar.live(),
      // Feeds reach public addresses only (no loopback, intranet or metadata service), besides the allowed hosts.
      fetch: feedFetch(services.config.feedAllowHosts),
      // The responsible department: the messages module's classifier and its category → department routes.
      departmentFor: async (title, text) => {
        const m = (services as Partial<Services>).messages;
        if (!m) return null;
        // The classifier is loaded in the background by serving processes only: wait for it (the first clustering
        // after a start, and the primary of `yiwang start` on PostgreSQL, which serves nothing, would route nothing).
        await m.warmUp();
        const c = m.classify(title, text);
        if (!c) return null;
        const conf = await m.configuration(SYSTEM);
        return conf.ok ? conf.value.routes.find((r) => r.category === c.category)?.department_id ?? null : null;
      },
    }),
  }),
  routes: async (app) => {
    const { opinionApi } = await import('./opinion.routes.ts');
    const { opinionPages } = await import('./opinion.pages.ts');
    await app.register(opinionApi);
    await app.register(opinionPages);
  },
  seed: async (services) => {
    const { seedOpinionDemo } = await import('./opinion.seed.ts');
    return seedOpinionDemo(services);
  },
  start: (services, role) => {
    // Feeds, clustering and the demo seed are once per installation (src/cluster.ts).
    if (!role.installation) return undefined;
    let running = false;
    // Feeds on their schedule, new citizen messages, then clustering (one process at a time: the state row lock).
    const tick = async () => {
      if (running) return;
      running = true;
      try {
        // Items stored under an older redaction are redacted again, once per REDACTION_VERSION (one read after that).
        await services.opinion.redactStored();
        await services.opinion.pullDueFeeds();
        if ((services as Partial<Services>).messages) await services.opinion.pollMessages(services.messages);
        await services.opinion.cluster();
      } catch (err) {
        services.log.error({ err }, 'opinion: scheduled work failed');
      } finally {
        running = false;
      }
    };
    const timer = setInterval(() => void tick(), TICK_MS);
    timer.unref();
    let seeding: Promise<unknown> = Promise.resolve();
    if (services.config.demo) {
      // After the server is ready, not on the request path; idempotent (external ids).
      seeding = new Promise((r) => setTimeout(r, 2000).unref()).then(async () => {
        const { seedOpinionDemo } = await import('./opinion.seed.ts');
        await seedOpinionDemo(services);
      }).catch((err: unknown) => services.log.error({ err }, 'opinion demo seeding failed'));
    }
    return async () => {
      clearInterval(timer);
      await seeding;
    };
  },
};
export default opinionModule;
