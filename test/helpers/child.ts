/**
 * Bound for a command a test runs with spawnSync. vitest cannot time out a synchronous call, so a child that hangs
 * would block its test worker for good; with this bound it is killed (SIGTERM) and the test fails on its status.
 * Generous on purpose: a bound for a broken build, not a timing claim.
 */
export const CHILD_BOUND = 150_000;
