import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { opinionRepository } from '../../src/modules/opinion/opinion.repository.ts';
import { DEMO_FILE } from '../../src/modules/opinion/opinion.seed.ts';
import { parseJsonl } from '../../src/modules/opinion/opinion.pure.ts';
import { SYSTEM } from '../../src/modules/identity/permissions.ts';
import type { Running } from '../../src/server.ts';
import { hasChromium } from '../helpers/browser.ts';
import { demoInBrowser, expectFitsPhone, login, PHONE, screenshots, servicesOf, waitUntil } from '../helpers/e2e.ts';

const shot = screenshots('opinion');
const DESKTOP = { viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 } as const;
const HRSS = 'A市人力资源和社会保障局'; // the demo clerk's department
const CHARTS = ['chart-issues', 'chart-volume', 'chart-districts', 'chart-sources'];

const mainText = async (page: Page) => (await page.locator('main').textContent()) ?? '';

/** The warning's timeline, one entry per step, as text; every entry in Chinese (no internal step or field names). */
async function timeline(page: Page): Promise<string[]> {
  const h = page.getByRole('heading', { name: '时间线' });
  await h.waitFor();
  const steps = await page.locator('h2:has-text("时间线") + ol > li').allTextContents();
  for (const s of steps) expect(s).not.toMatch(/\b(raise|assess|respond|task|task_done|close|taskId|departmentId|staff:\d+)\b/);
  return steps;
}

describe.skipIf(!hasChromium)('public-opinion dashboard and the warning loop in Chromium', () => {
  let server: Running;
  let browser: Browser;
  const env = demoInBrowser(); // the demo server and Chromium, started before the set-up below and stopped after the tests
  beforeAll(async () => {
    ({ server, browser } = env);
    // The 4,326 demo messages are ingested and clustered in the background after the server listens: wait until
    // every one is stored and the stored clustering covers the newest, so issue ids no longer move.
    const services = servicesOf(server);
    const rows = parseJsonl(gunzipSync(readFileSync(DEMO_FILE)).toString('utf8')).items.length;
    const db = services.database.db;
    await waitUntil(async () => {
      if ((await services.opinion.counts()).items < rows) return false;
      const last = await db.selectFrom('opinion_items').select((eb) => eb.fn.max('id').as('id')).where('duplicate_of', 'is', null).executeTakeFirst();
      const state = await opinionRepository.clusterState(db);
      return !!state && Number(state.watermark) === Number(last?.id);
    }, 'the demo opinion items to be ingested and clustered');
    // The demo data raises warnings of its own (urgency rules, bursts); should tuning of the detectors ever leave
    // none open, the analyst raises one by hand (as the API allows), so the loop below is still walked.
    const open = await services.opinion.warnings(SYSTEM, { statuses: ['open'] });
    if (!open.ok || open.value.length === 0) {
      const session = await services.identity.login('analyst', 'Analyst-demo-2026');
      if (!session.ok) throw new Error('demo analyst cannot sign in');
      const who = await services.identity.resolveSession(session.value.token);
      const raised = await services.opinion.raise(who!.principal, { level: 'blue', title: 'A5区公园开放时间调整引发讨论', reason: '人工发现' });
      if (!raised.ok) throw new Error(raised.error.messageEn);
    }
  }, 420_000); // the demo content is seeded in the background: minutes on a loaded machine

  it('an analyst sees the charts and the same figures as tables, also without JavaScript', async () => {
    const ctx = await browser.newContext(DESKTOP);
    const page = await login(ctx, server.url, 'analyst', 'Analyst-demo-2026');
    await page.getByRole('link', { name: '舆情看板、热点问题与预警' }).click();
    await page.waitForURL((u) => u.pathname === '/opinion');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('舆情监测');
    // ECharts draws each chart as SVG once its script has run; the figures stay in the tables.
    for (const id of CHARTS) {
      await page.locator(`#${id} svg`).first().waitFor({ state: 'visible' });
      expect(await page.locator(`#${id}`).getAttribute('role')).toBe('img');
    }
    expect(await page.locator('#chart-volume svg path').count()).toBeGreaterThan(0);
    const issueRows = page.getByRole('table', { name: '热点问题' }).locator('tbody tr');
    expect(await issueRows.count()).toBeGreaterThan(0);
    expect(await page.getByRole('table', { name: '预警' }).locator('tbody tr').count()).toBeGreaterThan(0);
    expect(await page.getByRole('table', { name: '按区县' }).locator('tbody tr').count()).toBeGreaterThan(0);
    expect(await page.getByRole('table', { name: '按来源' }).locator('tbody tr').count()).toBeGreaterThan(0);
    await shot(page, '01-dashboard-desktop');
    await ctx.close();

    // Without JavaScript: no charts (their boxes stay hidden), the same figures as tables.
    const noJs = await browser.newContext({ ...PHONE, javaScriptEnabled: false });
    const plain = await login(noJs, server.url, 'analyst', 'Analyst-demo-2026');
    await plain.goto(server.url + '/opinion');
    for (const id of CHARTS) {
      expect(await plain.locator(`#${id}`).isVisible()).toBe(false);
      expect(await plain.locator(`#${id} svg`).count()).toBe(0);
    }
    expect(await plain.getByRole('table', { name: '热点问题' }).locator('tbody tr').count()).toBeGreaterThan(0);
    expect(await plain.getByRole('table', { name: '预警' }).locator('tbody tr').count()).toBeGreaterThan(0);
    expect(await plain.getByRole('table', { name: '按区县' }).locator('tbody tr').count()).toBeGreaterThan(0);
    await plain.getByText('按日数据').click(); // <details> opens without script
    expect(await plain.locator('details table tbody tr').first().isVisible()).toBe(true);
    await expectFitsPhone(plain);
    await shot(plain, '02-dashboard-no-js-phone');
    await noJs.close();
  }, 120_000);

  it('on a phone an analyst opens a hot issue and walks a warning through 研判 → 回应 → 处理 → 办结', async () => {
    const ctx = await browser.newContext(PHONE);
    const analyst = await login(ctx, server.url, 'analyst', 'Analyst-demo-2026');
    await analyst.goto(server.url + '/opinion');
    for (const id of CHARTS) await analyst.locator(`#${id} svg`).first().waitFor({ state: 'visible' });
    await expectFitsPhone(analyst);
    // Tables become one card per row on a phone: the issue's title gets the card's width, not a sliver of it.
    const titleCell = analyst.getByRole('table', { name: '热点问题' }).locator('tbody tr').first().locator('td').filter({ has: analyst.getByRole('link') });
    expect((await titleCell.boundingBox())!.width).toBeGreaterThan(PHONE.viewport.width * 0.7);
    await shot(analyst, '03-dashboard-phone');

    // A hot issue: its facts and its messages.
    const issueLink = analyst.getByRole('table', { name: '热点问题' }).locator('tbody tr').first().getByRole('link');
    const issueTitle = ((await issueLink.textContent()) ?? '').trim();
    await issueLink.click();
    await analyst.waitForURL(/\/opinion\/issues\/\d+$/);
    expect(await analyst.getByRole('heading', { level: 1 }).textContent()).toBe(issueTitle);
    const facts = (await analyst.locator('dl.summary').textContent()) ?? '';
    for (const label of ['地点', '时间', '条数(人数)', '负面占比', '热度']) expect(facts).toContain(label);
    expect(await analyst.locator('main ul > li').count()).toBeGreaterThanOrEqual(2);
    await expectFitsPhone(analyst);
    await shot(analyst, '04-issue-phone');

    // A warning raised by the burst detector, still to be assessed.
    await analyst.getByRole('link', { name: '返回舆情看板' }).click();
    await analyst.waitForURL((u) => u.pathname === '/opinion');
    const row = analyst.getByRole('table', { name: '预警' }).locator('tbody tr').filter({ hasText: '待研判' }).first();
    const warningLink = row.getByRole('link');
    const warningTitle = ((await warningLink.textContent()) ?? '').trim();
    await warningLink.click();
    await analyst.waitForURL(/\/opinion\/warnings\/\d+$/);
    const warningUrl = analyst.url();
    expect(await analyst.getByRole('heading', { level: 1 }).textContent()).toContain(warningTitle);
    expect(await mainText(analyst)).toContain('待研判');
    const raised = await timeline(analyst);
    expect(raised.length).toBe(1);
    expect(raised[0]).toContain('发出预警');
    // Only the step the warning is ready for is offered: assess first.
    expect(await analyst.getByRole('button', { name: '记录回应' }).count()).toBe(0);
    expect(await analyst.getByRole('button', { name: '交办' }).count()).toBe(0);
    await expectFitsPhone(analyst);
    await shot(analyst, '05-warning-open-phone');

    // 研判
    await analyst.getByLabel('等级').selectOption({ label: '黄色' });
    await analyst.getByLabel('基本事实').fill('多名居民反映同一问题，集中在近一周。');
    await analyst.getByLabel('风险研判').fill('若不及时回应，可能引发聚集投诉。');
    await analyst.getByLabel('处置建议').fill('由属地部门核实，官方账号先行回应。');
    await analyst.getByRole('button', { name: '保存研判' }).click();
    await analyst.waitForURL(warningUrl);
    await expect.poll(() => mainText(analyst)).toContain('已研判'); // the form posts back to this same URL: wait for the new page's status
    let steps = await timeline(analyst);
    expect(steps.length).toBe(2);
    expect(steps[1]).toContain('研判');
    expect(steps[1]).toContain('等级：黄色');
    expect(steps[1]).toContain('基本事实：多名居民反映同一问题');

    // 回应
    await analyst.getByLabel('回应内容（公开发布或答复）').fill('我们已关注到相关情况，正在组织核实处理，结果将及时公布。');
    await analyst.getByRole('button', { name: '记录回应' }).click();
    await analyst.waitForURL(warningUrl);
    await expect.poll(() => mainText(analyst)).toContain('已回应'); // the form posts back to this same URL: wait for the new page's status
    steps = await timeline(analyst);
    expect(steps.length).toBe(3);
    expect(steps[2]).toContain('回应内容：我们已关注到相关情况');
    expect(await analyst.getByRole('button', { name: '保存研判' }).count()).toBe(0); // assessed once the response is out

    // 处理: a time limit out of range is refused with an error summary, the form keeps what was typed.
    await analyst.getByLabel('承办部门').selectOption({ label: HRSS });
    await analyst.getByLabel('任务内容').fill('核实情况并书面反馈处理结果。');
    await analyst.getByLabel('办理时限（工作日）').fill('0');
    await analyst.getByRole('button', { name: '交办' }).click();
    const summary = analyst.getByRole('alert');
    await expect.poll(() => summary.textContent()).toContain('办理时限为 1–60 个工作日');
    expect(await analyst.getByLabel('任务内容').inputValue()).toBe('核实情况并书面反馈处理结果。');
    await expectFitsPhone(analyst);
    await shot(analyst, '06-task-error-phone');
    await analyst.getByLabel('承办部门').selectOption({ label: HRSS });
    await analyst.getByLabel('办理时限（工作日）').fill('3');
    await analyst.getByRole('button', { name: '交办' }).click();
    await analyst.waitForURL(warningUrl);
    await expect.poll(() => mainText(analyst)).toContain('处理中'); // the form posts back to this same URL: wait for the new page's status
    const task = analyst.locator('h2:has-text("处置任务") + ul > li').first();
    const taskText = (await task.textContent()) ?? '';
    expect(taskText).toContain(HRSS);
    expect(taskText).toContain('办理中');
    const deadline = /期限 (\d{4}-\d{2}-\d{2})/.exec(taskText)?.[1];
    expect(deadline).toBeDefined();
    steps = await timeline(analyst);
    expect(steps.length).toBe(4);
    expect(steps[3]).toContain(`承办部门：${HRSS}`);
    expect(steps[3]).toContain(`办理期限：${deadline!}`);
    // It cannot be closed while the task is open: the page says so instead of offering a form that would fail.
    expect(await analyst.getByRole('button', { name: '办结' }).count()).toBe(0);
    expect(await mainText(analyst)).toContain('处置任务全部完成后才能办结');
    await expectFitsPhone(analyst);
    await shot(analyst, '07-handling-phone');

    // The department reports its task done from its workbench.
    const clerkCtx = await browser.newContext(PHONE);
    const clerk = await login(clerkCtx, server.url, 'clerk', 'Clerk-demo-2026');
    await clerk.goto(server.url + '/workbench');
    await clerk.getByRole('link', { name: /舆情处置任务：核实情况并书面反馈处理结果/ }).first().click();
    await clerk.waitForURL(warningUrl);
    expect(await clerk.getByRole('button', { name: '保存研判' }).count()).toBe(0); // departments do not assess
    await clerk.getByLabel('办理结果').fill('已现场核实，问题已整改，并电话回访反映人。');
    await clerk.getByRole('button', { name: '报告完成' }).click();
    await clerk.waitForURL((u) => u.pathname === '/workbench');
    await expectFitsPhone(clerk);
    await clerkCtx.close();

    // 办结 with a review.
    await analyst.reload();
    expect(await analyst.locator('h2:has-text("处置任务") + ul > li').first().textContent()).toContain('已完成');
    steps = await timeline(analyst);
    expect(steps.length).toBe(5);
    expect(steps[4]).toContain('办理结果：已现场核实');
    await analyst.getByLabel('复盘总结').fill('回应及时，问题已整改；建议纳入属地日常巡查。');
    await analyst.getByRole('button', { name: '办结' }).click();
    await analyst.waitForURL(warningUrl);
    await expect.poll(() => mainText(analyst)).toContain('已办结'); // the form posts back to this same URL: wait for the new page's status
    steps = await timeline(analyst);
    expect(steps.length).toBe(6);
    expect(steps[5]).toContain('复盘总结：回应及时');
    expect(await analyst.getByRole('button', { name: '保存研判' }).count()).toBe(0); // a closed warning has no forms
    await expectFitsPhone(analyst);
    await shot(analyst, '08-closed-phone');
    await ctx.close();
  }, 180_000);
});
