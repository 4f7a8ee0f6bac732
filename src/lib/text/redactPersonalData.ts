/**
 * Redaction of personal data in text to be published (replies, citizens' messages shown publicly): phone
 * numbers, ID numbers, e-mail addresses, bank-card numbers, house numbers and the given names of people named
 * with a title (先生/女士/同志/…) or after a label (姓名：/联系人：). Pure.
 */

const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝';
const TITLES = '先生|女士|小姐|同志|老师|师傅|阿姨|大爷|大妈|老人|大姐|大哥';

export interface Redaction {
  text: string;
  /** What was replaced, by kind (counts only; the values are never returned). */
  counts: Record<'idNumber' | 'phone' | 'email' | 'bankCard' | 'name' | 'houseNumber', number>;
}

/**
 * Redacts personal data from `text`; returns the redacted text and how many items of each kind it replaced.
 * Not merged with `maskNumbersInText` (src/lib/cn): that one hides every run of 6+ digits (dates and amounts too) in
 * text kept only for statistics; this one keeps published text readable, so it must tell a phone from a date.
 * Stored opinion items were redacted with the rules of their day: when these rules get stronger, raise
 * REDACTION_VERSION in src/modules/opinion/opinion.service.ts so that they are redacted again (published replies and
 * tracking views are redacted on the way out, so they need nothing).
 */
export function redactPersonalData(text: string): Redaction {
  const counts: Redaction['counts'] = { idNumber: 0, phone: 0, email: 0, bankCard: 0, name: 0, houseNumber: 0 };
  // Full-width digits (and a full-width hyphen between digits), as a Chinese input method types them, are read as
  // ASCII: １３９１２３４０９６８ was published whole. The published text shows them as ASCII digits.
  let t = text.replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/(?<=\d)－(?=\d)/g, '-');
  // ID numbers first (18 or 15 digits), so their digits are not taken for phones or cards.
  // Also written in groups with spaces or hyphens (110105 19491231 002X), as people copy them off the card.
  t = t.replace(/(?<![\dA-Za-z])(\d{6})[ -]?(19|20)\d{2}[ -]?(0[1-9]|1[0-2])[ -]?(0[1-9]|[12]\d|3[01])[ -]?\d{3}[ -]?[\dXx](?![\dA-Za-z])/g, (_m, region: string) => {
    counts.idNumber++;
    return `${region}********${'****'}`;
  });
  t = t.replace(/(?<!\d)\d{6}\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])\d{3}(?!\d)/g, (m) => {
    counts.idNumber++;
    return `${m.slice(0, 6)}*********`;
  });
  t = t.replace(/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, () => {
    counts.email++;
    return '***@***';
  });
  // Bank cards written in groups of four (6222 0212 3456 7890 123) before the phones, whose spaced forms could
  // otherwise start inside one.
  t = t.replace(/(?<![\d-])\d{4}(?:([ -])\d{4})(?:\1\d{4}){2}(?:\1\d{1,3})?(?![\d-])/g, (m) => {
    counts.bankCard++;
    const d = m.replace(/\D/g, '');
    return `${'*'.repeat(d.length - 4)}${d.slice(-4)}`;
  });
  // Mainland mobiles, with an optional +86 (＋ as typed in Chinese) and separators: 138 0013 8000, 138-0013-8000,
  // 1380 013 8000. Only these groupings, so an amount spaced by thousands (13 800 138 000) is left alone.
  t = t.replace(/(?<!\d)(?:[+＋]?86[-\s]?)?(?:1[3-9]\d[-\s]?\d{4}[-\s]?\d{4}|1[3-9]\d{2}[-\s]\d{3}[-\s]\d{4})(?!\d)/g, (m) => {
    counts.phone++;
    const d = m.replace(/\D/g, '').slice(-11);
    return `${d.slice(0, 3)}****${d.slice(7)}`;
  });
  // Bank cards: 16–19 digits.
  t = t.replace(/(?<!\d)\d{16,19}(?!\d)/g, (m) => {
    counts.bankCard++;
    return `${'*'.repeat(m.length - 4)}${m.slice(-4)}`;
  });
  // Landlines with their area code (010, 02x, 0xxx), the local number (first digit 2–9) whole or split: 0731-88886666,
  // 0731-8888 6666, 0731 8888 6666, (0731)8888-6666, +86 731 8888 6666 → 0731-****6666. Some separator or
  // bracket is required, so a bare run of digits starting with 0 (an account or case number) is not taken.
  t = t.replace(/(?<![\d+＋])(?:([+＋]86[-\s]?)[(（]?0?(10|2\d|[3-9]\d{2})[)）]?|[(（]\s*(0(?:10|2\d|[3-9]\d{2}))\s*[)）]|(0(?:10|2\d|[3-9]\d{2})))(\s-\s|[-\s]?)([2-9]\d{2,3})([-\s]?)(\d{4})(?![\d-])/g,
    (m, plus: string | undefined, intl: string | undefined, bracketed: string | undefined, bare: string | undefined, sep1: string, first: string, sep2: string, last: string) => {
      if (!plus && !bracketed && !sep1 && !sep2) return m;
      counts.phone++;
      const area = bracketed ?? bare ?? `0${intl ?? ''}`;
      return `${area}-****${last}`;
    });
  t = t.replace(/(?<!\d)0\d{2,3}-\d{7,8}(?!\d)/g, (m) => {
    counts.phone++;
    return `${m.slice(0, m.indexOf('-') + 1)}****${m.slice(-4)}`;
  });
  // 7- or 8-digit local numbers introduced as phone numbers, whole or split (电话 8888 6666).
  t = t.replace(/(电话|手机|联系方式|号码)([:：是为]?\s*)(\d{3,4}[-\s]?\d{4})(?![\d-])/g, (_m, label: string, sep: string, num: string) => {
    counts.phone++;
    return `${label}${sep}****${num.slice(-4)}`;
  });
  // Names with a title: keep the surname and the title (张三丰先生 → 张**先生).
  t = t.replace(new RegExp(`([${SURNAMES}])([\\u4e00-\\u9fa5]{1,2})(${TITLES})`, 'g'), (_m, s: string, given: string, title: string) => {
    counts.name++;
    return `${s}${'*'.repeat(given.length)}${title}`;
  });
  // Names after a label.
  t = t.replace(/(姓名|联系人|举报人|投诉人|当事人|户主|业主)([:：]\s*)([\u4e00-\u9fa5]{2,4})/g, (_m, label: string, sep: string, name: string) => {
    counts.name++;
    return `${label}${sep}${name[0]}${'*'.repeat(name.length - 1)}`;
  });
  // House numbers: 3栋2单元501室 → 3栋*单元***室.
  t = t.replace(/(\d+)(栋|幢|号楼)(\d+)单元(\d{3,4})(室|号)?/g, (_m, b: string, k: string, u: string, r: string, s: string | undefined) => {
    counts.houseNumber++;
    return `${b}${k}${'*'.repeat(u.length)}单元${'*'.repeat(r.length)}${s ?? ''}`;
  });
  // Without a 单元: 3栋201室, 5号楼1203, 3栋201业主, 7栋302号 → 3栋***室, 5号楼****, 3栋***业主, 7栋***号; not a
  // quantity, year or measure after a building (8栋2019年, 8栋1200户, 12栋1000余人, 3栋1200平方米, 9栋2000万元).
  t = t.replace(/(\d+)(栋|幢|号楼)(\d{3,4})(?!\d|[.．]\d|\s*[年月日户套间人名位余多几万千百亿元块角米平亩吨斤克个辆台次天周届级期栋幢层%％㎡])/g, (_m, b: string, k: string, r: string) => {
    counts.houseNumber++;
    return `${b}${k}${'*'.repeat(r.length)}`;
  });
  return { text: t, counts };
}
