import type { Services } from '../../services.ts';
import { SYSTEM } from '../identity/permissions.ts';

/**
 * Demo articles (public and one staff-only), published; idempotent by title. The public ones answer the commonest
 * citizen questions in general terms (national rules: 居住证暂行条例, 居民身份证法, 住房公积金管理条例), so the answer
 * box has a local source for them on first start; a city replaces them with its own.
 */
export const DEMO_ARTICLES = [
  { dept: 'A-HRSS', visibility: 'public' as const, title: '灵活就业人员如何参加职工养老保险', body: '灵活就业人员可以持居民身份证到户籍所在地或居住地的社会保险经办机构办理参保登记，也可以通过一网通办平台在线办理。缴费基数可在当地上年度社会平均工资的60%至300%之间自行选择，按月或按季度缴纳。', links: { services: [], policies: [] } },
  { dept: 'A-HRSS', visibility: 'public' as const, title: '失业保险金申领指南', body: '非因本人意愿中断就业、已办理失业登记并有求职要求、失业前缴纳失业保险费满一年的人员，可以申领失业保险金。申领时提交居民身份证和解除劳动合同证明，可在线申领，审核通过后按月发放到社会保障卡。', links: { services: [], policies: [] } },
  { dept: 'A-PSB', visibility: 'public' as const, title: '办理居住证需要什么材料', body: '离开常住户口所在地，到A市居住半年以上，并有合法稳定就业、合法稳定住所或连续就读三个条件之一的公民，可以申领居住证。办理居住证需要提交：本人居民身份证、近期免冠照片、居住地住址证明（房屋产权证明或租赁合同），以及就业证明（劳动合同、营业执照等）或就读证明之一。可以到居住地公安派出所或受委托的社区服务中心办理，也可以在一网通办平台在线申请。公安机关自受理之日起15日内发放居住证。居住证每满一年要在到期前一个月内办理签注。', links: { services: [], policies: [] } },
  { dept: 'A-PSB', visibility: 'public' as const, title: '身份证丢了怎么补办', body: '居民身份证丢失后，可以到户籍所在地公安派出所或任一公安机关身份证异地受理点申请补领，跨省也可以异地办理。需要本人到场采集照片和指纹，户籍地办理带上居民户口簿。补领的工本费为每证40元。急需乘车、住宿的，可以同时申请临时居民身份证。新证制好后可以到受理点领取，也可以选择邮寄到家。', links: { services: [], policies: [] } },
  { dept: 'A-HPF', visibility: 'public' as const, title: '哪些情况可以提取住房公积金', body: '职工有下列情形之一的，可以提取本人住房公积金账户内的存储余额：购买、建造、翻建、大修自住住房的；离休、退休的；完全丧失劳动能力并与单位终止劳动关系的；出境定居的；偿还购房贷款本息的；房租超出家庭工资收入规定比例的。提取时提交居民身份证和相应证明材料，多数情形可在一网通办平台或公积金中心手机应用在线办理，审核通过后转入本人银行账户。', links: { services: [], policies: [] } },
  { dept: 'A-HRSS', visibility: 'public' as const, title: '社保断缴了怎么办', body: '社会保险断缴后，重新就业的由新单位继续为您办理参保缴费，原有缴费年限累计计算，不会清零。没有单位的，可以按灵活就业人员身份到社会保险经办机构或在一网通办平台办理个人参保，继续缴纳职工养老保险和医疗保险。因单位原因漏缴的，可以向单位所在地社会保险经办机构反映，由单位申请补缴。医疗保险断缴期间发生的医疗费用可能无法报销，建议尽快续缴。', links: { services: [], policies: [] } },
  { dept: 'A-HRSS', visibility: 'staff' as const, title: '答复口径：社保补缴咨询', body: '群众咨询社保补缴时，先问清断缴原因和时段；因单位原因漏缴的，指导其向单位所在地社保经办机构申请补缴；个人原因断缴的，按灵活就业人员参保规定答复，不承诺补缴。', links: { services: [], policies: [] } },
];

export async function seedKnowledgeDemo(services: Services): Promise<number> {
  const depts = await services.identity.departments();
  let n = 0;
  for (const d of DEMO_ARTICLES) {
    if (await services.knowledge.findByTitle(d.title)) continue;
    const dept = depts.find((x) => x.code === d.dept) ?? depts[0];
    if (!dept) return n;
    const c = await services.knowledge.create(SYSTEM, { title: d.title, body: d.body, departmentId: dept.id, visibility: d.visibility, reviewBy: `${new Date().getUTCFullYear() + 1}-06-30`, links: d.links });
    if (!c.ok) continue;
    const r = await services.knowledge.review(SYSTEM, c.value.id, c.value.version);
    if (r.ok) await services.knowledge.publish(SYSTEM, r.value.id, r.value.version);
    n++;
  }
  return n;
}
