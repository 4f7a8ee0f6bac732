import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../src/modules/demo/demo.seed.ts';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';
import { openSession } from './helpers/sessions.ts';

/**
 * The import's row errors were in Chinese only, also for an English caller. Each now has `messageEn` beside the
 * Chinese `message`, as the other modules' errors do.
 */
describe.each(engines())('import row errors in English on %s', (engine) => {
  let t: TestApp;
  let token = '';
  beforeAll(async () => {
    t = await createTestApp(engine);
    await seedDemo(t.services);
    token = await openSession(t, { username: 'analyst' });
  });
  afterAll(async () => t?.close());

  const post = (format: string, body: string) => t.app.inject({
    method: 'POST', url: `/api/v1/opinion/import?source=en-import&format=${format}`,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain', 'accept-language': 'en' }, payload: Buffer.from(body),
  });

  it('gives every bad row an English message beside the Chinese one', async () => {
    const jsonl = [
      '{not json',
      '[1]',
      JSON.stringify({ title: '无编号', detail: '内容', time: '2020/1/5 10:00:00' }),
      JSON.stringify({ message_id: 'e1', title: '', detail: '' }),
      JSON.stringify({ message_id: 'e2', title: '时间错', detail: '内容', time: 'yesterday' }),
      JSON.stringify({ message_id: 'e3', title: '点赞错', detail: '内容', time: '2020/1/5 10:00:00', likes: -1 }),
    ].join('\n');
    const r = await post('jsonl', jsonl);
    expect(r.statusCode).toBe(200);
    const errors = (r.json() as { errors: { row: number; message: string; messageEn: string }[] }).errors;
    expect(errors.map((e) => e.row)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(errors.map((e) => e.messageEn)).toEqual([
      'Not valid JSON',
      'Not a JSON object',
      'The message id (message_id, 留言编号) is missing',
      'Both the title (留言主题) and the detail (留言详情) are empty',
      'The time (留言时间) cannot be read: "yesterday"',
      'likes (点赞数) should be a number not below 0: -1',
    ]);
    expect(errors[0]!.message).toBe('JSON 格式错误');

    const csv = await post('csv', 'message_id,title,time,detail\nc1,标题,2020/1/5 10:00:00\n');
    expect((csv.json() as { errors: { messageEn: string }[] }).errors[0]!.messageEn).toBe('The row has 3 columns, the header row 4');
  });
});
