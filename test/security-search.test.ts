import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../src/modules/demo/demo.seed.ts';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';
import { openSession } from './helpers/sessions.ts';

/**
 * Searches without a result are kept for the staff (GET /api/v1/search/misses): an ID number, phone number or e-mail
 * a citizen typed into the search box was kept and shown whole.
 */
describe.each(engines())('search misses keep no personal numbers, on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
    await seedDemo(t.services);
  });
  afterAll(async () => t?.close());

  it('an ID number, a mobile and an e-mail typed into the search box are masked in the misses', async () => {
    const q = '11010519491231002X 13987654321 zhang.san@example.cn';
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/search?q=${encodeURIComponent(q)}` });
    expect(res.statusCode).toBe(200);
    expect(res.json().total).toBe(0);
    const admin = await openSession(t, { username: 'admin' });
    const misses = await t.app.inject({ method: 'GET', url: '/api/v1/search/misses', headers: { authorization: `Bearer ${admin}` } });
    expect(misses.statusCode).toBe(200);
    const text = JSON.stringify(misses.json());
    expect(text).not.toMatch(/110105|13987654321|zhang\.san/);
    expect(text).toContain('***');
    const stored = await t.database.db.selectFrom('search_misses').select('query').execute();
    expect(JSON.stringify(stored)).not.toMatch(/110105|13987654321|zhang\.san/);
  });
});
