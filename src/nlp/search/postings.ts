/**
 * Compact posting lists for the search index: every posting is one int32 in a shared pool, packed as
 * `slot << 10 | min(titleTf, 7) << 7 | min(bodyTf, 127)`; each term's list is a chain of blocks in the pool
 * (block = [next, capacity, postings…], capacities 2, 4, … 1024). No JavaScript object per term, so 100k
 * documents with millions of distinct bigrams stay within a few hundred MB.
 */

export const MAX_SLOTS = 1 << 21;
const MAX_BLOCK = 1024;

/** Packs a posting. tf values saturate (BM25 saturates long before 7 title / 127 body occurrences). */
export function packPosting(slot: number, titleTf: number, bodyTf: number): number {
  return (slot << 10) | (Math.min(titleTf, 7) << 7) | Math.min(bodyTf, 127);
}

export class PostingStore {
  /** Word → term id. */
  readonly words = new Map<string, number>();
  /** Bigram (bigramKey) → term id. */
  readonly bigrams = new Map<number, number>();
  pool = new Int32Array(1 << 16);
  poolUsed = 0;
  /** Per term: first block, last block, postings in the last block, postings in all (= df incl. removed). */
  head = new Int32Array(1024);
  tail = new Int32Array(1024);
  fill = new Int32Array(1024);
  count = new Int32Array(1024);
  terms = 0;
  /**
   * The pool array that snapshot views read (`view`) and how many are not released: while it is `pool` it must not
   * be written in place, so the first append copies it. Growth and compaction replace the array anyway.
   */
  private viewed: Int32Array | undefined;
  private viewers = 0;

  /**
   * The used part of the pool without copying it, unchanged until `release()`: an append meanwhile first copies the
   * pool (once), so the view keeps the postings as they were. Call `release()` when done reading (then appends
   * write in place again).
   */
  view(): { pool: Int32Array; release: () => void } {
    const pool = this.pool;
    if (this.viewed !== pool) this.viewers = 0;
    this.viewed = pool;
    this.viewers++;
    let released = false;
    return {
      pool: pool.subarray(0, this.poolUsed),
      release: () => {
        if (released) return;
        released = true;
        if (this.viewed === pool && --this.viewers === 0) this.viewed = undefined;
      },
    };
  }

  /** Term id of a word or bigram key, created when `create`; -1 when absent. */
  id(key: string | number, create: boolean): number {
    const map = (typeof key === 'string' ? this.words : this.bigrams) as Map<string | number, number>;
    let id = map.get(key);
    if (id === undefined) {
      if (!create) return -1;
      id = this.newTerm();
      map.set(key, id);
    }
    return id;
  }

  /** Appends a posting (slots must be appended in increasing order per term). */
  append(id: number, value: number): void {
    // An append writes into the pool in place (the last block's free room, or its link to a new block).
    if (this.viewed !== undefined) this.unshare();
    let t = this.tail[id] as number;
    let f = this.fill[id] as number;
    if (t < 0 || f >= (this.pool[t + 1] as number)) {
      const cap = t < 0 ? 2 : Math.min(MAX_BLOCK, (this.pool[t + 1] as number) * 2);
      const b = this.alloc(cap);
      if (t < 0) this.head[id] = b;
      else this.pool[t] = b;
      this.tail[id] = b;
      t = b;
      f = 0;
    }
    this.pool[t + 2 + f] = value;
    this.fill[id] = f + 1;
    this.count[id] = (this.count[id] as number) + 1;
  }

  /**
   * Rewrites every list keeping postings whose slot maps to ≥ 0 in `remap` (renumbered), each list in one block;
   * returns the ids of terms left empty (their map entries are removed).
   */
  compact(remap: Int32Array): void {
    let total = 0;
    for (let id = 0; id < this.terms; id++) total += this.count[id] as number;
    const pool = new Int32Array(Math.max(1 << 16, total + 2 * this.terms + 16));
    let used = 0;
    const old = this.pool;
    for (let id = 0; id < this.terms; id++) {
      if ((this.count[id] as number) === 0) continue;
      const start = used;
      used += 2;
      let n = 0;
      for (let b = this.head[id] as number; b >= 0; b = old[b] as number) {
        const end = b === this.tail[id] ? (this.fill[id] as number) : (old[b + 1] as number);
        for (let i = 0; i < end; i++) {
          const v = old[b + 2 + i] as number;
          const ns = remap[v >>> 10] as number;
          if (ns >= 0) {
            pool[used++] = (ns << 10) | (v & 1023);
            n++;
          }
        }
      }
      if (n === 0) {
        used = start;
        this.head[id] = -1;
        this.tail[id] = -1;
        this.fill[id] = 0;
        this.count[id] = 0;
        continue;
      }
      pool[start] = -1;
      pool[start + 1] = n;
      this.head[id] = start;
      this.tail[id] = start;
      this.fill[id] = n;
      this.count[id] = n;
    }
    this.pool = pool;
    this.poolUsed = used;
    for (const [k, id] of this.words) if ((this.count[id] as number) === 0) this.words.delete(k);
    for (const [k, id] of this.bigrams) if ((this.count[id] as number) === 0) this.bigrams.delete(k);
  }

  /** Bytes held by the typed arrays. */
  bytes(): number {
    return this.pool.byteLength + this.head.byteLength * 4;
  }

  private newTerm(): number {
    if (this.terms >= this.head.length) {
      const cap = this.head.length * 2;
      const grow = (a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> => {
        const b = new Int32Array(cap);
        b.set(a);
        return b;
      };
      this.head = grow(this.head);
      this.tail = grow(this.tail);
      this.fill = grow(this.fill);
      this.count = grow(this.count);
    }
    const id = this.terms++;
    this.head[id] = -1;
    this.tail[id] = -1;
    this.fill[id] = 0;
    this.count[id] = 0;
    return id;
  }

  /** Leaves a viewed pool to its views: this store continues on a copy. */
  private unshare(): void {
    if (this.viewed === this.pool) this.pool = this.pool.slice();
    this.viewed = undefined;
    this.viewers = 0;
  }

  private alloc(cap: number): number {
    if (this.poolUsed + 2 + cap > this.pool.length) {
      let size = this.pool.length * 2;
      while (size < this.poolUsed + 2 + cap) size *= 2;
      const p = new Int32Array(size);
      p.set(this.pool.subarray(0, this.poolUsed));
      this.pool = p;
    }
    const b = this.poolUsed;
    this.pool[b] = -1;
    this.pool[b + 1] = cap;
    this.poolUsed += 2 + cap;
    return b;
  }
}
