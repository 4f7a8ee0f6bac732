import { validateIdNumber } from '../cn/id-number.ts';
import { canonicalName, canonicalValue } from './normalize-values.ts';

/** Which columns hold which facts about a person (any may be absent). */
export interface PersonColumns {
  name?: string;
  idNumber?: string;
  birthDate?: string;
  phone?: string;
}

export interface DuplicateOptions {
  columns: PersonColumns;
  /** Today in China, `YYYY-MM-DD` (for reading ID numbers). */
  today: string;
  /**
   * Extra name folding applied before the built-in one, e.g. Traditional → Simplified with opencc-js so 陳 = 陈.
   */
  foldName?: (name: string) => string;
  /** Blocks (records sharing a key) larger than this are not compared pairwise (default 500); see `skippedBlocks`. */
  maxBlockSize?: number;
}

export interface DuplicatePair {
  /** 0-based indexes into the given rows, a < b. */
  a: number;
  b: number;
  /** `exact`: the same after normalisation; `near`: the same person with small differences (for a person to review). */
  kind: 'exact' | 'near';
  /** Confidence 0..1 that the two rows are the same person. */
  score: number;
  /** Stable reason codes, e.g. `SAME_ID`, `ID_ONE_DIGIT`, `ID_TRANSPOSED`, `SAME_NAME`, `NAME_SIMILAR`. */
  reasons: string[];
  /** Chinese explanation for the reviewer. */
  message: string;
}

export interface DuplicateReport {
  pairs: DuplicatePair[];
  /** Keys of blocks too large to compare (e.g. thousands of rows with the same name and no ID). */
  skippedBlocks: string[];
}

interface Person {
  name: string;
  id: string;
  idValid: boolean;
  birth: string;
  phone: string;
  raw: string;
}

/** Levenshtein distance on code points, stopping early above `max`. */
export function editDistance(a: string, b: string, max = 3): number {
  const x = [...a];
  const y = [...b];
  if (Math.abs(x.length - y.length) > max) return max + 1;
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= y.length; j++) {
      const v = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (x[i - 1] === y[j - 1] ? 0 : 1));
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    prev = cur;
  }
  return prev[y.length] ?? max + 1;
}

/** How two ID numbers of equal length differ: one substituted character, two adjacent characters swapped, or more. */
function idDifference(a: string, b: string): 'one' | 'transposed' | 'more' {
  if (a.length !== b.length) return 'more';
  const diff: number[] = [];
  for (let i = 0; i < a.length && diff.length < 3; i++) if (a[i] !== b[i]) diff.push(i);
  if (diff.length === 1) return 'one';
  const [i, j] = diff;
  if (diff.length === 2 && i !== undefined && j === i + 1 && a[i] === b[j] && a[j] === b[i]) return 'transposed';
  return 'more';
}

/**
 * Finds duplicate and near-duplicate person records within one table. Candidates come from blocking (same ID; same
 * name and the ID equal outside one 6-character window; same name and birth date; same name and phone), so the cost
 * stays near-linear.
 * Rules, strongest first:
 * - same ID number (after repairs: `x`→`X`, full width, 15→18 digits) and the same name → `exact` (1.0), or a
 *   similar name (one character apart, or differing only in spacing/dots/script) → `near` (0.9), or a different name → `near` (0.6: one
 *   of the two records is wrong — review);
 * - the same name and ID numbers one character apart or with two adjacent digits swapped → `near` (0.85; a typo);
 * - the same name, birth date and phone with different or missing ID → `near` (0.8);
 * - the same name and birth date, one record without ID → `near` (0.6).
 */
export function findDuplicates(rows: readonly Record<string, string | undefined>[], options: DuplicateOptions): DuplicateReport {
  const c = options.columns;
  const fold = options.foldName ?? ((s: string) => s);
  const people: Person[] = rows.map((r) => {
    const rawName = c.name ? (r[c.name] ?? '') : '';
    const rawId = c.idNumber ? (r[c.idNumber] ?? '') : '';
    const idr = rawId.trim() ? validateIdNumber(rawId, { today: options.today, allowLegacy15: true }) : undefined;
    const id = idr === undefined ? '' : idr.ok ? idr.normalized : canonicalValue('cn-id', rawId, options.today);
    let birth = c.birthDate ? canonicalValue('date', r[c.birthDate] ?? '', options.today) : '';
    if (!birth && idr?.ok) birth = idr.birthDate;
    return {
      name: rawName.trim() ? canonicalName(fold(rawName)) : '',
      raw: rawName.trim(),
      id,
      idValid: idr?.ok ?? false,
      birth,
      phone: c.phone ? canonicalValue('cn-mobile', r[c.phone] ?? '', options.today) : '',
    };
  });

  // One blocking key family at a time keeps memory to one map of about one entry per row.
  const families: { prefix: string; keys: (p: Person) => string[] }[] = [
    { prefix: 'id', keys: (p) => (p.id ? [p.id] : []) },
    { prefix: 'nb', keys: (p) => (p.name && p.birth ? [`${p.name}|${p.birth}`] : []) },
    { prefix: 'np', keys: (p) => (p.name && p.phone ? [`${p.name}|${p.phone}`] : []) },
  ];
  // Typo blocks: the ID with one 6-character window removed (windows at 0, 3, 6, 9, 12). Any single substituted
  // character and any two swapped neighbours fall inside some window, so such a pair shares that key, while the 12
  // remaining characters keep blocks small even when everyone shares the county code.
  for (let w = 0; w <= 12; w += 3) {
    families.push({
      prefix: `nid${w}`,
      keys: (p) => (p.name && p.id.length >= 18 - 3 && w + 6 <= p.id.length ? [`${p.name}|${p.id.slice(0, w)}|${p.id.slice(w + 6)}`] : []),
    });
  }

  const maxBlock = options.maxBlockSize ?? 500;
  const skippedBlocks: string[] = [];
  const seen = new Set<number>();
  const n = people.length;
  const pairs: DuplicatePair[] = [];
  for (const fam of families) {
    const blocks = new Map<string, number | number[]>();
    people.forEach((p, i) => {
      for (const k of fam.keys(p)) {
        const b = blocks.get(k);
        if (b === undefined) blocks.set(k, i);
        else if (typeof b === 'number') blocks.set(k, [b, i]);
        else b.push(i);
      }
    });
    for (const [key, members] of blocks) {
      if (typeof members === 'number') continue;
      if (members.length > maxBlock) {
        skippedBlocks.push(`${fam.prefix}:${key}`);
        continue;
      }
      for (let x = 0; x < members.length; x++) {
        for (let y = x + 1; y < members.length; y++) {
          const a = members[x] ?? 0;
          const b = members[y] ?? 0;
          const k = a * n + b;
          if (seen.has(k)) continue;
          seen.add(k);
          const pair = comparePeople(a, b, people[a], people[b]);
          if (pair) pairs.push(pair);
        }
      }
    }
  }
  pairs.sort((p, q) => p.a - q.a || p.b - q.b);
  return { pairs, skippedBlocks };
}

function comparePeople(a: number, b: number, p: Person | undefined, q: Person | undefined): DuplicatePair | undefined {
  if (!p || !q) return undefined;
  const sameName = p.name !== '' && p.name === q.name;
  const nameDist = p.name && q.name ? editDistance(p.name, q.name, 2) : 99;
  const similarName = !sameName && p.name !== '' && q.name !== '' && nameDist <= 1 && Math.min([...p.name].length, [...q.name].length) >= 2;
  const samePhone = p.phone !== '' && p.phone === q.phone;
  const sameBirth = p.birth !== '' && p.birth === q.birth;
  const names = `${p.raw || '（无姓名）'} / ${q.raw || '（无姓名）'}`;
  const make = (kind: DuplicatePair['kind'], score: number, reasons: string[], message: string): DuplicatePair => ({
    a, b, kind, score, reasons, message,
  });

  if (p.id && p.id === q.id) {
    if (sameName || (!p.name && !q.name)) {
      const otherDiff = (p.phone && q.phone && !samePhone) || (p.birth && q.birth && !sameBirth);
      return otherDiff
        ? make('near', 0.9, ['SAME_ID', 'SAME_NAME', 'OTHER_FIELDS_DIFFER'], '身份证号和姓名相同，其他信息（电话或出生日期）不同')
        : make('exact', 1, ['SAME_ID', 'SAME_NAME'], '同一人重复登记（规范化后完全相同）');
    }
    if (!p.name || !q.name) return make('near', 0.85, ['SAME_ID', 'NAME_MISSING'], '身份证号相同，其中一条缺少姓名');
    if (similarName) return make('near', 0.9, ['SAME_ID', 'NAME_SIMILAR'], `身份证号相同，姓名相近（${names}）`);
    return make('near', 0.6, ['SAME_ID', 'NAME_DIFFERENT'], `身份证号相同但姓名不同（${names}）：至少一条有误`);
  }
  if (sameName && p.id && q.id) {
    const d = idDifference(p.id, q.id);
    // A typo makes at most one of the two numbers invalid; two valid numbers one digit apart are usually two people
    // (twins get consecutive sequence numbers), so require at least one invalid number.
    if (d !== 'more' && (!p.idValid || !q.idValid)) {
      return d === 'one'
        ? make('near', 0.85, ['SAME_NAME', 'ID_ONE_DIGIT'], '姓名相同，身份证号仅差一位（疑似录入错误）')
        : make('near', 0.85, ['SAME_NAME', 'ID_TRANSPOSED'], '姓名相同，身份证号相邻两位颠倒（疑似录入错误）');
    }
  }
  if (sameName && sameBirth && samePhone) {
    return make('near', 0.8, ['SAME_NAME', 'SAME_BIRTH_DATE', 'SAME_PHONE'], '姓名、出生日期和电话相同，身份证号不同或缺失');
  }
  if (sameName && sameBirth && (!p.id || !q.id)) {
    return make('near', 0.6, ['SAME_NAME', 'SAME_BIRTH_DATE', 'ID_MISSING'], '姓名和出生日期相同，其中一条缺少身份证号');
  }
  return undefined;
}

/** Groups rows linked by pairs (union-find): each group lists 0-based row indexes, ascending; singletons omitted. */
export function clusterPairs(pairs: readonly Pick<DuplicatePair, 'a' | 'b'>[]): number[][] {
  const parent = new Map<number, number>();
  const find = (x: number): number => {
    let r = x;
    while ((parent.get(r) ?? r) !== r) r = parent.get(r) ?? r;
    parent.set(x, r);
    return r;
  };
  for (const { a, b } of pairs) {
    if (!parent.has(a)) parent.set(a, a);
    if (!parent.has(b)) parent.set(b, b);
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(Math.max(ra, rb), Math.min(ra, rb));
  }
  const groups = new Map<number, number[]>();
  for (const x of parent.keys()) {
    const r = find(x);
    const g = groups.get(r);
    if (g) g.push(x);
    else groups.set(r, [x]);
  }
  return [...groups.values()].map((g) => g.sort((x, y) => x - y)).sort((g, h) => (g[0] ?? 0) - (h[0] ?? 0));
}
