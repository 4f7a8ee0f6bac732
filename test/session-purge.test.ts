/**
 * Expired sessions are deleted by the installation's hourly purge (IdentityService.startSessionPurge, started in
 * src/server.ts); a live session is kept. Before, nothing called purgeExpiredSessions and the rows stayed.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CITIZEN, DEMO_STAFF, seedDemo } from '../src/modules/demo/demo.seed.ts';
import { sessionIdOf } from '../src/modules/identity/identity.service.ts';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';
import { openSession } from './helpers/sessions.ts';

describe.each(engines())('expired session purge, on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
    await seedDemo(t.services);
  });
  afterAll(async () => t?.close());

  const exists = async (token: string) =>
    (await sql<{ n: number }>`select count(*)::int as n from sessions where id = ${sessionIdOf(token)}`.execute(t.database.db)).rows[0]!.n === 1;

  it('deletes expired sessions at start and keeps live ones; a failure goes to onError, not up', async () => {
    const live = await openSession(t, { username: DEMO_STAFF.find((s) => s.username === 'clerk')!.username });
    const expired = await openSession(t, { mobile: DEMO_CITIZEN.mobile });
    await sql`update sessions set expires_at = now() - interval '1 minute' where id = ${sessionIdOf(expired)}`.execute(t.database.db);
    expect(await exists(expired)).toBe(true);

    const errors: unknown[] = [];
    const stop = t.services.identity.startSessionPurge(3_600_000, (err) => errors.push(err));
    await stop();
    expect(errors).toEqual([]);
    expect(await exists(expired)).toBe(false);
    expect(await exists(live)).toBe(true);
  });
});
