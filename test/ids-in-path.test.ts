import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { backstopLines, createLoggedTestApp, engines } from './helpers/db.ts';

/**
 * Ids in addresses are checked before the database sees them: a value that is not a record id answers 400 (not a
 * whole number) or 404 (a whole number no record has) from the route's schema or the pages' shared id check, never
 * from the error handler's backstop for values the database refused (its warning line stays out of the log).
 */
describe.each(engines())('ids in addresses on %s', (engine) => {
  let t: Awaited<ReturnType<typeof createLoggedTestApp>>;
  beforeAll(async () => {
    t = await createLoggedTestApp(engine);
  });
  afterAll(async () => t?.close());
  beforeEach(() => {
    t.lines.length = 0;
  });
  const refusedByDatabase = () => backstopLines(t.lines);

  const pages = ['/disclosure/doc/', '/disclosure/department/', '/knowledge/', '/opinion/warnings/', '/datashare/quality/', '/services/cases/', '/services/files/', '/staff/messages/'];
  it.each(pages.flatMap((p) => [['1.5', 400], ['-1', 400], ['1e3', 400], ['a%00b', 400], ['0', 404], ['2147483648', 404], ['99999999999999999999', 404]].map(([id, status]) => [`${p}${id}`, status] as const)))(
    'page %s answers %i',
    async (url, status) => {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(status);
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.body).toContain(status === 400 ? 'BAD_REQUEST' : 'NOT_FOUND');
      expect(refusedByDatabase()).toEqual([]);
    },
  );

  const apis = ['/api/v1/disclosure/documents/', '/api/v1/knowledge/', '/api/v1/messages/tickets/', '/api/v1/services/cases/'];
  it.each(apis.flatMap((p) => ['1.5', '0', '2147483648', '99999999999999999999'].map((id) => `${p}${id}`)))('API %s answers 400 VALIDATION_FAILED', async (url) => {
    const res = await t.app.inject({ method: 'GET', url });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
    expect(refusedByDatabase()).toEqual([]);
  });

  it.each(['/services/item/a%00b', '/messages/track/a%00b', '/api/v1/services/items/a%00b'])('a NUL byte in %s answers 400 BAD_REQUEST', async (url) => {
    const res = await t.app.inject({ method: 'GET', url });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('BAD_REQUEST');
    expect(refusedByDatabase()).toEqual([]);
  });

  it('a record id in range still reaches the page (404 from the service, not the check)', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/disclosure/doc/2147483647' });
    expect(res.statusCode).toBe(404);
    expect(res.body).not.toContain('>NOT_FOUND<');
  });
});
