import type { KeyObject } from 'node:crypto';
import { isRecordId } from '../../lib/record-id.ts';
import type { Tx } from '../../db/tx.ts';
import { inTransaction } from '../../db/tx.ts';
import { chinaDate, isValidDate } from '../../lib/calendar/index.ts';
import { commonError, ok, type FieldError, type Result } from '../../lib/errors.ts';
import { isCheckKind, makeCellChecker, type CheckKind } from '../../lib/quality/index.ts';
import type { AuditLog } from '../audit/audit.service.ts';
import { identityRepository } from '../identity/identity.repository.ts';
import { actorOf, definePermissions, departmentScope, type Principal } from '../identity/permissions.ts';
import type { TodoItem } from '../identity/workbench.ts';
import { datashareError } from './datashare.errors.ts';
import {
  dcatCatalog, keyMatches, keyPrefix, maskValue, newApiKey, payloadDigest, signAccess, signingKeyPair, subjectDigest,
  verifyAccess, type SignedAccess,
} from './datashare.pure.ts';
import { datashareRepository as repo } from './datashare.repository.ts';
import {
  FIELD_TYPES, SHARING_CLASSES, type AccessLogRow, type QualityFinding, type QualityRun, type Resource, type ResourceField,
  type ShareRequest, type SharingClass, type SystemRow,
} from './datashare.types.ts';

export const authorize = definePermissions({
  'datashare.catalogue.read': ['clerk', 'dept_head', 'supervisor', 'analyst', 'leader', 'data_admin', 'sys_admin'],
  'datashare.resource.register': ['dept_head', 'data_admin'],
  'datashare.system.register': ['dept_head', 'data_admin'],
  'datashare.request.create': ['clerk', 'dept_head', 'data_admin'],
  'datashare.request.decide': ['dept_head', 'data_admin'],
  'datashare.log.read': ['dept_head', 'data_admin', 'supervisor'],
  'datashare.quality.view': ['dept_head', 'data_admin', 'supervisor', 'leader'],
  'datashare.quality.run': ['dept_head', 'data_admin'],
  'datashare.quality.decide': ['data_admin'],
  'datashare.usage.mine': ['citizen'],
});

export const UPDATE_FREQUENCIES = { realtime: '实时', daily: '每日', weekly: '每周', monthly: '每月', quarterly: '每季度', yearly: '每年', irregular: '不定期' } as const;

export interface DatashareOptions {
  signingSecret: string;
  today?: () => string;
  now?: () => Date;
}

/** A successful access: the approved fields of one record and the signed log entry. */
export interface AccessResult {
  resource: string;
  key: string;
  data: Record<string, string>;
  access: { logId: number; at: string; signature: string; payloadDigest: string; requestId: number };
}

/** A failed access still returns the log id when the call was attributable to a system. */
export interface AccessFailure {
  logId?: number;
}

export interface ResourceSummary {
  resource: Resource;
  departmentName: string;
  records: number;
  latestRun: QualityRun | undefined;
  openFindings: number;
  appliedRepairs: number;
  rejected: number;
}

const str = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');

export class DatashareService {
  private readonly keys: { privateKey: KeyObject; publicKey: KeyObject; publicKeyPem: string };
  private readonly today: () => string;
  private readonly now: () => Date;
  constructor(
    private readonly db: Tx,
    private readonly audit: AuditLog,
    private readonly opts: DatashareOptions,
  ) {
    this.keys = signingKeyPair(opts.signingSecret);
    this.now = opts.now ?? (() => new Date());
    this.today = opts.today ?? (() => chinaDate(this.now()));
  }

  /** The platform's public key (PEM, SPKI) that verifies every access-log signature. */
  get publicKeyPem(): string {
    return this.keys.publicKeyPem;
  }

  // ------------------------------------------------------------ catalogue

  /** Registers a data resource of a department (its head, or a data administrator). */
  async registerResource(p: Principal, raw: Record<string, unknown>): Promise<Result<Resource>> {
    const departmentId = raw.departmentId !== undefined ? Number(raw.departmentId) : p.kind === 'staff' ? p.departmentId ?? 0 : 0;
    const auth = authorize(p, 'datashare.resource.register', { departmentId });
    if (!auth.ok) return auth;
    const fields: FieldError[] = [];
    // A department id no record can have (0, 3000000000) is reported with the other fields, before any query; an
    // empty one is the form's select left unchosen.
    if (raw.departmentId === '') fields.push({ field: 'departmentId', message: '请选择提供部门。', messageEn: 'Choose the department that provides the data.' });
    else if (!isRecordId(departmentId)) fields.push({ field: 'departmentId', message: '部门不存在。', messageEn: 'No such department.' });
    const code = str(raw.code);
    if (!/^[A-Za-z0-9_.-]{2,60}$/.test(code)) fields.push({ field: 'code', message: '资源编码为 2–60 位字母、数字或 _ . -。', messageEn: 'The code has 2–60 letters, digits or _ . -.' });
    const name = str(raw.name);
    if (!name || name.length > 100) fields.push({ field: 'name', message: '请填写资源名称（100 字以内）。', messageEn: 'Enter the name (at most 100 characters).' });
    const description = str(raw.description);
    if (!description || description.length > 2000) fields.push({ field: 'description', message: '请填写资源摘要（2000 字以内）。', messageEn: 'Enter the description (at most 2000 characters).' });
    const owner = str(raw.owner);
    if (!owner || owner.length > 100) fields.push({ field: 'owner', message: '请填写资源负责人或处室。', messageEn: 'Enter the owner (a person or an office, at most 100 characters).' });
    const freq = str(raw.updateFrequency);
    if (!(freq in UPDATE_FREQUENCIES)) fields.push({ field: 'updateFrequency', message: '更新周期不正确。', messageEn: 'Choose an update frequency from the list.' });
    const sharingClass = str(raw.sharingClass) as SharingClass;
    if (!(sharingClass in SHARING_CLASSES)) fields.push({ field: 'sharingClass', message: '共享类型应为无条件共享、有条件共享或不予共享。', messageEn: 'The sharing class is shared unconditionally, shared on conditions or not shared.' });
    const condition = str(raw.sharingCondition) || null;
    if (sharingClass === 'conditional' && !condition) fields.push({ field: 'sharingCondition', message: '有条件共享须写明共享条件。', messageEn: 'Write the condition of conditional sharing.' });
    const list: ResourceField[] = [];
    if (!Array.isArray(raw.fields) || raw.fields.length === 0 || raw.fields.length > 200) fields.push({ field: 'fields', message: '请列出 1–200 个信息项。', messageEn: 'List 1–200 data items (fields).' });
    else {
      for (const [i, f] of (raw.fields as Record<string, unknown>[]).entries()) {
        const fname = str(f?.name);
        const type = str(f?.type) as ResourceField['type'];
        const checks = Array.isArray(f?.checks) ? (f.checks as unknown[]).map(String) : [];
        const label = str(f?.label);
        const labelEn = str(f?.labelEn);
        if (!/^[\p{L}\p{N}_]{1,40}$/u.test(fname) || !(FIELD_TYPES as readonly string[]).includes(type) || checks.some((c) => !isCheckKind(c)) || label.length > 100 || labelEn.length > 100) {
          fields.push({ field: `fields.${i}`, message: `第 ${i + 1} 个信息项的名称、中文名、英文名（各 100 字以内）、类型或检查规则不正确。`, messageEn: `Data item ${i + 1}: its name, labels (at most 100 characters each), type or checks are not valid.` });
          continue;
        }
        list.push({ name: fname, label: label || fname, ...(labelEn ? { labelEn } : {}), type, personal: f.personal === true, sensitive: f.sensitive === true, ...(checks.length ? { checks: checks as CheckKind[] } : {}) });
      }
      if (new Set(list.map((f) => f.name)).size !== list.length) fields.push({ field: 'fields', message: '信息项名称重复。', messageEn: 'Two data items have the same name.' });
    }
    const keyField = str(raw.keyField);
    if (!list.some((f) => f.name === keyField)) fields.push({ field: 'keyField', message: '主键须是其中一个信息项。', messageEn: 'The key field must be one of the data items.' });
    if (fields.length) return commonError('VALIDATION_FAILED', fields);
    return inTransaction(this.db, async (tx) => {
      if (!isRecordId(departmentId) || !(await identityRepository.findDepartment(tx, departmentId))) return commonError('VALIDATION_FAILED', [{ field: 'departmentId', message: '部门不存在。', messageEn: 'No such department.' }]);
      if (await repo.resourceByCode(tx, code)) return datashareError('DATASHARE_RESOURCE_CODE_TAKEN', [{ field: 'code', message: '资源编码已存在。', messageEn: 'This resource code exists.' }]);
      const r = await repo.insertResource(tx, { code, department_id: departmentId, name, description, fields: list, key_field: keyField, owner, update_frequency: freq, sharing_class: sharingClass, sharing_condition: condition });
      await this.audit.record(tx, { actor: actorOf(p), action: 'datashare.resource.register', entity: 'ds_resource', entityId: r.id, after: r, detail: { code, sharingClass } });
      return ok(r);
    });
  }

  /** Loads records into a resource (owner department or data administrator). Keys come from the key field. */
  async loadRecords(p: Principal, resourceId: number, rows: Record<string, string>[]): Promise<Result<{ loaded: number }>> {
    const r = await repo.resource(this.db, resourceId);
    if (!r) return datashareError('DATASHARE_RESOURCE_NOT_FOUND');
    const auth = authorize(p, 'datashare.resource.register', { departmentId: r.department_id });
    if (!auth.ok) return auth;
    const keyed = rows.map((d) => ({ key: String(d[r.key_field] ?? '').trim(), data: d })).filter((x) => x.key);
    return inTransaction(this.db, async (tx) => {
      await repo.upsertRecords(tx, r.id, keyed);
      await this.audit.record(tx, { actor: actorOf(p), action: 'datashare.records.load', entity: 'ds_resource', entityId: r.id, detail: { rows: keyed.length } });
      return ok({ loaded: keyed.length });
    });
  }

  /** The catalogue the caller may read (every staff member sees every department's entries). */
  async catalogue(p: Principal): Promise<Result<Resource[]>> {
    const auth = authorize(p, 'datashare.catalogue.read');
    if (!auth.ok) return auth;
    return ok(await repo.resources(this.db));
  }

  async resourceByCode(p: Principal, code: string): Promise<Result<Resource>> {
    const auth = authorize(p, 'datashare.catalogue.read');
    if (!auth.ok) return auth;
    const r = await repo.resourceByCode(this.db, code);
    return r ? ok(r) : datashareError('DATASHARE_RESOURCE_NOT_FOUND');
  }

  /** The catalogue as DCAT JSON-LD. */
  async dcat(p: Principal, base: string): Promise<Result<Record<string, unknown>>> {
    const list = await this.catalogue(p);
    if (!list.ok) return list;
    const depts = new Map((await identityRepository.listDepartments(this.db)).map((d) => [d.id, d]));
    return ok(dcatCatalog(base, list.value.map((r) => {
      const d = depts.get(r.department_id);
      return {
        code: r.code, name: r.name, description: r.description, fields: r.fields, keyField: r.key_field, owner: r.owner,
        department: { id: r.department_id, code: d?.code ?? '', name: d?.name ?? '' }, updateFrequency: r.update_frequency,
        sharingClass: r.sharing_class, sharingCondition: r.sharing_condition, modified: r.updated_at.toISOString(),
      };
    })));
  }

  // ------------------------------------------------------------ calling systems and requests

  /** Registers a calling system of the caller's department; the API key is returned once and stored hashed. */
  async registerSystem(p: Principal, raw: { name?: unknown; departmentId?: unknown; ratePerMinute?: unknown }): Promise<Result<{ system: SystemRow; apiKey: string }>> {
    const departmentId = raw.departmentId !== undefined ? Number(raw.departmentId) : p.kind === 'staff' ? p.departmentId ?? 0 : 0;
    const auth = authorize(p, 'datashare.system.register', { departmentId });
    if (!auth.ok) return auth;
    const name = str(raw.name);
    const rate = raw.ratePerMinute === undefined ? 60 : Number(raw.ratePerMinute);
    const fields: FieldError[] = [];
    if (!name || name.length > 100) fields.push({ field: 'name', message: '请填写调用系统名称。', messageEn: 'Enter the system name (at most 100 characters).' });
    if (!Number.isInteger(rate) || rate < 1 || rate > 10_000) fields.push({ field: 'ratePerMinute', message: '每分钟调用上限应为 1–10000。', messageEn: 'Calls per minute must be 1–10000.' });
    if (fields.length) return commonError('VALIDATION_FAILED', fields);
    const key = newApiKey();
    return inTransaction(this.db, async (tx) => {
      if (!isRecordId(departmentId) || !(await identityRepository.findDepartment(tx, departmentId))) return commonError('VALIDATION_FAILED', [{ field: 'departmentId', message: '部门不存在。', messageEn: 'No such department.' }]);
      const s = await repo.insertSystem(tx, { department_id: departmentId, name, key_prefix: key.prefix, key_hash: key.hash, rate_per_minute: rate });
      await this.audit.record(tx, { actor: actorOf(p), action: 'datashare.system.register', entity: 'ds_system', entityId: s.id, detail: { departmentId, keyPrefix: key.prefix } });
      return ok({ system: s, apiKey: key.key });
    });
  }

  /** Revokes a system's key (its department head or a data administrator). */
  async revokeSystem(p: Principal, id: number): Promise<Result<SystemRow>> {
    return inTransaction(this.db, async (tx) => {
      const s = await repo.system(tx, id);
      if (!s) return datashareError('DATASHARE_SYSTEM_NOT_FOUND');
      const auth = authorize(p, 'datashare.system.register', { departmentId: s.department_id });
      if (!auth.ok) return auth;
      const after = await repo.revokeSystem(tx, id);
      await this.audit.record(tx, { actor: actorOf(p), action: 'datashare.system.revoke', entity: 'ds_system', entityId: id, detail: { keyPrefix: s.key_prefix } });
      return ok(after);
    });
  }

  async systems(p: Principal): Promise<Result<SystemRow[]>> {
    const auth = authorize(p, 'datashare.catalogue.read');
    if (!auth.ok) return auth;
    const scope = departmentScope(p);
    return ok(await repo.systems(this.db, scope === 'all' ? undefined : scope));
  }

  /** A department asks for fields of a resource for one of its systems, with purpose, legal basis and period. */
  async requestAccess(p: Principal, raw: Record<string, unknown>): Promise<Result<ShareRequest>> {
    const fields: FieldError[] = [];
    const systemId = Number(raw.systemId);
    const resourceCode = str(raw.resource);
    const wanted = Array.isArray(raw.fields) ? [...new Set((raw.fields as unknown[]).map(String))] : typeof raw.fields === 'string' ? [raw.fields] : [];
    const purpose = str(raw.purpose);
    const legalBasis = str(raw.legalBasis);
    const from = str(raw.periodFrom) || this.today();
    const to = str(raw.periodTo);
    if (!purpose || purpose.length > 500) fields.push({ field: 'purpose', message: '请写明使用用途（500 字以内）。', messageEn: 'Write the purpose (at most 500 characters).' });
    if (!legalBasis || legalBasis.length > 500) fields.push({ field: 'legalBasis', message: '请写明法律或政策依据（500 字以内）。', messageEn: 'Write the legal or policy basis (at most 500 characters).' });
    if (!isValidDate(from)) fields.push({ field: 'periodFrom', message: '开始日期应为 YYYY-MM-DD。', messageEn: 'The start date must be a real date, YYYY-MM-DD.' });
    if (!isValidDate(to) || (isValidDate(from) && to < from)) fields.push({ field: 'periodTo', message: '结束日期应为 YYYY-MM-DD，且不早于开始日期。', messageEn: 'The end date must be a real date, YYYY-MM-DD, not before the start date.' });
    if (!wanted.length) fields.push({ field: 'fields', message: '请选择需要的信息项。', messageEn: 'Choose the data items you need.' });
    return inTransaction(this.db, async (tx) => {
      const system = isRecordId(systemId) ? await repo.system(tx, systemId) : undefined;
      if (!system) return datashareError('DATASHARE_SYSTEM_NOT_FOUND', [{ field: 'systemId', message: '调用系统不存在。', messageEn: 'No such calling system.' }]);
      const auth = authorize(p, 'datashare.request.create', { departmentId: system.department_id });
      if (!auth.ok) return auth;
      const resource = await repo.resourceByCode(tx, resourceCode);
      if (!resource) return datashareError('DATASHARE_RESOURCE_NOT_FOUND', [{ field: 'resource', message: '数据资源不存在。', messageEn: 'No such data resource.' }]);
      if (resource.sharing_class === 'none') return datashareError('DATASHARE_NOT_SHAREABLE');
      const unknown = wanted.filter((f) => !resource.fields.some((x) => x.name === f));
      if (unknown.length) fields.push({ field: 'fields', message: `资源中没有这些信息项：${unknown.join('、')}`, messageEn: `The resource has no such data items: ${unknown.join(', ')}` });
      if (fields.length) return commonError('VALIDATION_FAILED', fields);
      const r = await repo.insertRequest(tx, {
        resource_id: resource.id, system_id: system.id, requester_department_id: system.department_id, fields: wanted, purpose,
        legal_basis: legalBasis, period_from: from, period_to: to, created_by: p.kind === 'staff' ? p.id : null,
      });
      await this.audit.record(tx, { actor: actorOf(p), action: 'datashare.request.create', entity: 'ds_request', entityId: r.id, after: r, detail: { resource: resource.code, fields: wanted, periodFrom: from, periodTo: to } });
      return ok(r);
    });
  }

  /** The owner department (its head) or a data administrator approves, refuses or later revokes a request. */
  async decide(p: Principal, id: number, decision: 'approve' | 'refuse' | 'revoke', note?: string): Promise<Result<ShareRequest>> {
    const why = (note ?? '').trim();
    if (decision !== 'approve' && !why) return commonError('VALIDATION_FAILED', [{ field: 'note', message: decision === 'refuse' ? '不予共享须说明理由。' : '撤销须说明理由。', messageEn: decision === 'refuse' ? 'Give the reason for refusing.' : 'Give the reason for revoking.' }]);
    if (why.length > 500) return commonError('VALIDATION_FAILED', [{ field: 'note', message: '审批意见不能超过 500 字。', messageEn: 'The note can have at most 500 characters.' }]);
    return inTransaction(this.db, async (tx) => {
      const r = await repo.request(tx, id, true);
      if (!r) return datashareError('DATASHARE_REQUEST_NOT_FOUND');
      const resource = (await repo.resource(tx, r.resource_id))!;
      const auth = authorize(p, 'datashare.request.decide', { departmentId: resource.department_id });
      if (!auth.ok) return auth;
      if (decision === 'revoke' ? r.status !== 'approved' : r.status !== 'pending') return datashareError('DATASHARE_REQUEST_DECIDED');
      const status = decision === 'approve' ? 'approved' : decision === 'refuse' ? 'refused' : 'revoked';
      const after = await repo.decideRequest(tx, id, { status, decision_note: why || null, decided_by: p.kind === 'staff' ? p.id : null });
      await this.audit.record(tx, { actor: actorOf(p), action: `datashare.request.${decision}`, entity: 'ds_request', entityId: id, before: r, after, detail: { status } });
      return ok(after);
    });
  }

  async requests(p: Principal): Promise<Result<Awaited<ReturnType<typeof repo.requests>>>> {
    const auth = authorize(p, 'datashare.catalogue.read');
    if (!auth.ok) return auth;
    const scope = departmentScope(p);
    return ok(await repo.requests(this.db, scope === 'all' ? undefined : scope));
  }

  // ------------------------------------------------------------ access through the platform API

  /**
   * Serves one record to a calling system: key checked (hashed, constant time), an approved request for the resource
   * covering today, only approved fields, the system's per-minute limit (counted in the database, so it holds across
   * processes). Every attributable call, served or refused, is logged and signed.
   */
  async access(apiKey: string | undefined, resourceCode: string, recordKey: string, fieldsWanted?: string[]): Promise<Result<AccessResult> & AccessFailure> {
    const prefix = apiKey ? keyPrefix(apiKey) : undefined;
    const system = prefix ? await repo.systemByPrefix(this.db, prefix) : undefined;
    if (!system || !apiKey || !keyMatches(apiKey, system.key_hash)) return datashareError('DATASHARE_KEY_INVALID');
    if (system.status !== 'active') return datashareError('DATASHARE_KEY_REVOKED');
    const resource = await repo.resourceByCode(this.db, resourceCode);
    if (!resource) return datashareError('DATASHARE_RESOURCE_NOT_FOUND');
    const today = this.today();
    const now = this.now();
    const subject = resource.fields.find((f) => f.name === resource.key_field)?.checks?.includes('cn-id') ? subjectDigest(this.opts.signingSecret, recordKey) : null;
    return inTransaction(this.db, async (tx) => {
      const log = async (outcome: string, request: ShareRequest | undefined, fields: string[], payload: unknown) => {
        const entry: SignedAccess = {
          at: now.toISOString(), systemId: system.id, requestId: request?.id ?? null, resourceId: resource.id,
          requesterDepartmentId: system.department_id, ownerDepartmentId: resource.department_id, subjectDigest: subject,
          fields, purpose: request?.purpose ?? null, outcome, payloadDigest: payload === undefined ? null : payloadDigest(payload),
        };
        const signature = signAccess(entry, this.keys.privateKey);
        const row = await repo.insertLog(tx, {
          at: now, system_id: entry.systemId, request_id: entry.requestId, resource_id: entry.resourceId,
          requester_department_id: entry.requesterDepartmentId, owner_department_id: entry.ownerDepartmentId, subject_digest: subject,
          fields, purpose: entry.purpose, outcome, payload_digest: entry.payloadDigest, signature,
        });
        return { row, signature, digest: entry.payloadDigest };
      };
      const fail = async (code: Parameters<typeof datashareError>[0], request: ShareRequest | undefined, fields: string[], msgFields?: FieldError[]) => {
        const { row } = await log(code, request, fields, undefined);
        return { ...datashareError(code, msgFields), logId: row.id };
      };
      const calls = await repo.callsSince(tx, system.id, new Date(now.getTime() - 60_000));
      if (calls >= system.rate_per_minute) return datashareError('DATASHARE_RATE_LIMITED');
      const all = await repo.requestsFor(tx, system.id, resource.id);
      const live = all.find((r) => r.status === 'approved' && r.period_from <= today && today <= r.period_to);
      if (!live) {
        const approved = all.find((r) => r.status === 'approved');
        if (approved) return fail('DATASHARE_ACCESS_EXPIRED', approved, []);
        const revoked = all.find((r) => r.status === 'revoked');
        if (revoked) return fail('DATASHARE_ACCESS_REVOKED', revoked, []);
        return fail('DATASHARE_NOT_APPROVED', undefined, []);
      }
      const wanted = fieldsWanted?.length ? [...new Set(fieldsWanted)] : live.fields;
      const outside = wanted.filter((f) => !live.fields.includes(f));
      if (outside.length) return fail('DATASHARE_FIELDS_NOT_APPROVED', live, wanted, outside.map((f) => ({ field: f, message: `信息项“${f}”不在批准范围内`, messageEn: `The data item “${f}” is outside the approval` })));
      const rec = await repo.record(tx, resource.id, recordKey.trim());
      if (!rec) return fail('DATASHARE_RECORD_NOT_FOUND', live, wanted);
      const data: Record<string, string> = {};
      for (const f of wanted) if (rec.data[f] !== undefined) data[f] = rec.data[f]!;
      const { row, signature, digest } = await log('ok', live, wanted, data);
      return ok({ resource: resource.code, key: rec.record_key, data, access: { logId: row.id, at: now.toISOString(), signature, payloadDigest: digest!, requestId: live.id } });
    });
  }

  /** Access-log entries of the caller's department (as requester or owner), each with its signature checked. */
  async accessLog(p: Principal, limit = 200): Promise<Result<(AccessLogRow & { resource_name: string; system_name: string; verified: boolean })[]>> {
    const auth = authorize(p, 'datashare.log.read');
    if (!auth.ok) return auth;
    const scope = departmentScope(p);
    const rows = await repo.logs(this.db, { ...(scope === 'all' ? {} : { departmentIds: scope }), limit: Math.min(limit, 1000) });
    return ok(rows.map((r) => ({ ...r, verified: verifyAccess(toSigned(r), r.signature, this.keys.publicKey) })));
  }

  /** Checks one log entry's signature (anyone holding the public key can do the same with `verifyAccess`). */
  async verifyLogEntry(p: Principal, id: number): Promise<Result<{ id: number; valid: boolean; signed: SignedAccess; signature: string }>> {
    const auth = authorize(p, 'datashare.log.read');
    if (!auth.ok) return auth;
    const r = await repo.log(this.db, id);
    if (!r) return commonError('NOT_FOUND');
    const scope = departmentScope(p);
    if (scope !== 'all' && !scope.includes(r.owner_department_id) && !scope.includes(r.requester_department_id)) return commonError('FORBIDDEN');
    const signed = toSigned(r);
    return ok({ id, valid: verifyAccess(signed, r.signature, this.keys.publicKey), signed, signature: r.signature });
  }

  /** "Who used my data": which departments read records about the signed-in citizen, when and why. */
  async whoUsedMyData(p: Principal): Promise<Result<{ at: string; department: string; departmentEn: string | null; system: string; resource: string; purpose: string | null; fields: string[]; fieldLabels: string[]; fieldLabelsEn: string[] }[]>> {
    const auth = authorize(p, 'datashare.usage.mine');
    if (!auth.ok) return auth;
    if (p.kind !== 'citizen') return commonError('FORBIDDEN');
    const user = await identityRepository.findUser(this.db, p.id);
    if (!user?.id_number) return ok([]);
    const rows = await repo.logs(this.db, { subjectDigest: subjectDigest(this.opts.signingSecret, user.id_number), okOnly: true, limit: 500 });
    const depts = new Map((await identityRepository.listDepartments(this.db)).map((d) => [d.id, d]));
    // The citizen reads the fields by their catalogue labels (户籍地行政区划代码), not their column names (regionCode);
    // in English by their English label, else the column name.
    const labels = new Map<number, Map<string, ResourceField>>();
    for (const id of new Set(rows.map((r) => r.resource_id))) labels.set(id, new Map(((await repo.resource(this.db, id))?.fields ?? []).map((f) => [f.name, f])));
    return ok(rows.map((r) => {
      const d = depts.get(r.requester_department_id);
      const field = (f: string) => labels.get(r.resource_id)?.get(f);
      return {
        at: r.at.toISOString(), department: d?.name ?? '', departmentEn: d?.name_en ?? null, system: r.system_name, resource: r.resource_name, purpose: r.purpose, fields: r.fields,
        fieldLabels: r.fields.map((f) => field(f)?.label ?? f), fieldLabelsEn: r.fields.map((f) => field(f)?.labelEn ?? f),
      };
    }));
  }

  // ------------------------------------------------------------ data quality

  /**
   * Runs the `src/lib/quality` checks configured on the resource's fields over all its records, stores the findings
   * (earlier open findings are superseded) and a run summary (valid = no error-severity finding).
   */
  async runQuality(p: Principal, resourceId: number): Promise<Result<{ run: QualityRun; findings: number }>> {
    const resource = await repo.resource(this.db, resourceId);
    if (!resource) return datashareError('DATASHARE_RESOURCE_NOT_FOUND');
    const auth = authorize(p, 'datashare.quality.run', { departmentId: resource.department_id });
    if (!auth.ok) return auth;
    const today = this.today();
    const checkers = resource.fields.flatMap((f) => (f.checks ?? []).map((k) => ({ field: f.name, check: makeCellChecker(k, { today }) })));
    return inTransaction(this.db, async (tx) => {
      const records = await repo.records(tx, resource.id);
      const found: Omit<QualityFinding, 'id' | 'status' | 'decided_by' | 'decided_at'>[] = [];
      let valid = 0;
      for (const rec of records) {
        let bad = false;
        for (const c of checkers) {
          const v = rec.data[c.field] ?? '';
          const f = c.check(v);
          if (!f) continue;
          if (f.severity === 'error') bad = true;
          found.push({ run_id: 0, resource_id: resource.id, record_id: rec.id, field: c.field, rule: f.rule, severity: f.severity, message: f.message, value: v, suggestion: f.suggestion ?? null });
        }
        if (!bad) valid++;
      }
      await repo.supersedeOpen(tx, resource.id);
      const run = await repo.insertRun(tx, { resource_id: resource.id, total_rows: records.length, valid_rows: valid, findings: found.length });
      await repo.insertFindings(tx, found.map((f) => ({ ...f, run_id: run.id })));
      await this.audit.record(tx, { actor: actorOf(p), action: 'datashare.quality.run', entity: 'ds_resource', entityId: resource.id, detail: { runId: run.id, total: records.length, valid, findings: found.length } });
      return ok({ run, findings: found.length });
    });
  }

  /**
   * A data administrator approves or rejects one finding. Approving applies the proposed safe repair to the record
   * (only if the value is unchanged since the check); the audit entry carries the record before and after.
   */
  async decideFinding(p: Principal, id: number, decision: 'approve' | 'reject'): Promise<Result<QualityFinding>> {
    return inTransaction(this.db, async (tx) => {
      const f = await repo.finding(tx, id, true);
      if (!f) return datashareError('DATASHARE_FINDING_NOT_FOUND');
      const resource = (await repo.resource(tx, f.resource_id))!;
      const auth = authorize(p, 'datashare.quality.decide', { departmentId: resource.department_id });
      if (!auth.ok) return auth;
      if (f.status !== 'open') return datashareError('DATASHARE_FINDING_DECIDED');
      const by = p.kind === 'staff' ? p.id : null;
      if (decision === 'reject') {
        const after = await repo.decideFinding(tx, id, 'rejected', by);
        await this.audit.record(tx, { actor: actorOf(p), action: 'datashare.quality.reject', entity: 'ds_quality_finding', entityId: id, detail: { rule: f.rule, field: f.field, recordId: f.record_id } });
        return ok(after);
      }
      if (f.suggestion === null) return datashareError('DATASHARE_NO_SAFE_REPAIR');
      const rec = await repo.recordById(tx, f.record_id, true);
      if (!rec || (rec.data[f.field] ?? '') !== f.value) {
        await repo.decideFinding(tx, id, 'superseded', by);
        return datashareError('DATASHARE_VALUE_CHANGED');
      }
      const updated = await repo.updateRecordData(tx, rec.id, { ...rec.data, [f.field]: f.suggestion });
      const after = await repo.decideFinding(tx, id, 'approved', by);
      await this.audit.record(tx, {
        actor: actorOf(p), action: 'datashare.quality.repair', entity: 'ds_record', entityId: rec.id,
        before: rec.data, after: updated.data, detail: { findingId: id, rule: f.rule, field: f.field, resource: resource.code },
      });
      return ok(after);
    });
  }

  /** Per-resource quality summary in the caller's scope (records, latest run, open findings, repairs). */
  async qualityOverview(p: Principal): Promise<Result<ResourceSummary[]>> {
    const auth = authorize(p, 'datashare.quality.view');
    if (!auth.ok) return auth;
    const scope = departmentScope(p);
    const [resources, latest, counts, depts] = await Promise.all([
      repo.resources(this.db, scope === 'all' ? undefined : scope), repo.latestRuns(this.db), repo.findingCounts(this.db), identityRepository.listDepartments(this.db),
    ]);
    const dn = new Map(depts.map((d) => [d.id, d.name]));
    const out: ResourceSummary[] = [];
    for (const r of resources) {
      const c = (s: string) => counts.find((x) => x.resource_id === r.id && x.status === s)?.n ?? 0;
      out.push({ resource: r, departmentName: dn.get(r.department_id) ?? '', records: await repo.countRecords(this.db, r.id), latestRun: latest.find((x) => x.resource_id === r.id), openFindings: c('open'), appliedRepairs: c('approved'), rejected: c('rejected') });
    }
    return ok(out);
  }

  /** One resource's quality: runs over time, open findings (personal values masked), decided findings. */
  async qualityDetail(p: Principal, resourceId: number): Promise<Result<{ resource: Resource; runs: QualityRun[]; open: (QualityFinding & { record_key: string })[]; decided: (QualityFinding & { record_key: string })[] }>> {
    const resource = await repo.resource(this.db, resourceId);
    if (!resource) return datashareError('DATASHARE_RESOURCE_NOT_FOUND');
    const auth = authorize(p, 'datashare.quality.view', { departmentId: resource.department_id });
    if (!auth.ok) return auth;
    const mask = (f: QualityFinding & { record_key: string }) => {
      const field = resource.fields.find((x) => x.name === f.field);
      const keyField = resource.fields.find((x) => x.name === resource.key_field);
      return { ...f, value: maskValue(field, f.value), suggestion: f.suggestion === null ? null : maskValue(field, f.suggestion), record_key: maskValue(keyField, f.record_key) };
    };
    const [runs, open, decided] = await Promise.all([
      repo.runs(this.db, resource.id), repo.findings(this.db, resource.id, ['open']), repo.findings(this.db, resource.id, ['approved', 'rejected'], 200),
    ]);
    return ok({ resource, runs, open: open.map(mask), decided: decided.map(mask) });
  }

  /** Workbench: pending sharing requests the caller can decide; open findings for data administrators. */
  async todo(p: Principal): Promise<TodoItem[]> {
    if (p.kind !== 'staff' || !p.roles.some((r) => r === 'dept_head' || r === 'data_admin')) return [];
    const items: TodoItem[] = [];
    const reqs = await this.requests(p);
    if (reqs.ok) {
      for (const r of reqs.value) {
        if (r.status !== 'pending') continue;
        if (!authorize(p, 'datashare.request.decide', { departmentId: r.owner_department_id }).ok) continue;
        items.push({ title: `数据共享申请：${r.system_name} 申请 ${r.resource_name}`, titleEn: `Data-sharing request: ${r.system_name} asks for ${r.resource_name}`, href: `/datashare/requests#req${r.id}`, module: '数据共享', moduleEn: 'Data sharing' });
      }
    }
    if (p.roles.includes('data_admin')) {
      const ov = await this.qualityOverview(p);
      if (ov.ok) for (const s of ov.value) if (s.openFindings) items.push({ title: `数据质量：${s.resource.name} 有 ${s.openFindings} 个待处理问题`, titleEn: `Data quality: ${s.resource.name} has ${s.openFindings} open finding${s.openFindings === 1 ? '' : 's'}`, href: `/datashare/quality/${s.resource.id}`, module: '数据质量', moduleEn: 'Data quality' });
    }
    return items;
  }
}

function toSigned(r: AccessLogRow): SignedAccess {
  return {
    at: r.at.toISOString(), systemId: r.system_id, requestId: r.request_id, resourceId: r.resource_id, requesterDepartmentId: r.requester_department_id,
    ownerDepartmentId: r.owner_department_id, subjectDigest: r.subject_digest, fields: r.fields, purpose: r.purpose, outcome: r.outcome, payloadDigest: r.payload_digest,
  };
}
