import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../src/modules/demo/demo.seed.ts';
import { calendarCoverageTodo, logCalendarCoverage } from '../src/modules/onestop/holidays.pages.ts';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';
import { formPost, get, getCsrf, type Jar } from './helpers/http.ts';
import { staffJars } from './helpers/sessions.ts';

const PAGE = '/staff/admin/holidays';
/** A made-up 2027 table (the official one is not known yet): the shape of the shipped file. */
const CSV_2027 = 'date,kind,holiday\n2027-01-01,off,元旦\n\n2027-10-01,off,测试假日\n2027-10-09,work,测试假日\n';

function multipart(fields: Record<string, string>, file: { name: string; bytes: Buffer }) {
  const boundary = '----yiwangholidays';
  const parts: Buffer[] = Object.entries(fields).map(([k, v]) => Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: text/csv\r\n\r\n`), file.bytes, Buffer.from(`\r\n--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/**
 * The working-day calendar page (/staff/admin/holidays) and the workbench warning when the calendar runs out. "Today"
 * is pinned to 27 November 2026 through the one-stop service's clock: 2027 is not covered and, from 1 November, that
 * is warned about. Before this page a year could be added only through PUT /api/v1/services/holidays/:year and nothing
 * said that 2027 was missing.
 */
describe.each(engines())('working-day calendar page on %s', (engine) => {
  let t: TestApp;
  let jars: Record<string, Jar>;

  beforeAll(async () => {
    t = await createTestApp(engine);
    await seedDemo(t.services);
    t.services.onestop.now = () => new Date('2026-11-27T10:00:00+08:00');
    jars = await staffJars(t, ['admin', 'supervisor', 'clerk']);
  });
  afterAll(async () => t?.close());

  const rows2027 = async () => t.database.db.selectFrom('svc_holidays').select(['date', 'kind']).where('year', '=', 2027).orderBy('date').execute();

  it('lists the shipped years, and warns the administrator and the supervisor on the workbench that 2027 is missing', async () => {
    const page = await get(t.app, jars.admin!, PAGE);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('2027 年的节假日和调休安排尚未录入');
    expect(page.body).toMatch(/href="\/staff\/admin\/holidays\/2025">2025 年<\/a><\/td><td[^>]*>随系统发布<\/td><td[^>]*>\d+/);
    expect(page.body).toContain('name="year" type="text" value="2027"');
    // Linked from the other administration pages.
    expect((await get(t.app, jars.admin!, '/staff/admin/departments')).body).toContain(`<a href="${PAGE}">工作日历</a>`);

    for (const who of ['admin', 'supervisor'] as const) {
      const wb = await get(t.app, jars[who]!, '/workbench');
      expect(wb.body).toContain('2027 年工作日历未录入：2027 年的办理时限只按周末计算');
      expect(wb.body).toContain(`href="${PAGE}"`);
    }
    expect((await get(t.app, jars.clerk!, '/workbench')).body).not.toContain('工作日历未录入');
    // Before 1 November next year is not yet warned about; with the current year missing it is (red).
    expect(calendarCoverageTodo(t.services, { kind: 'staff', userId: 0, roles: ['sys_admin'], departmentId: null } as never, '2026-10-31')).toEqual([]);
    expect(calendarCoverageTodo(t.services, { kind: 'staff', userId: 0, roles: ['supervisor'], departmentId: null } as never, '2027-01-04')[0]).toMatchObject({ due: '2027-01-01', status: 'red' });
  });

  it('the start-up log line names the year without personal data', () => {
    const lines: unknown[][] = [];
    const log = { warn: (...a: unknown[]) => void lines.push(a) };
    logCalendarCoverage({ ...t.services, log } as never);
    expect(lines).toHaveLength(1);
    expect(lines[0]![0]).toEqual({ missingYears: [2027] });
    expect(String(lines[0]![1])).toContain('no holiday table for 2027');
  });

  it('refuses a table with bad rows, each with its line number, and saves nothing', async () => {
    const csrf = await getCsrf(t.app, jars.admin!, PAGE);
    const bad = 'date,kind,holiday\n2027-01-01,off,元旦\n2028-01-01,off,元旦\n2027-01-01,off,元旦\n2027-02-30,off,春节\n2027-02-08,work,春节\n';
    const r = await formPost(t.app, jars.admin!, PAGE, { _csrf: csrf, year: '2027', csv: bad, action: 'save' });
    expect(r.statusCode).toBe(400);
    expect(r.body).toContain('第 3 行：2028-01-01 不属于 2027 年');
    expect(r.body).toContain('第 4 行：2027-01-01 重复出现');
    expect(r.body).toContain('第 5 行：无效日期 &quot;2027-02-30&quot;');
    expect(r.body).toContain('第 6 行：2027-02-08 是工作日，不需要标为调休上班');
    expect(await rows2027()).toEqual([]);
    // English page: English reasons.
    const en = await t.app.inject({ method: 'POST', url: PAGE, payload: new URLSearchParams({ _csrf: csrf, year: '2027', csv: bad, action: 'save' }).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' }, cookies: { ...Object.fromEntries(jars.admin!), lang: 'en' } });
    expect(en.statusCode).toBe(400);
    expect(en.body).toContain('Line 3: 2028-01-01 is not in 2027');
    const noYear = await formPost(t.app, jars.admin!, PAGE, { _csrf: csrf, year: '二〇二七', csv: CSV_2027, action: 'preview' });
    expect(noYear.statusCode).toBe(400);
    expect(noYear.body).toContain('请填写 4 位数字的年份，如 2027。');
    // A shipped year is not replaced without asking.
    const again = await formPost(t.app, jars.admin!, PAGE, { _csrf: csrf, year: '2026', csv: 'date,kind,holiday\n2026-01-01,off,元旦\n', action: 'save' });
    expect(again.statusCode).toBe(400);
    expect(again.body).toContain('2026 年已在日历中，如需替换请勾选“替换该年”');
  });

  it('is for administrators: a clerk gets 403 and the supervisor sees the years without the form', async () => {
    expect((await get(t.app, jars.clerk!, PAGE)).statusCode).toBe(403);
    const sup = await get(t.app, jars.supervisor!, PAGE);
    expect(sup.statusCode).toBe(200);
    expect(sup.body).not.toContain('name="csv"');
    const csrf = await getCsrf(t.app, jars.supervisor!, '/me/password');
    const post = await formPost(t.app, jars.supervisor!, PAGE, { _csrf: csrf, year: '2027', csv: CSV_2027, action: 'save' });
    expect(post.statusCode).toBe(403);
    expect(await rows2027()).toEqual([]);
    const noCsrf = await formPost(t.app, jars.admin!, PAGE, { year: '2027', csv: CSV_2027, action: 'save' });
    expect(noCsrf.statusCode).toBe(403);
    expect(await rows2027()).toEqual([]);
  });

  it('checks, then saves a year from an uploaded file; the warning goes and the save is audited', async () => {
    const csrf = await getCsrf(t.app, jars.admin!, PAGE);
    const preview = await formPost(t.app, jars.admin!, PAGE, { _csrf: csrf, year: '2027', csv: CSV_2027, action: 'preview' });
    expect(preview.statusCode).toBe(200);
    expect(preview.body).toContain('检查通过：2027 年（尚未保存）');
    expect(preview.body).toContain('共 3 行：放假 2 天，调休上班 1 天。');
    expect(await rows2027()).toEqual([]);
    // Only make-up days: warned before saving.
    const noOff = await formPost(t.app, jars.admin!, PAGE, { _csrf: csrf, year: '2027', csv: 'date,kind,holiday\n2027-10-09,work,测试假日\n', action: 'preview' });
    expect(noOff.body).toContain('2027 年没有任何放假日（off）');

    const m = multipart({ _csrf: csrf, year: '2027', csv: '', action: 'save' }, { name: '2027.csv', bytes: Buffer.from(`\uFEFF${CSV_2027}`, 'utf8') });
    const saved = await t.app.inject({ method: 'POST', url: PAGE, payload: m.payload, headers: m.headers, cookies: Object.fromEntries(jars.admin!) });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe(`${PAGE}/2027?saved=1`);
    expect(await rows2027()).toEqual([{ date: '2027-01-01', kind: 'off' }, { date: '2027-10-01', kind: 'off' }, { date: '2027-10-09', kind: 'work' }]);
    expect(t.services.calendar.current().isWorkingDay('2027-10-01')).toBe(false);

    const year = await get(t.app, jars.admin!, `${PAGE}/2027?saved=1`);
    expect(year.body).toContain('2027 年已保存');
    expect(year.body).toContain('测试假日');
    const list = await get(t.app, jars.admin!, PAGE);
    expect(list.body).not.toContain('尚未录入');
    expect(list.body).toMatch(/2027 年<\/a><\/td><td[^>]*>管理员录入<\/td><td[^>]*>2<\/td><td[^>]*>1<\/td><td[^>]*>吴管理（admin）<br>2026-\d\d-\d\d \d\d:\d\d<\/td>/);
    expect((await get(t.app, jars.supervisor!, '/workbench')).body).not.toContain('工作日历未录入');
    const audit = await t.database.db.selectFrom('audit_events').select(['action', 'entity_id']).where('action', '=', 'holidays.set').execute();
    expect(audit).toEqual([{ action: 'holidays.set', entity_id: '2027' }]);
  });

  it('asks for replace when another process saved the year a moment ago (this process has not re-read it yet)', async () => {
    // Another process saved 2028; this one re-reads the added years each minute and does not know it yet.
    await t.database.db.insertInto('svc_holidays').values({ date: '2028-01-01', kind: 'off', holiday: '元旦', year: 2028 }).execute();
    expect(t.services.calendar.current().isYearCovered(2028)).toBe(false);
    const csrf = await getCsrf(t.app, jars.admin!, PAGE);
    const r = await formPost(t.app, jars.admin!, PAGE, { _csrf: csrf, year: '2028', csv: 'date,kind,holiday\n2028-10-02,off,国庆节\n', action: 'save' });
    expect(r.statusCode).toBe(400);
    expect(r.body).toContain('2028 年已在日历中，如需替换请勾选“替换该年”');
    expect((await t.database.db.selectFrom('svc_holidays').select('date').where('year', '=', 2028).execute()).map((x) => x.date)).toEqual(['2028-01-01']);
    await t.database.db.deleteFrom('svc_holidays').where('year', '=', 2028).execute();
  });

  it('refuses a file with the header only (no row): saving it "replaced" 2027 with nothing and said saved', async () => {
    const csrf = await getCsrf(t.app, jars.admin!, PAGE);
    for (const csv of ['date,kind,holiday\n', 'date,kind,holiday\r\n\r\n\r\n']) {
      const r = await formPost(t.app, jars.admin!, PAGE, { _csrf: csrf, year: '2027', csv, replace: '1', action: 'save' });
      expect(r.statusCode).toBe(400);
      expect(r.body).toContain('表中没有任何一天');
    }
    expect(await rows2027()).toHaveLength(3);
    expect(t.services.calendar.current().isYearCovered(2027)).toBe(true);
    const preview = await t.services.onestop.previewHolidayCsv({ kind: 'staff', userId: 0, roles: ['sys_admin'], departmentId: null } as never, 2028, 'date,kind,holiday\n');
    expect(preview.ok ? 'ok' : preview.error.fields?.[0]?.messageEn).toContain('no row');
  });
});
