import { describe, expect, it } from 'vitest';
import { hasChromium } from '../helpers/browser.ts';
import { demoInBrowser, expectFitsPhone, login, PHONE, screenshots } from '../helpers/e2e.ts';

const shot = screenshots('messages');
const HRSS = 'A市人力资源和社会保障局';
// `node bin/yiwang.js classify` puts this wording in 劳动和社会保障 with confidence ≈ 1.0 (→ A-HRSS, the demo clerk's).
const PENSION_TITLE = '养老保险缴费年限咨询';
const PENSION_TEXT = '我在本市企业工作，想问一下养老保险最低缴费年限是多少年，退休后养老金怎么计算，社保断缴了可以补缴吗？';
// ...and this one gets confidence ≈ 0.2: the manual dispatch queue.
const VAGUE_TITLE = '请问这个怎么办';
const VAGUE_TEXT = '你好，我想问一下这件事情应该找哪里办理，谢谢。';

describe.skipIf(!hasChromium)('citizen message journey in Chromium (phone-sized screen)', () => {
  const env = demoInBrowser();

  it('citizen asks, the clerk replies with quality hints, the citizen sees the answer and rates it', async () => {
    // The citizen, signed in on a phone, leaves a message; an empty form first shows errors they can fix.
    const citizenCtx = await env.browser.newContext(PHONE);
    const citizen = await login(citizenCtx, env.server.url, '13800138000', 'Citizen-demo-2026');
    await citizen.goto(env.server.url + '/messages/new');
    expect(await citizen.getByRole('heading', { level: 1 }).textContent()).toBe('我要留言');
    await expectFitsPhone(citizen);
    await shot(citizen, '01-new-phone');
    await citizen.getByRole('button', { name: '提交留言' }).click();
    const summary = citizen.getByRole('alert');
    await expect.poll(() => summary.textContent()).toContain('标题');
    expect(await citizen.getByLabel('标题').getAttribute('aria-invalid')).toBe('true');
    await expectFitsPhone(citizen);
    await shot(citizen, '02-new-errors-phone');

    await citizen.getByLabel('留言类型').selectOption('咨询');
    await citizen.getByLabel('标题').fill(PENSION_TITLE);
    await citizen.getByLabel('留言内容').fill(PENSION_TEXT);
    await citizen.getByLabel('所在区县').selectOption('A3区'); // the demo city's 区县, a list
    await citizen.getByLabel('联系人').fill('张先生');
    await citizen.getByLabel('联系电话').fill('13900001111');
    await citizen.getByRole('button', { name: '提交留言' }).click();
    await citizen.waitForURL(/\/messages\/track\//);
    let main = (await citizen.textContent('main')) ?? '';
    expect(main).toContain('留言已提交');
    expect(main).toContain('已派发至承办部门');
    expect(main).toContain(HRSS);
    const token = (await citizen.locator('dl.summary code').textContent())?.trim() ?? '';
    expect(token.length).toBeGreaterThan(5);
    await expectFitsPhone(citizen);
    await shot(citizen, '03-track-new-phone');

    // 我的留言: the message with its department and the deadline shown on the tracking page.
    const deadline = (await citizen.locator('dl.summary .tag').textContent())?.trim() ?? '';
    expect(deadline).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await citizen.goto(env.server.url + '/messages/mine');
    const row = citizen.getByRole('row').filter({ hasText: PENSION_TITLE });
    const rowText = (await row.textContent()) ?? '';
    expect(rowText).toContain(HRSS);
    expect(rowText).toContain(deadline);
    expect(rowText).toContain('已派发至承办部门');
    await expectFitsPhone(citizen);
    await shot(citizen, '04-mine-phone');

    // The clerk finds it on the workbench and opens the ticket.
    const clerkCtx = await env.browser.newContext(PHONE);
    const clerk = await login(clerkCtx, env.server.url, 'clerk', 'Clerk-demo-2026');
    expect(clerk.url()).toContain('/workbench');
    await shot(clerk, '05-workbench-phone');
    await clerk.getByRole('link', { name: new RegExp(PENSION_TITLE) }).first().click();
    await clerk.waitForURL(/\/staff\/messages\/\d+/);
    main = (await clerk.textContent('main')) ?? '';
    expect(main).toContain(PENSION_TEXT);
    expect(main).toContain('劳动和社会保障');
    expect(main).toContain('13900001111'); // the holding department sees the contact in full (it calls back)
    expect(main).not.toMatch(/\bweb\b/); // the channel in Chinese
    await expectFitsPhone(clerk);
    await shot(clerk, '06-ticket-clerk-phone');
    await clerk.getByRole('button', { name: '签收' }).click();
    await expect.poll(async () => clerk.textContent('main')).toContain('办理中');

    // A curt draft gets hints (advisory); a complete, polite one with its basis is sent.
    await clerk.getByLabel('答复意见').fill('可以补缴。');
    await clerk.getByRole('button', { name: '检查答复质量' }).click();
    const hints = clerk.locator('.hints');
    await expect.poll(() => hints.textContent()).toContain('答复质量提示');
    expect(await hints.locator('li.warn').count()).toBeGreaterThan(0);
    expect(await clerk.getByLabel('答复意见').inputValue()).toBe('可以补缴。'); // the draft is kept
    await expectFitsPhone(clerk);
    await shot(clerk, '07-hints-phone');
    const answer = '张先生您好！感谢您对我市社会保障工作的关注。根据《社会保险法》第十六条规定，参加基本养老保险的个人，' +
      '达到法定退休年龄时累计缴费满十五年的，按月领取基本养老金。养老金由基础养老金和个人账户养老金组成。' +
      '社保断缴后可持身份证到A市社会保险服务中心或通过网上办事大厅申请补缴。如有疑问，请拨打12333咨询。感谢您的来信！';
    await clerk.getByLabel('答复意见').fill(answer);
    await clerk.getByRole('button', { name: '检查答复质量' }).click();
    await expect.poll(() => clerk.locator('.hints li.ok').count()).toBeGreaterThan(0);
    await clerk.getByRole('button', { name: '提交答复' }).click();
    await expect.poll(async () => clerk.textContent('main')).toContain('已答复');
    await shot(clerk, '08-replied-clerk-phone');

    // The citizen sees the answer and rates it.
    await citizen.goto(env.server.url + `/messages/track/${token}`);
    const reply = citizen.getByRole('region', { name: '答复意见' });
    expect(await reply.textContent()).toContain('十五年');
    expect((await citizen.textContent('main')) ?? '').toContain('已答复');
    await expectFitsPhone(citizen);
    await shot(citizen, '09-answer-phone');
    expect(await citizen.getByRole('link', { name: '← 我的留言' }).count()).toBe(1); // the way back to the list
    // No level is chosen in advance: sending without one says what to do, and nothing is recorded.
    expect(await citizen.getByRole('radio', { checked: true }).count()).toBe(0);
    await citizen.getByRole('button', { name: '提交评价' }).click();
    await expect.poll(() => citizen.getByRole('alert').textContent()).toContain('请选择满意度');
    expect(await citizen.getByRole('group', { name: '满意度' }).count()).toBe(1);
    await citizen.getByLabel('5 非常满意').check();
    await citizen.getByRole('button', { name: '提交评价' }).click();
    await citizen.waitForURL(new RegExp(`/messages/track/${token}\\?rated=1$`));
    expect(await citizen.locator('ol.timeline').textContent()).toContain('评价');
    main = (await citizen.textContent('main')) ?? '';
    expect(main).toContain('感谢您的评价');
    expect(main).toContain('5 非常满意'); // the rating given, in place of the form
    expect(await citizen.getByRole('button', { name: '提交评价' }).count()).toBe(0);
    await shot(citizen, '10-rated-phone');
    await citizenCtx.close();
    await clerkCtx.close();
  }, 120_000);

  it('an anonymous visitor leaves a vague message; a supervisor dispatches it from the manual queue', async () => {
    const visitorCtx = await env.browser.newContext(PHONE);
    const visitor = await visitorCtx.newPage();
    await visitor.goto(env.server.url + '/messages/new');
    expect(await visitor.getByLabel('匿名留言（工作人员看不到您的身份，将无法回访）').count()).toBe(0); // only for signed-in citizens
    await visitor.getByLabel('留言类型').selectOption('求助');
    await visitor.getByLabel('标题').fill(VAGUE_TITLE);
    await visitor.getByLabel('留言内容').fill(VAGUE_TEXT);
    await visitor.getByRole('button', { name: '提交留言' }).click();
    await visitor.waitForURL(/\/messages\/track\//);
    const token = (await visitor.locator('dl.summary code').textContent())?.trim() ?? '';
    const main = (await visitor.textContent('main')) ?? '';
    expect(main).toContain('已受理，待分派');
    expect(main).not.toContain('提交评价'); // no rating form for someone who is not the author's account
    await expectFitsPhone(visitor);
    await shot(visitor, '11-anonymous-track-phone');

    // The supervisor finds it in the manual queue and sends it to 人社局.
    const supCtx = await env.browser.newContext(PHONE);
    const sup = await login(supCtx, env.server.url, 'supervisor', 'Supervisor-demo-2026');
    await sup.goto(env.server.url + '/staff/messages?view=queue');
    await expectFitsPhone(sup);
    await shot(sup, '12-queue-phone');
    await sup.getByRole('link', { name: VAGUE_TITLE }).first().click();
    await sup.waitForURL(/\/staff\/messages\/\d+/);
    expect((await sup.textContent('main')) ?? '').toContain('人工分派队列');
    await sup.getByLabel('承办部门').selectOption({ label: HRSS });
    await sup.getByLabel('分类').selectOption('劳动和社会保障');
    await expectFitsPhone(sup);
    await shot(sup, '13-dispatch-phone');
    await sup.getByRole('button', { name: '派发' }).click();
    await expect.poll(async () => sup.textContent('main')).toContain('已派发至承办部门');
    expect(await sup.locator('dl.summary').textContent()).toContain(HRSS);
    await shot(sup, '14-dispatched-phone');

    // The visitor, with only the tracking code, sees where it went.
    await visitor.goto(env.server.url + '/messages/track');
    await visitor.getByRole('button', { name: '查询' }).click(); // sent empty: our message says what to enter
    await expect.poll(() => visitor.getByRole('alert').textContent()).toContain('请填写查询码');
    expect(await visitor.getByLabel('查询码').getAttribute('aria-invalid')).toBe('true');
    await visitor.getByLabel('查询码').fill(token);
    await visitor.getByRole('button', { name: '查询' }).click();
    await visitor.waitForURL(new RegExp(`/messages/track/${token}$`));
    expect((await visitor.textContent('main')) ?? '').toContain(HRSS);
    await shot(visitor, '15-anonymous-dispatched-phone');
    await visitorCtx.close();
    await supCtx.close();
  }, 120_000);
});
