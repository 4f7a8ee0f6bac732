import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childEnv } from './helpers/child.ts';
import { SYSTEM } from '../src/modules/identity/permissions.ts';
import { inTransaction } from '../src/db/tx.ts';
import { createTestApp, engines, type TestApp } from './helpers/db.ts';

const run = promisify(execFile);

describe.each(engines())('audit trail on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
  });
  afterAll(async () => t?.close());

  it('records every write in the same transaction, and nothing when the transaction rolls back', async () => {
    const before = await t.database.db.selectFrom('audit_events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    await expect(
      inTransaction(t.database.db, async (tx) => {
        await t.services.audit.record(tx, { actor: { id: null, label: 'system' }, action: 'probe', entity: 'test' });
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    const r = await t.services.identity.createDepartment(SYSTEM, { code: 'T1', name: '测试局' });
    expect(r.ok).toBe(true);
    const after = await t.database.db.selectFrom('audit_events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n) - Number(before.n)).toBe(1);
    const last = await t.database.db.selectFrom('audit_events').selectAll().orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(last.action).toBe('department.create');
    expect(last.actor_label).toBe('system');
    expect(last.after_digest).toMatch(/^[0-9a-f]{64}$/);
  });

  it('seals concurrent writers into one verifiable chain', async () => {
    await Promise.all(
      Array.from({ length: 40 }, (_, i) => t.services.identity.createDepartment(SYSTEM, { code: `C${i}`, name: `并发局${i}` })),
    );
    // Two sealers at once: one links, the other finds the head locked or nothing left.
    const [a, b] = await Promise.all([t.services.audit.seal(t.database.db), t.services.audit.seal(t.database.db)]);
    expect(a + b).toBeGreaterThanOrEqual(41);
    const report = await t.services.audit.verify(t.database.db);
    expect(report).toMatchObject({ ok: true, pending: 0 });
    expect(report.sealed).toBeGreaterThanOrEqual(41);
  });

  it('refuses updates and deletes through the append-only trigger', async () => {
    await expect(sql`update audit_events set action = 'x' where id = (select min(id) from audit_events)`.execute(t.database.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_events`.execute(t.database.db)).rejects.toThrow(/append-only/);
  });

  it('names an entry altered behind the trigger\'s back', async () => {
    await t.services.audit.seal(t.database.db);
    const victim = await t.database.db.selectFrom('audit_events').select(['id', 'seq']).where('seq', '=', 5).executeTakeFirstOrThrow();
    await sql`alter table audit_events disable trigger audit_events_append_only`.execute(t.database.db);
    await sql`update audit_events set actor_label = 'staff:999' where id = ${victim.id}`.execute(t.database.db);
    await sql`alter table audit_events enable trigger audit_events_append_only`.execute(t.database.db);
    const report = await t.services.audit.verify(t.database.db);
    expect(report.ok).toBe(false);
    expect(report.problem).toMatchObject({ kind: 'altered', id: victim.id, seq: 5 });
    expect(report.problem?.message).toBe(`记录 id ${victim.id}（序号 5）已被篡改：内容与其哈希值不再相符`);
    expect(report.problem?.messageEn).toBe(`entry id ${victim.id} (seq 5) was altered: its content no longer matches its hash`);
  });
});

describe('audit verify command', () => {
  it('exits 0 on an intact trail, then 1 naming the entry removed from the database', async () => {
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'yiwang-audit-cli-'));
    const env = childEnv({ YIWANG_DATA_DIR: dir });
    const bin = new URL('../bin/yiwang.js', import.meta.url).pathname;
    await run('node', [bin, 'seed'], { env });
    const ok = await run('node', [bin, 'audit', 'verify'], { env });
    expect(ok.stdout).toMatch(/intact: \d+ sealed/);
    // Remove entry seq 3 directly in the embedded database, as an intruder with file access would.
    const { openDatabase, pgliteDirFor } = await import('../src/db/database.ts');
    const database = await openDatabase({ pgliteDir: pgliteDirFor(dir) });
    await sql`alter table audit_events disable trigger audit_events_append_only`.execute(database.db);
    const gone = await database.db.selectFrom('audit_events').select('id').where('seq', '=', 3).executeTakeFirstOrThrow();
    await sql`delete from audit_events where seq = 3`.execute(database.db);
    await database.close();
    const bad = await run('node', [bin, 'audit', 'verify'], { env }).then(
      () => { throw new Error('verify should have failed'); },
      (e: { code: number; stdout: string }) => e,
    );
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('seq 3');
    expect(bad.stdout).toContain(`id ${gone.id + 1}`);
  }, 600_000); // `yiwang seed` seeds every module's demo content: 193 s at load 18 on 2 cores (a bound, not a claim)
});
