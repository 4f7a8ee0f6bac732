/**
 * Memory-light Map and Set for the many small per-issue collections (most issues hold one item): backed by arrays
 * while small (linear search from the newest entry), upgraded to a real Map/Set past `UPGRADE` entries.
 */
const UPGRADE = 24;

/** A Map that stays an array pair while small. Supports the subset of the Map API the index uses. */
export class SmallMap<K, V> {
  private ks: K[] = [];
  private vs: V[] = [];
  private big: Map<K, V> | null = null;

  private find(k: K): number {
    for (let i = this.ks.length - 1; i >= 0; i--) if (this.ks[i] === k) return i;
    return -1;
  }
  get size(): number {
    return this.big ? this.big.size : this.ks.length;
  }
  get(k: K): V | undefined {
    if (this.big) return this.big.get(k);
    const i = this.find(k);
    return i >= 0 ? this.vs[i] : undefined;
  }
  has(k: K): boolean {
    return this.big ? this.big.has(k) : this.find(k) >= 0;
  }
  set(k: K, v: V): this {
    if (this.big) {
      this.big.set(k, v);
      return this;
    }
    const i = this.find(k);
    if (i >= 0) this.vs[i] = v;
    else if (this.ks.length < UPGRADE) {
      this.ks.push(k);
      this.vs.push(v);
    } else {
      this.big = new Map(this.ks.map((kk, j) => [kk, this.vs[j] as V]));
      this.big.set(k, v);
      this.ks = [];
      this.vs = [];
    }
    return this;
  }
  *keys(): IterableIterator<K> {
    if (this.big) yield* this.big.keys();
    else yield* this.ks;
  }
  *values(): IterableIterator<V> {
    if (this.big) yield* this.big.values();
    else yield* this.vs;
  }
  *[Symbol.iterator](): IterableIterator<[K, V]> {
    if (this.big) yield* this.big;
    else for (let i = 0; i < this.ks.length; i++) yield [this.ks[i] as K, this.vs[i] as V];
  }
  /** Adds `n` to the count of `k` (for counters). */
  inc(this: SmallMap<K, number>, k: K, n = 1): void {
    this.set(k, (this.get(k) ?? 0) + n);
  }
}

/** A Set that stays an array while small. */
export class SmallSet<T> {
  private xs: T[] = [];
  private big: Set<T> | null = null;
  get size(): number {
    return this.big ? this.big.size : this.xs.length;
  }
  has(x: T): boolean {
    if (this.big) return this.big.has(x);
    for (let i = this.xs.length - 1; i >= 0; i--) if (this.xs[i] === x) return true;
    return false;
  }
  add(x: T): this {
    if (this.big) this.big.add(x);
    else if (!this.has(x)) {
      if (this.xs.length < UPGRADE) this.xs.push(x);
      else {
        this.big = new Set(this.xs);
        this.big.add(x);
        this.xs = [];
      }
    }
    return this;
  }
  *[Symbol.iterator](): IterableIterator<T> {
    if (this.big) yield* this.big;
    else yield* this.xs;
  }
}
