import type { ModuleDefinition } from '../registry.ts';
import type { Services } from '../../services.ts';
import { smtpChannel } from './notify.ts';
import { OnestopService, type SeedServicesReport } from './onestop.service.ts';
import { onestopApi } from './onestop.routes.ts';
import { onestopPages } from './onestop.pages.ts';
import { managePages } from './manage.pages.ts';
import { holidaysPages, logCalendarCoverage } from './holidays.pages.ts';
import './onestop.errors.ts';
import './onestop.types.ts';

declare module '../../services.ts' {
  interface Services {
    onestop: OnestopService;
  }
}

/**
 * Seeds one-stop services: the 1,135-item catalogue, the ten complete guides (assigned to the demo departments when
 * they exist) and, for the demo citizen, electronic certificates and two sample cases. Idempotent. Call it after
 * `seedDemo(services)`.
 */
export function seedServices(services: Services): Promise<SeedServicesReport> {
  return services.onestop.seed();
}

const onestopModule: ModuleDefinition = {
  name: 'onestop',
  order: 50,
  async services(services) {
    const onestop = new OnestopService(services.database.db, services.audit, { dataDir: services.config.dataDir, signingSecret: services.config.signingSecret, publicUrl: services.config.publicUrl, calendar: services.calendar });
    // Outgoing e-mail when configured (YIWANG_SMTP_URL); otherwise notifications stay in the outbox.
    const smtp = services.config.smtp;
    if (smtp) onestop.channels.push(await smtpChannel({ ...smtp }));
    return { onestop };
  },
  async routes(app) {
    await onestopApi(app);
    await onestopPages(app);
    await managePages(app);
    await holidaysPages(app);
  },
  seed: (services) => seedServices(services),
  start(services, role) {
    // Seeding, escalation and mail are once per installation (src/cluster.ts); nothing here is per process.
    if (!role.installation) return undefined;
    // Once per installation: say when the working-day calendar does not cover this year (or, from November, next year).
    logCalendarCoverage(services);
    let stopped = false;
    let running: Promise<unknown> = Promise.resolve();
    if (services.config.demo) running = services.onestop.seed().catch(() => undefined);
    // Overdue cases are escalated to the supervisors every ten minutes (any process may do it; marking is idempotent).
    const timer = setInterval(() => {
      if (!stopped) running = services.onestop.escalateOverdue().catch(() => 0);
    }, 10 * 60_000);
    timer.unref();
    const mail = setInterval(() => {
      if (!stopped && services.onestop.channels.length) running = services.onestop.deliver().catch(() => undefined);
    }, 30_000);
    mail.unref();
    return async () => {
      stopped = true;
      clearInterval(timer);
      clearInterval(mail);
      await running;
    };
  },
};

export default onestopModule;
