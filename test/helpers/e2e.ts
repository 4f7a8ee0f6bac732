import { mkdirSync } from 'node:fs';
import { Writable } from 'node:stream';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { createLogger } from '../../src/lib/log.ts';
import { startServer, type Running } from '../../src/server.ts';
import type { Services } from '../../src/services.ts';
import { launchBrowser } from './browser.ts';
import { testConfig } from './db.ts';

/** A phone-sized screen (iPhone 12–15 class) at scale 1, so screenshots stay small. */
export const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 } as const;

/** How many lines of a server's log a failure shows: the last ones, and the warnings and errors before them. */
const SHOWN = 50;

/**
 * What a server a test started logged (its logger, at level info, writes here and nowhere else), kept in memory:
 * the last SHOWN lines, and the first SHOWN warnings and errors however early they came (a demo seeding that failed
 * at start, before a long wait filled the log with request lines).
 */
export class ServerLog {
  private readonly recent: { n: number; line: string }[] = [];
  private readonly problems: { n: number; line: string }[] = [];
  private count = 0;
  url = '(not listening yet)';
  /** The logger's destination: each write is one or more whole lines. */
  readonly stream = new Writable({
    write: (chunk: Buffer, _enc, done) => {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) this.add(line);
      done();
    },
  });

  add(line: string): void {
    const entry = { n: ++this.count, line };
    this.recent.push(entry);
    if (this.recent.length > SHOWN) this.recent.shift();
    if (this.problems.length < SHOWN && /"level":(4|5|6)0\b/.test(line)) this.problems.push(entry);
  }

  /** The kept lines as text, numbered, for a failure message. */
  text(): string {
    const first = this.recent[0]?.n ?? 1;
    const earlier = this.problems.filter((p) => p.n < first);
    const out = [`--- log of the test server ${this.url}: ${this.count} lines ---`];
    if (earlier.length) out.push(`warnings and errors before the last ${SHOWN} lines:`, ...earlier.map((e) => `#${e.n} ${e.line}`), `the last ${SHOWN} lines:`);
    out.push(...this.recent.map((e) => `#${e.n} ${e.line}`), '--- end of the log ---');
    return out.join('\n');
  }
}

/** The logs of the servers this test file started (each test file runs in its own process: vitest pool forks). */
const serverLogs: ServerLog[] = [];

/** What the servers this test file started logged (see ServerLog), or '' when it started none. */
export function serverLogText(): string {
  return serverLogs.map((l) => l.text()).join('\n');
}

/**
 * Starts a server on a free port, embedded database, with `env` on top of the test configuration. Its log (the
 * request log and the modules' lines, e.g. a background demo seeding that failed, and its start-up lines) is kept
 * (ServerLog): a `waitUntil` that times out shows it, and so does a failed test after `showServerLogOnFailure()`.
 */
export async function startTestServer(env: Record<string, string> = {}): Promise<Running> {
  const kept = new ServerLog();
  serverLogs.push(kept);
  const running = await startServer(testConfig({ PORT: '0', HOST: '127.0.0.1', ...env }), (line) => kept.add(line), createLogger({ level: 'info' }, kept.stream));
  kept.url = running.url;
  return running;
}

/** Starts the demo city (demo accounts, every module's demo content) on a free port, embedded database. */
export function startDemoServer(): Promise<Running> {
  return startTestServer({ YIWANG_DEMO: '1' });
}

/** After each test of the enclosing `describe` that failed: prints what the servers of this file logged. */
export function showServerLogOnFailure(): void {
  afterEach((ctx) => {
    if (ctx.task.result?.state === 'fail' && serverLogs.length) console.error(`${ctx.task.name} failed; ${serverLogText()}`);
  });
}

/**
 * The demo server and Chromium for the enclosing `describe`: started once before its tests (beforeAll), stopped after
 * them (afterAll). Read `server` and `browser` inside the tests, not when the describe is collected.
 */
export function demoInBrowser(): { server: Running; browser: Browser } {
  const env = {} as { server: Running; browser: Browser };
  showServerLogOnFailure();
  beforeAll(async () => {
    env.server = await startDemoServer();
    env.browser = await launchBrowser();
  }, 300_000);
  afterAll(async () => {
    await env.browser?.close();
    await env.server?.stop();
  });
  return env;
}

/** The running server's services (decorated on the Fastify instance), for waiting on background demo seeding. */
export function servicesOf(server: Running): Services {
  return (server.app as unknown as { services: Services }).services;
}

/**
 * Returns `shot(page, name)`: a full-page screenshot `<prefix>-<name>.png` in the folder YIWANG_SCREENSHOTS names,
 * for people to look at; does nothing when it is not set.
 */
export function screenshots(prefix: string): (page: Page, name: string) => Promise<void> {
  const dir = process.env.YIWANG_SCREENSHOTS;
  if (dir) mkdirSync(dir, { recursive: true });
  return async (page, name) => {
    if (dir) await page.screenshot({ path: `${dir}/${prefix}-${name}.png`, fullPage: true });
  };
}

/** Nothing on the page is wider than the phone's screen: it does not scroll sideways (tables scroll in their wrapper). */
export async function expectFitsPhone(page: Page): Promise<void> {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(PHONE.viewport.width);
}

/** Signs in through the login form in a new page of `ctx`; resolves once the browser has left /login. */
export async function login(ctx: BrowserContext, base: string, account: string, password: string): Promise<Page> {
  const page = await ctx.newPage();
  await page.goto(base + '/login');
  await page.getByLabel('账号（手机号、电子邮箱或工作人员用户名）').fill(account);
  await page.locator('#password').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  return page;
}

/**
 * Waits until `ready` resolves true, asking again every half second, and fails after `timeoutMs`: the demo content
 * is seeded in the background after the server listens, so a journey that needs it waits for it instead of
 * sleeping a fixed time. (Usable in beforeAll, where vitest's expect.poll is not.) When it times out, its error shows
 * what the servers of this test file logged (startTestServer), e.g. why the demo seeding failed.
 */
export async function waitUntil(ready: () => Promise<boolean>, what: string, timeoutMs = 360_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await ready())) {
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${serverLogText()}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}
