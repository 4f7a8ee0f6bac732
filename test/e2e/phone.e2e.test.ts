import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { hasChromium } from '../helpers/browser.ts';
import { demoInBrowser, login, PHONE, screenshots, waitUntil } from '../helpers/e2e.ts';

const shot = screenshots('phone');

/** The citizen-facing pages a visitor reaches from the portal, and those of a signed-in citizen. */
const PUBLIC_PAGES = [
  '/', '/login', '/register', '/services', '/services/item/A-512B0011200070', '/services/satisfaction', '/messages/new',
  '/messages/track', '/messages/public', '/disclosure', '/disclosure/answers', '/knowledge/1',
];
const CITIZEN_PAGES = [
  '/me', '/services/my', '/services/wallet', '/services/item/A-512B0011200070/apply', '/messages/mine', '/messages/new',
  '/disclosure/my', '/disclosure/apply', '/datashare/my-data', '/me/password',
];

/**
 * What a finger and a screen reader need on every page: nothing wider than the phone, each form control named by a
 * label, each radio button and checkbox inside (or beside) a label row at least 44px high and level with the first
 * line of its text, buttons and text fields at least 44px high, and the footer at the bottom of the screen on a
 * short page.
 */
async function checkPage(page: Page, path: string): Promise<void> {
  const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, screen: window.innerWidth }));
  expect(widths.page, path).toBeLessThanOrEqual(widths.screen);
  const problems = await page.evaluate(() => {
    const out: string[] = [];
    const visible = (el: Element) => {
      const r = el.getBoundingClientRect();
      return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden';
    };
    const labelOf = (el: HTMLElement): HTMLElement | null =>
      (el.id ? document.querySelector<HTMLElement>(`label[for="${CSS.escape(el.id)}"]`) : null) ?? el.closest('label');
    for (const el of document.querySelectorAll<HTMLInputElement>('main input:not([type=hidden]), main select, main textarea')) {
      if (!visible(el)) continue;
      const label = labelOf(el);
      if (!label && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby')) out.push(`no label: ${el.name}`);
      if (el.type === 'radio' || el.type === 'checkbox') {
        if (label && label.getBoundingClientRect().height < 44) out.push(`label row under 44px: ${el.name}=${el.value}`);
        // The box is level with the first line of its text (within 3px) and set apart from it (at least 4px).
        const text = label ? document.createTreeWalker(label, NodeFilter.SHOW_TEXT, { acceptNode: (n) => (n.textContent?.trim() ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_SKIP) }).nextNode() : null;
        if (text) {
          const range = document.createRange();
          range.selectNodeContents(text);
          const line = range.getClientRects()[0]!;
          const box = el.getBoundingClientRect();
          if (Math.abs((box.top + box.bottom) / 2 - (line.top + line.bottom) / 2) > 3) out.push(`box not level with its text: ${el.name}=${el.value}`);
          if (line.left - box.right < 4) out.push(`box touches its text: ${el.name}=${el.value}`);
        }
      } else if (el.type !== 'file' && el.getBoundingClientRect().height < 44) out.push(`field under 44px: ${el.name}`);
    }
    for (const el of document.querySelectorAll('main button, main a.button')) {
      if (visible(el) && el.getBoundingClientRect().height < 44) out.push(`button under 44px: ${el.textContent?.trim()}`);
    }
    const footer = document.querySelector('footer')!.getBoundingClientRect();
    if (document.documentElement.scrollHeight <= innerHeight && footer.bottom < innerHeight - 1) out.push(`footer ends ${Math.round(footer.bottom)}px down a ${innerHeight}px screen`);
    return out;
  });
  expect(problems, path).toEqual([]);
}

describe.skipIf(!hasChromium)('citizen pages on a phone-sized screen', () => {
  const env = demoInBrowser();

  it('every public page fits the phone, names its controls and has finger-sized targets', async () => {
    const ctx = await env.browser.newContext(PHONE);
    const page = await ctx.newPage();
    for (const path of PUBLIC_PAGES) {
      await page.goto(env.server.url + path);
      await checkPage(page, path);
      await shot(page, `public${path.replace(/\W+/g, '-')}`);
    }
    // The home page's tiles are links as a whole, not only their titles.
    await page.goto(env.server.url + '/');
    const tile = page.locator('li.tile').filter({ hasText: '办事服务' });
    const box = (await tile.boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + box.height - 8); // on the description, below the title
    await page.waitForURL(/\/services$/);
    await ctx.close();
  }, 180_000);

  it('every page of a signed-in citizen does too', async () => {
    const ctx = await env.browser.newContext(PHONE);
    const page = await login(ctx, env.server.url, '13800138000', 'Citizen-demo-2026');
    for (const path of CITIZEN_PAGES) {
      await page.goto(env.server.url + path);
      await checkPage(page, path);
      await shot(page, `citizen${path.replace(/\W+/g, '-')}`);
    }
    await ctx.close();
  }, 180_000);

  it('the same holds on a 1366×768 laptop screen', async () => {
    const ctx = await env.browser.newContext({ viewport: { width: 1366, height: 768 }, deviceScaleFactor: 1 });
    const page = await login(ctx, env.server.url, '13800138000', 'Citizen-demo-2026');
    for (const path of [...PUBLIC_PAGES, ...CITIZEN_PAGES]) {
      await page.goto(env.server.url + path);
      await checkPage(page, path);
    }
    await ctx.close();
  }, 180_000);

  it('a knowledge article shows citizens when it was updated and where to go next, not its review status', async () => {
    // The demo articles are seeded in the background after the server listens: wait until the first one is public.
    await waitUntil(async () => (await fetch(env.server.url + '/knowledge/1')).status === 200, 'the demo knowledge articles to be seeded');
    const ctx = await env.browser.newContext(PHONE);
    const page = await ctx.newPage();
    await page.goto(env.server.url + '/knowledge/1');
    const main = (await page.textContent('main')) ?? '';
    expect(main).toContain('更新于');
    expect(main).not.toContain('已发布');
    const next = page.getByRole('region', { name: '没有解决您的问题？' });
    expect(await next.getByRole('link').allTextContents()).toEqual(['搜索其他问题', '我要留言，由主管部门答复', '查找办事服务']);
    await ctx.close();

    const staffCtx = await env.browser.newContext(PHONE);
    const staff = await login(staffCtx, env.server.url, 'clerk', 'Clerk-demo-2026');
    await staff.goto(env.server.url + '/knowledge/1');
    expect((await staff.textContent('main')) ?? '').toContain('已发布');
    expect(await staff.getByRole('link', { name: '← 知识库' }).count()).toBe(1);
    await staffCtx.close();
  });

  it('staff lists name statuses and channels in Chinese, and the analyst to-do names the warning level', { timeout: 420_000 }, async () => {
    const ctx = await env.browser.newContext(PHONE);
    const head = await login(ctx, env.server.url, 'head', 'Head-demo-2026');
    await head.goto(env.server.url + '/services/manage');
    const cells = await head.locator('main td').allTextContents();
    expect(cells).toContain('已发布');
    expect(cells).not.toContain('published');
    await ctx.close();

    const supCtx = await env.browser.newContext(PHONE);
    const sup = await login(supCtx, env.server.url, 'supervisor', 'Supervisor-demo-2026');
    await sup.goto(env.server.url + '/services/outbox');
    expect(await sup.locator('main tbody tr').count()).toBeGreaterThan(0);
    const outbox = (await sup.locator('main tbody').textContent()) ?? '';
    expect(outbox).not.toMatch(/\b(inbox|department|supervisor|pending|sent|failed)\b/);
    await supCtx.close();

    const anCtx = await env.browser.newContext(PHONE);
    const analyst = await login(anCtx, env.server.url, 'analyst', 'Analyst-demo-2026');
    // The demo's warnings are raised in the background after start-up: wait for the first on the to-do list.
    const todoText = async () => (await analyst.locator('#todo-title').locator('xpath=..').textContent()) ?? '';
    await waitUntil(async () => {
      await analyst.goto(env.server.url + '/workbench');
      return (await todoText()).includes('舆情预警（');
    }, 'the demo opinion warnings');
    const todo = await todoText();
    expect(todo).toMatch(/舆情预警（(蓝|黄|橙|红)色）/);
    expect(todo).not.toMatch(/\b(blue|yellow|orange|red|opinion)\b/);
    await anCtx.close();
  });
});
