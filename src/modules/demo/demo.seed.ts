import type { Services } from '../../services.ts';
import { SYSTEM, type StaffRole } from '../identity/permissions.ts';

/** The sample city's departments: a tree under the city government. */
export const DEMO_DEPARTMENTS: { code: string; name: string; nameEn: string; parent?: string }[] = [
  { code: 'A-GOV', name: 'A市人民政府', nameEn: 'City A Government' },
  { code: 'A-SERVICE', name: 'A市政务服务管理局', nameEn: 'Government Services Administration', parent: 'A-GOV' },
  { code: 'A-HRSS', name: 'A市人力资源和社会保障局', nameEn: 'Human Resources and Social Security Bureau', parent: 'A-GOV' },
  { code: 'A-PSB', name: 'A市公安局', nameEn: 'Public Security Bureau', parent: 'A-GOV' },
  { code: 'A-HOUSING', name: 'A市住房和城乡建设局', nameEn: 'Housing and Urban-Rural Development Bureau', parent: 'A-GOV' },
  { code: 'A-HPF', name: 'A市住房公积金管理中心', nameEn: 'Housing Provident Fund Centre', parent: 'A-GOV' },
  { code: 'A-CIVIL', name: 'A市民政局', nameEn: 'Civil Affairs Bureau', parent: 'A-GOV' },
  { code: 'A-MARKET', name: 'A市市场监督管理局', nameEn: 'Market Regulation Administration', parent: 'A-GOV' },
  { code: 'A-EDU', name: 'A市教育局', nameEn: 'Education Bureau', parent: 'A-GOV' },
  { code: 'A-HEALTH', name: 'A市卫生健康委员会', nameEn: 'Health Commission', parent: 'A-GOV' },
  { code: 'A-ECOLOGY', name: 'A市生态环境局', nameEn: 'Ecology and Environment Bureau', parent: 'A-GOV' },
  { code: 'A-TRANSPORT', name: 'A市交通运输局', nameEn: 'Transport Bureau', parent: 'A-GOV' },
  { code: 'A-RESOURCES', name: 'A市自然资源和规划局', nameEn: 'Natural Resources and Planning Bureau', parent: 'A-GOV' },
  { code: 'A-URBAN', name: 'A市城市管理局', nameEn: 'Urban Management Bureau', parent: 'A-GOV' },
  { code: 'A-DATA', name: 'A市大数据中心', nameEn: 'Big Data Centre', parent: 'A-GOV' },
  { code: 'A-DISABLED', name: 'A市残疾人联合会', nameEn: 'Disabled Persons Federation', parent: 'A-GOV' },
];

/** One staff account per role, and a citizen. Demo only: these passwords are public (README). */
export const DEMO_STAFF: { username: string; displayName: string; roles: StaffRole[]; department: string; password: string }[] = [
  { username: 'clerk', displayName: '王经办', roles: ['clerk'], department: 'A-HRSS', password: 'Clerk-demo-2026' },
  { username: 'head', displayName: '李科长', roles: ['dept_head'], department: 'A-HRSS', password: 'Head-demo-2026' },
  { username: 'supervisor', displayName: '赵督办', roles: ['supervisor'], department: 'A-SERVICE', password: 'Supervisor-demo-2026' },
  { username: 'analyst', displayName: '钱分析', roles: ['analyst'], department: 'A-SERVICE', password: 'Analyst-demo-2026' },
  { username: 'leader', displayName: '孙市长', roles: ['leader'], department: 'A-GOV', password: 'Leader-demo-2026' },
  { username: 'dataadmin', displayName: '周数据', roles: ['data_admin'], department: 'A-DATA', password: 'Data-demo-2026' },
  { username: 'admin', displayName: '吴管理', roles: ['sys_admin'], department: 'A-SERVICE', password: 'Admin-demo-2026' },
];

export const DEMO_CITIZEN = {
  realName: '张三',
  // A valid GB 11643 number issued in 北京市东城区 (checksum correct); fictitious person.
  idNumber: '110101199003070011',
  mobile: '13800138000',
  password: 'Citizen-demo-2026',
};

export interface SeedReport {
  created: boolean;
  accounts: { account: string; password: string; role: string }[];
}

/** Seeds the sample city "A市" once; later runs change nothing and report `created: false`. */
export async function seedDemo(services: Services): Promise<SeedReport> {
  const { identity } = services;
  const existing = await identity.departments();
  const accounts = [
    ...DEMO_STAFF.map((s) => ({ account: s.username, password: s.password, role: s.roles.join(',') })),
    { account: DEMO_CITIZEN.mobile, password: DEMO_CITIZEN.password, role: 'citizen' },
  ];
  if (existing.some((d) => d.code === 'A-GOV')) return { created: false, accounts };
  const ids = new Map<string, number>();
  for (const d of DEMO_DEPARTMENTS) {
    const r = await identity.createDepartment(SYSTEM, { code: d.code, name: d.name, nameEn: d.nameEn, parentId: d.parent ? ids.get(d.parent) : null });
    if (!r.ok) throw new Error(`seeding department ${d.code}: ${r.error.code}`);
    ids.set(d.code, r.value.id);
  }
  for (const s of DEMO_STAFF) {
    const r = await identity.createStaff(SYSTEM, { username: s.username, password: s.password, displayName: s.displayName, roles: s.roles, departmentId: ids.get(s.department) });
    if (!r.ok) throw new Error(`seeding staff ${s.username}: ${r.error.code} ${JSON.stringify(r.error.fields ?? [])}`);
  }
  const c = await identity.registerCitizen({ ...DEMO_CITIZEN });
  if (!c.ok) throw new Error(`seeding citizen: ${c.error.code} ${JSON.stringify(c.error.fields ?? [])}`);
  return { created: true, accounts };
}
