import { maskIdNumber, maskName, maskPhone } from '../../lib/cn/index.ts';
import { ACTION_NAMES, STATUS_NAMES, type CaseAction, type CaseStatus } from './casemachine.ts';
import { TASK_TYPES } from './catalogue.ts';
import type { CaseDetail, QueueEntry } from './onestop.service.ts';
import type { CertificateRow, ServiceItem } from './onestop.types.ts';

/** JSON shapes of the API (personal data masked in lists). */
export function itemSummary(i: Omit<ServiceItem, 'guide' | 'form'>) {
  return {
    code: i.code,
    basicCode: i.basic_code,
    name: i.name,
    type: i.task_type,
    typeName: TASK_TYPES[i.task_type]?.zh ?? i.task_type,
    department: i.department_name,
    departmentId: i.department_id,
    status: i.status,
    online: i.online,
    legalDays: i.legal_days,
    promisedDays: i.promised_days,
    officialUrl: i.official_url,
    version: i.version,
  };
}

export function itemFull(i: ServiceItem) {
  return { ...itemSummary(i), issuesCert: i.issues_cert, guide: i.guide, form: i.form };
}

export function queueEntry(r: QueueEntry) {
  return {
    id: r.id,
    caseNo: r.case_no,
    status: r.status,
    statusName: STATUS_NAMES[r.status as CaseStatus]?.zh ?? r.status,
    item: { code: r.item_code, name: r.item_name },
    departmentId: r.department_id,
    submittedAt: r.submitted_at?.toISOString() ?? null,
    acceptedOn: r.accepted_on,
    acceptDue: r.accept_due,
    legalDeadline: r.legal_deadline,
    promisedDeadline: r.promised_deadline,
    paused: r.paused,
    escalated: r.escalated,
    light: r.light,
    remainingWorkingDays: r.remainingWorkingDays,
    version: r.version,
  };
}

/** Masks the usual personal fields of a form's data for viewers who do not handle the case. */
export function maskData(data: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(data)) {
    if (typeof v !== 'string') out[k] = v;
    else if (/Id$|^applicantId$/.test(k) && /^\d{17}[\dX]$/.test(v)) out[k] = maskIdNumber(v);
    else if (/mobile|phone/i.test(k)) out[k] = maskPhone(v);
    else if (/Name$/.test(k) && k !== 'shopName' && v.length <= 10) out[k] = maskName(v);
    else if (/bankAccount/.test(k)) out[k] = v.replace(/^(\d{4})\d+(\d{4})$/, '$1****$2');
    else out[k] = v;
  }
  return out;
}

export function caseDetail(d: CaseDetail) {
  const c = d.case;
  return {
    id: c.id,
    caseNo: c.case_no,
    status: c.status,
    statusName: STATUS_NAMES[c.status as CaseStatus]?.zh ?? c.status,
    version: c.version,
    item: { code: d.item.code, name: d.item.name, department: d.item.department_name },
    data: d.viewer === 'other' ? maskData(c.data) : c.data,
    materials: c.materials,
    submittedAt: c.submitted_at?.toISOString() ?? null,
    acceptedOn: c.accepted_on,
    legalDeadline: c.legal_deadline,
    promisedDeadline: c.promised_deadline,
    paused: c.paused,
    light: d.clocks.status,
    actions: d.actions.map((a) => ({
      seq: a.seq,
      action: a.action,
      actionName: ACTION_NAMES[a.action as CaseAction]?.zh ?? a.action,
      from: a.from_status,
      to: a.to_status,
      actor: a.actor_label,
      comment: a.comment,
      on: a.on_date,
      at: a.at.toISOString(),
    })),
    files: d.files.map((f) => ({ id: f.id, material: f.material, name: f.name, mime: f.mime, size: f.size })),
    allowed: d.allowed,
  };
}

export function certificateView(c: CertificateRow) {
  const data = c.data as { code?: string; issuer?: string };
  return {
    number: c.number,
    type: c.cert_type,
    issuer: data.issuer ?? null,
    status: c.status,
    revokedReason: c.revoked_reason,
    issuedAt: c.issued_at.toISOString(),
    validUntil: c.valid_until,
    code: data.code ?? null,
  };
}
