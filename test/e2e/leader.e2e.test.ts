import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/modules/demo/demo.seed.ts';
import { ANONYMOUS, SYSTEM } from '../../src/modules/identity/permissions.ts';
import { LEVELS } from '../../src/modules/opinion/opinion.types.ts';
import { startServer, type Running } from '../../src/server.ts';
import { hasChromium, launchBrowser } from '../helpers/browser.ts';
import { testConfig } from '../helpers/db.ts';
import { expectFitsPhone, login, PHONE, screenshots, servicesOf } from '../helpers/e2e.ts';
import { burstItems } from '../helpers/opinion.ts';

const shot = screenshots('leader');

// Not the demo city (its 4,326 opinion items take minutes to cluster): the demo accounts plus a little data of each kind.
describe.skipIf(!hasChromium)('the leaders\' overview on a phone in Chromium', () => {
  let server: Running;
  let browser: Browser;
  beforeAll(async () => {
    server = await startServer(testConfig({ PORT: '0', HOST: '127.0.0.1' }), () => {});
    const s = servicesOf(server);
    await seedDemo(s);
    const cats = ['住房公积金', '社会保障', '城市管理与市容环境卫生', '住房公积金', '交通运输', '住房公积金', '社会保障'];
    for (const [i, category] of cats.entries()) {
      const r = await s.messages.submit(ANONYMOUS, { type: '咨询', title: `测试诉求${i}`, content: '请问办理需要哪些材料？' }, { channel: 'web', category });
      if (!r.ok) throw new Error(r.error.code);
    }
    await s.opinion.ingest('burst', burstItems());
    await s.opinion.cluster();
    for (const level of LEVELS) {
      const r = await s.opinion.raise(SYSTEM, { level, title: `A6区某大型住宅小区周边道路长期拥堵引发集中投诉（${level}）`, reason: '测试' });
      if (!r.ok) throw new Error(r.error.code);
    }
    browser = await launchBrowser();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('a leader reaches it from the workbench; it fits a 390-wide screen with the charts and without JavaScript', async () => {
    const ctx = await browser.newContext(PHONE);
    const page = await login(ctx, server.url, 'leader', 'Leader-demo-2026');
    await page.goto(server.url + '/workbench');
    await page.getByRole('link', { name: '领导总览：办件、诉求、舆情一览' }).click();
    await page.waitForURL((u) => u.pathname === '/leader');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('领导总览');
    for (const id of ['chart-categories', 'chart-issues']) await page.locator(`#${id} svg`).first().waitFor({ state: 'visible' });
    expect(await page.getByRole('table', { name: '群众诉求' }).locator('tbody tr').count()).toBe(9);
    expect(await page.getByRole('table', { name: '政务服务办件' }).locator('tbody tr').count()).toBe(8);
    await expectFitsPhone(page);
    await shot(page, '01-phone');

    const noJs = await browser.newContext({ ...PHONE, javaScriptEnabled: false });
    const cookies = await ctx.cookies();
    await noJs.addCookies(cookies);
    const plain = await noJs.newPage();
    await plain.goto(server.url + '/leader');
    expect(await plain.locator('#chart-categories').isHidden()).toBe(true);
    expect(await plain.getByRole('link', { name: /A6区某大型住宅小区周边道路长期拥堵/ }).count()).toBe(4);
    await expectFitsPhone(plain);
    await shot(plain, '02-phone-no-js');
    await noJs.close();
    await ctx.close();
  });
});
