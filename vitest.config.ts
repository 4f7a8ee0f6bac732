import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Bounds for a broken build (a hang), not timing claims: on a loaded 2-core machine (load 15-20) browser journeys
    // took up to 43 s and demo set-ups minutes, so the bounds leave about three times that.
    testTimeout: 180_000,
    hookTimeout: 300_000,
    // expect.poll waits (browser tests: a page after a form post) are bounded at 30 s instead of vitest's 1 s, which a
    // loaded machine can exceed while the server renders; still a bound, not a timing claim.
    expect: { poll: { timeout: 30_000 } },
    pool: 'forks',
    maxWorkers: 2,
  },
});
