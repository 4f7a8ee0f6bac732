import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_STAFF, seedDemo } from '../src/modules/demo/demo.seed.ts';
import { SYSTEM, type Principal } from '../src/modules/identity/permissions.ts';
import type { MessageClassifier } from '../src/modules/messages/classifier.ts';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';
import { cookieJar, formPost, get, getCsrf, type Jar } from './helpers/http.ts';

/** Everything about 医保 / 公积金 goes to the human-resources and social-security bureau (the demo clerk's). */
const fakeClassifier: MessageClassifier = { classify: () => ({ category: '劳动和社会保障', confidence: 0.95 }) };

const PUBLIC_BODY = '新生儿出生后三个月内凭出生医学证明和户口簿到社区服务中心办理城乡居民医保参保登记，自出生之日起享受医保待遇。';
const STAFF_BODY = '群众询问公积金异地转移接续时，告知可在转入地公积金中心线上申请，无需回原单位开具证明。';

/** The reply textarea's content as the browser would show it. */
const draftOf = (body: string): string => {
  const m = /<textarea id="reply" name="reply"[^>]*>([\s\S]*?)<\/textarea>/.exec(body);
  if (!m) throw new Error('no reply textarea');
  return m[1]!.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
};

/** Page text without the search highlighting (titles and snippets carry <mark> around matched words). */
const unmarked = (body: string): string => body.replace(/<\/?mark>/g, '');

describe.each(engines())('knowledge on the reply screen on %s', (engine) => {
  let t: TestApp;
  let head: Principal;
  const art: Record<string, number> = {};
  let jar: Jar;
  let ticket = 0;
  let gjjTicket = 0;

  const publish = async (title: string, body: string, visibility: 'public' | 'staff', publishIt = true) => {
    const k = t.services.knowledge;
    const c = await k.create(head, { title, body, visibility });
    if (!c.ok) throw new Error(c.error.code);
    if (!publishIt) return c.value.id;
    const r = await k.review(head, c.value.id, c.value.version);
    if (!r.ok) throw new Error(r.error.code);
    const p = await k.publish(head, r.value.id, r.value.version);
    if (!p.ok) throw new Error(p.error.code);
    return c.value.id;
  };
  const submit = async (title: string, content: string, publishConsent = false) => {
    const r = await t.services.messages.submit(SYSTEM, { type: '咨询', title, content, publishConsent, contactPhone: '13800138000' }, { channel: 'api' });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.status).toBe('dispatched');
    return r.value.ticketId;
  };

  beforeAll(async () => {
    t = await createTestApp(engine);
    await seedDemo(t.services);
    t.services.messages.useClassifier(fakeClassifier);
    const hrss = (await t.services.identity.departments()).find((d) => d.code === 'A-HRSS')!.id;
    head = { kind: 'staff', id: 2, roles: ['dept_head'], departmentId: hrss };
    art.public = await publish('新生儿医保参保怎么办', PUBLIC_BODY, 'public');
    art.staff = await publish('答复口径：公积金异地转移', STAFF_BODY, 'staff');
    art.draft = await publish('新生儿医保参保（修订草稿）', '新生儿医保草稿内容，尚未审核。', 'public', false);
    art.hostile = await publish('新生儿医保<script>alert(1)</script>', '新生儿医保参保<img src=x onerror=alert(1)>说明。', 'public');
    ticket = await submit('新生儿医保怎么参保', '孩子刚出生，请问新生儿医保在哪里参保，需要什么材料？');
    gjjTicket = await submit('公积金异地转移怎么办', '我从外地调来工作，公积金想转移过来，需要回原单位吗？');
    jar = cookieJar();
    const csrf = await getCsrf(t.app, jar, '/login');
    const login = await formPost(t.app, jar, '/login', { _csrf: csrf, identifier: 'clerk', password: DEMO_STAFF.find((s) => s.username === 'clerk')!.password });
    expect(login.statusCode).toBe(303);
  });
  afterAll(async () => t?.close());

  it('shows up to three published articles matching the message, each with a button that inserts it', async () => {
    const page = await get(t.app, jar, `/staff/messages/${ticket}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('可参考的知识和答复');
    expect(unmarked(page.body)).toContain('新生儿医保参保怎么办');
    expect(page.body).toContain(`name="use" value="knowledge:${art.public}"`);
    expect(page.body).toContain('form="reply-form"');
    expect(page.body).toContain('id="reply-form"');
    // Unpublished drafts are not offered; never more than three.
    expect(page.body).not.toContain(`value="knowledge:${art.draft}"`);
    expect(page.body.match(/name="use" value=/g)?.length ?? 0).toBeLessThanOrEqual(3);
    // Titles and snippets are escaped: the hostile article is listed, as text.
    expect(page.body).toContain(`value="knowledge:${art.hostile}"`);
    expect(unmarked(page.body)).toContain('新生儿医保&lt;script&gt;');
    expect(page.body).not.toContain('<script>alert(1)');
    expect(page.body).not.toContain('<img src=x');
  });

  it('inserts the article text after what was typed, without JavaScript (form post) and from a plain link', async () => {
    const csrf = await getCsrf(t.app, jar, `/staff/messages/${ticket}`);
    const r = await formPost(t.app, jar, `/staff/messages/${ticket}/act`, { _csrf: csrf, reply: '您好，感谢您的留言。', version: '0', use: `knowledge:${art.public}` });
    expect(r.statusCode).toBe(200);
    expect(draftOf(r.body)).toBe(`您好，感谢您的留言。\n\n${PUBLIC_BODY}`);
    // Nothing was sent: the ticket has no reply yet.
    const view = await t.services.messages.ticket(SYSTEM, ticket);
    expect(view.ok && view.value.reply).toBeNull();
    const link = await get(t.app, jar, `/staff/messages/${ticket}?use=knowledge:${art.public}`);
    expect(link.statusCode).toBe(200);
    expect(draftOf(link.body)).toBe(PUBLIC_BODY);
    // The draft can then be sent as the reply.
    const sent = await formPost(t.app, jar, `/staff/messages/${ticket}/act`, { _csrf: csrf, action: 'reply', reply: draftOf(r.body) });
    expect(sent.statusCode).toBe(303);
    const after = await t.services.messages.ticket(SYSTEM, ticket);
    expect(after.ok && after.value.reply).toContain('三个月内');
  });

  it('offers staff-only articles to staff, and refuses drafts and unknown references', async () => {
    const page = await get(t.app, jar, `/staff/messages/${gjjTicket}`);
    expect(unmarked(page.body)).toContain('答复口径：公积金异地转移');
    expect(page.body).toContain('仅内部');
    const link = await get(t.app, jar, `/staff/messages/${gjjTicket}?use=knowledge:${art.staff}`);
    expect(draftOf(link.body)).toBe(STAFF_BODY);
    for (const ref of [`knowledge:${art.draft}`, 'knowledge:999999', 'reply:999999', 'nonsense', 'knowledge:1;drop']) {
      const bad = await get(t.app, jar, `/staff/messages/${gjjTicket}?use=${encodeURIComponent(ref)}`);
      expect(bad.statusCode, ref).toBe(200);
      expect(bad.body, ref).toContain('无法插入');
      expect(draftOf(bad.body), ref).toBe('');
    }
    // Citizens and anonymous callers get nothing.
    expect(await t.services.messages.reusableText({ kind: 'anonymous' }, `knowledge:${art.public}`)).toBeUndefined();
    expect(await t.services.messages.reusableAnswers({ kind: 'anonymous' }, { id: 0, title: '新生儿医保', messages: [] } as never)).toEqual([]);
  });

  it('marks in the suggestions only the words that matched, not single characters of a long message', async () => {
    // The suggestions search with the whole message: it used to be cut into 月 / 不 / 好 / 回 …, each one marked.
    const long = await submit('公积金异地转移好难办', '我9月从外地调来工作，原单位不给开证明，公积金一直转不过来，好麻烦。请问要不要回原单位？月底前能办好吗？');
    const page = await get(t.app, jar, `/staff/messages/${long}`);
    const panel = /<section class="card reuse"[\s\S]*?<\/section>/.exec(page.body)?.[0] ?? '';
    expect(unmarked(panel)).toContain('答复口径：公积金异地转移');
    const marks = [...panel.matchAll(/<mark>([^<]*)<\/mark>/g)].map((m) => m[1] ?? '');
    expect(marks).toContain('公积金');
    expect(marks.filter((m) => [...m].length < 2)).toEqual([]);
  });

  it('marks the matched words in the suggested titles too (the search engine\'s highlighted title, escaped)', async () => {
    const page = await get(t.app, jar, `/staff/messages/${gjjTicket}`);
    const panel = /<section class="card reuse"[\s\S]*?<\/section>/.exec(page.body)?.[0] ?? '';
    const link = /<li><a href="[^"]*">([^]*?)<\/a> <span class="tag">[^<]*<\/span> <span class="tag">仅内部<\/span>/.exec(panel)?.[1] ?? '';
    expect(unmarked(link)).toBe('答复口径：公积金异地转移');
    expect(link).toMatch(/<mark>公积金<\/mark>/);
    // The hostile title is marked but its markup stays text (a new ticket: the first one is answered by now).
    const other = await submit('新生儿医保参保', '新生儿医保在哪里参保？');
    const hostile = await get(t.app, jar, `/staff/messages/${other}`);
    const titles = [...hostile.body.matchAll(/<li><a href="[^"]*">([^]*?)<\/a>/g)].map((m) => m[1] ?? '');
    const h = titles.find((x) => x.includes('script')) ?? '';
    expect(h).toContain('<mark>');
    expect(unmarked(h)).toBe('新生儿医保&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('reuses another message\'s published answer (redacted) only when its author agreed to publication', async () => {
    const clerk = { kind: 'staff' as const, id: 1, roles: ['clerk' as const], departmentId: head.kind === 'staff' ? head.departmentId : null };
    const consented = await submit('社保卡丢失如何补办', '社保卡丢了，去哪里补办？', true);
    const privateOne = await submit('社保卡密码忘了', '社保卡密码忘了怎么办？', false);
    for (const id of [consented, privateOne]) {
      const r = await t.services.messages.act(clerk, id, 'reply', { reply: '您好，请携带身份证到社保服务大厅补办，联系人：王小明，电话13912345678。' });
      expect(r.ok).toBe(true);
    }
    const text = await t.services.messages.reusableText(clerk, `reply:${consented}`);
    expect(text).toContain('社保服务大厅');
    expect(text).not.toContain('13912345678');
    expect(await t.services.messages.reusableText(clerk, `reply:${privateOne}`)).toBeUndefined();
  });

  it('shows nothing when the knowledge module is absent', async () => {
    t.services.messages.useKnowledge(undefined);
    try {
      const page = await get(t.app, jar, `/staff/messages/${gjjTicket}`);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('id="reply-form"');
      expect(page.body).not.toContain('可参考的知识和答复');
      expect(page.body).not.toContain('name="use"');
      const link = await get(t.app, jar, `/staff/messages/${gjjTicket}?use=knowledge:${art.public}`);
      expect(draftOf(link.body)).toBe('');
    } finally {
      t.services.messages.useKnowledge(t.services.knowledge);
    }
  });
});
