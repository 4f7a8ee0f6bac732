import { definePermissions } from '../identity/permissions.ts';

/** Who may do what in one-stop services; department checks are applied by the service with each record's department. */
export const authorizeSvc = definePermissions({
  'svc.item.edit': ['dept_head', 'sys_admin'],
  'svc.item.publish': ['dept_head', 'sys_admin'],
  'svc.case.apply': ['citizen'],
  'svc.case.handle': ['clerk', 'dept_head'],
  'svc.case.view': ['clerk', 'dept_head', 'supervisor', 'leader'],
  'svc.case.overdue': ['supervisor', 'leader', 'dept_head'],
  /** Aggregate figures of all departments, no personal data (the leaders' overview page). */
  'svc.case.overview': ['leader', 'supervisor', 'sys_admin'],
  'svc.holiday.add': ['sys_admin'],
  /** The working-day calendar's years (read only): supervisors watch the time limits counted on it. */
  'svc.holiday.view': ['sys_admin', 'supervisor'],
  'svc.cert.revoke': ['dept_head', 'sys_admin'],
  'svc.cert.keys': ['sys_admin'],
  'svc.outbox.view': ['sys_admin', 'supervisor'],
});
