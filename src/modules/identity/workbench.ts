import type { Html } from '../../web/html.ts';
import type { PageContext } from '../../web/layout.ts';
import type { Services } from '../../services.ts';
import type { Principal } from './permissions.ts';

/** One line of a staff member's to-do list, contributed by a module (cases, messages, requests …). */
export interface TodoItem {
  title: string;
  href: string;
  module: string;
  /** Deadline as YYYY-MM-DD. */
  due?: string;
  status?: 'green' | 'amber' | 'red';
}

/**
 * What the modules add to the workbench and the citizen's page. Modules push their providers when they register;
 * each provider applies its own role and department checks.
 */
export const workbenchSections: {
  todo: { items(services: Services, p: Principal): Promise<TodoItem[]> }[];
  staff: { render(ctx: PageContext, p: Principal): Html }[];
  citizen: { render(ctx: PageContext, p: Principal): Html }[];
} = { todo: [], staff: [], citizen: [] };
