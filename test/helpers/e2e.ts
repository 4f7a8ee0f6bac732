import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { startServer, type Running } from '../../src/server.ts';
import type { Services } from '../../src/services.ts';
import { launchBrowser } from './browser.ts';
import { testConfig } from './db.ts';

/** A phone-sized screen (iPhone 12–15 class) at scale 1, so screenshots stay small. */
export const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 } as const;

/** Starts the demo city (demo accounts, every module's demo content) on a free port, embedded database. */
export function startDemoServer(): Promise<Running> {
  return startServer(testConfig({ PORT: '0', HOST: '127.0.0.1', YIWANG_DEMO: '1' }), () => {});
}

/**
 * The demo server and Chromium for the enclosing `describe`: started once before its tests (beforeAll), stopped after
 * them (afterAll). Read `server` and `browser` inside the tests, not when the describe is collected.
 */
export function demoInBrowser(): { server: Running; browser: Browser } {
  const env = {} as { server: Running; browser: Browser };
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
 * sleeping a fixed time. (Usable in beforeAll, where vitest's expect.poll is not.)
 */
export async function waitUntil(ready: () => Promise<boolean>, what: string, timeoutMs = 360_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await ready())) {
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}
