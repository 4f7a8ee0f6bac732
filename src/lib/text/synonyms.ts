/**
 * One synonym rule: a query containing any word of `from` also searches `to` (the official terms).
 * Staff-editable data: the integrator stores these rows in the database and passes them back to the index.
 */
export interface SynonymRule {
  from: string;
  to: string[];
}

/**
 * Default everyday → official terms (社保 → 社会保险 …). Plain data: export, edit, store, pass back in.
 * Both sides are written in folded (Simplified, lower-case) form.
 */
export const DEFAULT_SYNONYMS: readonly SynonymRule[] = [
  { from: '社保', to: ['社会保险'] },
  { from: '社保卡', to: ['社会保障卡'] },
  { from: '医保', to: ['医疗保险', '医疗保障'] },
  { from: '医保卡', to: ['医疗保险', '社会保障卡'] },
  { from: '养老金', to: ['养老保险', '基本养老金'] },
  { from: '身份证', to: ['居民身份证'] },
  { from: '公积金', to: ['住房公积金'] },
  { from: '户口', to: ['户籍'] },
  { from: '户口本', to: ['户口簿'] },
  { from: '办', to: ['办理'] },
  { from: '办证', to: ['办理', '证件'] },
  { from: '执照', to: ['营业执照'] },
  { from: '开公司', to: ['企业', '设立登记'] },
  { from: '开店', to: ['个体工商户', '设立登记'] },
  { from: '房产证', to: ['不动产权证书', '不动产登记'] },
  { from: '驾照', to: ['驾驶证'] },
  { from: '护照', to: ['普通护照', '出入境'] },
  { from: '低保', to: ['最低生活保障'] },
  { from: '失业金', to: ['失业保险金'] },
  { from: '退休', to: ['退休', '养老保险'] },
  { from: '新冠', to: ['新型冠状病毒', '新冠肺炎'] },
  { from: '肺炎', to: ['新型冠状病毒'] },
  { from: '口罩', to: ['口罩', '防护用品'] },
  { from: '复工', to: ['复工复产'] },
  { from: '开工', to: ['复工复产'] },
  { from: '交税', to: ['纳税', '缴纳'] },
  { from: '缴费', to: ['缴纳'] },
  { from: '交', to: ['缴纳'] },
  { from: '补助', to: ['补贴'] },
  { from: '补贴', to: ['补助'] },
  { from: '钱', to: ['资金', '费用'] },
  { from: '贷款', to: ['信贷', '融资'] },
  { from: '房租', to: ['租金'] },
  { from: '减租', to: ['租金减免'] },
  { from: '老板', to: ['企业'] },
  { from: '公司', to: ['企业'] },
  { from: '单位', to: ['用人单位'] },
  { from: '工人', to: ['职工', '员工'] },
  { from: '找工作', to: ['就业', '招聘'] },
  { from: '上学', to: ['入学'] },
  { from: '看病', to: ['就医', '医疗'] },
  { from: '结婚', to: ['婚姻登记'] },
  { from: '生孩子', to: ['生育', '新生儿', '出生'] },
  { from: '生小孩', to: ['生育', '新生儿', '出生'] },
  { from: '生娃', to: ['生育', '新生儿', '出生'] },
  { from: '投诉', to: ['投诉', '举报'] },
  { from: '网上', to: ['网上办理', '线上'] },
  // 27 Nov (H10): everyday names of catalogue needs that a 12345 operator files under the official one.
  { from: '残疾证', to: ['残疾人证'] },
  { from: '领养', to: ['收养'] },
  // Lost papers: only added terms (挂失, 补办, 补领); the words typed keep their full weight.
  { from: '丢了', to: ['挂失', '补办', '补领'] },
  { from: '丢失', to: ['挂失', '补办', '补领'] },
  { from: '弄丢', to: ['挂失', '补办', '补领'] },
  { from: '掉了', to: ['挂失', '补办', '补领'] },
  { from: '公司注册', to: ['企业', '设立登记'] },
  { from: '注册公司', to: ['企业', '设立登记'] },
  { from: '开小店', to: ['个体工商户', '设立登记'] },
  { from: '饭馆', to: ['餐饮', '食品经营'] },
  { from: '餐馆', to: ['餐饮', '食品经营'] },
  { from: '小饭馆', to: ['食品小经营店', '餐饮'] },
  { from: '开饭馆', to: ['食品经营', '个体工商户'] },
  { from: '看病报销', to: ['医疗费用', '门诊', '住院'] },
  { from: '医药费报销', to: ['医疗费用', '门诊', '住院'] },
  { from: '交社保', to: ['参保登记', '社会保险'] },
  { from: '缴社保', to: ['参保登记', '社会保险'] },
  { from: '买社保', to: ['参保登记', '社会保险'] },
  { from: '当兵', to: ['征兵'] },
  { from: '参军', to: ['征兵'] },
  { from: '退伍', to: ['退役'] },
  { from: '复员', to: ['退役'] },
  { from: '湖北', to: ['湖北省'] },
  { from: '武汉', to: ['武汉市'] },
];

/** Builds the lookup used by the tokenizer and index: folded word → official terms. Later rules add to earlier ones. */
export function buildSynonymMap(rules: readonly SynonymRule[]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const r of rules) {
    const from = r.from.trim();
    if (from === '') continue;
    const list = map.get(from) ?? [];
    for (const t of r.to) {
      const w = t.trim();
      if (w !== '' && w !== from && !list.includes(w)) list.push(w);
    }
    map.set(from, list);
  }
  return map;
}
