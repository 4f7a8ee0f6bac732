import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../src/server.ts';
import { hasChromium, launchBrowser } from '../helpers/browser.ts';
import { screenshots, showServerLogOnFailure, startTestServer } from '../helpers/e2e.ts';

const shot = screenshots('search-box');

/**
 * The hint in the empty search box fits inside it: the placeholder where it is shown, else the short hint laid over
 * the box. Measured with the text's own font (canvas) against the box's content width.
 */
async function hintFits(page: import('playwright-core').Page): Promise<{ shown: string; text: string; width: number; room: number }> {
  return page.evaluate(() => {
    const input = document.querySelector<HTMLInputElement>('input#q')!;
    const ph = document.querySelector<HTMLElement>('.search-ph')!;
    const cs = getComputedStyle(input);
    const room = input.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
    const overlay = getComputedStyle(ph).display !== 'none';
    const native = getComputedStyle(input, '::placeholder').color;
    if (overlay && native !== 'rgba(0, 0, 0, 0)') throw new Error('both hints are visible');
    const text = overlay ? ph.textContent! : input.placeholder;
    const ctx = document.createElement('canvas').getContext('2d')!;
    const f = getComputedStyle(overlay ? ph : input);
    ctx.font = `${f.fontWeight} ${f.fontSize} ${f.fontFamily}`;
    return { shown: overlay ? 'short' : 'placeholder', text, width: ctx.measureText(text).width, room };
  });
}

describe.skipIf(!hasChromium)('the search box hint on narrow screens', () => {
  let server: Running;
  let browser: Browser;
  showServerLogOnFailure();
  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('fits at 320, 360 and 390 px, in Chinese and English, with standard and large text; the long one where it fits', async () => {
    const seen: string[] = [];
    // Without JavaScript too: the search page's suggest.js moves the input into a wrapper.
    const cases = [320, 360, 390, 1024].flatMap((width) => ['zh-CN', 'en'].flatMap((lang) => ['0', '1'].map((large) => ({ width, lang, large, js: true }))));
    cases.push({ width: 320, lang: 'zh-CN', large: '0', js: false }, { width: 390, lang: 'en', large: '1', js: false });
    for (const { width, lang, large, js } of cases) {
      const ctx = await browser.newContext({ viewport: { width, height: 800 }, deviceScaleFactor: 1, javaScriptEnabled: js });
      await ctx.addCookies([{ name: 'lang', value: lang, url: server.url }, { name: 'large', value: large, url: server.url }]);
      const page = await ctx.newPage();
      for (const path of ['/', '/search']) {
        await page.goto(server.url + path);
        const h = await hintFits(page);
        const what = `${path} ${width}px ${lang} large=${large}${js ? '' : ' no-js'}: ${h.shown} "${h.text}" ${Math.round(h.width)} in ${Math.round(h.room)}`;
        seen.push(what);
        expect(h.width, what).toBeLessThanOrEqual(h.room);
        if (width === 1024) expect(h.shown, what).toBe('placeholder');
      }
      if (width === 320 && large === '0' && js) await shot(page, `${lang}-320`);
      // Typing hides the short hint (it stands for a placeholder, not a value).
      await page.locator('#q').fill('居住证');
      expect(await page.locator('.search-ph').isVisible()).toBe(false);
      await ctx.close();
    }
    // The long placeholder at 320 px in Chinese did not fit: the short one is shown there.
    expect(seen.find((s) => s.startsWith('/ 320px zh-CN large=0'))).toContain('short');
  });
});
