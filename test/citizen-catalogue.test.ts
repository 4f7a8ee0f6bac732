import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, type TestApp } from './helpers/db.ts';
import { servicesApp } from './helpers/services.ts';

/**
 * The service catalogue's name filter understands Traditional characters (居住證 found nothing), and when a name
 * finds nothing it points to the unified search, which understands everyday words and pinyin.
 */
describe.each(engines())('service catalogue by name on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await servicesApp(engine);
  });
  afterAll(async () => t?.close());

  it('居住證 (Traditional) finds 居住证申领', async () => {
    const r = await t.app.inject({ url: `/services?q=${encodeURIComponent('居住證')}` });
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('>居住证申领</a>');
    expect(r.body).not.toContain('在统一检索中查找');
  });

  it('a name that finds nothing links to the unified search with the words, in the reader\'s language', async () => {
    const zh = await t.app.inject({ url: `/services?q=${encodeURIComponent('生孩子')}` });
    expect(zh.body).toContain('共 0 个事项');
    expect(zh.body).toContain(`<a href="/search?q=${encodeURIComponent('生孩子')}">在统一检索中查找“生孩子”</a>`);
    const en = await t.app.inject({ url: '/services?q=juzhuzheng', headers: { cookie: 'lang=en' } });
    expect(en.body).toContain('<a href="/search?q=juzhuzheng">Search everything for “juzhuzheng”</a>');
  });
});
