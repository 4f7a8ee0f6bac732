import { sql } from 'kysely';
import type { Tx } from '../../db/tx.ts';
import type { AccessLogRow, QualityFinding, QualityRun, RecordRow, Resource, ResourceField, ShareRequest, SystemRow } from './datashare.types.ts';

/** SQL for the data catalogue, sharing and quality. */
export const datashareRepository = {
  async resources(db: Tx, departmentIds?: number[]): Promise<Resource[]> {
    let q = db.selectFrom('ds_resources').selectAll();
    if (departmentIds) q = departmentIds.length ? q.where('department_id', 'in', departmentIds) : q.where(sql<boolean>`false`);
    return q.orderBy('department_id').orderBy('id').execute();
  },
  async resource(db: Tx, id: number): Promise<Resource | undefined> {
    return db.selectFrom('ds_resources').selectAll().where('id', '=', id).executeTakeFirst();
  },
  async resourceByCode(db: Tx, code: string): Promise<Resource | undefined> {
    return db.selectFrom('ds_resources').selectAll().where('code', '=', code).executeTakeFirst();
  },
  async insertResource(db: Tx, r: Omit<Resource, 'id' | 'created_at' | 'updated_at' | 'fields'> & { fields: ResourceField[] }): Promise<Resource> {
    return db.insertInto('ds_resources').values({ ...r, fields: JSON.stringify(r.fields) }).returningAll().executeTakeFirstOrThrow();
  },
  async upsertRecords(db: Tx, resourceId: number, rows: { key: string; data: Record<string, string> }[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 500) {
      await db.insertInto('ds_records')
        .values(rows.slice(i, i + 500).map((r) => ({ resource_id: resourceId, record_key: r.key, data: JSON.stringify(r.data) })))
        .onConflict((oc) => oc.columns(['resource_id', 'record_key']).doUpdateSet({ data: (eb) => eb.ref('excluded.data'), updated_at: new Date() }))
        .execute();
    }
  },
  async record(db: Tx, resourceId: number, key: string): Promise<RecordRow | undefined> {
    return db.selectFrom('ds_records').selectAll().where('resource_id', '=', resourceId).where('record_key', '=', key).executeTakeFirst();
  },
  async recordById(db: Tx, id: number, forUpdate = false): Promise<RecordRow | undefined> {
    let q = db.selectFrom('ds_records').selectAll().where('id', '=', id);
    if (forUpdate) q = q.forUpdate();
    return q.executeTakeFirst();
  },
  async records(db: Tx, resourceId: number): Promise<RecordRow[]> {
    return db.selectFrom('ds_records').selectAll().where('resource_id', '=', resourceId).orderBy('id').execute();
  },
  async countRecords(db: Tx, resourceId: number): Promise<number> {
    const r = await db.selectFrom('ds_records').select((eb) => eb.fn.countAll<number>().as('n')).where('resource_id', '=', resourceId).executeTakeFirstOrThrow();
    return Number(r.n);
  },
  async updateRecordData(db: Tx, id: number, data: Record<string, string>): Promise<RecordRow> {
    return db.updateTable('ds_records').set({ data: JSON.stringify(data), updated_at: new Date() }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
  },

  async insertSystem(db: Tx, s: { department_id: number; name: string; key_prefix: string; key_hash: string; rate_per_minute: number }): Promise<SystemRow> {
    return db.insertInto('ds_systems').values(s).returningAll().executeTakeFirstOrThrow();
  },
  async system(db: Tx, id: number): Promise<SystemRow | undefined> {
    return db.selectFrom('ds_systems').selectAll().where('id', '=', id).executeTakeFirst();
  },
  async systemByPrefix(db: Tx, prefix: string): Promise<SystemRow | undefined> {
    return db.selectFrom('ds_systems').selectAll().where('key_prefix', '=', prefix).executeTakeFirst();
  },
  async systems(db: Tx, departmentIds?: number[]): Promise<SystemRow[]> {
    let q = db.selectFrom('ds_systems').selectAll();
    if (departmentIds) q = departmentIds.length ? q.where('department_id', 'in', departmentIds) : q.where(sql<boolean>`false`);
    return q.orderBy('id').execute();
  },
  async revokeSystem(db: Tx, id: number): Promise<SystemRow> {
    return db.updateTable('ds_systems').set({ status: 'revoked', revoked_at: new Date() }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
  },

  async insertRequest(db: Tx, r: Omit<ShareRequest, 'id' | 'status' | 'decision_note' | 'decided_by' | 'decided_at' | 'created_at' | 'fields'> & { fields: string[] }): Promise<ShareRequest> {
    return db.insertInto('ds_requests').values({ ...r, fields: JSON.stringify(r.fields) }).returningAll().executeTakeFirstOrThrow();
  },
  async request(db: Tx, id: number, forUpdate = false): Promise<ShareRequest | undefined> {
    let q = db.selectFrom('ds_requests').selectAll().where('id', '=', id);
    if (forUpdate) q = q.forUpdate();
    return q.executeTakeFirst();
  },
  async decideRequest(db: Tx, id: number, set: { status: ShareRequest['status']; decision_note: string | null; decided_by: number | null }): Promise<ShareRequest> {
    return db.updateTable('ds_requests').set({ ...set, decided_at: new Date() }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
  },
  /** Requests where either side is in `departmentIds` (undefined = all). */
  async requests(db: Tx, departmentIds?: number[]): Promise<(ShareRequest & { owner_department_id: number; resource_name: string; resource_code: string; system_name: string })[]> {
    let q = db.selectFrom('ds_requests as r').innerJoin('ds_resources as s', 's.id', 'r.resource_id').innerJoin('ds_systems as y', 'y.id', 'r.system_id')
      .selectAll('r').select(['s.department_id as owner_department_id', 's.name as resource_name', 's.code as resource_code', 'y.name as system_name']);
    if (departmentIds) q = departmentIds.length ? q.where((eb) => eb.or([eb('r.requester_department_id', 'in', departmentIds), eb('s.department_id', 'in', departmentIds)])) : q.where(sql<boolean>`false`);
    return q.orderBy('r.id', 'desc').limit(500).execute();
  },
  async requestsFor(db: Tx, systemId: number, resourceId: number): Promise<ShareRequest[]> {
    return db.selectFrom('ds_requests').selectAll().where('system_id', '=', systemId).where('resource_id', '=', resourceId).orderBy('id', 'desc').execute();
  },

  async callsSince(db: Tx, systemId: number, since: Date): Promise<number> {
    const r = await db.selectFrom('ds_access_log').select((eb) => eb.fn.countAll<number>().as('n')).where('system_id', '=', systemId).where('at', '>', since).executeTakeFirstOrThrow();
    return Number(r.n);
  },
  async insertLog(db: Tx, l: Omit<AccessLogRow, 'id' | 'fields'> & { fields: string[] }): Promise<AccessLogRow> {
    return db.insertInto('ds_access_log').values({ ...l, fields: JSON.stringify(l.fields) }).returningAll().executeTakeFirstOrThrow();
  },
  async logs(db: Tx, f: { departmentIds?: number[]; subjectDigest?: string; okOnly?: boolean; limit: number }): Promise<(AccessLogRow & { resource_name: string; system_name: string })[]> {
    let q = db.selectFrom('ds_access_log as l').innerJoin('ds_resources as s', 's.id', 'l.resource_id').innerJoin('ds_systems as y', 'y.id', 'l.system_id')
      .selectAll('l').select(['s.name as resource_name', 'y.name as system_name']);
    if (f.departmentIds) {
      const d = f.departmentIds;
      q = d.length ? q.where((eb) => eb.or([eb('l.requester_department_id', 'in', d), eb('l.owner_department_id', 'in', d)])) : q.where(sql<boolean>`false`);
    }
    if (f.subjectDigest) q = q.where('l.subject_digest', '=', f.subjectDigest);
    if (f.okOnly) q = q.where('l.outcome', '=', 'ok');
    return q.orderBy('l.id', 'desc').limit(f.limit).execute();
  },
  async log(db: Tx, id: number): Promise<AccessLogRow | undefined> {
    return db.selectFrom('ds_access_log').selectAll().where('id', '=', id).executeTakeFirst();
  },

  async insertRun(db: Tx, r: { resource_id: number; total_rows: number; valid_rows: number; findings: number }): Promise<QualityRun> {
    return db.insertInto('ds_quality_runs').values(r).returningAll().executeTakeFirstOrThrow();
  },
  async runs(db: Tx, resourceId: number, limit = 50): Promise<QualityRun[]> {
    const rows = await db.selectFrom('ds_quality_runs').selectAll().where('resource_id', '=', resourceId).orderBy('id', 'desc').limit(limit).execute();
    return rows.reverse();
  },
  async supersedeOpen(db: Tx, resourceId: number): Promise<void> {
    await db.updateTable('ds_quality_findings').set({ status: 'superseded' }).where('resource_id', '=', resourceId).where('status', '=', 'open').execute();
  },
  async insertFindings(db: Tx, rows: Omit<QualityFinding, 'id' | 'status' | 'decided_by' | 'decided_at'>[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 500) await db.insertInto('ds_quality_findings').values(rows.slice(i, i + 500)).execute();
  },
  async findings(db: Tx, resourceId: number, statuses: QualityFinding['status'][], limit = 500): Promise<(QualityFinding & { record_key: string })[]> {
    return db.selectFrom('ds_quality_findings as f').innerJoin('ds_records as r', 'r.id', 'f.record_id').selectAll('f').select('r.record_key')
      .where('f.resource_id', '=', resourceId).where('f.status', 'in', statuses).orderBy('f.id').limit(limit).execute();
  },
  async finding(db: Tx, id: number, forUpdate = false): Promise<QualityFinding | undefined> {
    let q = db.selectFrom('ds_quality_findings').selectAll().where('id', '=', id);
    if (forUpdate) q = q.forUpdate();
    return q.executeTakeFirst();
  },
  async decideFinding(db: Tx, id: number, status: QualityFinding['status'], by: number | null): Promise<QualityFinding> {
    return db.updateTable('ds_quality_findings').set({ status, decided_by: by, decided_at: new Date() }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
  },
  async findingCounts(db: Tx): Promise<{ resource_id: number; status: string; n: number }[]> {
    const rows = await db.selectFrom('ds_quality_findings').select(['resource_id', 'status', (eb) => eb.fn.countAll<number>().as('n')]).groupBy(['resource_id', 'status']).execute();
    return rows.map((r) => ({ ...r, n: Number(r.n) }));
  },
  async latestRuns(db: Tx): Promise<QualityRun[]> {
    return db.selectFrom('ds_quality_runs').selectAll().where('id', 'in', (eb) => eb.selectFrom('ds_quality_runs').select((e) => e.fn.max('id').as('id')).groupBy('resource_id')).execute();
  },
};
