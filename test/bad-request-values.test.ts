import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';

/**
 * Ids and codes in addresses that the database cannot take (not a whole number, beyond its integer range, a NUL
 * character) are the request's fault: 400 with the stable code, a page in Chinese for pages, never 503 INTERNAL.
 */
describe.each(engines())('values the database refuses on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
  });
  afterAll(async () => t?.close());

  it.each([
    '/disclosure/doc/1.5',
    '/messages/track/a%00b',
    '/services/item/a%00b',
  ])('page %s', async (url) => {
    const res = await t.app.inject({ method: 'GET', url });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('请求格式有误');
  });

  // A whole number beyond any id (src/web/ids.ts): no such record on a page, a schema error in the API.
  it.each(['/disclosure/doc/99999999999999999999', '/disclosure/department/99999999999999999999'])('page %s', async (url) => {
    const res = await t.app.inject({ method: 'GET', url });
    expect(res.statusCode).toBe(404);
    expect(res.body).toContain('NOT_FOUND');
  });

  it('API /api/v1/services/items/a%00b', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/services/items/a%00b' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('BAD_REQUEST');
  });

  it('API /api/v1/disclosure/documents/99999999999999999999', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/disclosure/documents/99999999999999999999' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
  });
});
