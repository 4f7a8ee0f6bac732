import type { FieldSchema, FormDefinition, LayoutField } from './form.ts';
import type { Guide } from './onestop.types.ts';

/**
 * Ten everyday services with complete guides and online forms, written by the yiwang project for the demo city A市.
 * Materials and time limits follow the national rules named in `legalBasis` (simplified); the department codes are
 * the demo city's (`src/modules/demo/demo.seed.ts`). `basicCode` links a guide to the real catalogue item of the
 * same standard code in `datasets/service-items/` when there is one.
 */
export interface GuideSeed {
  code: string;
  basicCode?: string;
  name: string;
  taskType: string;
  departmentCode: string;
  legalDays: number;
  promisedDays: number;
  issuesCert?: string;
  guide: Guide;
  form: FormDefinition;
}

type F = [key: string, schema: FieldSchema, layout: Omit<LayoutField, 'key'>];

function form(sections: { title: string; titleEn: string; fields: F[] }[], required: string[]): FormDefinition {
  const properties: Record<string, FieldSchema> = {};
  for (const s of sections) for (const [k, sch] of s.fields) properties[k] = sch;
  return {
    schema: { type: 'object', properties, required, additionalProperties: false },
    layout: sections.map((s) => ({ title: s.title, titleEn: s.titleEn, fields: s.fields.map(([key, , l]) => ({ key, ...l })) })),
  };
}

const applicant = (): { title: string; titleEn: string; fields: F[] } => ({
  title: '申请人信息',
  titleEn: 'Applicant',
  fields: [
    ['applicantName', { type: 'string', minLength: 2, maxLength: 30, 'x-prefill': 'name' }, { label: '申请人姓名', labelEn: 'Name', autocomplete: 'name' }],
    ['applicantId', { type: 'string', format: 'cn-id', 'x-prefill': 'idNumber' }, { label: '公民身份号码', labelEn: 'Citizen ID number', hint: '18 位，最后一位可能是 X。', hintEn: '18 characters; the last may be X.' }],
    ['mobile', { type: 'string', format: 'cn-mobile', 'x-prefill': 'phone' }, { label: '联系电话（手机）', labelEn: 'Mobile number', autocomplete: 'tel' }],
  ],
});

const pledge = (): F => ['pledge', { type: 'boolean' }, { label: '本人承诺所填信息和所交材料真实有效，如有虚假愿承担法律责任。', labelEn: 'I declare that the information and materials are true.' }];

const ID = { key: 'idCard', name: '居民身份证', required: true, certType: '居民身份证' };
const HUKOU = { key: 'hukou', name: '居民户口簿', required: true, certType: '居民户口簿' };

export const GUIDES: GuideSeed[] = [
  {
    code: 'A-512B0011200070',
    basicCode: '512B0011200070',
    name: '居住证申领',
    taskType: '20',
    departmentCode: 'A-PSB',
    legalDays: 15,
    promisedDays: 7,
    issuesCert: '居住证',
    guide: {
      summary: '离开常住户口所在地，到A市居住半年以上，并有合法稳定就业、合法稳定住所或连续就读条件之一的公民，可以申领居住证。',
      legalBasis: ['《居住证暂行条例》（国务院令第663号）第二条、第九条、第十一条'],
      conditions: ['在A市居住半年以上（以居住登记时间为准）', '符合合法稳定就业、合法稳定住所、连续就读条件之一'],
      materials: [
        ID,
        { key: 'residence', name: '居住证明（房屋产权证明、租赁合同或单位/学校出具的住宿证明）', required: true, certType: '不动产权证书', note: '有本人电子不动产权证书的免提交' },
        { key: 'proof', name: '就业或就读证明（劳动合同、营业执照或学籍证明之一）', required: true },
        { key: 'photo', name: '近期正面免冠彩色证件照（JPG/PNG）', required: true, types: ['jpg', 'png'] },
      ],
      fees: '首次申领不收费；换领、补领每证 20 元（川发改价格〔2016〕 文件标准，演示）。',
      channels: ['全程网办：本网站在线申请，证件邮寄或到派出所窗口领取', '窗口办理：居住地派出所户籍窗口'],
      process: ['在线申请并上传材料', '派出所受理（材料不全的一次性告知补正）', '审核', '制证、发证（同时签发电子居住证）'],
      faq: [
        { q: '居住登记满半年是从什么时候算起？', a: '从公安机关登记居住之日起算，可在“我的办件”中查看既往登记。' },
        { q: '电子居住证可以用吗？', a: '可以。审批通过后电子居住证自动存入“我的证照”，与实体证件具有同等效力（演示）。' },
      ],
    },
    form: form(
      [
        applicant(),
        {
          title: '居住信息',
          titleEn: 'Residence',
          fields: [
            ['address', { type: 'string', minLength: 5, maxLength: 120 }, { label: '在A市的居住地址', labelEn: 'Address in City A', widget: 'textarea', autocomplete: 'street-address' }],
            ['since', { type: 'string', format: 'date', 'x-not-after-today': true }, { label: '居住登记日期', labelEn: 'Residence registered on', hint: '格式 2026-01-31', hintEn: 'e.g. 2026-01-31' }],
            ['basis', { type: 'string', enum: ['work', 'home', 'study'] }, { label: '申领条件', labelEn: 'Basis', widget: 'radio', options: ['合法稳定就业', '合法稳定住所', '连续就读'], optionsEn: ['Lawful stable job', 'Lawful stable home', 'Studying without a break'] }],
            ['delivery', { type: 'string', enum: ['post', 'counter'] }, { label: '领取方式', labelEn: 'Collection', widget: 'radio', options: ['邮寄到家', '到派出所窗口领取'], optionsEn: ['Posted to your home', 'Collect at the police station counter'] }],
            pledge(),
          ],
        },
      ],
      ['applicantName', 'applicantId', 'mobile', 'address', 'since', 'basis', 'delivery', 'pledge'],
    ),
  },
  {
    code: 'A-YJS-BIRTH',
    name: '新生儿出生“一件事”',
    taskType: '20',
    departmentCode: 'A-HRSS',
    legalDays: 20,
    promisedDays: 5,
    guide: {
      summary: '一次申请，同时办理《出生医学证明》、出生登记（落户）、城乡居民医保参保登记、社会保障卡申领和预防接种证。A市由人社局牵头受理，并联推送卫健、公安、医保部门（演示分工）。',
      legalBasis: ['《国务院关于加快推进政务服务标准化规范化便利化的指导意见》（国发〔2022〕5号）', '《户口登记条例》第七条', '《社会保险法》第二十五条'],
      conditions: ['新生儿在A市出生或父母一方户籍在A市', '出生一个月内办理（超过的仍可申请，户口登记另行核查）'],
      materials: [
        { key: 'birthCert', name: '出生医学证明', required: true, certType: '出生医学证明', note: '医院已签发电子证明的免提交' },
        { key: 'parentId', name: '父母双方居民身份证', required: true, certType: '居民身份证' },
        HUKOU,
        { key: 'marriage', name: '结婚证', required: false, certType: '结婚证' },
      ],
      fees: '不收费。',
      channels: ['全程网办', '窗口办理：A市政务服务中心“一件事”综合窗口'],
      process: ['在线填写一张表', '人社局综合窗口受理并分送各部门', '各部门并联办理', '结果统一送达'],
      faq: [{ q: '新生儿社保卡多久能拿到？', a: '一般在办结后 10 个工作日内寄出，电子社保卡即时可用（演示）。' }],
    },
    form: form(
      [
        applicant(),
        {
          title: '新生儿信息',
          titleEn: 'The baby',
          fields: [
            ['babyName', { type: 'string', minLength: 2, maxLength: 20 }, { label: '新生儿姓名', labelEn: "Baby's name" }],
            ['babySex', { type: 'string', enum: ['M', 'F'] }, { label: '性别', labelEn: 'Sex', widget: 'radio', options: ['男', '女'], optionsEn: ['Male', 'Female'] }],
            ['birthDate', { type: 'string', format: 'date', 'x-not-after-today': true }, { label: '出生日期', labelEn: 'Date of birth' }],
            ['hospital', { type: 'string', minLength: 2, maxLength: 60 }, { label: '出生医院', labelEn: 'Hospital' }],
            ['relation', { type: 'string', enum: ['father', 'mother', 'guardian'] }, { label: '申请人与新生儿关系', labelEn: 'Relation', widget: 'radio', options: ['父亲', '母亲', '其他监护人'], optionsEn: ['Father', 'Mother', 'Other guardian'] }],
            ['wantSsCard', { type: 'boolean' }, { label: '同时申领社会保障卡', labelEn: 'Also apply for a social security card' }],
            pledge(),
          ],
        },
      ],
      ['applicantName', 'applicantId', 'mobile', 'babyName', 'babySex', 'birthDate', 'hospital', 'relation', 'pledge'],
    ),
  },
  {
    code: 'A-511A0074300005',
    basicCode: '511A0074300005',
    name: '个体工商户设立登记',
    taskType: '1',
    departmentCode: 'A-MARKET',
    legalDays: 15,
    promisedDays: 1,
    issuesCert: '营业执照',
    guide: {
      summary: '有经营能力的公民从事工商业经营，依法登记为个体工商户。材料齐全、符合法定形式的当场或 1 个工作日内登记。',
      legalBasis: ['《促进个体工商户发展条例》', '《中华人民共和国市场主体登记管理条例》第十九条', '《行政许可法》第三十二条、第四十二条'],
      conditions: ['经营者具有完全民事行为能力', '有固定的经营场所', '经营范围不属于法律、行政法规禁止的项目'],
      materials: [
        ID,
        { key: 'premises', name: '经营场所使用证明（产权证明或租赁合同）', required: true, certType: '不动产权证书' },
        { key: 'photo', name: '经营者近期证件照', required: false },
      ],
      fees: '不收费。',
      channels: ['全程网办，电子营业执照即时下载', '窗口办理：A市政务服务中心市场主体登记窗口'],
      process: ['名称自主申报', '在线提交', '审核登记', '发放营业执照（含电子营业执照）'],
      faq: [{ q: '可以用住宅作为经营场所吗？', a: '可以，但须符合A市住所（经营场所）登记管理规定，并经有利害关系的业主同意。' }],
    },
    form: form(
      [
        applicant(),
        {
          title: '经营信息',
          titleEn: 'Business',
          fields: [
            ['shopName', { type: 'string', minLength: 2, maxLength: 50 }, { label: '个体工商户名称（字号）', labelEn: 'Trade name', hint: '例如：A市城关张三便利店', hintEn: 'e.g. Zhang San Convenience Store' }],
            ['scope', { type: 'string', minLength: 2, maxLength: 300 }, { label: '经营范围', labelEn: 'Business scope', widget: 'textarea' }],
            ['premisesAddress', { type: 'string', minLength: 5, maxLength: 120 }, { label: '经营场所', labelEn: 'Premises address', widget: 'textarea' }],
            ['form', { type: 'string', enum: ['individual', 'family'] }, { label: '组成形式', labelEn: 'Form', widget: 'radio', options: ['个人经营', '家庭经营'], optionsEn: ['Run by one person', 'Run by a family'] }],
            ['capital', { type: 'number', minimum: 0, maximum: 100000000 }, { label: '资金数额（万元）', labelEn: 'Capital (10k yuan)', widget: 'number' }],
            ['employees', { type: 'integer', minimum: 0, maximum: 9999 }, { label: '从业人数', labelEn: 'Employees', widget: 'number' }],
            pledge(),
          ],
        },
      ],
      ['applicantName', 'applicantId', 'mobile', 'shopName', 'scope', 'premisesAddress', 'form', 'pledge'],
    ),
  },
  {
    code: 'A-512B0369200000',
    basicCode: '512B0369200000',
    name: '灵活就业人员参保登记',
    taskType: '20',
    departmentCode: 'A-HRSS',
    legalDays: 15,
    promisedDays: 1,
    guide: {
      summary: '无雇工的个体工商户、未在用人单位参加社会保险的非全日制从业人员以及其他灵活就业人员，可以以个人身份参加企业职工基本养老保险。',
      legalBasis: ['《中华人民共和国社会保险法》第十条、第五十八条', '《社会保险费征缴暂行条例》'],
      conditions: ['年满 16 周岁、未达到法定退休年龄', '未在用人单位参加企业职工基本养老保险'],
      materials: [ID, HUKOU],
      fees: '不收费（缴费基数在当地上年度社会平均工资的 60%–300% 之间自选）。',
      channels: ['全程网办', '窗口办理：A市人社局社保经办窗口'],
      process: ['在线登记', '人社局审核', '登记完成，次月起按月缴费'],
      faq: [{ q: '以前在单位缴过费，还要重新登记吗？', a: '不用重新建账，本登记会接续原个人账户。' }],
    },
    form: form(
      [
        applicant(),
        {
          title: '参保信息',
          titleEn: 'Insurance',
          fields: [
            ['hukouType', { type: 'string', enum: ['urban', 'rural'] }, { label: '户籍性质', labelEn: 'Hukou type', widget: 'radio', options: ['城镇', '农村'], optionsEn: ['Urban', 'Rural'] }],
            ['jobType', { type: 'string', enum: ['selfEmployed', 'partTime', 'other'] }, { label: '就业形式', labelEn: 'Kind of work', widget: 'select', options: ['无雇工的个体工商户', '非全日制从业人员', '其他灵活就业人员'], optionsEn: ['Self-employed without employees', 'Part-time worker', 'Other flexible work'] }],
            ['baseLevel', { type: 'string', enum: ['60', '80', '100', '150', '200', '300'] }, { label: '缴费档次（占社平工资 %）', labelEn: 'Contribution level (% of average wage)', widget: 'select', options: ['60%', '80%', '100%', '150%', '200%', '300%'] }],
            ['startMonth', { type: 'string', pattern: '^20\\d\\d-(0[1-9]|1[0-2])$' }, { label: '参保起始年月', labelEn: 'Start month', hint: '格式 2026-01', hintEn: 'e.g. 2026-01' }],
            ['bankAccount', { type: 'string', pattern: '^\\d{12,19}$' }, { label: '扣款银行卡号', labelEn: 'Bank card number', hint: '12–19 位数字', hintEn: '12 to 19 digits' }],
            pledge(),
          ],
        },
      ],
      ['applicantName', 'applicantId', 'mobile', 'hukouType', 'jobType', 'baseLevel', 'startMonth', 'bankAccount', 'pledge'],
    ),
  },
  {
    code: 'A-HPF-WITHDRAW',
    name: '住房公积金提取',
    taskType: '20',
    departmentCode: 'A-HPF',
    legalDays: 3,
    promisedDays: 1,
    guide: {
      summary: '职工购买、建造、翻建、大修自住住房，偿还购房贷款本息，租房，离休退休等情形，可以提取本人住房公积金账户内的存储余额。',
      legalBasis: ['《住房公积金管理条例》第二十四条、第二十九条（3 日内作出准予提取或者不准提取的决定）'],
      conditions: ['符合条例规定的提取情形之一', '账户状态正常'],
      materials: [
        ID,
        { key: 'proof', name: '提取情形证明（购房合同、不动产权证书、租赁合同或退休证明）', required: true, certType: '不动产权证书' },
        { key: 'bankCard', name: '本人银行卡', required: true },
      ],
      fees: '不收费。',
      channels: ['全程网办', 'A市住房公积金管理中心服务大厅'],
      process: ['在线申请', '中心审核（3 个工作日内决定）', '资金划入本人银行卡'],
      faq: [{ q: '租房提取每年可以提几次？', a: '演示规则：每年一次，金额不超过实际房租且不超过月缴存额的 12 倍。' }],
    },
    form: form(
      [
        applicant(),
        {
          title: '提取信息',
          titleEn: 'Withdrawal',
          fields: [
            ['reason', { type: 'string', enum: ['buy', 'loan', 'rent', 'retire'] }, { label: '提取原因', labelEn: 'Reason', widget: 'radio', options: ['购买自住住房', '偿还购房贷款', '租房', '离休、退休'], optionsEn: ['Buying a home to live in', 'Repaying a home loan', 'Paying rent', 'Retirement'] }],
            ['amount', { type: 'number', minimum: 1, maximum: 10000000 }, { label: '提取金额（元）', labelEn: 'Amount (yuan)', widget: 'number' }],
            ['bankAccount', { type: 'string', pattern: '^\\d{12,19}$' }, { label: '收款银行卡号（本人）', labelEn: 'Bank card number' }],
            ['remark', { type: 'string', maxLength: 200 }, { label: '补充说明', labelEn: 'Remarks', widget: 'textarea' }],
            pledge(),
          ],
        },
      ],
      ['applicantName', 'applicantId', 'mobile', 'reason', 'amount', 'bankAccount', 'pledge'],
    ),
  },
  {
    code: 'A-512B0003600037',
    basicCode: '512B0003600037',
    name: '高龄津贴申领',
    taskType: '5',
    departmentCode: 'A-HRSS',
    legalDays: 20,
    promisedDays: 10,
    guide: {
      summary: 'A市户籍、年满 80 周岁的老年人，按月领取高龄津贴。本演示城市由人社局受理（实际多由民政部门负责）。',
      legalBasis: ['《中华人民共和国老年人权益保障法》第三十三条', '《四川省老年人权益保障条例》'],
      conditions: ['具有A市户籍', '年满 80 周岁'],
      materials: [ID, HUKOU, { key: 'bankCard', name: '本人社会保障卡或银行卡', required: true, certType: '社会保障卡' }],
      fees: '不收费。',
      channels: ['全程网办（子女可代为申请）', '户籍所在地乡镇（街道）便民服务中心'],
      process: ['申请', '乡镇（街道）初审', '部门审核', '次月起按月发放'],
      faq: [{ q: '津贴标准是多少？', a: '演示标准：80–89 周岁每人每月 50 元，90–99 周岁 100 元，100 周岁以上 300 元。' }],
    },
    form: form(
      [
        applicant(),
        {
          title: '老人信息',
          titleEn: 'The elderly person',
          fields: [
            ['elderName', { type: 'string', minLength: 2, maxLength: 30 }, { label: '老人姓名', labelEn: "Elder's name" }],
            ['elderId', { type: 'string', format: 'cn-id' }, { label: '老人公民身份号码', labelEn: "Elder's ID number" }],
            ['relation', { type: 'string', enum: ['self', 'child', 'other'] }, { label: '申请人与老人关系', labelEn: 'Relation', widget: 'radio', options: ['本人', '子女', '其他亲属'], optionsEn: ['Myself', 'Son or daughter', 'Other relative'] }],
            ['bankAccount', { type: 'string', pattern: '^\\d{12,19}$' }, { label: '发放账户（社保卡或银行卡号）', labelEn: 'Payment account' }],
            pledge(),
          ],
        },
      ],
      ['applicantName', 'applicantId', 'mobile', 'elderName', 'elderId', 'relation', 'bankAccount', 'pledge'],
    ),
  },
  {
    code: 'A-DISABLED-SUBSIDY',
    basicCode: '51201103900004',
    name: '残疾人两项补贴（困难残疾人生活补贴和重度残疾人护理补贴）',
    taskType: '5',
    departmentCode: 'A-CIVIL',
    legalDays: 20,
    promisedDays: 15,
    guide: {
      summary: '低保家庭中的残疾人可申领困难残疾人生活补贴；残疾等级为一、二级且需要长期照护的重度残疾人可申领重度残疾人护理补贴。',
      legalBasis: ['《国务院关于全面建立困难残疾人生活补贴和重度残疾人护理补贴制度的意见》（国发〔2015〕52号）'],
      conditions: ['具有A市户籍，持有第二代残疾人证', '生活补贴：低保家庭成员；护理补贴：残疾等级一、二级'],
      materials: [
        ID,
        { key: 'disabilityCert', name: '中华人民共和国残疾人证', required: true, certType: '残疾人证' },
        { key: 'dibao', name: '低保证明（申请生活补贴时）', required: false },
      ],
      fees: '不收费。',
      channels: ['全程网办', '户籍所在地乡镇（街道）便民服务中心'],
      process: ['申请', '乡镇（街道）初审', '残联复核残疾等级', '民政局审定', '按月发放'],
      faq: [{ q: '两项补贴可以同时领取吗？', a: '符合两项条件的可以同时领取。' }],
    },
    form: form(
      [
        applicant(),
        {
          title: '补贴信息',
          titleEn: 'Subsidy',
          fields: [
            ['kind', { type: 'string', enum: ['living', 'care', 'both'] }, { label: '申请项目', labelEn: 'Subsidy', widget: 'radio', options: ['困难残疾人生活补贴', '重度残疾人护理补贴', '两项都申请'], optionsEn: ['Living allowance for disabled people in hardship', 'Care allowance for severely disabled people', 'Both'] }],
            ['certNo', { type: 'string', pattern: '^\\d{17}[\\dXx]\\d{2}$' }, { label: '残疾人证号', labelEn: 'Disability certificate number', hint: '20 位：身份证号加两位类别等级', hintEn: '20 characters' }],
            ['level', { type: 'string', enum: ['1', '2', '3', '4'] }, { label: '残疾等级', labelEn: 'Grade', widget: 'select', options: ['一级', '二级', '三级', '四级'], optionsEn: ['Grade 1', 'Grade 2', 'Grade 3', 'Grade 4'] }],
            ['bankAccount', { type: 'string', pattern: '^\\d{12,19}$' }, { label: '发放账户', labelEn: 'Payment account' }],
            pledge(),
          ],
        },
      ],
      ['applicantName', 'applicantId', 'mobile', 'kind', 'certNo', 'level', 'bankAccount', 'pledge'],
    ),
  },
  {
    code: 'A-REALESTATE-QUERY',
    name: '不动产登记资料查询',
    taskType: '20',
    departmentCode: 'A-RESOURCES',
    legalDays: 5,
    promisedDays: 1,
    guide: {
      summary: '权利人、利害关系人可以依法查询、复制不动产登记资料。权利人查询本人名下不动产当场或 1 个工作日内出具查询结果。',
      legalBasis: ['《不动产登记暂行条例》第二十七条', '《不动产登记资料查询暂行办法》'],
      conditions: ['查询人为权利人、利害关系人或其委托人', '查询目的合法'],
      materials: [ID, { key: 'interest', name: '利害关系证明（利害关系人查询时）', required: false }],
      fees: '不收费。',
      channels: ['全程网办，查询结果以电子文件送达', '不动产登记中心窗口'],
      process: ['申请', '审核查询资格', '出具查询结果'],
      faq: [{ q: '能查别人的房子吗？', a: '仅利害关系人可以查询，并须提交利害关系证明，查询结果不得用于其他目的。' }],
    },
    form: form(
      [
        applicant(),
        {
          title: '查询内容',
          titleEn: 'Query',
          fields: [
            ['role', { type: 'string', enum: ['owner', 'interested'] }, { label: '查询人身份', labelEn: 'You are', widget: 'radio', options: ['权利人', '利害关系人'], optionsEn: ['Owner of the right', 'Interested party'] }],
            ['scope', { type: 'string', enum: ['mine', 'address'] }, { label: '查询范围', labelEn: 'Scope', widget: 'radio', options: ['本人名下全部不动产', '指定坐落'], optionsEn: ['All property in my name', 'One address'] }],
            ['location', { type: 'string', maxLength: 120 }, { label: '不动产坐落（指定坐落时填写）', labelEn: 'Property address (if given)' }],
            ['purpose', { type: 'string', minLength: 2, maxLength: 100 }, { label: '查询目的', labelEn: 'Purpose' }],
            pledge(),
          ],
        },
      ],
      ['applicantName', 'applicantId', 'mobile', 'role', 'scope', 'purpose', 'pledge'],
    ),
  },
  {
    code: 'A-511A0188100003',
    basicCode: '511A0188100003',
    name: '户外广告设置许可',
    taskType: '1',
    departmentCode: 'A-URBAN',
    legalDays: 20,
    promisedDays: 10,
    guide: {
      summary: '在城市建筑物、构筑物、场地设置大型户外广告，应当经城市管理部门许可。',
      legalBasis: ['《城市市容和环境卫生管理条例》第十一条', '《行政许可法》第四十二条（20 个工作日）'],
      conditions: ['广告设置符合A市户外广告设置规划', '设施结构安全', '取得场地或建筑物所有人同意'],
      materials: [
        { key: 'license', name: '营业执照', required: true, certType: '营业执照' },
        { key: 'design', name: '设计效果图及尺寸说明（PDF）', required: true, types: ['pdf'] },
        { key: 'consent', name: '场地或建筑物所有人同意书', required: true },
        { key: 'safety', name: '结构安全检测报告（大型设施）', required: false },
      ],
      fees: '不收费。',
      channels: ['全程网办', 'A市政务服务中心城管窗口'],
      process: ['申请', '受理', '现场勘查', '审查决定', '送达许可决定书'],
      faq: [{ q: '临时性广告也要许可吗？', a: '设置时间超过 30 日的须办理许可，短期宣传品按张挂宣传品审批办理。' }],
    },
    form: form(
      [
        applicant(),
        {
          title: '广告信息',
          titleEn: 'Advertisement',
          fields: [
            ['company', { type: 'string', minLength: 2, maxLength: 60 }, { label: '设置单位名称', labelEn: 'Company' }],
            ['uscc', { type: 'string', format: 'cn-uscc' }, { label: '统一社会信用代码', labelEn: 'Unified social credit code' }],
            ['location', { type: 'string', minLength: 5, maxLength: 120 }, { label: '设置地点', labelEn: 'Location', widget: 'textarea' }],
            ['kind', { type: 'string', enum: ['wall', 'roof', 'column', 'led'] }, { label: '广告形式', labelEn: 'Kind', widget: 'select', options: ['墙面广告', '屋顶广告', '立柱广告', '电子显示屏'], optionsEn: ['On a wall', 'On a roof', 'On a pillar', 'Electronic display'] }],
            ['area', { type: 'number', minimum: 0.1, maximum: 2000 }, { label: '面积（平方米）', labelEn: 'Area (m²)', widget: 'number' }],
            ['months', { type: 'integer', minimum: 1, maximum: 36 }, { label: '设置期限（月）', labelEn: 'Duration (months)', widget: 'number' }],
            pledge(),
          ],
        },
      ],
      ['applicantName', 'applicantId', 'mobile', 'company', 'uscc', 'location', 'kind', 'area', 'months', 'pledge'],
    ),
  },
  {
    code: 'A-512B0357300000',
    basicCode: '512B0357300000',
    name: '老年人优待证办理',
    taskType: '20',
    departmentCode: 'A-HEALTH',
    legalDays: 10,
    promisedDays: 5,
    issuesCert: '老年人优待证',
    guide: {
      summary: '年满 60 周岁的老年人（含常住A市的外地老年人）可以申领老年人优待证，凭证享受公园、交通、医疗等优待。',
      legalBasis: ['《中华人民共和国老年人权益保障法》第五十七条、第五十八条', '《四川省老年人优待办法》'],
      conditions: ['年满 60 周岁'],
      materials: [ID, { key: 'photo', name: '近期一寸免冠照片（JPG/PNG）', required: true }],
      fees: '不收费。',
      channels: ['全程网办，电子优待证即时生成', '乡镇（街道）便民服务中心'],
      process: ['申请', '审核', '发证（同时签发电子优待证）'],
      faq: [{ q: '子女可以代办吗？', a: '可以，代办时填写代办人信息，并上传老人身份证明。' }],
    },
    form: form(
      [
        applicant(),
        {
          title: '领证信息',
          titleEn: 'Card',
          fields: [
            ['residence', { type: 'string', enum: ['local', 'resident'] }, { label: '户籍情况', labelEn: 'Residence', widget: 'radio', options: ['A市户籍', '外地户籍、常住A市'], optionsEn: ['Registered in A City', 'Registered elsewhere, living in A City'] }],
            ['address', { type: 'string', minLength: 5, maxLength: 120 }, { label: '现居住地址', labelEn: 'Address', widget: 'textarea' }],
            ['delivery', { type: 'string', enum: ['post', 'counter', 'electronic'] }, { label: '领取方式', labelEn: 'Collection', widget: 'radio', options: ['邮寄', '窗口领取', '仅电子证'], optionsEn: ['By post', 'Collect at the counter', 'Electronic only'] }],
            pledge(),
          ],
        },
      ],
      ['applicantName', 'applicantId', 'mobile', 'residence', 'address', 'delivery', 'pledge'],
    ),
  },
];
