import { canonicalValue, type CompareKind } from './normalize-values.ts';

/** A field compared between two sources; `a`/`b` name the columns when they differ from `field`. */
export interface ConflictField {
  field: string;
  a?: string;
  b?: string;
  /** How values are compared (default `text`: NFKC, trimmed, spaces collapsed). */
  kind?: CompareKind;
}

export interface ConflictOptions {
  /** Key column in source A (and in B unless `keyB` is given), e.g. the ID number or credit code. */
  key: string;
  keyB?: string;
  /** How keys are matched (default `text`); `cn-id` matches `x`/`X`, full-width and 15/18-digit forms. */
  keyKind?: CompareKind;
  fields: readonly ConflictField[];
  /** Today in China, `YYYY-MM-DD`. */
  today: string;
}

export interface Conflict {
  /** Canonical key. */
  key: string;
  field: string;
  /** 0-based row indexes in A and B. */
  aRow: number;
  bRow: number;
  aValue: string;
  bValue: string;
  /** `different`: both have a value and they differ; `missing-a` / `missing-b`: only one source has a value. */
  type: 'different' | 'missing-a' | 'missing-b';
  message: string;
}

export interface ConflictReport {
  conflicts: Conflict[];
  /** Keys present in both sources. */
  matched: number;
  onlyInA: string[];
  onlyInB: string[];
  /** Keys occurring more than once within a source (only their first row is compared). */
  duplicateKeysA: string[];
  duplicateKeysB: string[];
  /** Rows without a key. */
  emptyKeysA: number;
  emptyKeysB: number;
}

function index(
  rows: readonly Record<string, string | undefined>[],
  col: string,
  kind: CompareKind,
  today: string,
): { map: Map<string, number>; dups: string[]; empty: number } {
  const map = new Map<string, number>();
  const dups = new Set<string>();
  let empty = 0;
  rows.forEach((r, i) => {
    const k = canonicalValue(kind, r[col] ?? '', today);
    if (k === '') {
      empty++;
      return;
    }
    if (map.has(k)) dups.add(k);
    else map.set(k, i);
  });
  return { map, dups: [...dups], empty };
}

/**
 * Compares two sources about the same people or companies (e.g. the civil-affairs and the social-security copy of a
 * register), matched on a key. Values are compared by their canonical form (`kind`), so `2025/1/2` vs `2025-01-02`
 * or `+86 138…` vs `138…` are not conflicts. A person decides which source is right; nothing is repaired here.
 */
export function findConflicts(
  a: readonly Record<string, string | undefined>[],
  b: readonly Record<string, string | undefined>[],
  options: ConflictOptions,
): ConflictReport {
  const kk = options.keyKind ?? 'text';
  const ia = index(a, options.key, kk, options.today);
  const ib = index(b, options.keyB ?? options.key, kk, options.today);
  const conflicts: Conflict[] = [];
  const onlyInA: string[] = [];
  let matched = 0;
  for (const [key, ra] of ia.map) {
    const rb = ib.map.get(key);
    if (rb === undefined) {
      onlyInA.push(key);
      continue;
    }
    matched++;
    const rowA = a[ra] ?? {};
    const rowB = b[rb] ?? {};
    for (const f of options.fields) {
      const kind = f.kind ?? 'text';
      const va = rowA[f.a ?? f.field] ?? '';
      const vb = rowB[f.b ?? f.field] ?? '';
      const ca = canonicalValue(kind, va, options.today);
      const cb = canonicalValue(kind, vb, options.today);
      if (ca === cb) continue;
      const type: Conflict['type'] = ca === '' ? 'missing-a' : cb === '' ? 'missing-b' : 'different';
      const message =
        type === 'different'
          ? `${f.field}：两个来源不一致（“${va.trim()}” / “${vb.trim()}”）`
          : `${f.field}：仅${type === 'missing-a' ? ' B ' : ' A '}来源有值`;
      conflicts.push({ key, field: f.field, aRow: ra, bRow: rb, aValue: va, bValue: vb, type, message });
    }
  }
  const onlyInB = [...ib.map.keys()].filter((k) => !ia.map.has(k));
  return {
    conflicts,
    matched,
    onlyInA,
    onlyInB,
    duplicateKeysA: ia.dups,
    duplicateKeysB: ib.dups,
    emptyKeysA: ia.empty,
    emptyKeysB: ib.empty,
  };
}
