import { existsSync, mkdtempSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { takeWriteLock } from '../src/modules/search/search.snapshot.ts';

describe('snapshot write lock', () => {
  it('a holder whose lock was taken over as stale does not remove the new holder\'s lock when it releases', () => {
    const dir = mkdtempSync(join(tmpdir(), 'yiwang-lock-'));
    const lock = join(dir, 'search-index.v8.lock');
    const releaseA = takeWriteLock(dir);
    expect(releaseA).toBeTypeOf('function');
    expect(takeWriteLock(dir)).toBeUndefined(); // held
    // A's write outlives LOCK_STALE_MS (10 min): B takes the lock over.
    const old = new Date(Date.now() - 11 * 60_000);
    utimesSync(lock, old, old);
    const releaseB = takeWriteLock(dir);
    expect(releaseB).toBeTypeOf('function');
    // A finishes and releases: B still holds the lock, so a third writer is refused.
    releaseA!();
    expect(existsSync(lock)).toBe(true);
    expect(takeWriteLock(dir)).toBeUndefined();
    releaseB!();
    expect(existsSync(lock)).toBe(false);
    const releaseC = takeWriteLock(dir);
    expect(releaseC).toBeTypeOf('function');
    releaseC!();
  });
});
