import { idNumberCheckChar } from '../../lib/cn/index.ts';
import type { Services } from '../../services.ts';
import { SYSTEM } from '../identity/permissions.ts';
import type { ResourceField } from './datashare.types.ts';

const HUJI_FIELDS: ResourceField[] = [
  { name: 'idNumber', label: '公民身份号码', labelEn: 'Citizen ID number', type: 'string', personal: true, sensitive: true, checks: ['required', 'cn-id'] },
  { name: 'name', label: '姓名', labelEn: 'Name', type: 'string', personal: true, sensitive: false, checks: ['required'] },
  { name: 'sex', label: '性别', labelEn: 'Sex', type: 'string', personal: true, sensitive: false },
  { name: 'birthDate', label: '出生日期', labelEn: 'Date of birth', type: 'date', personal: true, sensitive: false, checks: ['date'] },
  { name: 'regionCode', label: '户籍地行政区划代码', labelEn: 'Region code of household registration', type: 'string', personal: false, sensitive: false, checks: ['region-code'] },
  { name: 'address', label: '户籍地址', labelEn: 'Registered address', type: 'string', personal: true, sensitive: false },
  { name: 'mobile', label: '联系电话', labelEn: 'Phone number', type: 'string', personal: true, sensitive: true, checks: ['cn-mobile'] },
];

/** A valid GB 11643 number from a region, a birth date and a sequence. */
function makeId(region: string, birth: string, seq: number): string {
  const body = `${region}${birth.replace(/-/g, '')}${String(seq).padStart(3, '0')}`;
  return body + idNumberCheckChar(body);
}

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '周', '吴', '徐', '孙', '马', '朱', '胡'];
const GIVEN = ['伟', '芳', '娜', '秀英', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟'];

/** Demo 居民户籍 rows: the demo citizen, 40 generated residents, and a few with typical faults for the quality demo. */
type HujiRow = Record<'idNumber' | 'name' | 'sex' | 'birthDate' | 'regionCode' | 'address' | 'mobile', string>;

export function demoHujiRows(citizen: { idNumber: string; realName: string }): HujiRow[] {
  const rows: HujiRow[] = [
    { idNumber: citizen.idNumber, name: citizen.realName, sex: '男', birthDate: '1990-03-07', regionCode: '110101', address: 'A市东城区和平路12号', mobile: '13800138000' },
  ];
  const regions = ['430102', '430103', '430104', '430105', '430111'];
  for (let i = 0; i < 40; i++) {
    const year = 1950 + ((i * 7) % 55);
    const birth = `${year}-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 27) + 1).padStart(2, '0')}`;
    const seq = 100 + i * 2 + (i % 2); // odd 17th digit = male
    const region = regions[i % regions.length]!;
    rows.push({
      idNumber: makeId(region, birth, seq), name: `${SURNAMES[i % SURNAMES.length]}${GIVEN[(i * 3) % GIVEN.length]}`, sex: seq % 2 ? '男' : '女',
      birthDate: birth, regionCode: region, address: `A市${['芙蓉', '天心', '岳麓', '开福', '雨花'][i % 5]}区幸福路${i + 1}号`, mobile: `139${String(10000000 + i * 1371).slice(0, 8)}`,
    });
  }
  // Typical faults: lower-case x, full-width digits, a date in another format, a wrong check digit, a +86 phone.
  const f = (i: number) => rows[i]!;
  const xRow = rows.find((r, i) => i > 0 && r.idNumber.endsWith('X'));
  if (xRow) xRow.idNumber = `${xRow.idNumber.slice(0, 17)}x`;
  f(3).idNumber = ` ${f(3).idNumber}`;
  f(5).mobile = `+86 ${f(5).mobile}`;
  f(7).birthDate = f(7).birthDate.replace(/-/g, '/');
  f(9).mobile = f(9).mobile.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));
  const id11 = f(11).idNumber;
  f(11).idNumber = `${id11.slice(0, 17)}${id11.at(-1) === '1' ? '2' : '1'}`;
  f(13).regionCode = '430199';
  f(15).name = '';
  return rows;
}

/**
 * Seeds the data catalogue (four resources in four departments, one not shared), the 居民户籍 records, a calling
 * system of the provident fund centre with an approved request and two logged reads of the demo citizen's record,
 * and a first quality run. Once; later runs change nothing. Needs `seedDemo` first. Returns the demo system's key
 * when it created one (shown once).
 */
export async function seedDatashareDemo(services: Services, citizen: { idNumber: string; realName: string }): Promise<{ created: boolean; apiKey?: string }> {
  const svc = services.datashare;
  const existing = await svc.catalogue(SYSTEM);
  if (existing.ok && existing.value.length) return { created: false };
  const depts = new Map((await services.identity.departments()).map((d) => [d.code, d.id]));
  const need = (c: string) => {
    const id = depts.get(c);
    if (!id) throw new Error(`seeding datashare: department ${c} missing (run seedDemo first)`);
    return id;
  };
  const must = <T>(r: { ok: true; value: T } | { ok: false; error: { code: string; fields?: unknown } }, what: string): T => {
    if (!r.ok) throw new Error(`seeding datashare ${what}: ${r.error.code} ${JSON.stringify(r.error.fields ?? [])}`);
    return r.value;
  };
  const huji = must(await svc.registerResource(SYSTEM, {
    departmentId: need('A-PSB'), code: 'PSB-HUJI', name: '居民户籍信息', description: '本市户籍人口的身份号码、姓名、性别、出生日期、户籍地址等基本信息。',
    owner: 'A市公安局人口管理支队', updateFrequency: 'daily', sharingClass: 'conditional', sharingCondition: '仅限依法履职需要核验身份或户籍的部门，按批准的信息项和期限使用。',
    keyField: 'idNumber', fields: HUJI_FIELDS,
  }), 'PSB-HUJI');
  must(await svc.registerResource(SYSTEM, {
    departmentId: need('A-MARKET'), code: 'AMR-ENTERPRISE', name: '企业登记信息', description: '本市登记的企业名称、统一社会信用代码、法定代表人、住所、登记状态。',
    owner: 'A市市场监督管理局登记注册处', updateFrequency: 'realtime', sharingClass: 'unconditional', keyField: 'uscc',
    fields: [
      { name: 'uscc', label: '统一社会信用代码', labelEn: 'Unified social credit code', type: 'string', personal: false, sensitive: false, checks: ['required', 'cn-uscc'] },
      { name: 'entName', label: '企业名称', labelEn: 'Company name', type: 'string', personal: false, sensitive: false, checks: ['required'] },
      { name: 'legalRep', label: '法定代表人', labelEn: 'Legal representative', type: 'string', personal: true, sensitive: false },
      { name: 'status', label: '登记状态', labelEn: 'Registration status', type: 'string', personal: false, sensitive: false },
      { name: 'establishedOn', label: '成立日期', labelEn: 'Date of establishment', type: 'date', personal: false, sensitive: false, checks: ['date'] },
    ],
  }), 'AMR-ENTERPRISE');
  must(await svc.registerResource(SYSTEM, {
    departmentId: need('A-HRSS'), code: 'HRSS-INSURED', name: '社会保险参保信息', description: '参保人员的险种、参保状态、缴费起止年月。',
    owner: 'A市社会保险事业管理中心', updateFrequency: 'monthly', sharingClass: 'conditional', sharingCondition: '用于社会救助、住房保障等资格核验。', keyField: 'idNumber',
    fields: [
      { name: 'idNumber', label: '公民身份号码', labelEn: 'Citizen ID number', type: 'string', personal: true, sensitive: true, checks: ['cn-id'] },
      { name: 'insuranceType', label: '险种', labelEn: 'Insurance type', type: 'string', personal: false, sensitive: false },
      { name: 'insuredStatus', label: '参保状态', labelEn: 'Insurance status', type: 'string', personal: true, sensitive: false },
      { name: 'paidMonths', label: '累计缴费月数', labelEn: 'Months of contributions', type: 'integer', personal: true, sensitive: false, checks: ['range:0..720'] },
    ],
  }), 'HRSS-INSURED');
  must(await svc.registerResource(SYSTEM, {
    departmentId: need('A-RESOURCES'), code: 'NR-REALESTATE', name: '不动产登记簿', description: '不动产权利人、坐落、权属状况（依《不动产登记暂行条例》查询，不通过共享平台提供）。',
    owner: 'A市不动产登记中心', updateFrequency: 'realtime', sharingClass: 'none', keyField: 'certNo',
    fields: [
      { name: 'certNo', label: '不动产权证书号', labelEn: 'Property certificate number', type: 'string', personal: false, sensitive: true },
      { name: 'holderId', label: '权利人证件号码', labelEn: 'Holder\'s ID number', type: 'string', personal: true, sensitive: true, checks: ['cn-id'] },
    ],
  }), 'NR-REALESTATE');
  must(await svc.loadRecords(SYSTEM, huji.id, demoHujiRows(citizen)), 'records');
  const sys = must(await svc.registerSystem(SYSTEM, { departmentId: need('A-HPF'), name: '住房公积金业务系统', ratePerMinute: 120 }), 'system');
  const today = new Date();
  const y = today.getUTCFullYear();
  const req = must(await svc.requestAccess(SYSTEM, {
    systemId: sys.system.id, resource: 'PSB-HUJI', fields: ['name', 'address', 'regionCode'], purpose: '住房公积金提取业务核验申请人户籍',
    legalBasis: '《住房公积金管理条例》第二十四条', periodFrom: `${y}-01-01`, periodTo: `${y + 1}-12-31`,
  }), 'request');
  must(await svc.decide(SYSTEM, req.id, 'approve', '同意，按批准信息项使用'), 'approve');
  await svc.access(sys.apiKey, 'PSB-HUJI', citizen.idNumber, ['name', 'address']);
  await svc.access(sys.apiKey, 'PSB-HUJI', citizen.idNumber);
  must(await svc.runQuality(SYSTEM, huji.id), 'quality');
  return { created: true, apiKey: sys.apiKey };
}
