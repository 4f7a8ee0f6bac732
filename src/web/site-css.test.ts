import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchBrowser } from '../../test/helpers/browser.ts';

const CSS = readFileSync(new URL('./static/site.css', import.meta.url), 'utf8');

describe.skipIf(!hasChromium)('site.css in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => browser?.close());

  it.each([
    ['zh-CN', '办理中', '"办理中："'],
    ['en', 'Open', '"Open: "'],
  ])('a stacked table on a 390-px phone (%s) names each figure with the colon of its language', async (lang, label, before) => {
    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await ctx.newPage();
    await page.setContent(`<!doctype html><html lang="${lang}"><head><style>${CSS}</style></head><body>
<table class="stack-on-phone"><thead><tr><th>x</th><th>${label}</th></tr></thead>
<tbody><tr><th scope="row">A</th><td data-label="${label}">3</td></tr></tbody></table></body></html>`);
    expect(await page.locator('td').evaluate((td) => getComputedStyle(td, '::before').content)).toBe(before);
    await ctx.close();
  });
});
