import type { Browser, BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../src/server.ts';
import { DEMO_CITIZEN } from '../../src/modules/demo/demo.seed.ts';
import { DEMO_DOCUMENTS } from '../../src/modules/disclosure/disclosure.seed.ts';
import { shippedCalendar } from '../../src/lib/calendar/index.ts';
import { hasChromium } from '../helpers/browser.ts';
import { demoInBrowser, expectFitsPhone, PHONE, screenshots, servicesOf, waitUntil } from '../helpers/e2e.ts';

const shot = screenshots('disclosure');

describe.skipIf(!hasChromium)('government information disclosure in Chromium (phone-sized screen)', () => {
  let server: Running;
  let browser: Browser;
  let ctx: BrowserContext;
  const env = demoInBrowser(); // the demo server and Chromium, started before the set-up below and stopped after the tests
  beforeAll(async () => {
    ({ server, browser } = env);
    ctx = await browser.newContext(PHONE);
    ctx.setDefaultTimeout(60_000); // a bound for a broken build; pages wait behind the background seeding on a loaded machine
    // The demo catalogue is seeded in the background after the server listens (after the categories, each document is
    // created, published and, for one, withdrawn): wait until all of it is there, so no step races the seeding.
    const services = servicesOf(server);
    const depts = new Set((await services.identity.departments()).map((d) => d.code));
    const docs = DEMO_DOCUMENTS.filter((d) => depts.has(d.dept));
    await waitUntil(async () => {
      const rows = await services.database.db.selectFrom('disclosure_documents').select('status').where('status', 'in', ['published', 'withdrawn']).execute();
      return rows.length >= docs.length && rows.filter((r) => r.status === 'withdrawn').length >= docs.filter((d) => d.withdraw).length;
    }, 'the demo disclosure catalogue to be seeded');
  }, 420_000); // the demo content is seeded in the background: minutes on a loaded machine

  it('browses the public catalogue by category and department, opens a document, sees a withdrawn one as withdrawn', async () => {
    const page = await ctx.newPage();
    await page.goto(server.url + '/disclosure');
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    expect(await page.textContent('h1')).toContain('政府信息公开目录');
    await shot(page, '01-home');
    await expectFitsPhone(page);

    // By category: 规范性文件 (a sub-category of 法规文件) holds the 营商环境 measures.
    await page.getByRole('navigation', { name: '按分类浏览' }).getByRole('link', { name: '规范性文件' }).click();
    await page.waitForURL(/\/disclosure\/category\/gfxwj$/);
    expect(await page.textContent('h1')).toContain('规范性文件');
    await shot(page, '02-category');
    await expectFitsPhone(page);
    await page.getByRole('link', { name: /优化营商环境若干措施/ }).click();
    await page.waitForURL(/\/disclosure\/doc\/\d+$/);
    const doc = (await page.textContent('main'))!;
    expect(doc).toContain('索引号');
    expect(doc).toContain('A府办发〔2026〕3号');
    expect(doc).toContain('有效性');
    expect(doc).not.toContain('本文件已撤回');
    await shot(page, '03-document');
    await expectFitsPhone(page);

    // By department: the housing bureau's page lists the withdrawn rent notice, marked as withdrawn.
    await page.goto(server.url + '/disclosure');
    await page.getByRole('navigation', { name: '按部门浏览' }).getByRole('link', { name: /住房和城乡建设局/ }).click();
    await page.waitForURL(/\/disclosure\/department\/\d+$/);
    const dept = (await page.textContent('main'))!;
    expect(dept).toContain('关于调整A市公共租赁住房租金标准的通知');
    expect(dept).toContain('已撤回');
    // On a phone each document is a card: the title is readable on one or two lines, not one character per line.
    const titleBox = await page.getByRole('link', { name: '关于调整A市公共租赁住房租金标准的通知' }).boundingBox();
    expect(titleBox!.width).toBeGreaterThan(200);
    await shot(page, '04-department');
    await expectFitsPhone(page);
    await page.getByRole('link', { name: '关于调整A市公共租赁住房租金标准的通知' }).click();
    await page.waitForURL(/\/disclosure\/doc\/\d+$/);
    expect(await page.getByRole('status').textContent()).toContain('本文件已撤回');
    // The issuer is the department itself: named once, not "A市住房和城乡建设局（A市住房和城乡建设局）".
    expect(await page.textContent('main')).not.toContain('A市住房和城乡建设局（A市住房和城乡建设局）');
    await shot(page, '05-withdrawn');
    await expectFitsPhone(page);
    await page.close();
  });

  it('the Atom feed link of a category serves a feed whose entries link back to the documents', async () => {
    const page = await ctx.newPage();
    await page.goto(server.url + '/disclosure/category/zfbz');
    const href = await page.getByRole('link', { name: '订阅本分类（Atom）' }).getAttribute('href');
    expect(href).toBe('/disclosure/category/zfbz/feed.atom');
    const res = await page.request.get(server.url + href!);
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toContain('atom+xml');
    const xml = await res.text();
    expect(xml).toContain('<feed xmlns="http://www.w3.org/2005/Atom"');
    expect(xml).toContain('【已撤回】关于调整A市公共租赁住房租金标准的通知');
    const link = /<entry>[\s\S]*?<link[^>]*href="([^"]+\/disclosure\/doc\/\d+)"/.exec(xml)?.[1];
    expect(link).toBeTruthy();
    await page.goto(link!);
    expect(await page.textContent('h1')).toBeTruthy();
    await page.close();
  });

  it('a citizen applies for disclosure, fixing an error first, and sees the request with its 20-working-day deadline', async () => {
    const page = await ctx.newPage();
    await page.goto(server.url + '/disclosure');
    await page.getByRole('link', { name: '申请政府信息公开（依申请公开）' }).click();
    await page.waitForURL(/\/login/);
    await page.getByLabel('账号（手机号、电子邮箱或工作人员用户名）').fill(DEMO_CITIZEN.mobile);
    await page.locator('#password').fill(DEMO_CITIZEN.password);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL(/\/disclosure\/apply$/);
    await shot(page, '06-apply');
    await expectFitsPhone(page);

    // Nothing filled in: the error summary names the missing fields and links to them.
    await page.getByRole('button', { name: '提交申请' }).click();
    const summary = page.getByRole('alert');
    await expect.poll(() => summary.textContent()).toBeTruthy();
    expect(await page.locator('#description').getAttribute('aria-invalid')).toBe('true');
    await shot(page, '07-apply-errors');
    await expectFitsPhone(page);

    await page.getByLabel('受理机关').selectOption({ label: 'A市住房和城乡建设局' });
    await page.getByLabel('所需政府信息的名称、文号或便于查询的其他特征性描述').fill('2025 年本市公共租赁住房租金收缴和减免情况的统计数据。');
    // By post without an address: asked for it (and the postcode), the rest kept.
    await page.getByLabel('邮寄', { exact: true }).check();
    await page.getByRole('button', { name: '提交申请' }).click();
    await expect.poll(() => page.locator('#postalAddress').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#postcode').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('邮寄', { exact: true }).isChecked()).toBe(true);
    await shot(page, '07b-apply-post-errors');
    await expectFitsPhone(page);
    await page.getByLabel('收件地址（选择邮寄时必填）').fill('A市A3区某某路 12 号 3 栋 401');
    await page.getByLabel('邮政编码（选择邮寄时必填）').fill('410083');
    await page.getByRole('button', { name: '提交申请' }).click();
    await page.waitForURL(/\/disclosure\/requests\/\d+/);
    const req = (await page.textContent('main'))!;
    expect(req).toContain('A市A3区某某路 12 号 3 栋 401（邮编 410083）');
    const ref = /YSQ\d{10}/.exec(req)?.[0];
    expect(ref).toBeTruthy();
    // The answer is due 20 working days after receipt, on the shipped holiday calendar (the day of receipt not counted).
    const received = /收到日期\s*(\d{4}-\d{2}-\d{2})/.exec(req)?.[1];
    expect(received).toBeTruthy();
    const due = shippedCalendar().addWorkingDays(received!, 20);
    expect(req).toMatch(new RegExp(`答复期限\\s*${due}`));
    await shot(page, '08-request');
    await expectFitsPhone(page);

    await page.goto(server.url + '/disclosure/my');
    const mine = (await page.textContent('main'))!;
    expect(mine).toContain(ref!);
    expect(mine).toContain('A市住房和城乡建设局');
    expect(mine).toContain(due);
    await shot(page, '09-my-requests');
    await expectFitsPhone(page);
    await page.close();
  });
});
