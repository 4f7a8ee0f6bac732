import { html, type Html } from '../../web/html.ts';
import type { PageContext } from '../../web/layout.ts';
import type { Services } from '../../services.ts';
import { authorize, type Principal } from './permissions.ts';

/** One line of a staff member's to-do list, contributed by a module (cases, messages, requests …). */
export interface TodoItem {
  title: string;
  /** The line on English pages (names typed by people, such as a ticket's subject, stay as typed). */
  titleEn: string;
  href: string;
  module: string;
  moduleEn: string;
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
} = { todo: [], staff: [adminSection()], citizen: [] };

/** The system administrator's links (accounts, departments, the audit trail) and a supervisor's read-only audit trail. */
function adminSection(): { render(ctx: PageContext, p: Principal): Html } {
  return {
    render: (ctx, p) => {
      if (p.kind !== 'staff') return html``;
      const en = ctx.lang === 'en';
      const links = [
        authorize(p, 'staff.create').ok ? html`<li><a href="/staff/admin/users">${en ? 'Staff accounts' : '工作人员账号'}</a></li>` : '',
        authorize(p, 'department.create').ok ? html`<li><a href="/staff/admin/departments">${en ? 'Departments' : '部门管理'}</a></li>` : '',
        authorize(p, 'audit.verify').ok
          ? html`<li><a href="/staff/admin/audit">${en ? 'Verify the audit trail' : '核验审计链'}</a></li>`
          // Supervisors (督办) read the trail to follow who did what; verifying the chain stays with administrators.
          : authorize(p, 'audit.read').ok ? html`<li><a href="/staff/admin/audit">${en ? 'Audit trail (read only)' : '审计记录（只读）'}</a></li>` : '',
      ].filter((l) => l !== '');
      const heading = authorize(p, 'staff.create').ok ? (en ? 'System administration' : '系统管理') : (en ? 'Audit' : '审计');
      return links.length ? html`<section class="card"><h2>${heading}</h2><ul>${links}</ul></section>` : html``;
    },
  };
}
