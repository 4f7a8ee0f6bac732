import { definePermissions } from '../identity/permissions.ts';

/**
 * Who may do what with citizen messages. Department-scoped roles act only on their department's tickets (the
 * service passes the holding department as the target); dispatchers (督办 supervisors) work the manual queue.
 */
export const authorizeMessages = definePermissions({
  'message.view': ['clerk', 'dept_head', 'supervisor', 'leader', 'analyst'],
  /** Aggregate figures of all departments, no personal data (the leaders' overview page). */
  'message.overview': ['leader', 'supervisor', 'sys_admin'],
  'message.dispatch': ['supervisor'],
  'message.accept': ['clerk', 'dept_head'],
  'message.return': ['clerk', 'dept_head'],
  'message.transfer': ['dept_head', 'supervisor'],
  'message.reply': ['clerk', 'dept_head'],
  'message.callback': ['supervisor'],
  'message.close': ['supervisor'],
  'message.reopen': ['supervisor', 'citizen'],
  'message.merge': ['dept_head', 'supervisor'],
  'message.settings': ['supervisor'],
  'message.corrections': ['supervisor', 'data_admin', 'sys_admin'],
  'message.import': ['supervisor', 'sys_admin'],
  'message.hotline': ['supervisor', 'clerk', 'dept_head'],
  'message.channels': ['sys_admin'],
});
