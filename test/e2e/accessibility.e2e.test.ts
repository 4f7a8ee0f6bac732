import { createRequire } from 'node:module';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CITIZEN, seedDemo } from '../../src/modules/demo/demo.seed.ts';
import { seedDisclosureDemo } from '../../src/modules/disclosure/disclosure.seed.ts';
import { ANONYMOUS, SYSTEM } from '../../src/modules/identity/permissions.ts';
import { seedKnowledgeDemo } from '../../src/modules/knowledge/knowledge.seed.ts';
import type { Running } from '../../src/server.ts';
import { SESSION_COOKIE } from '../../src/web/context.ts';
import { hasChromium, launchBrowser } from '../helpers/browser.ts';
import type { TestApp } from '../helpers/db.ts';
import { PHONE, screenshots, servicesOf, showServerLogOnFailure, startTestServer } from '../helpers/e2e.ts';
import { burstItems } from '../helpers/opinion.ts';
import { openSession, type SessionUser } from '../helpers/sessions.ts';

const shot = screenshots('a11y');
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js'); // injected from node_modules, no download
const DESKTOP = { viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 } as const;
const SERVICE = 'A-512B0369200000'; // 灵活就业人员参保登记, A-HRSS (the demo clerk's department)

interface Violation { id: string; impact: string | null; help: string; nodes: { target: unknown[]; failureSummary?: string }[] }

/** Runs axe-core (WCAG 2.0/2.1 A and AA rules and the best practices) on the page; returns its violations. */
async function axe(page: Page): Promise<Violation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const w = window as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: Violation[] }> } };
    const r = await w.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] }, resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target, ...(n.failureSummary ? { failureSummary: n.failureSummary } : {}) })) }));
  });
}

/** One line per offending element: page, rule, impact, what it checks, and the element's selector. */
function readable(page: string, violations: readonly Violation[]): string[] {
  return violations.flatMap((v) => v.nodes.map((n) => `${page}: ${v.id} (${v.impact ?? '?'}) ${v.help} — ${n.target.map(String).join(' > ')}${n.failureSummary ? ` — ${n.failureSummary.replace(/\s+/g, ' ')}` : ''}`));
}

describe.skipIf(!hasChromium)('accessibility (WCAG 2.1 AA) of the public and staff pages, checked by axe-core in Chromium', () => {
  let server: Running;
  let browser: Browser;
  const pages: Record<string, string> = {};
  const sessions = new Map<string, BrowserContext>();
  showServerLogOnFailure();

  beforeAll(async () => {
    // Not the demo city (its thousands of opinion items take minutes to cluster): the demo accounts, the service
    // catalogue with its guides, the knowledge base, the disclosure catalogue, one message and a little opinion data.
    server = await startTestServer();
    const s = servicesOf(server);
    await seedDemo(s);
    await s.onestop.seed();
    await seedKnowledgeDemo(s);
    await seedDisclosureDemo(s);
    await s.opinion.ingest('burst', burstItems());
    await s.opinion.cluster();
    const raised = await s.opinion.raise(SYSTEM, { level: 'orange', title: 'A3区米兰春天小区垃圾站臭味扰民', reason: '测试' });
    if (!raised.ok) throw new Error(raised.error.code);
    const msg = await s.messages.submit(ANONYMOUS, { type: '咨询', title: '养老保险缴费年限咨询', content: '想问一下养老保险最低缴费年限是多少年？' }, { channel: 'web', category: '劳动和社会保障' });
    if (!msg.ok) throw new Error(msg.error.code);
    pages.track = `/messages/track/${msg.value.token}`;
    pages.ticket = `/staff/messages/${msg.value.ticketId}`;
    const cases = await s.database.db.selectFrom('svc_cases').select('id').where('client_token', '=', 'demo-seed-elder-1').execute();
    pages.case = `/services/cases/${cases[0]!.id}`;
    browser = await launchBrowser();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** A browser context signed in as `who` (a session opened in the database: the login form is tested elsewhere). */
  async function as(who: SessionUser | undefined, options: object = DESKTOP): Promise<BrowserContext> {
    const key = JSON.stringify([who, options]);
    const known = sessions.get(key);
    if (known) return known;
    const ctx = await browser.newContext({ ...options, bypassCSP: true }); // axe-core is injected as a script of the test
    if (who) {
      const token = await openSession({ database: servicesOf(server).database } as TestApp, who);
      await ctx.addCookies([{ name: SESSION_COOKIE, value: token, url: server.url }]);
    }
    sessions.set(key, ctx);
    return ctx;
  }

  it('the main pages have no serious or critical axe-core violations', async () => {
    const citizen = { mobile: DEMO_CITIZEN.mobile };
    const found: string[] = [];
    const check = async (name: string, page: Page) => {
      expect(await page.getAttribute('html', 'lang'), name).toMatch(/^(zh-CN|en)$/);
      const v = await axe(page);
      found.push(...readable(name, v.filter((x) => x.impact === 'serious' || x.impact === 'critical')));
      await shot(page, name);
    };
    const visit = async (name: string, path: string, who?: SessionUser) => {
      const page = await (await as(who)).newPage();
      await page.goto(server.url + path);
      await check(name, page);
      await page.close();
    };
    await visit('home', '/');
    await visit('search', '/search?q=' + encodeURIComponent('社保'));
    await visit('guide', `/services/item/${SERVICE}`);
    await visit('services', '/services');
    await visit('login', '/login');
    await visit('register', '/register');
    await visit('disclosure', '/disclosure');
    await visit('knowledge', '/knowledge', { username: 'clerk' });
    await visit('track', pages.track!);
    await visit('case', pages.case!, citizen);
    await visit('workbench', '/workbench', { username: 'clerk' });
    await visit('ticket', pages.ticket!, { username: 'supervisor' });
    await visit('opinion', '/opinion', { username: 'analyst' });
    await visit('leader', '/leader', { username: 'leader' });
    await visit('admin-users', '/staff/admin/users', { username: 'admin' });

    // Forms sent with mistakes: the error summary and the fields' messages are part of what is checked.
    const apply = await (await as(citizen)).newPage();
    await apply.goto(`${server.url}/services/item/${SERVICE}/apply`);
    await apply.getByLabel('联系电话（手机）').fill('abc');
    await apply.getByRole('button', { name: '提交申请' }).click();
    await apply.getByRole('alert').waitFor();
    await check('apply-errors', apply);
    await apply.close();
    const message = await (await as(undefined)).newPage();
    await message.goto(server.url + '/messages/new');
    await message.getByRole('button', { name: '提交留言' }).click();
    await message.getByRole('alert').waitFor();
    await check('message-errors', message);
    await message.close();

    expect(found, `serious or critical violations:\n${found.join('\n')}`).toEqual([]);
  }, 120_000);
});
