import { sql } from 'kysely';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/modules/demo/demo.seed.ts';
import { ANONYMOUS, SYSTEM } from '../../src/modules/identity/permissions.ts';
import { LEVELS } from '../../src/modules/opinion/opinion.types.ts';
import type { Running } from '../../src/server.ts';
import { hasChromium, launchBrowser } from '../helpers/browser.ts';
import { expectFitsPhone, login, PHONE, screenshots, servicesOf, showServerLogOnFailure, startTestServer } from '../helpers/e2e.ts';
import { burstItems } from '../helpers/opinion.ts';

const shot = screenshots('leader');

// Not the demo city (its 4,326 opinion items take minutes to cluster): the demo accounts plus a little data of each kind.
describe.skipIf(!hasChromium)('the leaders\' overview on a phone in Chromium', () => {
  let server: Running;
  let browser: Browser;
  showServerLogOnFailure();
  beforeAll(async () => {
    server = await startTestServer();
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

  it('the per-department table is readable on a 390- and a 320-wide phone: every figure with its heading, nothing scrolled away', async () => {
    const s = servicesOf(server);
    // Tickets held by departments with long names (as after a dispatch), one of them late and one answered.
    await sql`update message_tickets set status = 'dispatched', department_id = (select id from departments where code = 'A-HRSS') where title in ('测试诉求0', '测试诉求1')`.execute(s.database.db);
    await sql`update message_tickets set status = 'dispatched', deadline = '2020-01-02', department_id = (select id from departments where code = 'A-HOUSING') where title = '测试诉求2'`.execute(s.database.db);
    await sql`update message_tickets set status = 'replied', replied_at = now(), department_id = (select id from departments where code = 'A-HOUSING') where title = '测试诉求3'`.execute(s.database.db);
    for (const width of [390, 320]) {
      const ctx = await browser.newContext({ ...PHONE, viewport: { width, height: 844 } });
      const page = await login(ctx, server.url, 'leader', 'Leader-demo-2026');
      await page.goto(server.url + '/leader');
      const table = page.getByRole('table', { name: /各部门诉求办理/ });
      const rows = table.locator('tbody tr');
      expect(await rows.count()).toBeGreaterThanOrEqual(2);
      // No sideways scrolling inside the table's wrapper: each cell is within the screen.
      const wrap = await table.evaluate((t) => ({ scroll: t.parentElement!.scrollWidth, client: t.parentElement!.clientWidth }));
      expect(wrap.scroll, `${width}`).toBeLessThanOrEqual(wrap.client);
      for (const cell of await table.locator('tbody th, tbody td').all()) {
        const box = (await cell.boundingBox())!;
        expect(box.x + box.width, `${width}: ${await cell.textContent()}`).toBeLessThanOrEqual(width);
      }
      // Each figure is named where it is shown (the column headings are off-screen when the rows are cards).
      const housing = rows.filter({ hasText: 'A市住房和城乡建设局' });
      expect(await housing.locator('td').evaluateAll((tds) => tds.map((td) => getComputedStyle(td, '::before').content))).toEqual(['"办理中："', '"超期："', '"按期答复率："']);
      await expectFitsPhone(page);
      await shot(page, `03-departments-${width}`);
      await ctx.close();
    }
  });
});
