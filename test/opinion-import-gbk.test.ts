import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../src/modules/demo/demo.seed.ts';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';
import { openSession } from './helpers/sessions.ts';

/**
 * A CSV saved by Excel on a Chinese Windows is GBK, not UTF-8. The import read every file as UTF-8, so such a file
 * came back as "缺少留言编号（message_id）" on every row (its Chinese headers were not recognised) and nothing was
 * stored. It is now read as UTF-8 when it is valid UTF-8, else as GB18030 (which contains GBK), like the messages import.
 */
describe.each(engines())('GBK import on %s', (engine) => {
  let t: TestApp;
  let token = '';
  beforeAll(async () => {
    t = await createTestApp(engine);
    await seedDemo(t.services);
    token = await openSession(t, { username: 'analyst' });
  });
  afterAll(async () => t?.close());

  const csv = '留言编号,留言用户,留言主题,留言时间,留言详情,点赞数,反对数\n'
    + 'g1,U1,A3区某路段路灯不亮,2020/1/5 10:00:00,A市A3区学士路的路灯坏了一个月，晚上很不安全,2,0\n'
    + 'g2,U2,A5区公交站台破损,2020/1/6 09:00:00,A5区劳动东路公交站台顶棚破损漏雨,0,0\n';
  const post = (source: string, body: Buffer) => t.app.inject({ method: 'POST', url: `/api/v1/opinion/import?source=${source}&format=csv`, headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' }, payload: body });
  const titles = async (source: string) => (await t.services.database.db.selectFrom('opinion_items').select('title').where('source', '=', source).orderBy('external_id').execute()).map((r) => r.title);

  it('reads a GBK file with the Chinese headers', async () => {
    const r = await post('gbk-csv', iconv.encode(csv, 'gbk'));
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ added: 2, errors: [], rows: 2 });
    expect(await titles('gbk-csv')).toEqual(['A3区某路段路灯不亮', 'A5区公交站台破损']);
  });

  it('still reads UTF-8, with or without a byte-order mark', async () => {
    expect((await post('utf8-csv', Buffer.from(csv))).json()).toMatchObject({ added: 2, errors: [] });
    expect((await post('bom-csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv)]))).json()).toMatchObject({ added: 2, errors: [] });
    expect(await titles('bom-csv')).toEqual(['A3区某路段路灯不亮', 'A5区公交站台破损']);
  });
});
