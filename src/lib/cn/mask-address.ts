/**
 * Masks a postal address for staff who do not post anything: the administrative part (province, city, district or
 * county, up to the last 省/市/区/县/旗/州/盟 within the first 12 characters) stays, the rest becomes `****`
 * (`湖南省长沙市岳麓区麓山南路932号` → `湖南省长沙市岳麓区****`). Without such a part, the first 3 characters stay.
 */
export function maskAddress(address: string): string {
  const c = [...address.trim()];
  if (c.length === 0) return '';
  let keep = 0;
  for (let i = 0; i < Math.min(c.length - 1, 12); i++) if ('省市区县旗州盟'.includes(c[i]!)) keep = i + 1;
  if (keep === 0) keep = Math.min(3, c.length - 1);
  return c.slice(0, keep).join('') + '****';
}

/** Masks a six-digit postcode to its first four digits (`410083` → `4100**`); anything else fully. */
export function maskPostcode(postcode: string): string {
  const v = postcode.trim();
  return /^\d{6}$/.test(v) ? `${v.slice(0, 4)}**` : '*'.repeat(v.length);
}
