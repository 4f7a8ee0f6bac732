import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../src/server.ts';
import { hasChromium } from '../helpers/browser.ts';
import { demoInBrowser, expectFitsPhone, login, PHONE, screenshots, servicesOf, waitUntil } from '../helpers/e2e.ts';

const shot = screenshots('search');
const NONSENSE = 'xqzwqhkjfd';

/** Searches from the box on the page the citizen is on (typing, then Enter), and waits for the results page. */
async function search(page: Page, q: string): Promise<void> {
  const box = page.locator('form[role="search"] input[name="q"]');
  await box.fill('');
  await box.pressSequentially(q);
  await box.press('Enter');
  await page.waitForURL((u) => u.pathname === '/search' && u.searchParams.get('q') === q);
}

const hits = (page: Page): Locator => page.locator('ol.hits > li.hit');

/** Every hit shows its type, a link to the document and a snippet; returns the hits' texts and titles. */
async function expectCompleteHits(page: Page): Promise<{ titles: string[]; metas: string[] }> {
  const list = hits(page);
  const n = await list.count();
  expect(n).toBeGreaterThan(0);
  const titles: string[] = [];
  const metas: string[] = [];
  for (let i = 0; i < n; i++) {
    const hit = list.nth(i);
    const a = hit.locator('h3 a');
    expect(await a.getAttribute('href')).toMatch(/^\/\S+/);
    titles.push(((await a.textContent()) ?? '').trim());
    expect(((await hit.locator('.meta .tag').first().textContent()) ?? '').trim()).toMatch(/^(办事服务|政策文件|政府信息公开|留言答复|知识库)$/);
    metas.push(((await hit.locator('p.meta').first().textContent()) ?? '').trim());
    expect(((await hit.locator('h3 + p.meta + p').textContent()) ?? '').trim().length).toBeGreaterThan(0);
  }
  return { titles, metas };
}

/** `first` comes before `second` in the document. */
async function expectBefore(first: Locator, second: Locator): Promise<void> {
  const a = await first.elementHandle();
  const b = await second.elementHandle();
  expect(await a!.evaluate((x, y) => !!(x.compareDocumentPosition(y!) & Node.DOCUMENT_POSITION_FOLLOWING), b)).toBe(true);
}

describe.skipIf(!hasChromium)('public search in Chromium (phone-sized screen)', () => {
  let server: Running;
  let browser: Browser;
  let ctx: BrowserContext;
  const env = demoInBrowser(); // the demo server and Chromium, started before the set-up below and stopped after the tests
  beforeAll(async () => {
    ({ server, browser } = env);
    ctx = await browser.newContext(PHONE);
    // The demo policies and the service catalogue are indexed in the background after the server listens.
    const services = servicesOf(server);
    await waitUntil(async () => {
      if (!(await services.search.cursor('demo-policies'))) return false;
      const r = await services.search.search('居住证', { type: 'service', noSnippets: true });
      return r.ok && r.value.total > 0;
    }, 'the demo policies and services in the search index');
  }, 420_000); // the demo content is seeded in the background: minutes on a loaded machine
  afterAll(async () => {
    await ctx?.close(); // before demoInBrowser's afterAll closes the browser (after hooks run last registered first)
  });

  it('a citizen finds things in their own words, Traditional characters and pinyin initials, uses a facet and gets an answer with its source', async () => {
    const page = await ctx.newPage();
    await page.goto(server.url + '/search');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('统一检索');
    await expectFitsPhone(page);
    await shot(page, '01-start');

    // Suggestions as you type (the script enhances the plain GET form).
    const box = page.getByRole('combobox', { name: '搜索' });
    await box.pressSequentially('居住');
    const options = page.getByRole('listbox').getByRole('option');
    await expect.poll(() => options.count(), { timeout: 60_000 }).toBeGreaterThan(0); // a bound for a broken build, not a timing claim
    expect(await box.getAttribute('aria-expanded')).toBe('true');
    expect((await options.allTextContents()).some((t) => t.includes('居住'))).toBe(true);
    // The list drops down under the box and leaves what is being typed visible.
    const boxArea = (await box.boundingBox())!;
    const listArea = (await page.getByRole('listbox').boundingBox())!;
    expect(listArea.y).toBeGreaterThanOrEqual(boxArea.y + boxArea.height - 1);
    await expectFitsPhone(page);
    await shot(page, '02-suggest');

    // Traditional characters: 居住證 finds the 居住证 service, with type, department, highlight and link.
    await search(page, '居住證');
    const trad = await expectCompleteHits(page);
    const permit = hits(page).filter({ has: page.locator('.tag', { hasText: '办事服务' }) }).filter({ hasText: '居住证' }).first();
    expect(await permit.locator('mark').count()).toBeGreaterThan(0);
    expect(await permit.locator('.meta').first().textContent()).toMatch(/公安/);
    expect(trad.titles.slice(0, 5).some((t) => t.includes('居住证'))).toBe(true);
    await expectFitsPhone(page);
    // The results page hides its heading, so the search box is the first thing under the site header: it must not
    // touch the header (main's top padding applies; .wrap once overrode it).
    const headerArea = (await page.locator('header.site-header').boundingBox())!;
    const resultsBox = (await page.locator('form[role="search"] input[name="q"]').boundingBox())!;
    expect(resultsBox.y - (headerArea.y + headerArea.height)).toBeGreaterThanOrEqual(12);
    await shot(page, '03-traditional');

    // Pinyin initials.
    await search(page, 'jzz');
    const initials = await expectCompleteHits(page);
    expect(initials.titles.slice(0, 3).some((t) => t.includes('居住证'))).toBe(true);
    // What was typed is echoed once, even when it was read as several words (jzz → 居住证, 捐赠者 …).
    const typed = ((await page.getByText('已按以下内容搜索').textContent()) ?? '').replace(/\s+/g, ' ');
    expect(typed).toMatch(/原输入 jzz）/);
    await expectFitsPhone(page);
    await shot(page, '04-initials');

    // Everyday words: an answer with its source above the results, then the results.
    await search(page, '社保断了怎么办');
    const answer = page.getByRole('region', { name: '智能问答' });
    expect(((await answer.locator('p').first().textContent()) ?? '').trim().length).toBeGreaterThan(10);
    const source = answer.locator('p.meta a');
    expect(await source.getAttribute('href')).toMatch(/^\/\S+/);
    expect(((await source.textContent()) ?? '').trim().length).toBeGreaterThan(0);
    expect(await answer.locator('p.meta').textContent()).toContain('来源');
    await expectBefore(answer, page.locator('ol.hits'));
    await expectCompleteHits(page);
    await expectFitsPhone(page);
    await shot(page, '05-answer');

    // A type facet: only services remain, the facet is marked current, and the count matches the heading.
    const facet = page.getByRole('navigation', { name: '筛选' }).getByRole('link', { name: /^办事服务（\d+）$/ });
    const n = Number(/（(\d+)）/.exec((await facet.textContent()) ?? '')?.[1]);
    await facet.click();
    await page.waitForURL((u) => u.searchParams.get('type') === 'service');
    expect(await page.getByRole('navigation', { name: '筛选' }).getByRole('link', { name: /^办事服务/ }).getAttribute('aria-current')).toBe('true');
    expect(await page.locator('#hits-h').textContent()).toContain(`${n}`);
    const tags = await hits(page).locator('.meta .tag').allTextContents();
    expect(tags.length).toBeGreaterThan(0);
    expect(new Set(tags)).toEqual(new Set(['办事服务']));
    await expectFitsPhone(page);
    await shot(page, '06-facet-type');

    // ...then a department facet on top of it.
    const dept = page.getByRole('navigation', { name: '筛选' }).locator('ul.facets').nth(1).getByRole('link').first();
    const deptName = ((await dept.textContent()) ?? '').replace(/（\d+）$/, '');
    await dept.click();
    await page.waitForURL((u) => u.searchParams.get('department') === deptName && u.searchParams.get('type') === 'service');
    for (const meta of (await expectCompleteHits(page)).metas) expect(meta).toContain(deptName);
    await expectFitsPhone(page);
    await shot(page, '07-facet-department');

    // Nonsense: the page says what was searched and offers help, including leaving a message.
    await search(page, NONSENSE);
    expect(await hits(page).count()).toBe(0);
    // One clear help card: no empty filters, and the offer to leave a message is not repeated in an answer box.
    expect(await page.getByRole('navigation', { name: '筛选' }).count()).toBe(0);
    expect(await page.getByRole('region', { name: '智能问答' }).count()).toBe(0);
    const main = page.locator('main');
    expect(await main.textContent()).toContain(`没有找到与“${NONSENSE}”相关的内容`);
    expect(await page.getByRole('link', { name: '我要留言，由部门答复' }).first().getAttribute('href')).toBe('/messages/new');
    expect(await page.getByRole('link', { name: '按部门浏览办事服务' }).getAttribute('href')).toBe('/services');
    await expectFitsPhone(page);
    await shot(page, '08-nothing-found');

    // The offer works: it leads to the message form (sign in first, for a visitor).
    await page.getByRole('link', { name: '我要留言，由部门答复' }).first().click();
    await page.waitForURL((u) => u.pathname === '/messages/new' || u.pathname === '/login');
    await page.close();
  }, 180_000);

  it('without JavaScript the search form still works as a plain GET', async () => {
    const noJs = await browser.newContext({ ...PHONE, javaScriptEnabled: false });
    const page = await noJs.newPage();
    await page.goto(server.url + '/search');
    await page.locator('#q').fill('居住证');
    await page.getByRole('button', { name: '搜索' }).click();
    await page.waitForURL((u) => u.pathname === '/search' && u.searchParams.get('q') === '居住证');
    const { titles } = await expectCompleteHits(page);
    expect(titles.some((t) => t.includes('居住证'))).toBe(true);
    await expectFitsPhone(page);
    await shot(page, '09-no-js');
    await noJs.close();
  });

  it('a staff user sees why a hit ranked where it did', async () => {
    const staffCtx = await browser.newContext(PHONE);
    const page = await login(staffCtx, server.url, 'clerk', 'Clerk-demo-2026');
    await page.goto(server.url + '/search?q=' + encodeURIComponent('居住证'));
    const first = hits(page).first();
    const title = ((await first.locator('h3 a').textContent()) ?? '').trim();
    await first.getByRole('link', { name: '排序说明' }).click();
    await page.waitForURL((u) => u.pathname === '/search/explain' && u.searchParams.get('q') === '居住证');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('排序说明');
    expect(await page.getByLabel('查询').inputValue()).toBe('居住证');
    expect((await page.getByLabel('查询').boundingBox())!.height).toBeGreaterThanOrEqual(40); // a styled, tappable field
    const facts = (await page.locator('main dl').textContent()) ?? '';
    expect(facts).toMatch(/名次\s*1/);
    expect(facts).toContain('BM25F');
    // The score is built up step by step: term score × coverage × freshness = base, then the re-ranking formula.
    expect(facts).toContain('基础分 = ① × ② × ③');
    expect(facts).toMatch(/最终得分\s*[\d.]+/);
    expect(facts).toMatch(/查询词命中 \d+ \/ \d+/);
    const rows = page.locator('main table tbody tr');
    expect(await rows.count()).toBeGreaterThan(0);
    expect(await page.locator('main table').textContent()).toMatch(/居住|证/);
    // Column headings stay on one line (the table scrolls inside its wrapper instead of one character per line).
    const heading = (await page.getByRole('columnheader', { name: '查询权重' }).boundingBox())!;
    expect(heading.width).toBeGreaterThan(heading.height);
    expect(title.length).toBeGreaterThan(0);
    await expectFitsPhone(page);
    await shot(page, '10-explain');

    // A citizen (not signed in) gets no explain link.
    const anon = await ctx.newPage();
    await anon.goto(server.url + '/search?q=' + encodeURIComponent('居住证'));
    expect(await hits(anon).count()).toBeGreaterThan(0);
    expect(await anon.getByRole('link', { name: '排序说明' }).count()).toBe(0);
    await anon.close();
    await staffCtx.close();
  }, 90_000);
});
