/**
 * Place mentions in citizen messages: district (区, 县, county-level 市; the data anonymises them as "A市A3区",
 * "A7县"), street level (…街道, …镇, …乡, …路, …街, …大道) and estate level (…小区, …花园, …苑, …家园, …村, …社区).
 * Rule-based and pure; components that follow each other closely are grouped into one place, coarse to fine.
 */
import { foldWidth, nameStart, snapName } from './spans.ts';

/** Longest name in front of each suffix. */
const MAX_NAME: Record<string, number> = {
  街道: 4, 大道: 4, 大街: 4, 镇: 4, 乡: 4, 路: 5, 街: 4, 巷: 4, 村: 4, 新村: 4, 社区: 6, 小区: 6, 花园: 6, 家园: 6,
  公寓: 6, 新城: 5, 苑: 6,
};

/** One place mention. `raw` is the text span it was read from. */
export interface Place {
  district?: string;
  street?: string;
  estate?: string;
  raw: string;
}

type Level = 'district' | 'street' | 'estate';
interface Hit {
  level: Level;
  value: string;
  start: number;
  end: number;
}

/** Anonymised codes ("A市A3区", "A7县", "A9市") and real "X市Y区/县" names. */
const DISTRICT =
  /(?:([A-Z]\d{0,2}市)([A-Z]\d{1,2}[区县市]))|([A-Z]\d{1,2}[区县])|([A-Z]\d{1,2}市)|([A-Z]市)|(?:([\u4e00-\u9fff]{2,3}市)([\u4e00-\u9fff]{2,3}[区县]))/g;
/** Suffix words; longest first so 街道 wins over 街 and 小区 over 区. */
const STREET_SUFFIX = ['街道', '大道', '大街', '镇', '乡', '路', '街', '巷'];
const ESTATE_SUFFIX = ['小区', '花园', '家园', '公寓', '新村', '新城', '社区', '苑', '村'];
const SUFFIX_RE = new RegExp([...STREET_SUFFIX, ...ESTATE_SUFFIX].sort((a, b) => b.length - a.length).join('|'), 'g');
const ESTATE_SET = new Set(ESTATE_SUFFIX);
const SUFFIX_WORDS = new Set([...STREET_SUFFIX, ...ESTATE_SUFFIX, '区', '县', '市']);
/** After 路/街, these characters make a common word (路名, 路段, 路灯…), not a road name. */
const NOT_AFTER_ROAD = new Set(Array.from('名段灯面边况过上费线人径途程标牌基子由费数'));
/** Before 路, these characters make a common word (线路, 道路, 马路, 公路…), not a road name. */
const NOT_BEFORE_ROAD = new Set(Array.from('线道马公铁出思网套走修电水陆退去来门进岔弯小大老新一半上下山土旧绕'));

/** Names that end in a suffix but are not places (道路, 一路, 我们小区…). */
const NOT_A_NAME = new Set([
  '道', '马', '公', '铁', '线', '思', '出', '网', '走', '修', '上', '一', '半', '水', '电', '套', '道路', '公交线', '之',
  '必经之', '这条', '那条', '整条', '该条', '进', '回家', '城', '乡', '农', '农村', '全', '整个', '我们', '周边', '附近',
  '该', '本', '老', '新', '各', '这个', '那个', '安置', '现在', '目前', '导致', '影响', '严重影响', '开展城镇', '城镇',
  '城中', '其他', '周围', '多个', '部分', '所在', '在', '住', '商业', '高档', '居民', '大', '小', '美丽', '旧', '老旧',
  '今天', '昨天', '去年', '今年', '以前', '以后', '当时', '最近', '平时', '晚上', '夜间', '凌晨', '白天', '现在', '目前', '当前',
  '路段', '历任', '水泥', '柏油', '马', '步行', '人行', '车行', '道', '街', '某某', '某', '花', '家', '公', '社', '学', '农', '环',
]);

const DISTRICT_BLACKLIST = /^(?:城|郊|社|景|园|小|辖|市|片|山|矿|街|校|营|灾|保税|开发|高新|新)/;

function districtHits(text: string): Hit[] {
  const out: Hit[] = [];
  for (const m of text.matchAll(DISTRICT)) {
    const start = m.index ?? 0;
    const end = start + m[0].length;
    if (m[1] && m[2]) out.push({ level: 'district', value: m[2], start, end });
    else if (m[3]) out.push({ level: 'district', value: m[3], start, end });
    else if (m[4]) out.push({ level: 'district', value: m[4], start, end });
    else if (m[5]) continue; // the city alone ("A市") is not a district; kept in raw when grouped
    else if (m[6] && m[7] && !DISTRICT_BLACKLIST.test(m[7])) out.push({ level: 'district', value: m[7], start, end });
  }
  return out;
}

/**
 * Extracts place mentions, in text order. Each place has at least one of district, street, estate; `raw` is the
 * span from its first to its last component (including a leading city code such as "A市").
 */
export function extractPlaces(input: string): Place[] {
  const text = foldWidth(input);
  const hits = districtHits(text);
  const taken = (i: number): boolean => hits.some((h) => i >= h.start && i < h.end);
  const districtEnds = hits.map((h) => h.end);
  for (const m of text.matchAll(SUFFIX_RE)) {
    const sIdx = m.index ?? 0;
    if (taken(sIdx)) continue;
    const end = sIdx + m[0].length;
    if ((m[0] === '路' || m[0] === '街') && NOT_AFTER_ROAD.has(text[end] ?? '')) continue;
    if (m[0] === '路' && NOT_BEFORE_ROAD.has(text[sIdx - 1] ?? '')) continue;
    // a place name never runs into a preceding district code or a previous place
    let floor = 0;
    for (const h of hits) if (h.end <= sIdx && h.end > floor) floor = h.end;
    for (const d of districtEnds) if (d <= sIdx && d > floor) floor = d;
    const start = nameStart(text, sIdx, floor, 10);
    // drop a leading anonymised code the walk picked up ("A3区" is handled as a district)
    let name = text.slice(start, sIdx).replace(/^.*[A-Z]\d{0,2}[市区县]/, '').replace(/^[0-9A-Za-z]*[号栋]/, '');
    name = snapName(name, MAX_NAME[m[0]] ?? 5, SUFFIX_WORDS);
    if (name.length < 2 || NOT_A_NAME.has(name) || /^\d+$/.test(name)) continue;
    const suffix = m[0];
    const level: Level = ESTATE_SET.has(suffix) ? 'estate' : 'street';
    hits.push({ level, value: name + suffix, start: end - name.length - suffix.length, end });
  }
  hits.sort((a, b) => a.start - b.start);
  const order: Record<Level, number> = { district: 0, street: 1, estate: 2 };
  const places: Place[] = [];
  let cur: (Place & { start: number; end: number; last: number }) | undefined;
  const close = (): void => {
    if (!cur) return;
    const { start, end, last: _last, ...p } = cur;
    // include a directly preceding city code in raw
    const before = text.slice(Math.max(0, start - 4), start);
    const city = /[A-Z]\d{0,2}市$/.exec(before)?.[0] ?? '';
    places.push({ ...p, raw: city + text.slice(start, end) });
    cur = undefined;
  };
  for (const h of hits) {
    const canJoin =
      cur !== undefined && h.start - cur.end <= 2 && order[h.level] > cur.last && cur[h.level] === undefined;
    if (!canJoin) {
      close();
      cur = { start: h.start, end: h.end, last: order[h.level], raw: '' };
    }
    if (cur) {
      cur[h.level] = h.value;
      cur.end = h.end;
      cur.last = order[h.level];
    }
  }
  close();
  return dedupePlaces(places);
}

/** Drops repeated places, and later mentions that a fuller earlier place already covers (黄兴路 after A2区黄兴路). */
function dedupePlaces(places: Place[]): Place[] {
  const out: Place[] = [];
  const covers = (a: Place, b: Place): boolean =>
    (b.district === undefined || a.district === b.district) &&
    (b.street === undefined || a.street === b.street) &&
    (b.estate === undefined || a.estate === b.estate);
  for (const p of places) {
    const i = out.findIndex((q) => covers(q, p) || covers(p, q));
    if (i < 0) out.push(p);
    else if (covers(p, out[i] as Place) && !covers(out[i] as Place, p)) out[i] = p;
  }
  return out;
}
