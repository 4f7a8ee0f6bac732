import { definePermissions } from '../identity/permissions.ts';

/** Who may open the leaders' overview (决策支持): aggregates only, no personal data. */
export const authorizeLeader = definePermissions({
  'leader.overview': ['leader', 'supervisor', 'sys_admin'],
});
