import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/modules/demo/demo.seed.ts';
import type { Running } from '../../src/server.ts';
import { hasChromium, launchBrowser } from '../helpers/browser.ts';
import { expectFitsPhone, login, PHONE, screenshots, servicesOf, showServerLogOnFailure, startTestServer } from '../helpers/e2e.ts';

const shot = screenshots('admin');

// The demo accounts only (not the demo city): the administrator's pages need nothing else.
describe.skipIf(!hasChromium)('the administrator’s pages on a phone in Chromium without JavaScript', () => {
  let server: Running;
  let browser: Browser;
  showServerLogOnFailure();
  beforeAll(async () => {
    server = await startTestServer();
    await seedDemo(servicesOf(server));
    browser = await launchBrowser();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('creates a staff account and a department from the workbench and verifies the audit trail, each page 390 wide', async () => {
    const ctx = await browser.newContext({ ...PHONE, javaScriptEnabled: false });
    const page = await login(ctx, server.url, 'admin', 'Admin-demo-2026');
    await page.goto(server.url + '/workbench');
    await page.getByRole('link', { name: '工作人员账号' }).click();
    await page.waitForURL((u) => u.pathname === '/staff/admin/users');
    await expectFitsPhone(page);
    await shot(page, 'users');

    // A first try with a mistake: the form comes back with the message and the values, the password emptied.
    await page.getByLabel('用户名').fill('e2e.clerk');
    await page.getByLabel('姓名').fill('测试经办');
    await page.getByLabel('初始密码').fill('onlyletters');
    await page.getByRole('checkbox', { name: '窗口/业务经办人员' }).check();
    await page.getByRole('button', { name: '创建账号' }).click();
    await page.getByRole('alert').filter({ hasText: '提交的内容有问题' }).waitFor();
    expect(await page.getByLabel('用户名').inputValue()).toBe('e2e.clerk');
    expect(await page.getByLabel('初始密码').inputValue()).toBe('');
    expect(await page.getByRole('checkbox', { name: '窗口/业务经办人员' }).isChecked()).toBe(true);
    await expectFitsPhone(page);
    await shot(page, 'users-errors');

    await page.getByLabel('所属部门').selectOption({ label: 'A市人力资源和社会保障局（A-HRSS）' });
    await page.getByLabel('初始密码').fill('E2e-clerk-2026');
    await page.getByRole('button', { name: '创建账号' }).click();
    await page.getByRole('status').filter({ hasText: '账号 e2e.clerk 已创建。' }).waitFor();
    expect(await page.locator('code', { hasText: 'e2e.clerk' }).count()).toBe(1);

    // The account's own page: disable it (a post without script), the notice says its sessions ended.
    await page.getByRole('link', { name: 'e2e.clerk' }).click();
    await page.waitForURL((u) => /^\/staff\/admin\/users\/\d+$/.test(u.pathname));
    await expectFitsPhone(page);
    await page.getByRole('button', { name: '停用账号' }).click();
    await page.getByRole('status').filter({ hasText: '账号已停用，其所有登录会话已失效。' }).waitFor();
    expect(await page.getByRole('button', { name: '启用账号' }).count()).toBe(1);
    await expectFitsPhone(page);
    await shot(page, 'account');

    await page.getByRole('link', { name: '部门', exact: true }).click();
    await page.waitForURL((u) => u.pathname === '/staff/admin/departments');
    await page.getByLabel('部门编码').fill('A-E2E');
    await page.getByLabel('部门名称').fill('测试中心');
    await page.getByLabel('英文名称').fill('Test Centre');
    await page.getByRole('button', { name: '创建部门' }).click();
    await page.getByRole('status').filter({ hasText: '部门 A-E2E 已创建。' }).waitFor();
    await expectFitsPhone(page);
    await shot(page, 'departments');

    await page.getByRole('link', { name: '核验审计链' }).click();
    await page.waitForURL((u) => u.pathname === '/staff/admin/audit');
    await page.getByRole('status').filter({ hasText: '审计链完好。' }).waitFor();
    expect(await page.locator('tbody tr').count()).toBeGreaterThan(10);
    await expectFitsPhone(page);
    await shot(page, 'audit');
    await ctx.close();
  });
});
