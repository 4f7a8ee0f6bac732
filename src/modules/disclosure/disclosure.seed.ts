import type { Services } from '../../services.ts';
import { SYSTEM } from '../identity/permissions.ts';

/** The catalogue tree of A市 (a common 政府信息公开目录 layout). */
export const DEMO_CATEGORIES: { code: string; name: string; nameEn: string; parent?: string }[] = [
  { code: 'jgzn', name: '机构职能', nameEn: 'Organisation and functions' },
  { code: 'fgwj', name: '法规文件', nameEn: 'Regulations and documents' },
  { code: 'gfxwj', name: '规范性文件', nameEn: 'Normative documents', parent: 'fgwj' },
  { code: 'zcjd', name: '政策解读', nameEn: 'Policy interpretations', parent: 'fgwj' },
  { code: 'ghjh', name: '规划计划', nameEn: 'Plans' },
  { code: 'czxx', name: '财政信息', nameEn: 'Public finance' },
  { code: 'yjs', name: '财政预决算', nameEn: 'Budgets and final accounts', parent: 'czxx' },
  { code: 'tjxx', name: '统计信息', nameEn: 'Statistics' },
  { code: 'tzgg', name: '通知公告', nameEn: 'Notices' },
  { code: 'zdly', name: '重点领域信息公开', nameEn: 'Key areas' },
  { code: 'shbz', name: '社会保障', nameEn: 'Social security', parent: 'zdly' },
  { code: 'zfbz', name: '住房保障', nameEn: 'Housing security', parent: 'zdly' },
];

interface DemoDoc {
  dept: string;
  category: string;
  title: string;
  issuer: string;
  docNumber?: string;
  issuedOn: string;
  validFrom?: string;
  validUntil?: string;
  keywords: string;
  body: string;
  attachments?: { name: string; url: string }[];
  withdraw?: string;
}

/** Demo documents: fictitious, written in the style of real municipal notices and policies. */
export const DEMO_DOCUMENTS: DemoDoc[] = [
  {
    dept: 'A-GOV', category: 'gfxwj', issuer: 'A市人民政府办公室', docNumber: 'A府办发〔2026〕3号', issuedOn: '2026-02-10', validFrom: '2026-03-01', validUntil: '2028-02-29',
    title: 'A市人民政府办公室关于印发《A市进一步优化营商环境若干措施》的通知',
    keywords: '营商环境 一网通办 企业开办 证照分离',
    body: `各县（市、区）人民政府，市政府各部门、各直属机构：
《A市进一步优化营商环境若干措施》已经市政府同意，现印发给你们，请认真贯彻执行。

一、企业开办全程网办。依托“一网通办”平台，企业登记、公章刻制、涉税办理、社保登记、银行开户预约一表申请、一日办结。
二、推行“证照分离”改革全覆盖，对涉企经营许可事项实行清单管理，能减则减、能并则并。
三、政务服务事项“最多跑一次”。除法律法规另有规定或涉及国家秘密等情形外，政务服务事项全部纳入一网通办平台，申请材料能共享的不再要求企业和群众提供。
四、建立企业诉求“接诉即办”机制，12345 热线企业诉求 1 个工作日内响应、5 个工作日内办结。
五、本措施自2026年3月1日起施行，有效期两年。`,
    attachments: [{ name: 'A市进一步优化营商环境若干措施（全文）.pdf', url: '/static/demo/yshj-2026.pdf' }],
  },
  {
    dept: 'A-HRSS', category: 'zcjd', issuer: 'A市人力资源和社会保障局', issuedOn: '2026-01-20',
    title: '《A市城乡居民基本养老保险实施办法》政策解读',
    keywords: '城乡居民养老保险 缴费档次 政府补贴 政策解读',
    body: `一、出台背景
为进一步完善城乡居民基本养老保险制度，根据国家和省有关规定，结合我市实际，制定本办法。

二、参保范围
年满16周岁（不含在校学生），非国家机关和事业单位工作人员及不属于职工基本养老保险制度覆盖范围的城乡居民，可在户籍地参加城乡居民养老保险。

三、缴费档次
个人缴费标准设为每年200元至5000元共14个档次，参保人自主选择，多缴多得。

四、政府补贴
对选择200元档次缴费的，补贴标准为每人每年40元；选择500元及以上档次的，补贴标准不低于每人每年80元。

五、办理渠道
参保人可通过“一网通办”平台、社保经办窗口或村（社区）便民服务站办理参保登记和缴费。`,
  },
  {
    dept: 'A-GOV', category: 'yjs', issuer: 'A市财政局', issuedOn: '2026-02-05',
    title: 'A市2026年市级部门预算公开说明',
    keywords: '预算公开 三公经费 部门预算',
    body: `根据《中华人民共和国预算法》和预决算公开有关规定，现将A市2026年市级部门预算公开如下：
一、2026年市级一般公共预算支出安排 86.4 亿元，比上年增长 3.2%。
二、“三公”经费预算 0.62 亿元，比上年下降 5.1%，其中因公出国（境）费 0.03 亿元，公务用车购置及运行费 0.35 亿元，公务接待费 0.24 亿元。
三、各部门预算公开表格见附件。`,
    attachments: [{ name: '2026年市级部门预算公开表.xlsx', url: '/static/demo/budget-2026.xlsx' }],
  },
  {
    dept: 'A-SERVICE', category: 'tzgg', issuer: 'A市政务服务管理局', issuedOn: '2026-02-06',
    title: '关于2026年春节期间市民中心政务服务大厅办公时间调整的公告',
    keywords: '春节 办公时间 政务服务大厅 网上办理',
    body: `根据国务院办公厅关于2026年部分节假日安排的通知，2026年春节放假期间（2月15日至2月23日），市民中心政务服务大厅暂停现场服务，2月14日（星期六）、2月28日（星期六）正常上班。
放假期间，群众和企业可通过“一网通办”平台办理网上事项；紧急事项请拨打 12345 政务服务便民热线。
特此公告。`,
  },
  {
    dept: 'A-GOV', category: 'tjxx', issuer: 'A市统计局', issuedOn: '2026-03-15',
    title: 'A市2025年国民经济和社会发展统计公报',
    keywords: '统计公报 地区生产总值 居民收入',
    body: `2025年，全市地区生产总值 1286.5 亿元，按不变价格计算比上年增长 5.6%。
全体居民人均可支配收入 41268 元，增长 5.9%；城镇居民人均可支配收入 52310 元，农村居民人均可支配收入 26874 元。
年末全市常住人口 286.3 万人，城镇化率 64.2%。`,
  },
  {
    dept: 'A-HPF', category: 'zfbz', issuer: 'A市住房公积金管理中心', issuedOn: '2026-03-28',
    title: 'A市住房公积金2025年年度报告',
    keywords: '住房公积金 年度报告 缴存 提取 贷款',
    body: `经A市住房公积金管理委员会审议通过，现将2025年年度报告公布如下：
一、缴存：全年新开户单位 2135 家，实缴职工 41.2 万人，缴存额 98.7 亿元。
二、提取：提取额 76.4 亿元，占当年缴存额的 77.4%。
三、贷款：发放个人住房贷款 1.12 万笔、45.3 亿元。`,
  },
  {
    dept: 'A-HOUSING', category: 'zfbz', issuer: 'A市住房和城乡建设局', docNumber: 'A住建〔2026〕12号', issuedOn: '2026-01-08',
    title: '关于调整A市公共租赁住房租金标准的通知',
    keywords: '公共租赁住房 租金标准',
    body: `各有关单位：
为完善住房保障体系，经研究，决定自2026年3月1日起调整市区公共租赁住房租金标准为同地段市场租金的 60%。`,
    withdraw: '因测算依据需进一步征求意见，本通知撤回，另行发布。',
  },
];

/**
 * Seeds the A市 disclosure catalogue (categories and a few published documents, one withdrawn) once; later runs
 * change nothing. Needs the demo departments (`seedDemo`) first. Returns whether anything was created.
 */
export async function seedDisclosureDemo(services: Services): Promise<boolean> {
  const svc = services.disclosure;
  if ((await svc.categories()).length) return false;
  for (const [i, c] of DEMO_CATEGORIES.entries()) {
    const r = await svc.createCategory(SYSTEM, { code: c.code, name: c.name, nameEn: c.nameEn, ...(c.parent ? { parentCode: c.parent } : {}), sort: i });
    if (!r.ok) throw new Error(`seeding disclosure category ${c.code}: ${r.error.code}`);
  }
  const depts = new Map((await services.identity.departments()).map((d) => [d.code, d.id]));
  for (const d of DEMO_DOCUMENTS) {
    const departmentId = depts.get(d.dept);
    if (!departmentId) continue;
    const created = await svc.createDocument(SYSTEM, { ...d, category: d.category, departmentId, attachments: d.attachments ?? [] });
    if (!created.ok) throw new Error(`seeding disclosure document: ${created.error.code} ${JSON.stringify(created.error.fields ?? [])}`);
    const id = created.value.id;
    for (const step of [() => svc.submit(SYSTEM, id), () => svc.publish(SYSTEM, id)]) {
      const r = await step();
      if (!r.ok) throw new Error(`seeding disclosure document: ${r.error.code}`);
    }
    if (d.withdraw) await svc.withdraw(SYSTEM, id, d.withdraw);
  }
  return true;
}
