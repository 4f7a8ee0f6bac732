import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../src/modules/demo/demo.seed.ts';
import { REDACTION_VERSION } from '../src/modules/opinion/opinion.service.ts';
import { textHash } from '../src/modules/opinion/opinion.pure.ts';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';
import { get } from './helpers/http.ts';
import { burstItems } from './helpers/opinion.ts';
import { openSession, sessionJar } from './helpers/sessions.ts';

/**
 * Items were redacted at ingest only. Redaction got stronger (phones and bank cards written in groups), but items
 * stored before kept them, and the issue page, the dashboard and the briefings showed them to the staff.
 * `redactStored` (run by the module's timer) redacts stored items and the texts made from them once per version.
 */
describe.each(engines())('items stored under an older redaction on %s', (engine) => {
  let t: TestApp;
  let token: string;
  const phone = '0731-8888 6666';
  const mobile = '1380 013 8000';
  const card = '6222 0202 0000 1234 567';
  beforeAll(async () => {
    t = await createTestApp(engine);
    await seedDemo(t.services);
    token = await openSession(t, { username: 'analyst' });
    await t.services.opinion.ingest('redact-test', burstItems());
    await t.services.opinion.cluster();
  });
  afterAll(async () => t?.close());

  it('redacts them, their fingerprints and the issue texts once, in batches, and the pages no longer show them', async () => {
    const db = t.services.database.db;
    // As an older redaction stored them: the grouped numbers kept.
    const ids = (await db.selectFrom('opinion_items').select('id').orderBy('id').execute()).map((r) => r.id);
    for (const [k, id] of ids.entries()) {
      await db.updateTable('opinion_items').set({ text: `米兰春天垃圾站臭味很大，联系电话${phone}，手机${mobile}，退款卡号${card}，住户${k}反映。` }).where('id', '=', id).execute();
    }
    const issue = await db.selectFrom('opinion_issues').select(['id', 'summary']).orderBy('items', 'desc').executeTakeFirstOrThrow();
    await db.updateTable('opinion_issues').set({ summary: `联系电话${phone}` }).where('id', '=', issue.id).execute();
    const jar = sessionJar(token);
    const before = await get(t.app, jar, `/opinion/issues/${issue.id}`);
    expect(before.body).toContain(mobile); // the fault: shown to the staff

    expect(await t.services.opinion.redactStored(5)).toBe(ids.length); // batches of 5
    const rows = await db.selectFrom('opinion_items').select(['id', 'title', 'text', 'text_hash']).execute();
    for (const r of rows) {
      expect(r.text).not.toMatch(/8888 6666|1380 013|0000 1234/);
      expect(r.text_hash).toBe(textHash(r.title, r.text));
    }
    const page = await get(t.app, jar, `/opinion/issues/${issue.id}`);
    expect(page.statusCode).toBe(200);
    for (const s of [phone, mobile, card]) expect(page.body).not.toContain(s);
    expect((await db.selectFrom('opinion_state').select('generation').where('name', '=', 'redaction').executeTakeFirstOrThrow()).generation).toBe(REDACTION_VERSION);
    const audits = await db.selectFrom('audit_events').select('detail').where('action', '=', 'opinion.redact').execute();
    expect(audits.length).toBeGreaterThan(1);

    // Once per version: a second run reads the state row and changes nothing; a later clustering keeps the new texts.
    expect(await t.services.opinion.redactStored(5)).toBe(0);
    await t.services.opinion.ingest('redact-test', [{ externalId: 'later', title: 'C1区路灯不亮', text: 'A市C1区某路段路灯坏了很久没人修。', author: 'x', publishedAt: new Date(Date.UTC(2020, 0, 19, 3)) }]);
    await t.services.opinion.cluster();
    const briefing = await get(t.app, jar, '/opinion/briefing?period=week');
    const again = await get(t.app, jar, `/opinion/issues/${issue.id}`);
    for (const s of [phone, mobile, card]) {
      expect(again.body).not.toContain(s);
      expect(briefing.body).not.toContain(s);
    }
  });
});
