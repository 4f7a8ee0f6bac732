import { createRequire } from 'node:module';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CITIZEN, seedDemo } from '../../src/modules/demo/demo.seed.ts';
import { seedDatashareDemo } from '../../src/modules/datashare/datashare.seed.ts';
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

/**
 * The violations that fail the test: impact serious or critical, and the structure a screen reader user moves by,
 * which axe rates moderate (headings in order, one h1, one main landmark, everything in a landmark, the skip link).
 */
const STRUCTURE = new Set(['heading-order', 'page-has-heading-one', 'empty-heading', 'landmark-one-main', 'region', 'skip-link', 'landmark-unique']);
const failing = (v: Violation): boolean => v.impact === 'serious' || v.impact === 'critical' || STRUCTURE.has(v.id);

/** One line per offending element: page, rule, impact, what it checks, and the element's selector. */
function readable(page: string, violations: readonly Violation[]): string[] {
  return violations.flatMap((v) => v.nodes.map((n) => `${page}: ${v.id} (${v.impact ?? '?'}) ${v.help} — ${n.target.map(String).join(' > ')}${n.failureSummary ? ` — ${n.failureSummary.replace(/\s+/g, ' ')}` : ''}`));
}

/**
 * What a finger cannot hit on a phone: every visible button, field, summary and link standing on its own (not a link
 * inside a sentence: WCAG's inline exception) whose target is less than 44 CSS px high (buttons and fields: or wide);
 * a radio button or checkbox counts with its label. One line each.
 */
function smallTargets(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>('a[href], button, input:not([type=hidden]), select, textarea, summary')) {
      let r = el.getBoundingClientRect();
      if ((r.width === 0 && r.height === 0) || r.right <= 0 || getComputedStyle(el).visibility === 'hidden') continue;
      const text = (el.textContent ?? '').trim();
      if (el.tagName === 'A' && (el.parentElement?.textContent ?? '').trim().length > text.length + 2) continue; // in a sentence
      const input = el as HTMLInputElement;
      if (input.type === 'checkbox' || input.type === 'radio') {
        const label = input.closest('label') ?? (input.id ? document.querySelector(`label[for="${input.id}"]`) : null);
        if (label) r = label.getBoundingClientRect();
      }
      const narrow = el.tagName !== 'A' && r.width < 44;
      if (r.height < 43.5 || narrow) out.push(`${el.tagName.toLowerCase()}${input.name ? `[name=${input.name}]` : ''} "${text.slice(0, 20)}" ${Math.round(r.width)}×${Math.round(r.height)}`);
    }
    return out;
  });
}

/** The focused element, described, and whether its focus is drawn (an outline of 2 px or more, or a ring). */
function focused(page: Page): Promise<{ what: string; control: boolean; visible: boolean; onScreen: boolean } | null> {
  return page.evaluate(() => {
    const e = document.activeElement as HTMLElement | null;
    if (!e || e === document.body) return null;
    const cs = getComputedStyle(e);
    const r = e.getBoundingClientRect();
    const name = (e as HTMLInputElement).name;
    return {
      what: `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}${name ? `[name=${name}]` : ''} "${(e.textContent ?? '').trim().slice(0, 16)}"`,
      control: /^(INPUT|SELECT|TEXTAREA)$/.test(e.tagName),
      visible: (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2) || cs.boxShadow !== 'none',
      onScreen: r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth,
    };
  });
}

/** Sends the form with Enter; each link of the error summary (role=alert) must focus its field. */
async function followSummary(name: string, page: Page): Promise<void> {
  await page.keyboard.press('Enter');
  await page.getByRole('alert').waitFor();
  const links = await page.getByRole('alert').locator('a').all();
  expect(links.length, name).toBeGreaterThan(0);
  for (const link of links) {
    await link.focus();
    await page.keyboard.press('Enter');
    const f = await focused(page);
    const text = await link.textContent();
    expect(f?.control, `${name}: the summary link ${text} focuses its field (focused: ${f?.what ?? 'nothing'})`).toBe(true);
    expect(f?.what, `${name}: ${text}`).toContain(`[name=${(await link.getAttribute('href'))!.slice(1)}]`);
  }
}

/** The texts of drawn charts smaller than 14 px, or than 7/8 of the body text (large-text mode), as `size "text"`. */
async function chartTextTooSmall(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const want = Math.max(14, Math.round(parseFloat(getComputedStyle(document.body).fontSize) * 0.875));
    return [...document.querySelectorAll('[role=img] svg text')]
      .map((e) => ({ size: parseFloat(getComputedStyle(e).fontSize), text: (e.textContent ?? '').slice(0, 20) }))
      .filter((t) => t.text.trim() && t.size < want)
      .map((t) => `${t.size}px under ${want}px "${t.text}"`);
  });
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
    await seedDatashareDemo(s, DEMO_CITIZEN); // its resources' quality page has a chart
    await s.opinion.ingest('burst', burstItems());
    await s.opinion.cluster();
    const raised = await s.opinion.raise(SYSTEM, { level: 'orange', title: 'A3区米兰春天小区垃圾站臭味扰民', reason: '测试' });
    if (!raised.ok) throw new Error(raised.error.code);
    const msg = await s.messages.submit(ANONYMOUS, { type: '咨询', title: '养老保险缴费年限咨询', content: '想问一下养老保险最低缴费年限是多少年？' }, { channel: 'web', category: '劳动和社会保障' });
    if (!msg.ok) throw new Error(msg.error.code);
    pages.track = `/messages/track/${msg.value.token}`;
    pages.ticket = `/staff/messages/${msg.value.ticketId}`;
    // The demo citizen's own message, answered: its tracking page shows the rating form.
    const principal = async (who: SessionUser) => (await s.identity.resolveSession(await openSession({ database: s.database } as TestApp, who)))!.principal;
    const clerk = await principal({ username: 'clerk' });
    const own = await s.messages.submit(await principal({ mobile: DEMO_CITIZEN.mobile }), { type: '咨询', title: '失业保险金怎么领', content: '想问一下失业保险金怎么申领？' }, { channel: 'web', category: '劳动和社会保障' });
    if (!own.ok) throw new Error(own.error.code);
    for (const [action, args] of [['accept', {}], ['reply', { reply: '您好！根据《失业保险条例》，失业人员可持身份证到A市社会保险服务中心或通过网上办事大厅申领失业保险金。如有疑问，请拨打12333咨询。感谢您的来信！' }]] as const) {
      const r = await s.messages.act(clerk, own.value.ticketId, action, args);
      if (!r.ok) throw new Error(`${action}: ${r.error.code}`);
    }
    pages.answered = `/messages/track/${own.value.token}`;
    const cases = await s.database.db.selectFrom('svc_cases').select('id').where('client_token', '=', 'demo-seed-elder-1').execute();
    pages.case = `/services/cases/${cases[0]!.id}`;
    // ...and its accepted case is done, so its page shows the 好差评 form.
    await s.database.db.updateTable('svc_cases').set({ status: 'completed' }).where('client_token', '=', 'demo-seed-elder-1').execute();
    // The demo citizen's submitted case is late to be accepted: its deadline light is red.
    await s.database.db.updateTable('svc_cases').set({ accept_due: '2020-01-02' }).where('client_token', '=', 'demo-seed-flexible-1').execute();
    browser = await launchBrowser();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** A browser context signed in as `who` (a session opened in the database: the login form is tested elsewhere). */
  async function as(who: SessionUser | undefined, options: object = PHONE): Promise<BrowserContext> {
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

  it('the main pages: no serious or critical axe-core violation, headings in order, landmarks (390 and 1280 px), 44-px targets on a phone, no sideways scrolling at 320 px', async () => {
    const citizen = { mobile: DEMO_CITIZEN.mobile };
    const found: string[] = [];
    // Each page once, on a phone: axe there and at desktop width, fingers' targets, and reflow at 320 px (what 400 %
    // zoom of a 1280-px window shows; 200 % is 640 px) without scrolling sideways.
    const check = async (name: string, page: Page) => {
      expect(await page.getAttribute('html', 'lang'), name).toMatch(/^(zh-CN|en)$/);
      const v = await axe(page);
      found.push(...readable(`${name} (390 px)`, v.filter(failing)));
      found.push(...(await smallTargets(page)).map((t) => `${name} (390 px): target under 44 px — ${t}`));
      // A drawn chart (ECharts, role=img) keeps the page's text alternative, which says the figures are in the table.
      for (const label of await page.locator('[role=img]:has(svg)').evaluateAll((els) => els.map((e) => `${e.id}: ${e.getAttribute('aria-label') ?? '(none)'}`))) {
        if (!/数据见|figures in the table/.test(label)) found.push(`${name}: chart ${label.slice(0, 80)}`);
      }
      // A chart's labels are at least 14 px (ECharts draws 12 px), 7/8 of the body text in large-text mode.
      found.push(...(await chartTextTooSmall(page)).map((t) => `${name} (390 px): chart text ${t}`));
      // Fields asking for the citizen's own name, organisation, phone, e-mail or address say so (WCAG 1.3.5), so the
      // browser can fill them in.
      for (const f of await page.locator('main :is(input, textarea)[name]').evaluateAll((els) => els.map((e) => ({ name: e.getAttribute('name')!, ac: e.getAttribute('autocomplete') })))) {
        const want = ({ applicantName: 'name', realName: 'name', contactName: 'name', companyName: 'organization', mobile: 'tel', contactPhone: 'tel', email: 'email', postalAddress: 'street-address', postcode: 'postal-code' } as Record<string, string>)[f.name];
        if (want && f.ac !== want) found.push(`${name}: field ${f.name} has autocomplete=${f.ac ?? '(none)'}, not ${want}`);
      }
      const font = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
      if (font < 16) found.push(`${name} (390 px): body text ${font}px, under 16px`);
      await shot(page, name);
      await page.setViewportSize({ width: 320, height: 700 });
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))); // charts follow the resize
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      if (overflow > 0) found.push(`${name} (320 px): scrolls sideways by ${overflow} px`);
      await page.setViewportSize(DESKTOP.viewport);
      found.push(...readable(`${name} (1280 px)`, (await axe(page)).filter(failing)));
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
    await visit('disclosure-apply', '/disclosure/apply', citizen);
    await visit('knowledge', '/knowledge', { username: 'clerk' });
    await visit('track', pages.track!);
    await visit('case', pages.case!, citizen);
    await visit('answered', pages.answered!, citizen);
    await visit('workbench', '/workbench', { username: 'clerk' });
    await visit('ticket', pages.ticket!, { username: 'supervisor' });
    await visit('opinion', '/opinion', { username: 'analyst' });
    await visit('leader', '/leader', { username: 'leader' });
    await visit('admin-users', '/staff/admin/users', { username: 'admin' });

    // In large-text mode the charts' labels grow with the text (21-px body: 18-px labels), and still fit at 390 px.
    const largeText = async (name: string, who: SessionUser, path: string, then?: (page: Page) => Promise<void>) => {
      const ctx = await browser.newContext({ ...PHONE, bypassCSP: true });
      await ctx.addCookies([{ name: 'large', value: '1', url: server.url }, { name: SESSION_COOKIE, value: await openSession({ database: servicesOf(server).database } as TestApp, who), url: server.url }]);
      const page = await ctx.newPage();
      await page.goto(server.url + path);
      await then?.(page);
      expect(await page.locator('[role=img] svg text').count(), name).toBeGreaterThan(0);
      found.push(...(await chartTextTooSmall(page)).map((t) => `${name} large text (390 px): chart text ${t}`));
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      if (overflow > 0) found.push(`${name} large text (390 px): scrolls sideways by ${overflow} px`);
      await shot(page, `large-${name}`);
      await ctx.close();
    };
    await largeText('opinion', { username: 'analyst' }, '/opinion');
    await largeText('leader', { username: 'leader' }, '/leader');
    // A resource's quality page draws its chart once it has a run: the data administrator runs one.
    await largeText('quality', { username: 'dataadmin' }, '/datashare/quality', async (page) => {
      await page.locator('main table a[href^="/datashare/quality/"]').first().click();
      await page.getByRole('button', { name: '立即检查' }).click();
      await page.locator('#quality-chart svg').waitFor();
    });

    // A deadline light says its state in words, not by colour alone (WCAG 1.4.1): a red one reads 已超期 on screen.
    const mine = await (await as(citizen)).newPage();
    await mine.goto(server.url + '/services/my');
    const red = mine.locator('.tag.red').first();
    expect(await red.evaluate((el) => [...el.childNodes].filter((n) => !(n instanceof HTMLElement && n.classList.contains('visually-hidden'))).map((n) => n.textContent).join(''))).toContain('已超期');
    await check('my-cases', mine);
    await mine.close();

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

    expect(found, `accessibility faults:\n${found.join('\n')}`).toEqual([]);
  });
  it('English pages: the data that stays Chinese (names, guides, titles, texts) is inside an element with lang="zh-CN" (WCAG 3.1.2)', async () => {
    const unmarked: string[] = [];
    const visit = async (name: string, path: string, who?: SessionUser) => {
      const ctx = await browser.newContext({ ...PHONE, bypassCSP: true });
      await ctx.addCookies([{ name: 'lang', value: 'en', url: server.url }]);
      if (who) await ctx.addCookies([{ name: SESSION_COOKIE, value: await openSession({ database: servicesOf(server).database } as TestApp, who), url: server.url }]);
      const page = await ctx.newPage();
      await page.goto(server.url + path);
      expect(await page.getAttribute('html', 'lang'), name).toBe('en');
      // Every text node of the body holding a Han character, and its nearest declared language (a drawn chart is
      // role=img: screen readers read its English label, not its labels, whose figures are in the table next to it).
      const texts = await page.evaluate(() => {
        const out: { text: string; lang: string }[] = [];
        const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
          const el = n.parentElement!;
          if (!/\p{Script=Han}/u.test(n.textContent ?? '') || el.closest('script, style, textarea, [role=img], [aria-hidden=true]')) continue;
          out.push({ text: n.textContent!.trim(), lang: el.closest('[lang]')?.getAttribute('lang') ?? '' });
        }
        return out;
      });
      expect(texts.length, `${name}: the page shows Chinese data`).toBeGreaterThan(0);
      unmarked.push(...texts.filter((t) => !t.lang.startsWith('zh')).map((t) => `${name}: "${t.text.slice(0, 60)}" is read as ${t.lang}`));
      unmarked.push(...readable(`${name} (en, 390 px)`, (await axe(page)).filter(failing))); // valid-lang among them
      await shot(page, `en-${name}`);
      const links = await page.locator('a[href^="/opinion/issues/"]').evaluateAll((els) => els.map((e) => e.getAttribute('href')!));
      await ctx.close();
      return links;
    };
    const citizen = { mobile: DEMO_CITIZEN.mobile };
    await visit('services', '/services');
    await visit('guide', `/services/item/${SERVICE}`);
    await visit('apply', `/services/item/${SERVICE}/apply`, citizen);
    await visit('search', '/search?q=' + encodeURIComponent('社保'));
    await visit('my-cases', '/services/my', citizen);
    await visit('case', pages.case!, citizen);
    await visit('workbench', '/workbench', { username: 'clerk' });
    await visit('queue', '/services/queue', { username: 'clerk' });
    await visit('staff-case', pages.case!, { username: 'clerk' });
    await visit('ticket', pages.ticket!, { username: 'supervisor' });
    await visit('knowledge', '/knowledge', { username: 'clerk' });
    const issues = await visit('opinion', '/opinion', { username: 'analyst' });
    if (issues[0]) await visit('opinion-issue', issues[0], { username: 'analyst' });
    await visit('leader', '/leader', { username: 'leader' });
    await visit('datashare', '/datashare', { username: 'admin' });
    expect(unmarked, `Chinese read with an English voice, or axe-core faults:\n${unmarked.join('\n')}`).toEqual([]);
  });
  it('keyboard only: the skip link leads to the content, Tab reaches every field of the message and apply forms in order with focus drawn, and the error summary\'s links lead to their fields', async () => {
    const faults: string[] = [];
    const walk = async (name: string, page: Page, last: string) => {
      await page.keyboard.press('Tab');
      const skip = await focused(page);
      expect(skip?.what, name).toContain('跳到主要内容');
      expect(skip?.onScreen, `${name}: the skip link shows when focused`).toBe(true);
      await page.keyboard.press('Enter');
      expect((await focused(page))?.what, name).toMatch(/^main#main/);
      // The fields of the form in document order (a radio group is one stop), as Tab should reach them.
      const expected = await page.locator('main form:has(button[type=submit]) :is(input:not([type=hidden]), select, textarea)').evaluateAll((els) => {
        const seen = new Set<string>();
        return els.filter((e) => {
          const i = e as HTMLInputElement;
          if (i.type !== 'radio') return true;
          if (seen.has(i.name)) return false;
          seen.add(i.name);
          return true;
        }).map((e) => (e as HTMLInputElement).name);
      });
      const reached: string[] = [];
      for (let i = 0; i < 60; i++) {
        await page.keyboard.press('Tab');
        const f = await focused(page);
        if (!f) break;
        if (!f.visible) faults.push(`${name}: focus not drawn on ${f.what}`);
        if (!f.onScreen) faults.push(`${name}: focused ${f.what} is off screen`);
        if (f.control) reached.push(/\[name=([^\]]+)\]/.exec(f.what)?.[1] ?? f.what);
        if (i % 4 === 0) await shot(page, `${name}-tab-${i}`);
        if (f.what.includes(last)) break;
      }
      expect(reached, `${name}: fields reached by Tab`).toEqual(expected);
    };
    const message = await (await as(undefined)).newPage();
    await message.goto(server.url + '/messages/new');
    await walk('keyboard-message', message, '提交留言');
    // Sent empty with Enter on the button: the summary (role=alert) names the fields; each link focuses its field.
    await followSummary('keyboard-message', message);
    await shot(message, 'keyboard-message-errors');
    await message.close();
    const apply = await (await as({ mobile: DEMO_CITIZEN.mobile })).newPage();
    await apply.goto(`${server.url}/services/item/${SERVICE}/apply`);
    await walk('keyboard-apply', apply, '提交申请');
    await followSummary('keyboard-apply', apply); // its radio group (户籍性质) too
    await shot(apply, 'keyboard-apply-errors');
    await apply.goto(server.url + pages.case!); // 好差评 sent without a level: its link leads to the first level
    await apply.getByRole('button', { name: '提交评价' }).focus();
    await followSummary('keyboard-rating', apply);
    await apply.goto(server.url + pages.answered!); // the same for the rating of an answered message (满意度)
    await apply.getByRole('button', { name: '提交评价' }).focus();
    await followSummary('keyboard-message-rating', apply);
    await apply.close();
    expect(faults, faults.join('\n')).toEqual([]);
  });
});
