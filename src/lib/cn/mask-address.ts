// A segment's name: no division suffix, street word (路街道巷弄), house word (号栋楼室) or village/town word inside, so
// a street or a building named …市/…区 (五一大道市政府, 区府路) never passes for a division.
const NAME = '[^省市区县盟旗路街道巷弄号栋楼室村镇乡\\s]';
/** 省级, then 地级, then 县级: each optional, in this order, at the start of the address. */
const LEVELS = [
  new RegExp(`^(?:北京市|天津市|上海市|重庆市|${NAME}{2,5}?(?:省|自治区|特别行政区))`),
  new RegExp(`^${NAME}{1,8}?(?:自治州|地区|市|盟)`),
  new RegExp(`^${NAME}{1,8}?(?:自治县|自治旗|区|县|市|旗)`),
];
/** Places that end in 区 but are not districts: a housing estate, community, park, campus… names where one lives. */
const NOT_A_DISTRICT = /(?:小|社|园|校|景|街|片|厂|营|住宅|开发)区$/;

/**
 * Masks a postal address for staff who do not post anything: the administrative part (province, prefecture city,
 * district or county, read segment by segment from the start) stays, the rest becomes `****`
 * (`湖南省长沙市岳麓区麓山南路932号` → `湖南省长沙市岳麓区****`; a 小区, 社区 or street after it never shows). At least the
 * last segment is masked. Without such a part, the first 3 characters stay.
 */
export function maskAddress(address: string): string {
  const text = address.trim();
  const c = [...text];
  if (c.length === 0) return '';
  const ends: number[] = [];
  let rest = text;
  for (const level of LEVELS) {
    const m = level.exec(rest.trimStart());
    if (!m || NOT_A_DISTRICT.test(m[0])) continue;
    const used = rest.length - rest.trimStart().length + m[0].length;
    ends.push(text.length - rest.length + used);
    rest = rest.slice(used);
  }
  while (ends.length && ends[ends.length - 1]! >= text.length) ends.pop();
  const keep = ends.length ? [...text.slice(0, ends[ends.length - 1])].length : Math.min(3, c.length - 1);
  return c.slice(0, keep).join('').trimEnd() + '****';
}

/** Masks a six-digit postcode to its first four digits (`410083` → `4100**`); anything else fully. */
export function maskPostcode(postcode: string): string {
  const v = postcode.trim();
  return /^\d{6}$/.test(v) ? `${v.slice(0, 4)}**` : '*'.repeat(v.length);
}
