import type { Services } from '../../services.ts';
import { SYSTEM } from '../identity/permissions.ts';

/** A few demo articles (public and one staff-only), published; idempotent by title. */
export const DEMO_ARTICLES = [
  { dept: 'A-HRSS', visibility: 'public' as const, title: '灵活就业人员如何参加职工养老保险', body: '灵活就业人员可以持居民身份证到户籍所在地或居住地的社会保险经办机构办理参保登记，也可以通过一网通办平台在线办理。缴费基数可在当地上年度社会平均工资的60%至300%之间自行选择，按月或按季度缴纳。', links: { services: [], policies: [] } },
  { dept: 'A-HRSS', visibility: 'public' as const, title: '失业保险金申领指南', body: '非因本人意愿中断就业、已办理失业登记并有求职要求、失业前缴纳失业保险费满一年的人员，可以申领失业保险金。申领时提交居民身份证和解除劳动合同证明，可在线申领，审核通过后按月发放到社会保障卡。', links: { services: [], policies: [] } },
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
