import { describe, expect, it } from 'vitest';
import { hasChromium } from '../helpers/browser.ts';
import { demoInBrowser, PHONE, screenshots } from '../helpers/e2e.ts';

const shot = screenshots('citizen');

describe.skipIf(!hasChromium)('citizen account journey in Chromium (phone-sized screen)', () => {
  const env = demoInBrowser();

  it('registers, shows errors it can fix, sees the masked own page, logs out and in again', async () => {
    const page = await env.browser.newPage(PHONE);
    await page.goto(env.server.url + '/');
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    await shot(page, 'home-phone');
    await page.getByRole('link', { name: '注册', exact: true }).first().click();

    // First attempt with a mistyped ID number: the error summary names the field and keeps what was typed.
    await page.getByLabel('真实姓名').fill('陈小明');
    await page.getByLabel('居民身份证号码').fill('110105194912310021');
    await page.getByLabel('手机号').fill('13711112222');
    await page.locator('#password').fill('Chen-pass-2026');
    await page.getByLabel('再次输入密码').fill('Chen-pass-2026');
    await page.getByRole('button', { name: '注册' }).click();
    const summary = page.getByRole('alert');
    await expect.poll(() => summary.textContent()).toContain('校验码');
    expect(await page.getByLabel('真实姓名').inputValue()).toBe('陈小明');
    await shot(page, 'register-error-phone');

    await page.getByLabel('居民身份证号码').fill('11010519491231002X');
    await page.locator('#password').fill('Chen-pass-2026');
    await page.getByLabel('再次输入密码').fill('Chen-pass-2026');
    await page.getByRole('button', { name: '注册' }).click();
    await page.waitForURL(/\/me/);
    const text = await page.textContent('main');
    expect(text).toContain('注册成功');
    expect(text).toContain('110105********002X');
    expect(text).toContain('137****2222');
    expect(text).not.toContain('11010519491231002X');
    await shot(page, 'me-phone');

    await page.getByRole('button', { name: '退出' }).click();
    await page.waitForURL(env.server.url + '/');
    await page.goto(env.server.url + '/me');
    await page.waitForURL(/\/login/);

    await page.getByLabel('账号（手机号、电子邮箱或工作人员用户名）').fill('13711112222');
    await page.locator('#password').fill('Chen-pass-2026');
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL(/\/me/);
    expect(await page.textContent('main')).toContain('陈*明');
  });

  it('switches to large text and English without JavaScript', async () => {
    const ctx = await env.browser.newContext({ ...PHONE, javaScriptEnabled: false });
    const page = await ctx.newPage();
    await page.goto(env.server.url + '/');
    await page.getByRole('button', { name: '大字模式' }).click();
    expect(await page.getAttribute('html', 'class')).toContain('large-text');
    await page.getByRole('button', { name: 'English' }).click();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await shot(page, 'home-large-en');
    await ctx.close();
  });
});
