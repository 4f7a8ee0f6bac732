import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_STAFF, seedDemo } from '../src/modules/demo/demo.seed.ts';
import { SYSTEM } from '../src/modules/identity/permissions.ts';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';
import { cookieJar, formPost, get, getCsrf, type Jar } from './helpers/http.ts';

/** A post at a China time (UTC+8, no daylight saving). */
const post = (id: string, title: string, chinaTime: string) => ({
  externalId: id, title, text: `${title}，请有关部门尽快处理。`, author: id, publishedAt: new Date(`${chinaTime}+08:00`),
});

/**
 * The daily briefing (舆情日报) is one China day and the weekly one (舆情周报) seven, ending on the day of the newest
 * item; the dashboard's N days are N China days. They were the last 24 × N hours, so a daily briefing said
 * "2020-01-25 至 2020-01-26" and counted the evening before, and a weekly one spanned eight dates.
 */
describe.each(engines())('briefing periods on %s', (engine) => {
  let t: TestApp;
  const jar: Jar = cookieJar();
  beforeAll(async () => {
    t = await createTestApp(engine);
    await seedDemo(t.services);
    await t.services.opinion.ingest('period-test', [
      post('p1', 'A2区湘府路夜间施工噪音扰民', '2020-01-19T12:00:00'), // the day before the week
      post('p2', 'A3区学士路积水严重', '2020-01-20T09:00:00'), // the week's first day
      post('p3', 'A5区公交站台破损', '2020-01-25T12:00:00'), // the day before the day
      post('p4', 'A1区菜市场占道经营', '2020-01-26T07:30:00'), // the day (before 08:00, still 25 January in UTC)
      post('p5', 'A4区小区电梯故障', '2020-01-26T08:00:00'), // the newest
    ], SYSTEM);
    const pw = DEMO_STAFF.find((s) => s.username === 'analyst')!.password;
    await formPost(t.app, jar, '/login', { _csrf: await getCsrf(t.app, jar, '/login'), identifier: 'analyst', password: pw });
  });
  afterAll(async () => t?.close());

  const text = (body: string) => body.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

  it('the daily briefing is the newest item\'s China day', async () => {
    const day = await get(t.app, jar, '/opinion/briefing?period=day');
    expect(day.statusCode).toBe(200);
    const body = text(day.body);
    expect(body).toContain('舆情日报 2020-01-26 ');
    expect(body).not.toContain('2020-01-25');
    expect(body).toContain('本期共监测到信息 2 条');
  });

  it('the weekly briefing is seven China days', async () => {
    const body = text((await get(t.app, jar, '/opinion/briefing?period=week')).body);
    expect(body).toContain('舆情周报 2020-01-20 至 2020-01-26');
    expect(body).toContain('本期共监测到信息 4 条');
  });

  it('is in English on English pages (it was Chinese whatever the language)', async () => {
    const en = new Map(jar);
    en.set('lang', 'en');
    const week = await get(t.app, en, '/opinion/briefing?period=week');
    const body = text(week.body);
    expect(body).toContain('Weekly public-opinion briefing 2020-01-20 to 2020-01-26');
    expect(body).toContain('4 items this period (duplicates left out)');
    expect(body).toContain('No warnings this period.');
    expect(body).not.toMatch(/本期|周报|总体情况/);
    expect(text((await get(t.app, en, '/opinion/briefing?period=day')).body)).toContain('Daily public-opinion briefing 2020-01-26 ');
    const pdf = await get(t.app, en, '/opinion/briefing.pdf?period=week');
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('the dashboard and its API count N China days', async () => {
    const r = await t.services.opinion.dashboard(SYSTEM, 7);
    if (!r.ok) throw new Error(r.error.code);
    expect(r.value.from).toBe('2020-01-20');
    expect(r.value.volume.map((v) => v.day)).toEqual(['2020-01-20', '2020-01-25', '2020-01-26']);
  });
});
