import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/modules/demo/demo.seed.ts';
import type { Running } from '../../src/server.ts';
import { hasChromium, launchBrowser } from '../helpers/browser.ts';
import { expectFitsPhone, login, PHONE, screenshots, servicesOf, showServerLogOnFailure, startTestServer } from '../helpers/e2e.ts';

const shot = screenshots('calendar');

// The working-day calendar page (/staff/admin/holidays) from the workbench warning, on a phone without JavaScript.
describe.skipIf(!hasChromium)('the working-day calendar page on a phone in Chromium without JavaScript', () => {
  let server: Running;
  let browser: Browser;
  showServerLogOnFailure();
  beforeAll(async () => {
    server = await startTestServer();
    await seedDemo(servicesOf(server));
    // "Today" is 27 November 2026: 2027 is not covered and, from 1 November, that is warned about.
    servicesOf(server).onestop.now = () => new Date('2026-11-27T10:00:00+08:00');
    browser = await launchBrowser();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('follows the workbench warning, is refused a bad line, checks and saves 2027, each page 390 wide', async () => {
    const ctx = await browser.newContext({ ...PHONE, javaScriptEnabled: false });
    const page = await login(ctx, server.url, 'admin', 'Admin-demo-2026');
    await page.goto(server.url + '/workbench');
    await expectFitsPhone(page);
    await shot(page, 'workbench');
    await page.getByRole('link', { name: /2027 年工作日历未录入/ }).click();
    await page.waitForURL((u) => u.pathname === '/staff/admin/holidays');
    await page.getByRole('status').filter({ hasText: '2027 年的节假日和调休安排尚未录入' }).waitFor();
    await expectFitsPhone(page);
    await shot(page, 'list');

    await page.getByLabel('节假日表（CSV）').fill('date,kind,holiday\n2027-01-01,off,元旦\n2027-13-01,off,测试\n');
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByRole('alert').filter({ hasText: '第 3 行：无效日期' }).waitFor();
    expect(await page.getByLabel('节假日表（CSV）').inputValue()).toContain('2027-13-01');
    await expectFitsPhone(page);
    await shot(page, 'errors');

    await page.getByLabel('节假日表（CSV）').fill('date,kind,holiday\n2027-01-01,off,元旦\n2027-10-01,off,测试假日\n2027-10-09,work,测试假日\n');
    await page.getByRole('button', { name: '检查' }).click();
    await page.getByRole('heading', { name: '检查通过：2027 年（尚未保存）' }).waitFor();
    await expectFitsPhone(page);
    await shot(page, 'preview');
    await page.getByRole('button', { name: '保存' }).click();
    await page.waitForURL((u) => u.pathname === '/staff/admin/holidays/2027');
    await page.getByRole('status').filter({ hasText: '2027 年已保存' }).waitFor();
    await expectFitsPhone(page);
    await shot(page, 'year');
    await page.goto(server.url + '/workbench');
    expect(await page.getByText('工作日历未录入').count()).toBe(0);
    // The same page in English.
    await page.goto(server.url + '/staff/admin/holidays');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Working-day calendar (holidays and make-up days)' }).waitFor();
    await expectFitsPhone(page);
    await shot(page, 'list-en');
    await ctx.close();
  });
});
