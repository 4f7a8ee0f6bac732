import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/db.ts';

/** Every page links the site's SVG mark; /favicon.ico, asked for by browsers on their own, no longer answers 404. */
describe('favicon', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('pglite');
  });
  afterAll(async () => t?.close());

  it('serves /favicon.svg as an SVG image, linked from the pages', async () => {
    const r = await t.app.inject({ url: '/favicon.svg' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(r.body).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(r.body).not.toMatch(/<script|href=/i);
    for (const url of ['/', '/login', '/no-such-page']) {
      expect((await t.app.inject({ url })).body, url).toContain('<link rel="icon" href="/favicon.svg" type="image/svg+xml">');
    }
  });

  it('answers /favicon.ico with a redirect to the SVG, not 404', async () => {
    const r = await t.app.inject({ url: '/favicon.ico' });
    expect(r.statusCode).toBe(301);
    expect(r.headers.location).toBe('/favicon.svg');
  });
});
