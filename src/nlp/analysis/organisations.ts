/**
 * Organisation mentions: government bodies (…局, …委员会, …办事处, 人民政府…), companies (…公司, …集团, …物业),
 * schools, hospitals, police stations and the like, found by suffix with the name read leftwards. Pure.
 */
import { foldWidth, nameStart, snapName } from './spans.ts';

const ORG_BOUNDARY = new Set(['小区', '社区', '花园', '家园', '街道', '路', '政府', '公司', '物业']);

/** Suffixes, longest first. */
const SUFFIXES = [
  '街道办事处', '人民政府', '委员会', '办事处', '管理处', '管理局', '派出所', '幼儿园', '有限公司', '服务中心', '执法局',
  '公安局', '分公司', '交警队', '居委会', '村委会', '业委会', '管委会', '卫健委', '发改委', '教育局', '住建局',
  '医院', '学校', '小学', '中学', '大学', '学院', '银行', '法院', '检察院', '公司', '集团', '物业', '分局', '支队',
  '大队', '中心', '政府', '街道办', '局', '厅', '站', '事务所', '研究所', '卫生所', '诊所', '纪委', '纪工委', '政法委', '村委', '居委',
].sort((a, b) => b.length - a.length);
const SUFFIX_RE = new RegExp(SUFFIXES.join('|'), 'g');
/** Suffixes that are organisations on their own, with no name in front. */
const STANDALONE = /城管|交警|消防救援|12345热线|市长热线|信访局|环保局|税务局|工商局|市场监管局|人社局|公积金中心|供电局|自来水公司|燃气公司/g;
/** Weak suffixes need a longer name to count (中心, 站, 所, 委, 局 end many ordinary words). */
const WEAK = new Set(['中心', '站', '局', '厅']);
/** Generic names: "物业公司", "该公司", "政府" alone are not a named organisation. */
const GENERIC = new Set([
  '该', '本', '此', '这家', '那家', '一家', '有关', '相关', '物业', '开发', '建筑', '施工', '各', '上级', '当地', '我们',
  '他们', '市', '区', '县', '省', '镇', '乡', '村', '希望', '恳请', '请求', '请', '要求', '建议', '人民', '市委市', '为',
  '以人民为', '指挥', '活动', '车', '加油', '公交', '地铁', '汽车', '购物', '商业', '服务', '文化', '体育', '娱乐', '市政',
  '城市', '市中', '垃圾分拣', '圾分拣', '垃圾', '厕', '前', '场', '住',
]);

/** Extracts organisation names in text order, unique. */
export function extractOrganisations(input: string): string[] {
  const text = foldWidth(input);
  const out: string[] = [];
  const seen = new Set<string>();
  const push = (s: string): void => {
    if (!seen.has(s)) {
      seen.add(s);
      out.push(s);
    }
  };
  let lastEnd = 0;
  for (const m of text.matchAll(SUFFIX_RE)) {
    const sIdx = m.index ?? 0;
    const suffix = m[0];
    const end = sIdx + suffix.length;
    const start = nameStart(text, sIdx, lastEnd, 14);
    const name = snapName(text.slice(start, sIdx), 12, ORG_BOUNDARY);
    const bare = name.replace(/^[A-Z]\d{0,2}[市区县]?/, '');
    const minLen = 2;
    if (suffix === '人民政府' || suffix === '政府') {
      // only the government of a named place ("A市人民政府", "A3区政府", "春华镇政府") is an organisation
      if (/(?:^[A-Z]\d{0,2}[市区县]|[\u4e00-\u9fff][省市区县镇乡]|街道)$/.test(name) && !GENERIC.has(bare)) push(name + suffix);
      continue;
    }
    const ofPlace = bare === '' && /[A-Z]\d{0,2}[市区县]$/.test(name) && !WEAK.has(suffix);
    if (!ofPlace && (bare.length < minLen || GENERIC.has(bare) || GENERIC.has(name))) continue;
    push(name + suffix);
    lastEnd = end;
  }
  for (const m of text.matchAll(STANDALONE)) {
    if (!out.some((o) => o.includes(m[0]))) push(m[0]);
  }
  return out;
}
