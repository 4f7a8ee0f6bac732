/**
 * Masks an ID number for lists and logs, keeping what staff need to tell people apart and check a card: the region
 * code (first 6) and the last 4 (sequence + check), e.g. `11010519491231002X` → `110105********002X`. The birth
 * date is hidden. 15-digit numbers keep 6 + 3 (`110105*****0021`… with the last 4 kept when long enough). Anything
 * else of 8 or more characters keeps only its last 4; shorter values are fully masked. Never returns the input
 * unchanged unless it is empty.
 */
export function maskIdNumber(id: string): string {
  const v = id.trim();
  const n = [...v].length;
  if (n === 0) return '';
  const chars = [...v];
  if (n >= 15) return chars.slice(0, 6).join('') + '*'.repeat(n - 10) + chars.slice(-4).join('');
  if (n >= 8) return '*'.repeat(n - 4) + chars.slice(-4).join('');
  return '*'.repeat(n);
}
