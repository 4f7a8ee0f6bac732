import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM } from '../src/modules/identity/permissions.ts';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';

/**
 * Wiping the audit trail — the append-only trigger disabled, every row of audit_events, audit_seals and audit_head
 * deleted — answered `{ ok: true, sealed: 0 }`: an empty trail looked like a fresh install. The head is now written
 * by a migration, so its absence is tampering, and the sealer does not write a new head over the gap.
 */
describe.each(engines())('a wiped audit trail, on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
  });
  afterAll(async () => t?.close());

  it('a fresh install verifies before and after its first seal', async () => {
    const db = t.database.db;
    expect(await t.services.audit.verify(db)).toMatchObject({ ok: true });
    expect((await t.services.identity.createDepartment(SYSTEM, { code: 'W1', name: '核验局' })).ok).toBe(true);
    expect(await t.services.audit.seal(db)).toBeGreaterThan(0);
    expect(await t.services.audit.verify(db)).toMatchObject({ ok: true });
  });

  it('deleting every entry, seal and the head is reported, also after the sealer ran again', async () => {
    const db = t.database.db;
    await sql`alter table audit_events disable trigger audit_events_append_only`.execute(db);
    await sql`delete from audit_events`.execute(db);
    await sql`alter table audit_events enable trigger audit_events_append_only`.execute(db);
    await sql`delete from audit_seals`.execute(db);
    await sql`delete from audit_head`.execute(db);
    const report = await t.services.audit.verify(db);
    expect(report.ok).toBe(false);
    expect(report.problem).toMatchObject({ kind: 'forged-head', messageEn: expect.stringContaining('head is missing') as unknown });
    // New entries after the wipe are not sealed into a new chain that would hide it.
    expect((await t.services.identity.createDepartment(SYSTEM, { code: 'W2', name: '核验二局' })).ok).toBe(true);
    expect(await t.services.audit.seal(db)).toBe(0);
    expect(await t.services.audit.verify(db)).toMatchObject({ ok: false, problem: { kind: 'forged-head' } });
  });

  it('a head reset to the unsigned genesis behind a sealed chain is reported', async () => {
    const db = t.database.db;
    await sql`insert into audit_head (id, last_seq, last_hash, mac, sealed_at) values (1, 0, 'x', '', now())`.execute(db);
    // Not the genesis hash and no MAC: forged.
    expect(await t.services.audit.verify(db)).toMatchObject({ ok: false, problem: { kind: 'forged-head' } });
  });
});
