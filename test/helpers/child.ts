/**
 * Bound for a command a test runs with spawnSync. vitest cannot time out a synchronous call, so a child that hangs
 * would block its test worker for good; with this bound it is killed (SIGTERM) and the test fails on its status.
 * Generous on purpose: a bound for a broken build, not a timing claim.
 */
export const CHILD_BOUND = 150_000;

/**
 * The environment of a `yiwang` command a test starts: this process's environment without its yiwang settings
 * (`YIWANG_*`, including the test runner's `YIWANG_TEST_*`, `DATABASE_URL`, `PORT`, `HOST`), so the child gets
 * exactly what the test gives it in `extra` — never the throwaway PostgreSQL or data directory of the test process.
 * `NODE_ENV` is `test` unless `extra` says otherwise.
 */
export function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith('YIWANG_') && k !== 'DATABASE_URL' && k !== 'PORT' && k !== 'HOST') env[k] = v;
  }
  return { ...env, NODE_ENV: 'test', ...extra };
}
