/** Per-route rate limits (per client address, per process). Pass as a route's `config`. */
export const LOGIN_LIMIT = { rateLimit: { max: 20, timeWindow: 60_000 } };
export const PUBLIC_WRITE_LIMIT = { rateLimit: { max: 30, timeWindow: 60_000 } };
