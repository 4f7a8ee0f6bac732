/**
 * Builds the committed word list `words.txt` (jieba user-dictionary format: `word freq tag`) from the public
 * datasets: service item names and departments (四川广安 catalogue), place names (GB/T 2260 + NBS 2023 codes),
 * and a hand-kept list of government-service terms below.
 *
 *   npx tsx src/lib/text/dict/build.ts [DATA_DIR]     # DATA_DIR defaults to ../shared/data
 *
 * This script does I/O; the library only reads the committed output.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';

/** Terms of government services and of the policy corpus that jieba's default dictionary splits. */
const DOMAIN_TERMS = [
  '一网通办', '互联网+政务服务', '政务服务', '政务服务网', '12345热线', '好差评', '最多跑一次', '一件事一次办', '跨省通办',
  '一窗受理', '不见面审批', '证照分离', '告知承诺制', '电子证照', '电子社保卡', '社会保障卡', '医保卡', '医疗保险',
  '养老保险', '失业保险', '工伤保险', '生育保险', '住房公积金', '公积金贷款', '居民身份证', '临时身份证', '居住证',
  '户口簿', '户籍', '落户', '营业执照', '统一社会信用代码', '不动产登记', '不动产权证书', '出入境', '港澳通行证',
  '新型冠状病毒', '新冠肺炎', '新冠病毒', '疫情防控', '联防联控', '群防群控', '复工复产', '复工复业', '稳岗返还',
  '社保费', '减免', '缓缴', '阶段性减免', '援企稳岗', '中小微企业', '小微企业', '个体工商户', '贷款贴息', '财政贴息',
  '贴息', '担保费', '融资担保', '首贷', '续贷', '无还本续贷', '延期还本', '展期', '信用修复', '失信', '纳税信用',
  '增值税', '企业所得税', '个人所得税', '小规模纳税人', '留抵退税', '出口退税', '房产税', '城镇土地使用税', '印花税',
  '租金减免', '房租减免', '口罩', '医用口罩', '防护服', '护目镜', '消毒液', '测温', '体温检测', '健康码', '隔离观察',
  '居家隔离', '集中隔离', '医学观察', '密切接触者', '确诊病例', '疑似病例', '定点医院', '发热门诊', '核酸检测',
  '网上办', '掌上办', '不见面', '容缺受理', '绿色通道', '应急物资', '防疫物资', '重点企业', '重点医疗物资',
  '稳就业', '灵活就业', '线上招聘', '职业技能培训', '以工代训', '就业补贴', '社保补贴', '岗位补贴', '失业保险金',
  '最低生活保障', '低保', '特困人员', '临时救助', '医疗救助', '慈善捐赠', '捐赠物资', '政府采购', '进口物资',
  '通关', '两步申报', '提前申报', '检验检疫', '农民工', '返岗', '返工', '春耕', '春耕备耕', '生猪', '菜篮子',
  '市场监管', '价格监管', '哄抬物价', '知识产权', '专利', '商标', '外资企业', '外贸', '出口', '展会', '会展',
];

const ACTION_SUFFIX = /(办理|登记|审批|审核|审查|备案|核准|许可|变更|注销|申请|申报|确认|服务|查询|咨询|发放|认定|检查|处罚|补贴|换证|补证|延续|颁发|给付|裁决|奖励|征收|受理)$/;

function main(): void {
  const here = dirname(fileURLToPath(import.meta.url));
  const dataDir = resolve(process.argv[2] ?? join(here, '../../../../../shared/data'));
  const words = new Map<string, { freq: number; tag: string }>();
  const add = (w: string, freq: number, tag: string): void => {
    const t = w.trim();
    if (t.length < 2 || t.length > 16 || /[\s,，、（）()/／:：;；"“”]/.test(t)) return;
    const prev = words.get(t);
    if (!prev || prev.freq < freq) words.set(t, { freq, tag });
  };
  const csv = (path: string): Record<string, string>[] =>
    parse(readFileSync(path), { columns: true, skip_empty_lines: true, bom: true }) as Record<string, string>[];

  for (const w of DOMAIN_TERMS) add(w, 3000, 'n');

  // Service items and departments.
  for (const row of csv(join(dataDir, 'gov-service-items-sichuan-guangan/service_items.csv'))) {
    const dept = row.department ?? '';
    add(dept, 2000, 'nt');
    const bare = dept.replace(/^(区|市|县|省)/, '');
    add(bare, 2000, 'nt');
    // Whole service names only when short and not "<object><action>" compounds (居住证办理 must stay 居住证 + 办理,
    // or a search for 居住证 would miss it): the part before a bracket ("…（市级/县级）").
    const name = (row.item_name ?? '').split(/[（(]/)[0] ?? '';
    if (name.length <= 6 && !ACTION_SUFFIX.test(name)) add(name, 1500, 'n');
  }
  // Places: provinces, prefectures, counties (current MCA list and NBS 2023), townships (NBS 2023).
  const placeFreq = { province: 3000, prefecture: 2500, county: 2000 } as Record<string, number>;
  for (const row of csv(join(dataDir, 'gb2260-admin-division-codes/gb2260_mca_201904_current.csv'))) {
    add(row.name ?? '', placeFreq[row.level ?? ''] ?? 1500, 'ns');
  }
  for (const f of ['stats2023_provinces.csv', 'stats2023_cities.csv', 'stats2023_counties.csv']) {
    for (const row of csv(join(dataDir, 'gb2260-admin-division-codes', f))) {
      if (row.name && row.name !== '市辖区' && row.name !== '县') add(row.name, 2000, 'ns');
    }
  }
  for (const row of csv(join(dataDir, 'gb2260-admin-division-codes/stats2023_townships.csv'))) {
    const n = row.name ?? '';
    // Township names carry their suffix (街道/镇/乡/办事处); skip generic ones.
    if (/(街道|镇|乡|苏木)$/.test(n) && n.length >= 3) add(n, 500, 'ns');
  }
  const lines = [...words.entries()]
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([w, { freq, tag }]) => `${w} ${freq} ${tag}`);
  writeFileSync(join(here, 'words.txt'), lines.join('\n') + '\n');
  process.stdout.write(`wrote ${lines.length} words to ${join(here, 'words.txt')}\n`);
}

main();
