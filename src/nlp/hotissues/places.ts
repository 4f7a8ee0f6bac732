/**
 * Place extraction for citizen messages (pure, no I/O).
 *
 * The 问政 data is anonymised: cities are "A市", "L市", districts and counties "A3区", "A7县", "K9县". Below that come
 * named places: streets (街道), towns (镇), villages (村), estates (小区, 新城, 花园, …苑/园/城/府/湾), schools
 * (学院, 小学, 幼儿园), roads (路, 大道), stations and lines. Names are found by splitting the text at punctuation,
 * administrative units and common non-name words, then taking each stretch that ends with a place suffix.
 */

/** A district / county / city code such as "A3区", "A7县", "A市". */
const ADMIN_RE = /([A-Z]\d{0,2})(市|区|县)/g;

/**
 * Suffixes that end a place name, longest first. Single-character suffixes need at least two name characters
 * before them, two-character ones at least one.
 */
const SUFFIXES = [
  '小区', '社区', '新城', '新村', '花园', '家园', '公寓', '广场', '大厦', '市场', '公园', '学院', '大学', '中学', '小学',
  '幼儿园', '学校', '医院', '卫生院', '街道', '大道', '高速', '高铁', '号线', '商城', '山庄', '名苑', '华府', '水岸',
  '苑', '园', '城', '府', '湾', '郡', '墅', '村', '镇', '乡', '路', '街', '巷', '桥', '站', '岛', '里', '邸', '庭',
];
// "城际" (intercity) does not end a name at 城: 绿地城际空间站, 长株潭城际铁路.
const SUFFIX_RE = new RegExp(`(${SUFFIXES.map((x) => (x === '城' ? '城(?!际)' : x)).join('|')})`, 'g');
/** Generic tails that may follow a name ("魅力之城" + "小区", "滨河苑" + "二期"). */
const TAIL_RE = /^(小区|社区|二期|三期|一期|四期|[0-9一二三四五六七八九十]+期)/;

/**
 * Words that never sit inside a place name; the text is split at them. Kept conservative: names like
 * 中建嘉和城, 丽发新城, 伊景园滨河苑 must survive.
 */
const BREAK_WORDS = [
  '投诉', '反映', '反应', '举报', '咨询', '建议', '请问', '请求', '恳请', '希望', '关于', '要求', '强烈', '反对', '严重',
  '问题', '情况', '附近', '旁边', '周边', '周围', '对面', '门口', '楼下', '什么', '为什么', '何时', '能否', '是否', '如何',
  '怎么', '已经', '一直', '还是', '没有', '不能', '可以', '进行', '存在', '导致', '影响', '修建', '建设', '新建', '开发商',
  '物业', '业主', '居民', '市民', '学生', '家长', '政府', '部门', '领导', '有关', '相关', '我们', '你们', '他们', '本人',
  '位于', '地处', '后面', '前面', '单方面', '改变', '要建', '城区', '内', '早日', '回复', '知道', '剥夺', '要', '想', '能', '会', '该', '坐落', '座落', '组织', '距离', '扰民', '噪音', '污染', '油烟', '捆绑', '销售', '违规', '违法', '非法',
  '请', '我', '你', '他', '的', '了', '在', '与', '及', '对', '向', '给', '把', '被', '将', '从', '到', '于', '是', '有',
  '无', '不', '也', '都', '就', '又', '还', '再', '很', '太', '等', '距', '去', '至', '往', '由', '和', '让', '这', '那',
];
// Escape nothing: the words are plain CJK.
const BREAK_RE = new RegExp(`[^\\u4e00-\\u9fa5A-Za-z0-9]+|${BREAK_WORDS.join('|')}`, 'g');

/** Places found in a text. */
export interface PlaceMentions {
  /** Administrative units below the city, in order of appearance, deduplicated (e.g. ["A3区"]). */
  districts: string[];
  /** Cities ("A市", "L市"), deduplicated. */
  cities: string[];
  /** Named places (estates, streets, roads, schools …), in order of appearance, deduplicated. */
  places: string[];
}

function pushUnique(list: string[], v: string): void {
  if (!list.includes(v)) list.push(v);
}

/** Full-width digits and letters to ASCII (the data mixes "３号线" and "3号线"). */
export function foldWidth(s: string): string {
  return s.replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');
}

/**
 * Extracts administrative units and named places from `text`.
 * @param text raw message text (title or body)
 * @param maxChars only the first `maxChars` characters are read (places are named early)
 */
export function extractPlaces(text: string, maxChars = 400): PlaceMentions {
  const s = foldWidth(text.slice(0, maxChars))
    .replace(/([一二三四五六七八九])号线/g, (_m, d: string) => `${'一二三四五六七八九'.indexOf(d) + 1}号线`)
    // Anonymisation artefact: a county code inside an estate name ("五矿万境K9县25栋") is not a county; it stays part
    // of the name, in lower case so it is not read as one ("五矿万境k9号").
    .replace(/(?<=[\u4e00-\u9fa5]{2})([A-Z]\d{0,2})县(?=[A-Za-z]?\d+栋)/g, (_m, c: string) => `${c.toLowerCase()}号`);
  const out: PlaceMentions = { districts: [], cities: [], places: [] };
  for (const m of s.matchAll(ADMIN_RE)) {
    const code = m[0];
    if (m[2] === '市') pushUnique(out.cities, code);
    else pushUnique(out.districts, code);
  }
  // Split at admin codes, punctuation and break words; each remaining stretch may hold place names.
  const stretches = s.replace(ADMIN_RE, '|').split(BREAK_RE);
  for (const st of stretches) {
    if (!st || st.length < 2) continue;
    for (const seg of st.split('|')) scanSegment(seg, out.places);
  }
  return out;
}

/** Facility words that name a problem, not a place ("搅拌站", "垃圾站", "普惠性幼儿园"). */
const GENERIC_NAMES = new Set([
  '垃圾站', '搅拌站', '公交站', '地铁站', '加油站', '变电站', '收费站', '中转站', '垃圾中转站', '普惠性幼儿园',
  '普惠幼儿园', '公办幼儿园', '配套幼儿园', '民办幼儿园', '公立幼儿园', '私立幼儿园', '配套小学', '公办小学',
  '民办学校', '培训学校', '高铁', '城市', '乡村', '农村', '老旧小区', '安置小区', '安置区', '商品房小区',
]);

/**
 * Heads that name no particular place: counters, determiners and kinds ("一所公立" 幼儿园, "配套" 小学, "小区"
 * 幼儿园), including the empty head of a bare suffix ("幼儿园" left after trimming "配套幼儿园").
 */
const GENERIC_HEAD_RE =
  /^(?:[一两二三几多各该本这那此某或版读及和与的所家个名位每栋些]|公立|公办|民办|民营|私立|私人|普惠性|普惠|配套|周边|附近|老旧|安置|商品房|新建|在建|现有|小区|社区)*$/;

/** The name without its place suffix ("美联幼儿园" → "美联"; "幼儿园" → ""). */
export function placeHead(name: string): string {
  const k = name.replace(/(一期|二期|三期|四期|[0-9一二三四五六七八九十]+期)$/, '');
  for (const suf of SUFFIXES) if (k.endsWith(suf)) return k.slice(0, k.length - suf.length);
  return k;
}

/**
 * Whether a name is a generic facility word rather than a place: a listed facility ("搅拌站"), a bare suffix, or a
 * suffix after only counters and kinds ("一所公立幼儿园", "配套公办幼儿园").
 */
export function isGenericName(name: string): boolean {
  return GENERIC_NAMES.has(name) || GENERIC_NAMES.has(placeKey(name)) || GENERIC_HEAD_RE.test(placeHead(name));
}

/**
 * A name followed by a building or phase number is an estate even without a suffix ("长房云时代13栋",
 * "长房云时代二期"): the name is kept with "小区" appended so that it is compared and ranked as an estate.
 */
const BUILDING_RE = /^([\u4e00-\u9fa5]{2,8}?(?:[a-z]\d{0,2}号)?)(?:[A-Za-z]?\d+|[一二三四五六七八九十]+)(?:栋|号楼|期)/;

function scanSegment(seg: string, places: string[]): void {
  const rest = seg.slice(scanSuffixes(seg, places));
  const m = BUILDING_RE.exec(rest);
  if (m) {
    const name = m[1] as string;
    if (placeKind(name) === 'other' && !/^[一二三四五六七八九十两几]+[号个栋层楼期]/.test(name) && !isGenericName(name + '小区') && !places.some((p) => p.startsWith(name))) {
      pushUnique(places, name + '小区');
    }
  }
}

/** Adds the names ending in a place suffix; returns where the text after the last name starts. */
function scanSuffixes(seg: string, places: string[]): number {
  let start = 0;
  let prev: string | null = null;
  SUFFIX_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = SUFFIX_RE.exec(seg)) !== null) {
    const suf = m[1] ?? '';
    const end = m.index + suf.length;
    const nameLen = m.index - start;
    const need = suf.length === 1 ? 2 : 1;
    if (nameLen >= need) {
      let name = seg.slice(start, end);
      const tail = TAIL_RE.exec(seg.slice(end));
      let next = end;
      if (tail) {
        name += tail[0];
        next = end + tail[0].length;
      } else if (seg[end] === '站' && suf !== '站') {
        // a station named after a road or estate ("星沙大道站") is the station
        name += '站';
        next = end + 1;
      }
      // Strip leading digits / latin noise that are not part of a name ("30米" etc. never reach here).
      if (!/^\d+号线/.test(name)) name = name.replace(/^[0-9]+/, '');
      if (name.length >= 2 && name.length <= 16 && !/^\d(?!\d*号线)/.test(name) && !isGenericName(name) && !SUFFIXES.includes(name)) {
        // Two estate names back to back are one name ("伊景园" + "滨河苑").
        if (prev !== null && placeKind(prev) === 'estate' && placeKind(name) === 'estate' && places[places.length - 1] === prev) {
          places.pop();
          name = prev + name;
        }
        pushUnique(places, name);
        prev = name;
      } else prev = null;
      start = next;
      SUFFIX_RE.lastIndex = next;
    } else if (nameLen === 0 && suf.length >= 2) {
      // A bare generic word ("小区", "学校") is not a name; skip it.
      start = end;
      prev = null;
    }
  }
  return start;
}

/** Generic parts removed before comparing two place names. */
const GENERIC_RE = /(小区|社区|一期|二期|三期|四期|[0-9一二三四五六七八九十]+期)$/;

/** Canonical key of a place name for comparison ("万科魅力之城小区" → "万科魅力之城"). */
export function placeKey(name: string): string {
  // "地铁3号线" and "3号线" are one line
  let k = name.replace(/[·.\s]/g, '').replace(/^(?:地铁|轨道交通)(?=\d+号线)/, '');
  for (let i = 0; i < 2; i++) k = k.replace(GENERIC_RE, '');
  return k.length >= 2 ? k : name;
}

const cache = new Map<string, { key: string; head: number; spec: number; bigrams: Set<string> }>();
/** Key, length of the key's head, specificity and bigrams of a place name, memoised (cleared at 200,000 names). */
function cached(name: string): { key: string; head: number; spec: number; bigrams: Set<string> } {
  let c = cache.get(name);
  if (!c) {
    if (cache.size >= 200_000) cache.clear();
    const key = placeKey(name);
    c = { key, head: placeHead(key).length, spec: placeSpecificity(placeKind(name)), bigrams: bigrams(key) };
    cache.set(name, c);
  }
  return c;
}

function bigrams(s: string): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i + 1 < s.length; i++) out.add(s.slice(i, i + 2));
  return out;
}

/**
 * Whether two place names denote the same place: equal keys, one key containing the other (at least two
 * characters), or character-bigram Jaccard ≥ 0.5.
 */
export function samePlace(a: string, b: string): boolean {
  if (a === b) return true;
  const ca = cached(a);
  const cb = cached(b);
  const ka = ca.key;
  const kb = cb.key;
  if (ka === kb) return true;
  // One name inside the other ("滨河苑" in "伊景园滨河苑"), when the shorter one has a head of its own: "美联幼儿园"
  // does not contain the place "幼儿园".
  const [short, long] = ka.length <= kb.length ? [ka, kb] : [kb, ka];
  const shortHead = short === ka ? ca.head : cb.head;
  if (short.length >= 2 && long.includes(short) && shortHead >= 2) return true;
  // Names that are little more than a suffix ("幼儿园") share bigrams with every name of their kind.
  if (ca.head < 2 || cb.head < 2) return false;
  const ba = ca.bigrams;
  const bb = cb.bigrams;
  if (ba.size === 0 || bb.size === 0) return false;
  let inter = 0;
  for (const g of ba) if (bb.has(g)) inter++;
  return inter / (ba.size + bb.size - inter) >= 0.5;
}

/** Specificity of a place name's kind (see {@link placeSpecificity}), memoised. */
export function specificityOf(name: string): number {
  return cached(name).spec;
}

/** Place kinds, used to prefer specific places (estates, schools) over roads when naming an issue. */
export type PlaceKind = 'estate' | 'school' | 'street' | 'road' | 'line' | 'transit' | 'village' | 'other';

/** Classifies a place name by its suffix. */
export function placeKind(name: string): PlaceKind {
  const k = name.replace(/(一期|二期|三期|四期|[0-9一二三四五六七八九十]+期)$/, '');
  if (/(学院|大学|中学|小学|幼儿园|学校)$/.test(k)) return 'school';
  if (/(街道)$/.test(k)) return 'street';
  if (/(村|镇|乡)$/.test(k)) return 'village';
  if (/(大道|路|街|巷|桥|高速)$/.test(k)) return 'road';
  // A metro or rail line crosses the city like a road: its stations are the places.
  if (/(高铁|号线)$/.test(k)) return 'line';
  if (/站$/.test(k)) return 'transit';
  if (/(小区|社区|新城|新村|花园|家园|公寓|苑|园|城|府|湾|郡|墅|邸|庭|里|山庄|名苑|华府|水岸|广场|大厦|商城)$/.test(k)) {
    return 'estate';
  }
  return 'other';
}

/** Specificity rank of a place kind (higher = more specific, better as an issue's place). */
export function placeSpecificity(kind: PlaceKind): number {
  switch (kind) {
    case 'estate':
    case 'school':
      return 3;
    case 'village':
    case 'transit':
      return 2;
    case 'road':
    case 'line':
    case 'street':
      return 1;
    case 'other':
      return 0;
  }
}
