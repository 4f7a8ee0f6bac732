import type { Browser, BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../src/server.ts';
import { DEMO_CITIZEN, DEMO_STAFF } from '../../src/modules/demo/demo.seed.ts';
import { hasChromium } from '../helpers/browser.ts';
import { demoInBrowser, expectFitsPhone, PHONE, screenshots, servicesOf, waitUntil } from '../helpers/e2e.ts';

const shot = screenshots('services');
const CODE = 'A-512B0369200000'; // 灵活就业人员参保登记, A-HRSS (the demo clerk's department)
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const pw = (u: string) => DEMO_STAFF.find((s) => s.username === u)!.password;

async function login(page: Page, base: string, account: string, password: string): Promise<void> {
  await page.goto(base + '/login');
  await page.getByLabel('账号（手机号、电子邮箱或工作人员用户名）').fill(account);
  await page.locator('#password').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

describe.skipIf(!hasChromium)('one-stop service journey in Chromium (phone-sized screen)', () => {
  let server: Running;
  let browser: Browser;
  let citizenCtx: BrowserContext;
  let clerkCtx: BrowserContext;
  const env = demoInBrowser(); // the demo server and Chromium, started before the set-up below and stopped after the tests
  beforeAll(async () => {
    ({ server, browser } = env);
    // The catalogue, the guides, the demo citizen's certificates and sample cases are seeded in the background after
    // the server listens; the journey needs them: wait for the last step (the second sample case accepted).
    const db = servicesOf(server).database.db;
    await waitUntil(async () => (await db.selectFrom('svc_cases').select('status').where('client_token', '=', 'demo-seed-elder-1').executeTakeFirst())?.status === 'accepted', 'the demo services to be seeded');
    // The demo's A-HRSS services issue no certificate: the department head (A-HRSS) configures this one to issue a
    // 参保登记凭证, through the item API, so the approval below issues an electronic certificate.
    const login = await fetch(server.url + '/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ identifier: 'head', password: pw('head') }) });
    const token = ((await login.json()) as { token: string }).token;
    const item = (await (await fetch(`${server.url}/api/v1/services/items/${CODE}`)).json()) as { version: number };
    const patch = await fetch(`${server.url}/api/v1/services/items/${CODE}`, {
      method: 'PATCH', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ version: item.version, issuesCert: '灵活就业参保凭证' }),
    });
    expect(patch.status).toBe(200);
    citizenCtx = await browser.newContext(PHONE);
    clerkCtx = await browser.newContext(PHONE);
    // Bounds for a broken build: on a loaded machine a page can take longer than 15 s.
    citizenCtx.setDefaultTimeout(60_000);
    clerkCtx.setDefaultTimeout(60_000);
  }, 420_000);

  let caseUrl = '';
  let caseNo = '';

  it('the citizen finds the service in the catalogue, applies reusing certificates (免提交) and submits', async () => {
    const page = await citizenCtx.newPage();
    await login(page, server.url, DEMO_CITIZEN.mobile, DEMO_CITIZEN.password);
    await page.goto(server.url + '/services');
    await shot(page, '01-catalogue');
    await expectFitsPhone(page);
    // On a phone each service is a card: the name leads, the other cells carry their column's name.
    const firstRow = page.locator('table.catalogue tbody tr').first();
    expect(await firstRow.locator('td').nth(1).evaluate((td) => getComputedStyle(td, '::before').content)).toContain('实施部门');
    await page.getByLabel('事项名称').fill('灵活就业');
    await page.getByRole('button', { name: '查找' }).click();
    await page.waitForURL(/q=/);
    await shot(page, '02-catalogue-search');
    await page.getByRole('link', { name: '灵活就业人员参保登记' }).first().click();
    await page.waitForURL(new RegExp(`/services/item/${CODE}$`));
    const guide = await page.textContent('main');
    expect(guide).toContain('人力资源和社会保障');
    expect(guide).toContain('工作日');
    await shot(page, '03-guide');
    await expectFitsPhone(page);
    await page.getByRole('link', { name: '在线办理', exact: true }).click();
    await page.waitForURL(/\/apply$/);
    await shot(page, '04-apply-empty');
    await expectFitsPhone(page);
    // A radio button sits inside its label's finger-sized row, level with its text and set apart from it.
    const radio = (await page.getByLabel('城镇').boundingBox())!;
    const radioLabel = (await page.locator('label.choice', { hasText: '城镇' }).boundingBox())!;
    const radioText = await page.locator('label.choice', { hasText: '城镇' }).evaluate((label) => {
      const range = document.createRange();
      range.selectNodeContents([...label.childNodes].find((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim())!);
      const r = range.getClientRects()[0]!;
      return { x: r.left, y: r.top, height: r.height };
    });
    expect(radioLabel.height).toBeGreaterThanOrEqual(44);
    expect(radio.y).toBeGreaterThanOrEqual(radioLabel.y);
    expect(radio.y + radio.height).toBeLessThanOrEqual(radioLabel.y + radioLabel.height);
    expect(Math.abs(radio.y + radio.height / 2 - (radioText.y + radioText.height / 2))).toBeLessThanOrEqual(3);
    expect(radioText.x - (radio.x + radio.width)).toBeGreaterThanOrEqual(4);

    // A bad submission: the error summary lists what to fix and keeps what was typed.
    await page.getByLabel('联系电话（手机）').fill('abc');
    await page.getByRole('button', { name: '提交申请' }).click();
    const summary = page.getByRole('alert');
    await expect.poll(() => summary.textContent()).toBeTruthy();
    expect(await page.getByLabel('联系电话（手机）').inputValue()).toBe('abc');
    await shot(page, '05-apply-errors');
    await expectFitsPhone(page);

    await page.getByLabel('申请人姓名').fill('张三');
    await page.getByLabel('公民身份号码').fill(DEMO_CITIZEN.idNumber);
    await page.getByLabel('联系电话（手机）').fill(DEMO_CITIZEN.mobile);
    await page.getByLabel('城镇').check();
    await page.locator('#jobType').selectOption('partTime');
    await page.locator('#baseLevel').selectOption('100');
    await page.locator('#startMonth').fill('2026-02');
    await page.locator('#bankAccount').fill('6222020200001111222');
    await page.locator('#pledge').check();
    await page.getByRole('button', { name: '提交申请' }).click();
    await page.waitForURL(/\/services\/cases\/\d+/);
    caseUrl = page.url().replace(/[?#].*$/, '');
    const text = (await page.textContent('main'))!;
    expect(text).toContain('等待部门受理');
    expect(text).toContain('免提交');
    expect(text).toMatch(/部门应于 \d{4}-\d{2}-\d{2} 前决定是否受理/);
    caseNo = /办件编号\s*([A-Z0-9-]+)/.exec(text)?.[1] ?? '';
    expect(caseNo).not.toBe('');
    await shot(page, '06-submitted');
    await expectFitsPhone(page);

    await page.getByRole('link', { name: '← 我的办件' }).click(); // the case page leads back to the list
    await page.waitForURL(/\/services\/my$/);
    const mine = (await page.textContent('main'))!;
    expect(mine).toContain('灵活就业人员参保登记');
    expect(mine).toContain('等待部门受理');
    expect(mine).toMatch(/受理截止 \d{4}-\d{2}-\d{2}/); // a submitted case must be accepted within 5 working days
    await shot(page, '07-my-cases');
    await expectFitsPhone(page);

    // An empty application of another service: the error summary lists the fields in the order of the form.
    await page.goto(server.url + '/services/item/A-512B0011200070/apply'); // 居住证申领
    await page.getByRole('button', { name: '提交申请' }).click();
    await expect.poll(() => page.getByRole('alert').locator('a').count()).toBeGreaterThan(3);
    const positions = await page.getByRole('alert').locator('a').evaluateAll((links) => {
      const all = [...document.querySelectorAll('main [id]')];
      return links.map((a) => all.indexOf(document.getElementById(a.getAttribute('href')!.slice(1))!));
    });
    expect(positions.every((x) => x >= 0)).toBe(true);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  });

  it('the clerk sees the case in the queue and requests 补正; the citizen uploads and resubmits', async () => {
    const clerk = await clerkCtx.newPage();
    await login(clerk, server.url, 'clerk', pw('clerk'));
    await clerk.goto(server.url + '/services/queue');
    await shot(clerk, '08-queue');
    // On a phone each queued case is a card whose service name is readable, not one character per line.
    const row = clerk.locator('tr', { has: clerk.locator(`a[href="${new URL(caseUrl).pathname}"]`) });
    expect(await row.textContent()).toContain('受理截止');
    expect((await row.getByText('灵活就业人员参保登记').boundingBox())!.width).toBeGreaterThan(150);
    await expectFitsPhone(clerk);
    await clerk.locator(`a[href="${new URL(caseUrl).pathname}"]`).first().click();
    await clerk.waitForURL(caseUrl);
    await shot(clerk, '09-clerk-case');
    await expectFitsPhone(clerk);
    await clerk.getByLabel('一次性告知补正：意见').fill('请补充银行卡开户证明。');
    await clerk.getByRole('button', { name: '一次性告知补正' }).click();
    await expect.poll(async () => clerk.textContent('main')).toContain('待补正');

    const page = await citizenCtx.newPage();
    await page.goto(caseUrl);
    const text = (await page.textContent('main'))!;
    expect(text).toContain('请补充银行卡开户证明。');
    expect(text).toContain('补正告知');
    await shot(page, '10-correction');
    await expectFitsPhone(page);
    await page.getByLabel('材料', { exact: true }).selectOption({ index: 0 });
    await page.setInputFiles('#file', { name: 'bank.pdf', mimeType: 'application/pdf', buffer: PDF });
    await page.getByRole('button', { name: '上传' }).click();
    await expect.poll(async () => page.textContent('main')).toContain('bank.pdf');
    await page.getByRole('button', { name: '补正后重新提交' }).click();
    await expect.poll(async () => page.textContent('main')).toContain('等待部门受理');
    await shot(page, '11-resubmitted');
    await page.close();
    await clerk.close();
  });

  it('the clerk accepts (the receipt shows the deadlines), reviews and approves, which issues a certificate', async () => {
    const clerk = await clerkCtx.newPage();
    await clerk.goto(caseUrl);
    await clerk.getByRole('button', { name: '受理', exact: true }).click();
    await expect.poll(async () => clerk.textContent('main')).toContain('已受理');
    const text = (await clerk.textContent('main'))!;
    expect(text).toContain('受理日期');
    expect(text).toMatch(/承诺期限：\d{4}-\d{2}-\d{2}/);
    expect(text).toMatch(/法定期限：\d{4}-\d{2}-\d{2}/);
    await shot(clerk, '12-accepted');

    await clerk.getByRole('link', { name: /受理回执/ }).first().click();
    const receipt = (await clerk.textContent('body'))!;
    expect(receipt).toContain(caseNo);
    expect(receipt).toContain('灵活就业人员参保登记');
    expect(await clerk.locator('img[alt]').count()).toBeGreaterThan(0);
    await shot(clerk, '13-receipt');
    await expectFitsPhone(clerk);

    await clerk.goto(caseUrl);
    await clerk.getByRole('button', { name: '开始审查' }).click();
    await expect.poll(async () => clerk.textContent('main')).toContain('审查中');
    await clerk.getByRole('button', { name: '准予', exact: true }).click();
    await expect.poll(async () => clerk.textContent('main')).toContain('准予');
    await clerk.getByRole('button', { name: '办结' }).click();
    await expect.poll(async () => clerk.textContent('main')).toContain('已办结');
    const done = (await clerk.textContent('main'))!;
    expect(done).toMatch(/承诺期限：\d{4}-\d{2}-\d{2}/);
    expect(done).not.toContain('剩余'); // a decided case shows its deadlines, not days left
    await shot(clerk, '14-completed');
    await clerk.close();
  });

  it('the citizen sees the certificate in the wallet and it verifies on the public page; a forged one does not', async () => {
    const page = await citizenCtx.newPage();
    await page.goto(server.url + '/services/wallet');
    const wallet = (await page.textContent('main'))!;
    expect(wallet).toContain('灵活就业参保凭证');
    await shot(page, '15-wallet');
    await expectFitsPhone(page);
    const href = await page.locator('a[href^="/services/verify?code="]').first().getAttribute('href');
    expect(href).toBeTruthy();

    // The verification page is public: a fresh context with no sign-in opens the link from the QR code.
    const anon = await browser.newContext(PHONE);
    const v = await anon.newPage();
    await v.goto(server.url + href!);
    const ok = (await v.textContent('main'))!;
    expect(ok).toContain('灵活就业参保凭证');
    expect(ok).toMatch(/有效/);
    expect(ok).not.toContain(DEMO_CITIZEN.idNumber);
    await shot(v, '16-verify-ok');
    await expectFitsPhone(v);
    const code = decodeURIComponent(href!.split('code=')[1]!);
    await v.goto(server.url + '/services/verify');
    await v.getByLabel('证照码（二维码内容）').fill(code.slice(0, -3) + 'AAA');
    await v.getByRole('button', { name: '核验' }).click();
    const bad = (await v.textContent('main'))!;
    expect(bad).toContain('校验失败');
    await shot(v, '17-verify-forged');
    await anon.close();
    await page.close();
  });

  it('the citizen rates the service (好差评), fixing a missing level first', async () => {
    const page = await citizenCtx.newPage();
    await page.goto(caseUrl);
    expect(await page.textContent('main')).toContain('已办结');
    await page.getByRole('button', { name: '提交评价' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toBeTruthy();
    await shot(page, '18-rating-error');
    await page.getByLabel('非常满意').check();
    await page.locator('#comment').fill('全程网上办，没跑腿。');
    await page.getByRole('button', { name: '提交评价' }).click();
    await expect.poll(async () => page.textContent('main')).toContain('您的评价');
    expect(await page.textContent('main')).toContain('全程网上办，没跑腿。');
    await shot(page, '19-rated');
    await page.goto(server.url + '/services/my');
    expect(await page.textContent('main')).toContain('已办结');
    await page.close();
  });
});
