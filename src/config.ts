import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { cityOf, isDirectlyAdministeredGroup, lookupRegion } from './lib/cn/region.ts';

/**
 * The only module that reads `process.env`. It parses the environment once, strictly: unknown `YIWANG_*` keys and
 * bad values stop start-up with a message naming them. Secrets not given are generated on first start and kept in
 * the data directory (mode 0600), so that every restart and every process sharing that directory agree.
 */

const bool = z
  .enum(['0', '1', 'true', 'false', 'yes', 'no', ''])
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

const secret = z.string().min(32, 'must be at least 32 characters');

const EnvSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).default('0.0.0.0'),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
      .optional(),
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    YIWANG_DATA_DIR: z.string().min(1).default('./data'),
    YIWANG_DEMO: bool.default(false),
    YIWANG_SESSION_SECRET: secret.optional(),
    YIWANG_SIGNING_SECRET: secret.optional(),
    YIWANG_PUBLIC_URL: z.string().url().optional(),
    YIWANG_SECURE_COOKIES: bool.optional(),
    YIWANG_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    YIWANG_DB_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(10),
    YIWANG_TRUST_PROXY: bool.default(false),
    YIWANG_SESSION_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(2),
    YIWANG_SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(24 * 90).default(24),
    YIWANG_LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
    YIWANG_LOGIN_LOCK_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(15),
    YIWANG_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
    YIWANG_ALLOW_ANONYMOUS_MESSAGES: bool.default(true),
    YIWANG_OPEN311_API_KEYS: z
      .string()
      .refine((s) => s.split(',').map((k) => k.trim()).filter(Boolean).every((k) => /^[\x21-\x7e]{16,200}$/.test(k)), 'must be comma-separated keys of 16–200 printable ASCII characters')
      .optional(),
    YIWANG_CITY_CODE: z
      .string()
      .regex(/^\d{6}$/, 'must be a six-digit GB/T 2260 code')
      .superRefine((c, ctx) => {
        const problem = cityCodeProblem(c);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      })
      .optional(),
    YIWANG_OIDC_ISSUER: z.string().url().optional(),
    YIWANG_OIDC_CLIENT_ID: z.string().min(1).optional(),
    YIWANG_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
    YIWANG_AUDIT_SEAL_MS: z.coerce.number().int().min(10).max(60_000).default(1000),
    YIWANG_SMTP_URL: z.string().regex(/^smtps?:\/\/[^/\s]+$/, 'must look like smtp://user:pass@host:587 or smtps://host:465').optional(),
    YIWANG_SMTP_FROM: z.string().min(3).max(200).optional(),
    YIWANG_SEARCH_SNAPSHOT_DIR: z.string().min(1).optional(),
    YIWANG_FEED_ALLOW_HOSTS: z
      .string()
      .regex(/^\s*[A-Za-z0-9.:[\]_-]+(\s*,\s*[A-Za-z0-9.:[\]_-]+)*\s*$/, 'must be host names or IP addresses separated by commas (e.g. 10.1.2.3,feeds.intra)')
      .optional(),
    YIWANG_WORKERS: z
      .string()
      .regex(/^(auto|[1-9][0-9]{0,2})$/, 'must be a whole number from 1 to 64, or auto (one per CPU on PostgreSQL)')
      .transform((v) => (v === 'auto' ? ('auto' as const) : Number(v)))
      .refine((n) => n === 'auto' || n <= 64, 'must be at most 64')
      .optional(),
  })
  .superRefine((v, ctx) => {
    const oidc = [v.YIWANG_OIDC_ISSUER, v.YIWANG_OIDC_CLIENT_ID, v.YIWANG_OIDC_CLIENT_SECRET];
    if (v.YIWANG_SMTP_URL && !v.YIWANG_SMTP_FROM) {
      ctx.addIssue({ code: 'custom', path: ['YIWANG_SMTP_FROM'], message: 'YIWANG_SMTP_FROM (the sender address) is required with YIWANG_SMTP_URL' });
    }
    if (typeof v.YIWANG_WORKERS === 'number' && v.YIWANG_WORKERS > 1 && !v.DATABASE_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['YIWANG_WORKERS'],
        message: `${v.YIWANG_WORKERS} worker processes need PostgreSQL (DATABASE_URL); the embedded PGlite database lives in one process, so it always runs one (set YIWANG_WORKERS=1 or leave it out)`,
      });
    }
    if (v.YIWANG_SESSION_MAX_HOURS < v.YIWANG_SESSION_HOURS) {
      ctx.addIssue({ code: 'custom', path: ['YIWANG_SESSION_MAX_HOURS'], message: `must be at least YIWANG_SESSION_HOURS (${v.YIWANG_SESSION_HOURS}): a session's absolute limit cannot be shorter than its idle limit` });
    }
    if (oidc.some(Boolean) && !oidc.every(Boolean)) {
      ctx.addIssue({
        code: 'custom',
        path: ['YIWANG_OIDC_ISSUER'],
        message: 'YIWANG_OIDC_ISSUER, YIWANG_OIDC_CLIENT_ID and YIWANG_OIDC_CLIENT_SECRET go together',
      });
    }
    if (oidc.every(Boolean) && v.NODE_ENV === 'production' && !v.YIWANG_PUBLIC_URL) {
      // Without it the redirect URI sent to the identity service would be built from the request's Host header.
      ctx.addIssue({
        code: 'custom',
        path: ['YIWANG_PUBLIC_URL'],
        message: 'single sign-on (YIWANG_OIDC_ISSUER) in production needs YIWANG_PUBLIC_URL, the address citizens use (e.g. https://zwfw.example.gov.cn): the redirect URI is built from it, never from the Host header a request sends',
      });
    }
  });

/**
 * Why a six-digit code cannot be YIWANG_CITY_CODE (naming what the code is and the code to give instead), or
 * `undefined` for a prefecture-level division or municipality in force, with or without 区县 (东莞市 441900 has none).
 */
function cityCodeProblem(code: string): string | undefined {
  if (cityOf(code) || !/^\d{6}$/.test(code)) return undefined; // a malformed code: the regex above says so
  const r = lookupRegion(code);
  const want = 'give the code of the prefecture-level city or the municipality served';
  const province = lookupRegion(code.slice(0, 2) + '0000')?.name ?? '';
  if (r && isDirectlyAdministeredGroup(code)) {
    return `${code} (${province}${r.name}) groups the county-level units directly under the province or autonomous region, not a city; ${want}, or leave YIWANG_CITY_CODE unset (所在区县 is then free text)`;
  }
  if (r && r.level === 'county' && isDirectlyAdministeredGroup(code.slice(0, 4) + '00')) {
    return `${code} (${province}${r.name}) is a county-level division directly under the province or autonomous region, not a prefecture-level city; ${want}, or leave YIWANG_CITY_CODE unset (所在区县 is then free text)`;
  }
  if (!r) return `${code} is not a GB/T 2260 division code; ${want} (e.g. 430100 for 长沙市, 110000 for 北京市)`;
  if (r.level === 'province') {
    const first = lookupRegion(code.slice(0, 2) + '0100');
    const example = first && cityOf(first.code) ? `${first.code} for ${first.name}` : '430100 for 长沙市';
    return `${code} is a province (${r.name}), not a city; ${want} (e.g. ${example})`;
  }
  if (r.level === 'county') {
    const parent = cityOf(code.slice(0, 4) + '00') ?? cityOf(code.slice(0, 2) + '0000');
    return `${code} is a county-level division (${r.fullName}), not a city; ${parent ? `give its city's code, ${parent.code} (${parent.name})` : want}`;
  }
  return `${code} (${r.fullName}) is no longer in force (not in the 2023 division lists); ${want}`;
}

const KNOWN = new Set(Object.keys(EnvSchema.shape));

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly databaseUrl: string | undefined;
  readonly env: 'development' | 'production' | 'test';
  readonly dataDir: string;
  readonly demo: boolean;
  readonly sessionSecret: string;
  readonly signingSecret: string;
  readonly publicUrl: string | undefined;
  readonly secureCookies: boolean;
  readonly logLevel: string;
  readonly dbPoolSize: number;
  readonly trustProxy: boolean;
  readonly sessionHours: number;
  /** Absolute session lifetime from sign-in, in hours (sessionHours is the idle limit). */
  readonly sessionMaxHours: number;
  readonly loginMaxFailures: number;
  readonly loginLockMinutes: number;
  readonly rateLimitPerMinute: number;
  readonly allowAnonymousMessages: boolean;
  /** Keys Open311 clients must send as `api_key` to POST requests; empty: none required (the demo). */
  readonly open311ApiKeys: readonly string[];
  /** GB/T 2260 code of the city the installation serves (its 区县 are the choices of the forms' 所在区县). */
  readonly cityCode: string | undefined;
  readonly oidc: { readonly issuer: string; readonly clientId: string; readonly clientSecret: string } | undefined;
  readonly auditSealMs: number;
  /**
   * Hosts opinion feeds may reach although they are not public addresses (an intranet feed server); every other
   * feed URL must lead to a public address of the internet (src/modules/opinion/feed-fetch.ts).
   */
  readonly feedAllowHosts: readonly string[];
  /** Outgoing e-mail; absent: notifications stay in the outbox. */
  readonly smtp: { readonly host: string; readonly port: number; readonly secure: boolean; readonly user?: string; readonly pass?: string; readonly from: string } | undefined;
  /**
   * HTTP worker processes `yiwang start` runs (node:cluster, sharing the port; src/cluster.ts). PostgreSQL: default
   * (and `auto`) one per CPU; embedded PGlite: always 1 (asking for more is a configuration error).
   */
  readonly workers: number;
  /** Directory of the search index snapshot (docs/search-module.md); default `<data dir>/search-index`, `off`: none. */
  readonly searchSnapshotDir?: string | undefined;
}

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

function loadOrCreateSecret(dataDir: string, name: string): string {
  const file = join(dataDir, 'secrets', name);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(join(dataDir, 'secrets'), { recursive: true, mode: 0o700 });
  const value = randomBytes(32).toString('base64url');
  writeFileSync(file, value + '\n', { mode: 0o600, flag: 'wx' });
  return value;
}

/**
 * Parses an environment into a frozen Config. Throws ConfigError listing every problem.
 * `overrides` (used by tests and the CLI) take precedence over `env`.
 */
export function parseConfig(
  env: Record<string, string | undefined>,
  overrides: Partial<Record<string, string>> = {},
): Config {
  const merged: Record<string, string | undefined> = { ...env, ...overrides };
  const problems: string[] = [];
  for (const key of Object.keys(merged)) {
    if (key.startsWith('YIWANG_') && !KNOWN.has(key) && !key.startsWith('YIWANG_TEST_')) {
      problems.push(`${key}: unknown setting (known: ${[...KNOWN].filter((k) => k.startsWith('YIWANG_')).join(', ')})`);
    }
  }
  const relevant: Record<string, string> = {};
  for (const key of KNOWN) {
    const value = merged[key];
    if (value !== undefined && value !== '') relevant[key] = value;
  }
  const parsed = EnvSchema.safeParse(relevant);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(`${issue.path.join('.') || '(env)'}: ${issue.message}`);
  }
  if (problems.length || !parsed.success) throw new ConfigError(problems);
  const v = parsed.data;
  const dataDir = resolve(v.YIWANG_DATA_DIR);
  mkdirSync(dataDir, { recursive: true });
  const config: Config = {
    port: v.PORT,
    host: v.HOST,
    databaseUrl: v.DATABASE_URL,
    env: v.NODE_ENV,
    dataDir,
    demo: v.YIWANG_DEMO,
    sessionSecret: v.YIWANG_SESSION_SECRET ?? loadOrCreateSecret(dataDir, 'session.key'),
    signingSecret: v.YIWANG_SIGNING_SECRET ?? loadOrCreateSecret(dataDir, 'signing.key'),
    publicUrl: v.YIWANG_PUBLIC_URL,
    secureCookies: v.YIWANG_SECURE_COOKIES ?? v.NODE_ENV === 'production',
    logLevel: v.YIWANG_LOG_LEVEL,
    dbPoolSize: v.YIWANG_DB_POOL_SIZE,
    trustProxy: v.YIWANG_TRUST_PROXY,
    sessionHours: v.YIWANG_SESSION_HOURS,
    sessionMaxHours: v.YIWANG_SESSION_MAX_HOURS,
    loginMaxFailures: v.YIWANG_LOGIN_MAX_FAILURES,
    loginLockMinutes: v.YIWANG_LOGIN_LOCK_MINUTES,
    rateLimitPerMinute: v.YIWANG_RATE_LIMIT_PER_MINUTE,
    allowAnonymousMessages: v.YIWANG_ALLOW_ANONYMOUS_MESSAGES,
    open311ApiKeys: (v.YIWANG_OPEN311_API_KEYS ?? '').split(',').map((k) => k.trim()).filter(Boolean),
    cityCode: v.YIWANG_CITY_CODE,
    oidc:
      v.YIWANG_OIDC_ISSUER && v.YIWANG_OIDC_CLIENT_ID && v.YIWANG_OIDC_CLIENT_SECRET
        ? { issuer: v.YIWANG_OIDC_ISSUER, clientId: v.YIWANG_OIDC_CLIENT_ID, clientSecret: v.YIWANG_OIDC_CLIENT_SECRET }
        : undefined,
    auditSealMs: v.YIWANG_AUDIT_SEAL_MS,
    feedAllowHosts: (v.YIWANG_FEED_ALLOW_HOSTS ?? '').split(',').map((h) => h.trim()).filter(Boolean),
    smtp: v.YIWANG_SMTP_URL && v.YIWANG_SMTP_FROM ? parseSmtp(v.YIWANG_SMTP_URL, v.YIWANG_SMTP_FROM) : undefined,
    searchSnapshotDir: v.YIWANG_SEARCH_SNAPSHOT_DIR === 'off' ? undefined : resolve(dataDir, v.YIWANG_SEARCH_SNAPSHOT_DIR ?? 'search-index'),
    workers: !v.DATABASE_URL ? 1 : typeof v.YIWANG_WORKERS === 'number' ? v.YIWANG_WORKERS : Math.min(64, availableParallelism()),
  };
  return Object.freeze(config);
}

function parseSmtp(url: string, from: string): NonNullable<Config['smtp']> {
  const u = new URL(url);
  const secure = u.protocol === 'smtps:';
  return {
    host: u.hostname,
    port: u.port ? Number(u.port) : secure ? 465 : 587,
    secure,
    ...(u.username ? { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } : {}),
    from,
  };
}

let cached: Config | undefined;
/** The process configuration, parsed on first use. */
export function loadConfig(overrides: Partial<Record<string, string>> = {}): Config {
  if (!cached || Object.keys(overrides).length) cached = parseConfig(process.env, overrides);
  return cached;
}
