/**
 * Masks a person's name the usual Chinese way: the surname (first character) stays, the rest become `*`, and for
 * names of three or more characters the last one stays too (`张三` → `张*`, `欧阳娜娜` → `欧**娜`). Latin names
 * keep the first letter of each word (`John Smith` → `J*** S****`).
 */
export function maskName(name: string): string {
  const v = name.trim();
  if (v === '') return '';
  if (/^[\p{Script=Latin}\s.'-]+$/u.test(v)) {
    return v.replace(/\p{L}+/gu, (w) => (w[0] ?? '') + '*'.repeat([...w].length - 1));
  }
  const c = [...v];
  if (c.length === 1) return '*';
  if (c.length === 2) return `${c[0]}*`;
  return (c[0] ?? '') + '*'.repeat(c.length - 2) + (c[c.length - 1] ?? '');
}
