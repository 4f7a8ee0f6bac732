import type { Config } from '../../config.ts';
import { countiesOf } from '../../lib/cn/region.ts';
import type { ModuleDefinition } from '../registry.ts';
import type { Services } from '../../services.ts';
import { portalEntries } from '../../web/context.ts';
import { html } from '../../web/html.ts';
import { workbenchSections } from '../identity/workbench.ts';
import { loadDefaultClassifier } from './classifier.ts';
import { authorizeMessages } from './messages.permissions.ts';
import './messages.errors.ts';
import type { DistrictLevel } from './messages.schema.ts';
import { MessagesService } from './messages.service.ts';
import type { KnowledgeSource } from './reuse.ts';
import './messages.types.ts';

declare module '../../services.ts' {
  interface Services {
    messages: MessagesService;
  }
}

portalEntries.push({
  href: '/messages/new',
  zh: '我要留言',
  en: 'Leave a message',
  descZh: '咨询、求助、投诉、建议、举报，自动转交主管部门限时办理',
  descEn: 'Questions, requests, complaints, suggestions and reports, routed to the right department',
  icon: '✉',
});

workbenchSections.todo.push({
  items: (services: Services, p) => services.messages.todo(p),
});

// Staff reach the tickets from the workbench (its to-do list shows only the open ones with a deadline): each link only
// for the roles that may open it.
workbenchSections.staff.push({
  render: (ctx, p) => {
    if (p.kind !== 'staff' || !authorizeMessages(p, 'message.view').ok) return html``;
    const en = ctx.lang === 'en';
    return html`<section class="card" aria-labelledby="wb-messages-title"><h2 id="wb-messages-title">${en ? 'Citizen messages' : '网络问政'}</h2><ul>
<li><a href="/staff/messages">${en ? 'Open tickets' : '在办工单'}</a></li>
${authorizeMessages(p, 'message.dispatch').ok ? html`<li><a href="/staff/messages?view=queue">${en ? 'Manual dispatch queue' : '人工分派队列'}</a></li>` : ''}
${authorizeMessages(p, 'message.settings').ok ? html`<li><a href="/staff/messages/settings">${en ? 'Routing and time limits' : '分派规则与时限'}</a></li>` : ''}
</ul></section>`;
  },
});

workbenchSections.citizen.push({
  render: (ctx, p) =>
    p.kind !== 'citizen'
      ? html``
      : html`<section class="card" aria-labelledby="my-messages-title">
  <h2 id="my-messages-title">${ctx.lang === 'en' ? 'My messages' : '我的留言'}</h2>
  <p><a href="/messages/mine">${ctx.lang === 'en' ? 'See my messages and their replies' : '查看我的留言及答复'}</a> · <a href="/messages/new">${ctx.lang === 'en' ? 'Leave a message' : '我要留言'}</a></p>
</section>`,
});

const ESCALATE_EVERY_MS = 10 * 60_000;

/** The sample city A市's 区县, as its anonymised sample messages name them (A1区…A6区, A7县, A8县, A9市). */
export const DEMO_DISTRICTS: readonly string[] = ['A1区', 'A2区', 'A3区', 'A4区', 'A5区', 'A6区', 'A7县', 'A8县', 'A9市'];

/**
 * The 区县 of the configured city (`YIWANG_CITY_CODE`, GB/T 2260); else the demo city's with the demo; else none.
 * Empty for a city without 区县 (东莞市 441900 …): see {@link cityDistrictLevel}.
 */
export function cityDistricts(config: Config): readonly string[] | undefined {
  if (config.cityCode) return countiesOf(config.cityCode).map((r) => r.name);
  return config.demo ? DEMO_DISTRICTS : undefined;
}

/**
 * `town` when the configured city has no 区县 (东莞、中山、儋州、嘉峪关: its next level is 镇/街道, which GB/T 2260 does
 * not list, so the field is 所在镇街, free text); else `county`.
 */
export function cityDistrictLevel(config: Config): DistrictLevel {
  return config.cityCode && countiesOf(config.cityCode).length === 0 ? 'town' : 'county';
}

const messagesModule: ModuleDefinition = {
  name: 'messages',
  async services(services) {
    // The model (~1 s to load) loads in the background after start (see start()), or on the first intake that needs
    // it; it is not on the path to readiness. The synchronous classify() other modules call says null until then.
    return {
      messages: new MessagesService(services.database.db, services.audit, {
        allowAnonymous: services.config.allowAnonymousMessages,
        // The shared working-day calendar, with the holiday years an administrator added (src/lib/calendar/source.ts).
        calendar: services.calendar.live(),
        districts: cityDistricts(services.config),
        districtLevel: cityDistrictLevel(services.config),
        loadClassifier: async () => (await loadDefaultClassifier()).classifier,
        // Built before this module when present (order 70); described by shape, so the module works without it.
        knowledge: (services as unknown as { knowledge?: KnowledgeSource }).knowledge,
      }),
    };
  },
  async routes(app) {
    const { messagesApi } = await import('./messages.routes.ts');
    const { messagesPages } = await import('./messages.pages.ts');
    const { open311Routes } = await import('./open311.routes.ts');
    await app.register(messagesApi, { prefix: '/api/v1' });
    await app.register(messagesPages);
    await app.register(open311Routes, { prefix: '/open311/v2' });
  },
  // Sample tickets for the demo city (after seedDemo; only with config.demo; idempotent).
  seed: async (services) => (await import('./messages.seed.ts')).seedMessagesDemo(services),
  start(services, role) {
    // Each serving process loads its own classifier; escalation is once per installation (src/cluster.ts).
    const warm = role.serving ? setTimeout(() => void services.messages.warmUp().catch(() => undefined), 1000) : undefined;
    warm?.unref();
    // Late tickets are escalated (督办) by a timer; the work is idempotent, so several processes may run it.
    const timer = role.installation
      ? setInterval(() => {
          void services.messages.escalateOverdue().catch(() => 0);
        }, ESCALATE_EVERY_MS)
      : undefined;
    timer?.unref();
    // The demo's sample tickets, once per installation, after the server is ready (not on the request path).
    let seeding: Promise<unknown> = Promise.resolve();
    const seed = services.config.demo && role.installation
      ? setTimeout(() => {
          seeding = import('./messages.seed.ts').then((m) => m.seedMessagesDemo(services))
            .catch((err: unknown) => services.log.error({ err }, 'messages demo seeding failed'));
        }, 2000)
      : undefined;
    seed?.unref();
    return async () => {
      clearTimeout(warm);
      clearInterval(timer);
      clearTimeout(seed);
      await seeding;
    };
  },
};

export default messagesModule;
