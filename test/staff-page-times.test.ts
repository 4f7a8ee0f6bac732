import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CITIZEN, DEMO_STAFF, seedDemo } from '../src/modules/demo/demo.seed.ts';
import { seedDatashareDemo } from '../src/modules/datashare/datashare.seed.ts';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';
import { cookieJar, formPost, get, getCsrf, type Jar } from './helpers/http.ts';

/**
 * Staff pages show instants in China time (UTC+8, `chinaDateTime`), not the UTC clock: 18:30 UTC on 1 March is
 * 02:30 on 2 March in China, and a repair decided then was decided on 2 March.
 */
const AT = new Date('2026-03-01T18:30:00Z');
const CHINA = '2026-03-02 02:30';
const UTC = '2026-03-01 18:30';

describe.each(engines())('times on staff pages on %s', (engine) => {
  let t: TestApp;
  const pw = (u: string) => DEMO_STAFF.find((s) => s.username === u)!.password;
  async function login(username: string): Promise<Jar> {
    const jar = cookieJar();
    await formPost(t.app, jar, '/login', { _csrf: await getCsrf(t.app, jar, '/login'), identifier: username, password: pw(username) });
    return jar;
  }

  beforeAll(async () => {
    t = await createTestApp(engine);
    await seedDemo(t.services);
    await seedDatashareDemo(t.services, DEMO_CITIZEN);
  });
  afterAll(async () => t?.close());

  it('datashare: the access log, the quality overview, a resource\'s runs and its decided findings', async () => {
    const db = t.database.db;
    const huji = await db.selectFrom('ds_resources').select('id').where('code', '=', 'PSB-HUJI').executeTakeFirstOrThrow();
    const finding = await db.selectFrom('ds_quality_findings').select('id').where('resource_id', '=', huji.id).where('status', '=', 'open').orderBy('id').executeTakeFirstOrThrow();
    const admin = await db.selectFrom('users').select('id').where('username', '=', 'dataadmin').executeTakeFirstOrThrow();
    await db.updateTable('ds_access_log').set({ at: AT }).execute();
    await db.updateTable('ds_quality_runs').set({ at: AT }).execute();
    await db.updateTable('ds_quality_findings').set({ status: 'rejected', decided_by: admin.id, decided_at: AT }).where('id', '=', finding.id).execute();
    const jar = await login('dataadmin');
    for (const url of ['/datashare/log', '/datashare/quality', `/datashare/quality/${huji.id}`]) {
      const r = await get(t.app, jar, url);
      expect(r.statusCode, url).toBe(200);
      expect(r.body, url).toContain(CHINA);
      expect(r.body, url).not.toContain(UTC);
      expect(r.body, url).not.toContain('2026-03-01 18:30:00');
    }
    const detail = await get(t.app, jar, `/datashare/quality/${huji.id}`);
    // The chart's data (read by the script) uses the same China time as the table.
    expect(detail.body).toContain(`"at":"${CHINA}"`);
    expect(detail.body).toMatch(/已驳回 · 2026-03-02<\/li>/);
  });

  it('onestop: the notification outbox', async () => {
    await t.database.db.insertInto('svc_outbox').values({ user_id: null, case_id: null, channel: 'department', subject: '时间测试', body: '—', created_at: AT }).execute();
    const r = await get(t.app, await login('supervisor'), '/services/outbox');
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('时间测试');
    expect(r.body).toContain(`<td>${CHINA}</td>`);
    expect(r.body).not.toContain(UTC);
  });
});
