import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDatashareDemo } from '../src/modules/datashare/datashare.seed.ts';
import { DEMO_CITIZEN, DEMO_STAFF, seedDemo } from '../src/modules/demo/demo.seed.ts';
import { hasChromium, launchBrowser } from './helpers/browser.ts';
import { createTestApp, type TestApp } from './helpers/db.ts';
import { cookieJar, formPost, get, getCsrf } from './helpers/http.ts';

const CSS = readFileSync(new URL('../src/web/static/site.css', import.meta.url), 'utf8');

/**
 * The data-quality page of a resource in Chromium with the site's CSS: the 批准修复 / 驳回 buttons keep their words
 * on one line on a desktop screen (they wrapped one character a line), and on a 390-px phone the findings are cards
 * that fit the screen (the table was 992 px wide inside a 358-px box).
 */
describe.skipIf(!hasChromium)('data-quality findings layout', () => {
  let t: TestApp;
  let browser: Browser;
  let body = '';
  beforeAll(async () => {
    t = await createTestApp('pglite');
    await seedDemo(t.services);
    await seedDatashareDemo(t.services, DEMO_CITIZEN);
    const jar = cookieJar();
    const pw = DEMO_STAFF.find((s) => s.username === 'dataadmin')!.password;
    await formPost(t.app, jar, '/login', { _csrf: await getCsrf(t.app, jar, '/login'), identifier: 'dataadmin', password: pw });
    const overview = await get(t.app, jar, '/datashare/quality');
    const id = /href="\/datashare\/quality\/(\d+)">居民户籍信息/.exec(overview.body)![1];
    const page = await get(t.app, jar, `/datashare/quality/${id}`);
    expect(page.statusCode).toBe(200);
    // The page as served, with the stylesheet inline and without its scripts (the figures are in the tables).
    body = page.body.replace(/<link rel="stylesheet"[^>]*>/g, '').replace(/<script[\s\S]*?<\/script>/g, '').replace('</head>', `<style>${CSS}</style></head>`);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const measure = async (width: number) => {
    const ctx = await browser.newContext({ viewport: { width, height: 900 } });
    const page = await ctx.newPage();
    await page.setContent(body);
    const m = await page.evaluate(() => {
      const buttons = [...document.querySelectorAll('form[action*="/decide"] button')].map((b) => {
        const cs = getComputedStyle(b);
        // The height of the button's text: its box without padding (and borders, clientHeight has none).
        const height = b.clientHeight - parseFloat(cs.paddingTop) - parseFloat(cs.paddingBottom);
        return { text: b.textContent ?? '', height, lineHeight: parseFloat(cs.lineHeight) || parseFloat(cs.fontSize) * 1.5 };
      });
      const table = document.querySelector('form[action*="/decide"]')!.closest('table')!;
      return { page: document.documentElement.scrollWidth, table: table.getBoundingClientRect().width, box: table.parentElement!.clientWidth, buttons };
    });
    await ctx.close();
    return m;
  };

  it.each([1366, 390])('at %i px the decision buttons keep their words on one line', async (width) => {
    const m = await measure(width);
    expect(m.buttons.map((b) => b.text)).toContain('批准修复');
    for (const b of m.buttons) expect(b.height, b.text).toBeLessThan(1.5 * b.lineHeight);
  });

  it('on a 390-px phone the findings fit the screen: neither the page nor the table scrolls sideways', async () => {
    const m = await measure(390);
    expect(m.page).toBeLessThanOrEqual(390);
    expect(m.table).toBeLessThanOrEqual(m.box);
  });
});
