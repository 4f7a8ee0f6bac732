import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium; never a downloaded browser. */
export const CHROMIUM = process.env.YIWANG_TEST_CHROMIUM ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);

/**
 * How long a Playwright action or navigation may take in the browser tests (its default is 30 s). A bound for a broken
 * build: on a loaded 2-core machine, while the demo server seeds in the background in the same process, one page
 * load took over 15 s (disclosure e2e in a full run at load 15).
 */
export const PAGE_TIMEOUT_MS = 60_000;

/** Chromium whose every context (also the one `newPage` makes) has PAGE_TIMEOUT_MS as its default timeout. */
export async function launchBrowser(): Promise<Browser> {
  const browser = await launchChromium();
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const ctx = await newContext(options);
    ctx.setDefaultTimeout(PAGE_TIMEOUT_MS);
    return ctx;
  };
  return browser;
}

function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'
    ],
  });
}
