import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../src/modules/demo/demo.seed.ts';
import { seedKnowledgeDemo } from '../src/modules/knowledge/knowledge.seed.ts';
import { seedServices } from '../src/modules/onestop/onestop.module.ts';
import { syncSources } from '../src/modules/search/search.sources.ts';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';

/**
 * Dates shown to citizens are days in China: an item changed at 03:00 Beijing time (19:00 UTC the day before) shows
 * that Beijing day in the search results and on the knowledge page, not the UTC one.
 */
const LATE_EVENING_UTC = new Date('2026-11-26T19:00:00Z');

describe.each(engines())('dates of search results and knowledge answers on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
    await seedDemo(t.services);
    await seedServices(t.services);
    await seedKnowledgeDemo(t.services);
  });
  afterAll(async () => t?.close());

  it('dates a service item in the search by its day in China', async () => {
    const db = t.database.db;
    await db.updateTable('svc_items').set({ updated_at: LATE_EVENING_UTC }).where('code', '=', 'A-512B0011200070').execute();
    await syncSources(t.services);
    const r = await t.app.inject({ url: `/api/v1/search?q=${encodeURIComponent('居住证申领')}&type=service` });
    expect(r.statusCode).toBe(200);
    const hit = (r.json().hits as { url: string; date: string | null }[]).find((x) => x.url === '/services/item/A-512B0011200070');
    expect(hit).toBeDefined();
    expect(hit!.date).toBe('2026-11-27');
  });

  it('shows a knowledge answer as updated on its day in China', async () => {
    const db = t.database.db;
    const a = await db.selectFrom('knowledge_articles').select('id').where('published_version', 'is not', null).where('visibility', '=', 'public').executeTakeFirstOrThrow();
    await db.updateTable('knowledge_articles').set({ updated_at: LATE_EVENING_UTC }).where('id', '=', a.id).execute();
    const page = await t.app.inject({ url: `/knowledge/${a.id}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('更新于 2026-11-27');
  });
});
