import { commonError, ok, type Result } from '../../lib/errors.ts';

export const STAFF_ROLES = ['clerk', 'dept_head', 'supervisor', 'analyst', 'leader', 'data_admin', 'sys_admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];
export type Role = StaffRole | 'citizen';

export const ROLE_NAMES: Record<Role, { zh: string; en: string }> = {
  clerk: { zh: '窗口/业务经办人员', en: 'Clerk' },
  dept_head: { zh: '部门负责人', en: 'Department head' },
  supervisor: { zh: '督办人员', en: 'Supervisor' },
  analyst: { zh: '舆情分析人员', en: 'Analyst' },
  leader: { zh: '领导', en: 'Leader' },
  data_admin: { zh: '数据管理员', en: 'Data administrator' },
  sys_admin: { zh: '系统管理员', en: 'System administrator' },
  citizen: { zh: '群众/企业', en: 'Citizen' },
};

/** Roles whose work spans departments; every other staff role sees only its own department's records. */
export const SPANNING_ROLES: readonly StaffRole[] = ['supervisor', 'analyst', 'leader', 'data_admin', 'sys_admin'];

/** Who is asking. Built from the session by the web layer, passed to every service call that needs checking. */
export type Principal =
  | { kind: 'anonymous' }
  | { kind: 'citizen'; id: number }
  | { kind: 'staff'; id: number; roles: readonly StaffRole[]; departmentId: number | null }
  /** The platform itself: seeding, scheduled jobs, the command line run by an operator. */
  | { kind: 'system' };

export const ANONYMOUS: Principal = { kind: 'anonymous' };
export const SYSTEM: Principal = { kind: 'system' };

/** Every action any module declared, with the roles allowed (read by the authorisation matrix test). */
export const PERMISSION_REGISTRY = new Map<string, readonly Role[]>();

/**
 * Declares what each role may do for a module's actions and returns a typed `authorize` for them. A role gets only
 * what it needs. Declaring the same action twice is a programming error.
 */
export function definePermissions<A extends string>(map: Record<A, readonly Role[]>) {
  for (const [action, roles] of Object.entries(map) as [A, readonly Role[]][]) {
    if (PERMISSION_REGISTRY.has(action)) throw new Error(`permission ${action} declared twice`);
    PERMISSION_REGISTRY.set(action, roles);
  }
  return (p: Principal, action: A, target: Target = {}): Result<void> => authorizeRoles(p, map[action], target);
}

const ALL_STAFF: readonly Role[] = STAFF_ROLES;

export const authorize = definePermissions({
  'workbench.view': ALL_STAFF,
  'department.create': ['sys_admin'],
  'department.list': ALL_STAFF,
  'staff.create': ['sys_admin'],
  'staff.list': ['dept_head', 'supervisor', 'leader', 'sys_admin'],
  /** Disable or enable a staff account (its sessions end when disabled). */
  'staff.disable': ['sys_admin'],
  /** Open a staff account's page, set a new initial password, change its roles and department. */
  'staff.edit': ['sys_admin'],
  'audit.read': ['sys_admin', 'supervisor'],
  'audit.verify': ['sys_admin'],
  'citizen.profile': ['citizen'],
});

export interface Target {
  /** The department that holds the record. */
  departmentId?: number | null;
  /** The citizen the record belongs to. */
  ownerId?: number | null;
}

export function rolesOf(p: Principal): readonly Role[] {
  switch (p.kind) {
    case 'anonymous':
      return [];
    case 'system':
      return STAFF_ROLES;
    case 'citizen':
      return ['citizen'];
    case 'staff':
      return p.roles;
  }
}

export function spansDepartments(p: Principal): boolean {
  if (p.kind === 'system') return true;
  return p.kind === 'staff' && p.roles.some((r) => SPANNING_ROLES.includes(r));
}

/**
 * Decides whether `p`, holding one of `allowed` roles, may act on `target`. Staff in department-scoped roles may act only on their own
 * department's records; citizens only on their own. Returns UNAUTHENTICATED for anonymous callers so that pages can
 * send them to the login page.
 */
export function authorizeRoles(p: Principal, allowed: readonly Role[], target: Target = {}): Result<void> {
  if (p.kind === 'anonymous') return commonError('UNAUTHENTICATED');
  if (p.kind === 'system') return ok(undefined);
  if (!rolesOf(p).some((r) => allowed.includes(r))) return commonError('FORBIDDEN');
  if (p.kind === 'citizen') {
    if (target.ownerId !== undefined && target.ownerId !== p.id) return commonError('FORBIDDEN');
    return ok(undefined);
  }
  if (target.departmentId !== undefined && target.departmentId !== null && !spansDepartments(p)) {
    if (p.departmentId !== target.departmentId) return commonError('FORBIDDEN');
  }
  return ok(undefined);
}

/** The departments whose records `p` may list: 'all', or the one department (none for citizens). */
export function departmentScope(p: Principal): 'all' | number[] {
  if (spansDepartments(p)) return 'all';
  if (p.kind === 'staff' && p.departmentId !== null) return [p.departmentId];
  return [];
}

/** The audit trail's label for a principal: a role and an id, never a name. */
export function actorOf(p: Principal): { id: number | null; label: string } {
  switch (p.kind) {
    case 'anonymous':
      return { id: null, label: 'anonymous' };
    case 'system':
      return { id: null, label: 'system' };
    case 'citizen':
      return { id: p.id, label: `citizen:${p.id}` };
    case 'staff':
      return { id: p.id, label: `staff:${p.id}` };
  }
}
