import { validateLandline } from './landline.ts';

/**
 * Masks a phone number for lists and logs: a mainland mobile keeps its network prefix and last 4
 * (`13812341234` → `138****1234`; a `+86`/`0086` prefix and separators are dropped first); a mainland landline keeps
 * its area code and last 4, the extension hidden (`0731-88886666-801` → `0731-****6666-***`). Other numbers (foreign)
 * keep only their last 4 digits; fewer than 7 digits are fully masked. Full-width digits are read as digits
 * (`１３９１２３４０９６８` → `139****0968`), not dropped.
 */
export function maskPhone(phone: string): string {
  const land = validateLandline(phone.normalize('NFKC'));
  if (land.ok) {
    const { areaCode, local, extension } = land;
    return `${areaCode}-${'*'.repeat(local.length - 4)}${local.slice(-4)}${extension ? `-${'*'.repeat(extension.length)}` : ''}`;
  }
  // Full-width digits and ＋ (typed with a Chinese input method) count as digits: NFKC makes them ASCII.
  let d = phone.normalize('NFKC').replace(/[^\d+]/g, '');
  if (d.startsWith('+86')) d = d.slice(3);
  else if (d.startsWith('0086')) d = d.slice(4);
  d = d.replace(/\+/g, '');
  if (d.length === 0) return '';
  if (d.length === 11 && d.startsWith('1')) return `${d.slice(0, 3)}****${d.slice(7)}`;
  if (d.length >= 7) return '*'.repeat(d.length - 4) + d.slice(-4);
  return '*'.repeat(d.length);
}
