import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { isRecordId } from '../../lib/record-id.ts';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Tx } from '../../db/tx.ts';
import { inTransaction } from '../../db/tx.ts';
import { CalendarSource, countHolidayKinds, parseHolidayCsv, shippedCalendar, validateHolidayRows, type Calendar, type CalendarCoverage, type HolidayRow, type HolidayRowError } from '../../lib/calendar/index.ts';
import { addedHolidayRows } from '../../db/holidays.ts';
import { addDays, chinaDate, isValidDate } from '../../lib/calendar/date.ts';
import { maskName } from '../../lib/cn/index.ts';
import { commonError, ok, type FieldError, type Result } from '../../lib/errors.ts';
import type { AuditLog } from '../audit/audit.service.ts';
import { actorOf, departmentScope, SYSTEM, type Principal } from '../identity/permissions.ts';
import { allowedActions, isCaseAction, transition, TRANSITIONS, type CaseAction, type CaseStatus, type Party } from './casemachine.ts';
import { DEPARTMENT_MAP, TASK_TYPES, loadCatalogue } from './catalogue.ts';
import { checkSignature, newKeyPair, openPrivateKey, parseCode, signPayload, type CertPayload } from './certs.ts';
import { caseClocks, type CaseClocks } from './clock.ts';
import { checkFormDefinition, prefillValues, validateFormData, type FormDefinition } from './form.ts';
import { GUIDES } from './guides.ts';
import { onestopError } from './onestop.errors.ts';
import { authorizeSvc } from './onestop.permissions.ts';
import { accountReads, keyRepository, onestopRepository as repo, type QueueRow } from './onestop.repository.ts';
import type { AttachedMaterial, CaseActionRow, CaseRow, CertificateRow, FileRow, Guide, Material, ServiceItem } from './onestop.types.ts';
import { MAX_FILE_BYTES, safeFileName, sniffMime } from '../../lib/files.ts';
import { FILE_TYPES, materialTypes, typeAllowed, typesText } from './uploads.ts';
import { deliverOutbox, type Channel } from './notify.ts';
import { RatingsService } from './ratings.ts';
import { foldToSimplified } from '../../lib/text/foldToSimplified.ts';

export interface OnestopOptions {
  dataDir: string;
  signingSecret: string;
  publicUrl?: string | undefined;
  /** The process's working-day calendar (services.calendar); by default one of this service's own. */
  calendar?: CalendarSource;
}

/** Open statuses a department works on. */
export const OPEN_STATUSES: readonly CaseStatus[] = ['submitted', 'correction_requested', 'accepted', 'under_review', 'review_correction', 'approved', 'refused'];
/** Statuses in which the citizen may change the form and upload files. */
const EDITABLE: readonly CaseStatus[] = ['draft', 'correction_requested', 'review_correction'];
/** Actions that need a written reason (一次性告知, 不予受理, 不予许可). */
const NEEDS_COMMENT: readonly CaseAction[] = ['request_correction', 'reject', 'refuse'];

export interface CaseDetail {
  case: CaseRow;
  item: ServiceItem;
  actions: CaseActionRow[];
  files: FileRow[];
  clocks: CaseClocks;
  /** Actions the viewer may take now. */
  allowed: CaseAction[];
  viewer: Party | 'other';
  /** The query code of the public status page (printed on the receipt and notices). */
  statusCode: string;
  /**
   * For the applicant while the case can still be changed (draft, 补正): how each material would be supplied if it
   * were submitted now (the latest upload, else a valid electronic certificate) and which required ones are missing.
   */
  materialsNow?: { attached: Record<string, AttachedMaterial>; missing: Material[] };
}

export interface QueueEntry extends QueueRow {
  light: 'green' | 'amber' | 'red' | null;
  remainingWorkingDays: number | null;
}

export interface SeedServicesReport {
  items: number;
  guides: number;
  certificates: number;
  cases: number;
}

/** Working days a department has to accept or refuse a submitted application (行政许可法 第三十二条: 5 日). */
export const ACCEPT_WITHIN_WORKING_DAYS = 5;

const TOKEN_RE = /^[A-Za-z0-9_-]{8,64}$/;
/** Query codes: no 0/O, 1/I/L, so they can be read off paper and typed. */
const STATUS_CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const STATUS_CODE_LENGTH = 8;
/** A query code as typed: capitals, without spaces or hyphens. */
export function normalizeStatusCode(code: unknown): string {
  return typeof code === 'string' ? code.replace(/[\s-]/g, '').toUpperCase() : '';
}
const CODE_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{1,79}$/;

function isUniqueViolation(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: string }).code === '23505';
}

/** Rows a holiday year may have. */
const MAX_HOLIDAY_ROWS = 400;

/** One year of the working-day calendar (the administrators' page). */
export interface HolidayYearView {
  year: number;
  /** `shipped` with the release (datasets/holidays), `added` by an administrator (table svc_holidays). */
  source: 'shipped' | 'added';
  off: number;
  work: number;
  /** An added year that replaces the shipped rows of the same year. */
  replacesShipped: boolean;
  /** Who last set an added year and when (the audit trail's `holidays.set`); null for shipped years. */
  addedBy: string | null;
  addedAt: Date | null;
}

/** A checked holiday year, ready to save. */
export interface HolidayPreview {
  year: number;
  rows: HolidayRow[];
  off: number;
  work: number;
  /** What saving replaces: the shipped or an added table of the year, or nothing. */
  replaces: 'shipped' | 'added' | null;
  /** Not errors, but probably a mistake (a year without any day off). */
  warnings: FieldError[];
}

function checkYear(year: number): Result<never> | undefined {
  if (Number.isInteger(year) && year >= 1990 && year <= 2199) return undefined;
  if (!Number.isInteger(year)) return onestopError('HOLIDAYS_INVALID', [{ field: 'year', message: '请填写 4 位数字的年份，如 2027。', messageEn: 'Enter the year as 4 digits, e.g. 2027.' }]);
  return onestopError('HOLIDAYS_INVALID', [{ field: 'year', message: `年份 ${year} 无效（应为 1990–2199）`, messageEn: `Not a valid year: ${year} (1990–2199)` }]);
}

function csvFieldError(e: HolidayRowError): FieldError {
  return { field: 'csv', message: `第 ${e.line ?? 0} 行：${e.message}`, messageEn: `Line ${e.line ?? 0}: ${e.messageEn}` };
}

/** Holiday names are kept to 40 characters. */
function trimHoliday(r: HolidayRow): HolidayRow {
  return r.holiday && r.holiday.length > 40 ? { ...r, holiday: r.holiday.slice(0, 40) } : r;
}

/**
 * One-stop services (一网通办): the service catalogue and guides, online applications with drafts and uploads,
 * the case flow with its statutory clock, electronic certificates and notices. Every write is audited in its own
 * transaction; expected failures are Result values.
 */
export class OnestopService {
  /** The clock (tests move it). */
  now: () => Date = () => new Date();
  private readonly calendarSource: CalendarSource;
  /** 好差评. */
  readonly ratings: RatingsService;
  /** Delivery channels for the outbox (e-mail, SMS); none by default: the integrator configures them. */
  channels: Channel[] = [];

  constructor(
    private readonly db: Tx,
    private readonly audit: AuditLog,
    private readonly opts: OnestopOptions,
  ) {
    this.ratings = new RatingsService(db, audit, this);
    this.calendarSource = opts.calendar ?? new CalendarSource(() => addedHolidayRows(db));
  }

  /** Sends pending outbox messages on the configured channels. */
  deliver(limit = 50): Promise<{ sent: number; failed: number }> {
    return deliverOutbox(this.db, this.channels, limit);
  }

  /** Today in China (YYYY-MM-DD). */
  today(): string {
    return chinaDate(this.now());
  }

  // ---------------------------------------------------------------- calendar

  /**
   * The working-day calendar shared by every module (services.calendar, src/lib/calendar/source.ts): the shipped
   * official tables, with any year an administrator added replacing the shipped rows of that year.
   */
  calendar(): Promise<Calendar> {
    return Promise.resolve(this.calendarSource.current());
  }

  /**
   * The years the calendar covers for the administrators' page (`svc.holiday.view`: administrators, supervisors):
   * each year shipped or added (an added year replaces the shipped one), its days off and make-up working days, who
   * last set it and when (from the audit trail), and the coverage on `today` (default: today in China).
   */
  async holidayYears(p: Principal, today = this.today()): Promise<Result<{ years: HolidayYearView[]; coverage: CalendarCoverage }>> {
    const auth = authorizeSvc(p, 'svc.holiday.view');
    if (!auth.ok) return auth;
    const added = await addedHolidayRows(this.db);
    const cal = this.calendarSource.current();
    const shipped = new Set(shippedCalendar().coveredYears);
    const addedYears = new Set(added.map((r) => Number(r.date.slice(0, 4))));
    const set = await this.audit.pageAs(this.db, SYSTEM, { actions: ['holidays.set'], limit: 200 });
    const last = new Map<number, { by: string; at: Date }>();
    if (set.ok) for (const e of set.value) if (!last.has(Number(e.entity_id))) last.set(Number(e.entity_id), { by: e.actor_label, at: e.at });
    const years = [...new Set([...cal.coveredYears, ...addedYears, ...shipped])].sort((a, b) => a - b).map((year): HolidayYearView => {
      const source = addedYears.has(year) ? 'added' : 'shipped';
      const rows = source === 'added' ? added.filter((r) => r.date.startsWith(`${year}-`)) : shippedCalendar().rows.filter((r) => r.date.startsWith(`${year}-`));
      const who = source === 'added' ? last.get(year) : undefined;
      return { year, source, ...countHolidayKinds(rows), replacesShipped: source === 'added' && shipped.has(year), addedBy: who?.by ?? null, addedAt: who?.at ?? null };
    });
    return ok({ years, coverage: cal.coverage(today) });
  }

  /** Which years the calendar must cover on `today` and does not (see `calendarCoverage` in src/lib/calendar). */
  calendarCoverage(today = this.today()): CalendarCoverage {
    return this.calendarSource.current().coverage(today);
  }

  /** One year's rows as the calendar counts them (`svc.holiday.view`); empty when the year is not covered. */
  async holidayYearRows(p: Principal, year: number): Promise<Result<HolidayRow[]>> {
    const auth = authorizeSvc(p, 'svc.holiday.view');
    if (!auth.ok) return auth;
    return ok(this.calendarSource.current().rows.filter((r) => r.date.startsWith(`${year}-`)));
  }

  /**
   * Checks a year pasted or uploaded as the shipped CSV (`date,kind,holiday`) without saving it (`svc.holiday.add`):
   * the rows, their counts, what they replace, and warnings (no day off at all). Bad rows are a HOLIDAYS_INVALID
   * error with one field error a row (`csv`, "第 N 行：…"), nothing else; an existing year needs `replace`.
   */
  async previewHolidayCsv(p: Principal, year: number, text: string, opts: { replace?: boolean } = {}): Promise<Result<HolidayPreview>> {
    const auth = authorizeSvc(p, 'svc.holiday.add');
    if (!auth.ok) return auth;
    const bad = checkYear(year);
    if (bad) return bad;
    if (!text.trim()) return onestopError('HOLIDAYS_INVALID', [{ field: 'csv', message: '请粘贴该年的节假日表，或选择 .csv 文件。', messageEn: 'Paste the year’s table or choose a .csv file.' }]);
    const parsed = parseHolidayCsv(text, year);
    if (!parsed.ok) return onestopError('HOLIDAYS_INVALID', parsed.errors.slice(0, 50).map(csvFieldError));
    // A header and no row would "save" the year as nothing (and with replace, wipe a year entered before).
    if (!parsed.rows.length) return onestopError('HOLIDAYS_INVALID', [{ field: 'csv', message: `表中没有任何一天：请在表头下按行列出 ${year} 年的放假日和调休上班日。`, messageEn: `The table has no row: list the days off and make-up working days of ${year} under the header.` }]);
    if (parsed.rows.length > MAX_HOLIDAY_ROWS) return onestopError('HOLIDAYS_INVALID', [{ field: 'csv', message: `一年最多 ${MAX_HOLIDAY_ROWS} 行，这里有 ${parsed.rows.length} 行。`, messageEn: `At most ${MAX_HOLIDAY_ROWS} rows a year; there are ${parsed.rows.length}.` }]);
    const rows = parsed.rows.map(trimHoliday);
    // From the database, not this process's calendar: another process may have saved the year within the last minute.
    const added = (await addedHolidayRows(this.db)).some((r) => r.date.startsWith(`${year}-`));
    const replaces = added ? 'added' : shippedCalendar().isYearCovered(year) ? 'shipped' : null;
    if (replaces && !opts.replace) {
      return onestopError('HOLIDAYS_INVALID', [{ field: 'replace', message: `${year} 年已在日历中，如需替换请勾选“替换该年”。`, messageEn: `${year} is already in the calendar: tick “Replace this year” to replace it.` }]);
    }
    const counts = countHolidayKinds(rows);
    const warnings: FieldError[] = counts.off === 0 ? [{ field: 'csv', message: `${year} 年没有任何放假日（off）：春节、国庆等都会按工作日计算，请核对。`, messageEn: `${year} has no day off (off): the Spring Festival, National Day and so on would count as working days. Check the table.` }] : [];
    return ok({ year, rows, ...counts, replaces, warnings });
  }

  /** Saves a year given as CSV after the same checks as `previewHolidayCsv` (`svc.holiday.add`; audited). */
  async importHolidayCsv(p: Principal, year: number, text: string, opts: { replace?: boolean } = {}): Promise<Result<HolidayPreview>> {
    const preview = await this.previewHolidayCsv(p, year, text, opts);
    if (!preview.ok) return preview;
    await this.saveHolidayYear(p, year, preview.value.rows);
    return preview;
  }

  /** Adds (or replaces) one year's holiday rows (system administrators; the API). */
  async addHolidayYear(p: Principal, year: number, raw: unknown): Promise<Result<{ year: number; rows: number }>> {
    const auth = authorizeSvc(p, 'svc.holiday.add');
    if (!auth.ok) return auth;
    const bad = checkYear(year);
    if (bad) return bad;
    if (!Array.isArray(raw) || raw.length === 0 || raw.length > MAX_HOLIDAY_ROWS) return onestopError('HOLIDAYS_INVALID', [{ field: 'rows', message: `请提供该年的节假日行（1–${MAX_HOLIDAY_ROWS} 行）。`, messageEn: `Give the year’s holiday rows (1–${MAX_HOLIDAY_ROWS}).` }]);
    const rows: HolidayRow[] = raw.map((r) => {
      const o = (r ?? {}) as Record<string, unknown>;
      return trimHoliday({ date: String(o.date ?? ''), kind: o.kind as HolidayRow['kind'], ...(typeof o.holiday === 'string' && o.holiday ? { holiday: o.holiday } : {}) });
    });
    const errors = validateHolidayRows(rows, year);
    if (errors.length) return onestopError('HOLIDAYS_INVALID', errors.slice(0, 20).map((e) => ({ field: `rows.${e.index}`, message: e.message, messageEn: e.messageEn })));
    await this.saveHolidayYear(p, year, rows);
    return ok({ year, rows: rows.length });
  }

  private async saveHolidayYear(p: Principal, year: number, rows: readonly HolidayRow[]): Promise<void> {
    await inTransaction(this.db, async (tx) => {
      await repo.replaceHolidayYear(tx, year, rows.map((r) => ({ date: r.date, kind: r.kind, holiday: r.holiday ?? null, year })));
      await this.audit.record(tx, { actor: actorOf(p), action: 'holidays.set', entity: 'svc_holidays', entityId: year, detail: { year, rows: rows.length } });
    });
    // This process counts on the new year at once; the others within a minute (their refresh timer).
    await this.calendarSource.refresh().catch(() => undefined);
  }

  // ---------------------------------------------------------------- catalogue

  /**
   * Seeds the catalogue (1,135 real items), the ten complete guides, and — when the demo city exists — the demo
   * citizen's electronic certificates and two sample cases for the demo clerk. Safe to repeat: existing rows are kept.
   */
  async seed(): Promise<SeedServicesReport> {
    const depts = await accountReads.departmentsByCode(this.db);
    const report: SeedServicesReport = { items: 0, guides: 0, certificates: 0, cases: 0 };
    const catalogue = loadCatalogue();
    report.items = await inTransaction(this.db, async (tx) => {
      const n = await repo.insertItems(
        tx,
        catalogue.map((r) => {
          const mapped = DEPARTMENT_MAP[r.department];
          const dept = mapped ? depts.get(mapped) : undefined;
          return {
            code: r.code,
            basic_code: r.basicCode || null,
            name: r.name,
            task_type: TASK_TYPES[r.taskType] ? r.taskType : '20',
            department_name: r.department,
            department_id: dept?.id ?? null,
            source: 'guangan-csv',
            official_url: /^https?:\/\//.test(r.link) ? r.link : null,
            status: 'published' as const,
            online: false,
            guide: { summary: r.mainItem && r.mainItem !== '未分类' ? `所属主项：${r.mainItem}` : undefined, note: '本事项来自广安区政务服务事项目录，详细办事指南请查看官方页面。' } satisfies Guide,
          };
        }),
      );
      if (n) await this.audit.record(tx, { actor: actorOf(SYSTEM), action: 'items.seed', entity: 'svc_items', detail: { inserted: n, source: 'datasets/service-items' } });
      return n;
    });
    report.guides = await inTransaction(this.db, async (tx) => {
      const n = await repo.insertItems(
        tx,
        GUIDES.map((g) => {
          const dept = depts.get(g.departmentCode);
          return {
            code: g.code,
            basic_code: g.basicCode ?? null,
            name: g.name,
            task_type: g.taskType,
            department_name: dept?.name ?? g.departmentCode,
            department_id: dept?.id ?? null,
            source: 'yiwang',
            official_url: null,
            status: 'published' as const,
            online: true,
            legal_days: g.legalDays,
            promised_days: g.promisedDays,
            issues_cert: g.issuesCert ?? null,
            guide: g.guide,
            form: JSON.stringify(g.form),
          };
        }),
      );
      if (n) await this.audit.record(tx, { actor: actorOf(SYSTEM), action: 'items.seed', entity: 'svc_items', detail: { inserted: n, source: 'guides' } });
      return n;
    });
    const demoCitizen = await accountReads.citizenByMobile(this.db, '13800138000');
    if (demoCitizen && depts.has('A-PSB')) {
      const held = await repo.certificatesOf(this.db, demoCitizen.id);
      const want: [string, string][] = [['居民身份证', 'A-PSB'], ['居民户口簿', 'A-PSB'], ['社会保障卡', 'A-HRSS']];
      for (const [type, deptCode] of want) {
        if (held.some((c) => c.cert_type === type)) continue;
        const dept = depts.get(deptCode);
        await inTransaction(this.db, async (tx) => {
          await this.issueCertificate(tx, { holderId: demoCitizen.id, certType: type, departmentId: dept?.id ?? null, departmentName: dept?.name ?? deptCode, caseId: null, validYears: 20, data: {} });
        });
        report.certificates++;
      }
      const me: Principal = { kind: 'citizen', id: demoCitizen.id };
      const sample = [
        { code: 'A-512B0369200000', token: 'demo-seed-flexible-1', accept: false, data: { applicantName: '张三', applicantId: demoCitizen.id_number ?? '', mobile: '13800138000', hukouType: 'urban', jobType: 'partTime', baseLevel: '60', startMonth: '2026-01', bankAccount: '6222020200001234567', pledge: true } },
        { code: 'A-512B0003600037', token: 'demo-seed-elder-1', accept: true, data: { applicantName: '张三', applicantId: demoCitizen.id_number ?? '', mobile: '13800138000', elderName: '张老汉', elderId: '110101194001010012', relation: 'child', bankAccount: '6222020200007654321', pledge: true } },
      ];
      for (const s of sample) {
        if (await repo.findCaseByToken(this.db, demoCitizen.id, s.token)) continue;
        const r = await this.submit(me, s.code, { clientToken: s.token, data: s.data });
        if (!r.ok) continue;
        report.cases++;
        if (s.accept) await this.act(SYSTEM, r.value.case.id, { action: 'accept', comment: '材料齐全，予以受理（演示数据）。' });
      }
    }
    return report;
  }

  /** Published items (public), filtered and paged. Editors also see drafts with `includeDrafts`. */
  async listItems(p: Principal, f: { q?: string; department?: string; departmentId?: number; type?: string; online?: boolean; page?: number; pageSize?: number; includeDrafts?: boolean }) {
    const pageSize = Math.min(Math.max(f.pageSize ?? 20, 1), 100);
    // At most page 100000: a page number like 99999999999999999999 is an empty page, not an offset the database refuses.
    const page = Math.min(Math.max(f.page ?? 1, 1), 100_000);
    const drafts = f.includeDrafts && authorizeSvc(p, 'svc.item.edit').ok;
    // Names are stored in Simplified characters: a name typed in Traditional (居住證) or full-width finds them too.
    const q = foldToSimplified((f.q ?? '').trim()).slice(0, 50);
    const r = await repo.listItems(this.db, {
      q: q || undefined,
      departmentName: f.department?.trim() || undefined,
      departmentId: f.departmentId,
      taskType: f.type && TASK_TYPES[f.type] ? f.type : undefined,
      online: f.online,
      statuses: drafts ? ['published', 'draft', 'retired'] : ['published'],
      limit: pageSize,
      offset: (page - 1) * pageSize,
    });
    return { items: r.rows, total: r.total, page, pageSize };
  }

  async facets() {
    return repo.facets(this.db);
  }

  /** One item with its guide: published items for everyone, drafts for editors of its department. */
  async item(p: Principal, code: string): Promise<Result<ServiceItem>> {
    const item = await repo.findItem(this.db, code);
    if (!item) return onestopError('ITEM_NOT_FOUND');
    if (item.status !== 'published' && !authorizeSvc(p, 'svc.item.edit', { departmentId: item.department_id }).ok) return onestopError('ITEM_NOT_FOUND');
    return ok(item);
  }

  private async parseItem(raw: Record<string, unknown>, partial: boolean): Promise<Result<Record<string, unknown>>> {
    const fields: FieldError[] = [];
    const out: Record<string, unknown> = {};
    const has = (k: string) => raw[k] !== undefined;
    if (!partial || has('code')) {
      const code = typeof raw.code === 'string' ? raw.code.trim() : '';
      if (!CODE_RE.test(code)) fields.push({ field: 'code', message: '事项编码为 2–80 位字母、数字或 _ . -。' });
      else out.code = code;
    }
    if (!partial || has('name')) {
      const name = typeof raw.name === 'string' ? raw.name.trim() : '';
      if (name.length < 2 || name.length > 200) fields.push({ field: 'name', message: '请填写事项名称（2–200 字）。' });
      else out.name = name;
    }
    if (!partial || has('taskType')) {
      const t = String(raw.taskType ?? '');
      if (!TASK_TYPES[t]) fields.push({ field: 'taskType', message: `事项类型须为：${Object.entries(TASK_TYPES).map(([k, v]) => `${k} ${v.zh}`).join('，')}。` });
      else out.task_type = t;
    }
    if (!partial || has('departmentId')) {
      const id = Number(raw.departmentId);
      const dept = isRecordId(id) ? await this.db.selectFrom('departments').select(['id', 'name']).where('id', '=', id).executeTakeFirst() : undefined;
      if (!dept) fields.push({ field: 'departmentId', message: '部门不存在。' });
      else {
        out.department_id = dept.id;
        out.department_name = dept.name;
      }
    }
    for (const [k, col] of [['legalDays', 'legal_days'], ['promisedDays', 'promised_days']] as const) {
      if (!has(k)) continue;
      const v = raw[k];
      if (v === null) out[col] = null;
      else if (!Number.isInteger(v) || (v as number) < 0 || (v as number) > 1000) fields.push({ field: k, message: '时限为 0–1000 个工作日。' });
      else out[col] = v;
    }
    if (typeof out.legal_days === 'number' && typeof out.promised_days === 'number' && out.promised_days > out.legal_days) {
      fields.push({ field: 'promisedDays', message: '承诺时限不能长于法定时限。' });
    }
    if (has('guide')) {
      const g = raw.guide as Guide;
      if (!g || typeof g !== 'object' || Array.isArray(g)) fields.push({ field: 'guide', message: '办事指南应为对象。' });
      else if (g.materials !== undefined && (!Array.isArray(g.materials) || g.materials.some((m: Material) => !m || typeof m.key !== 'string' || !/^[a-zA-Z][\w]{0,39}$/.test(m.key) || typeof m.name !== 'string' || typeof m.required !== 'boolean' || (m.types !== undefined && (!Array.isArray(m.types) || !m.types.every((t) => FILE_TYPES.includes(t))))))) {
        fields.push({ field: 'guide.materials', message: '每项材料须有 key、name 和 required；types 可省略，取值为 pdf、jpg、png。' });
      } else if (JSON.stringify(g).length > 50_000) fields.push({ field: 'guide', message: '办事指南过长。' });
      else out.guide = JSON.stringify(g);
    }
    if (has('form')) {
      if (raw.form === null) {
        out.form = null;
        out.online = false;
      } else {
        const problems = checkFormDefinition(raw.form);
        if (problems.length) fields.push(...problems.slice(0, 10).map((m) => ({ field: 'form', message: m })));
        else {
          out.form = JSON.stringify(raw.form);
          out.online = true;
        }
      }
    }
    if (has('issuesCert')) {
      const c = raw.issuesCert;
      if (c !== null && (typeof c !== 'string' || c.length > 40)) fields.push({ field: 'issuesCert', message: '证照类型不超过 40 字。' });
      else out.issues_cert = c || null;
    }
    if (fields.length) return commonError('VALIDATION_FAILED', fields);
    return ok(out);
  }

  /** Creates a draft item (department heads for their department, system administrators for any). */
  async createItem(p: Principal, raw: Record<string, unknown>): Promise<Result<ServiceItem>> {
    const auth = authorizeSvc(p, 'svc.item.edit');
    if (!auth.ok) return auth;
    const parsed = await this.parseItem(raw, false);
    if (!parsed.ok) return parsed;
    const v = parsed.value as { code: string; name: string; task_type: string; department_id: number; department_name: string } & Record<string, unknown>;
    const scoped = authorizeSvc(p, 'svc.item.edit', { departmentId: v.department_id });
    if (!scoped.ok) return scoped;
    try {
      return await inTransaction(this.db, async (tx) => {
        const item = await repo.insertItem(tx, { ...v, guide: (v.guide as string | undefined) ?? '{}', status: 'draft', source: 'yiwang' } as never);
        await this.audit.record(tx, { actor: actorOf(p), action: 'item.create', entity: 'svc_item', entityId: item.id, after: item, detail: { code: item.code } });
        return ok(item);
      });
    } catch (e) {
      if (isUniqueViolation(e)) return onestopError('ITEM_CODE_TAKEN', [{ field: 'code', message: '事项编码已存在。' }]);
      throw e;
    }
  }

  /** Edits an item; `version` must match (else CONFLICT). Publishing is a separate step. */
  async updateItem(p: Principal, code: string, version: number, raw: Record<string, unknown>): Promise<Result<ServiceItem>> {
    const item = await repo.findItem(this.db, code);
    if (!item) return onestopError('ITEM_NOT_FOUND');
    const auth = authorizeSvc(p, 'svc.item.edit', { departmentId: item.department_id });
    if (!auth.ok) return auth;
    const { code: _c, ...rest } = raw;
    void _c;
    const parsed = await this.parseItem(rest, true);
    if (!parsed.ok) return parsed;
    if (parsed.value.department_id !== undefined && !authorizeSvc(p, 'svc.item.edit', { departmentId: parsed.value.department_id as number }).ok) return commonError('FORBIDDEN');
    return inTransaction(this.db, async (tx) => {
      const after = await repo.updateItem(tx, item.id, version, parsed.value as never);
      if (!after) return commonError('CONFLICT');
      await this.audit.record(tx, { actor: actorOf(p), action: 'item.update', entity: 'svc_item', entityId: item.id, before: item, after, detail: { code, version: after.version } });
      return ok(after);
    });
  }

  /** Publishes (or retires) an item. */
  async setItemStatus(p: Principal, code: string, version: number, status: 'published' | 'draft' | 'retired'): Promise<Result<ServiceItem>> {
    const item = await repo.findItem(this.db, code);
    if (!item) return onestopError('ITEM_NOT_FOUND');
    const auth = authorizeSvc(p, 'svc.item.publish', { departmentId: item.department_id });
    if (!auth.ok) return auth;
    return inTransaction(this.db, async (tx) => {
      const after = await repo.updateItem(tx, item.id, version, { status });
      if (!after) return commonError('CONFLICT');
      await this.audit.record(tx, { actor: actorOf(p), action: `item.${status === 'published' ? 'publish' : status}`, entity: 'svc_item', entityId: item.id, detail: { code, status } });
      return ok(after);
    });
  }

  // ---------------------------------------------------------------- applications

  /**
   * The starting values of a new application for the signed-in citizen: the form's `x-prefill` fields filled from
   * their own account (real name, ID number, mobile). Empty for anyone else; never another person's details.
   */
  async prefill(p: Principal, def: FormDefinition): Promise<Record<string, string>> {
    if (p.kind !== 'citizen') return {};
    const me = await accountReads.citizen(this.db, p.id);
    if (!me) return {};
    return prefillValues(def, { name: me.real_name, idNumber: me.id_number, phone: me.mobile });
  }

  private async onlineItem(p: Principal, code: string): Promise<Result<ServiceItem & { form: FormDefinition }>> {
    const r = await this.item(p, code);
    if (!r.ok) return r;
    if (r.value.status !== 'published' || !r.value.online || !r.value.form) return onestopError('ITEM_NOT_ONLINE');
    return ok(r.value as ServiceItem & { form: FormDefinition });
  }

  /**
   * How each material of the item is supplied for this case: uploads first, then the citizen's valid electronic
   * certificates of the material's type (免提交). Returns the attachments and the required materials still missing.
   */
  async resolveMaterials(tx: Tx, item: ServiceItem, holderId: number, caseId: number | null): Promise<{ attached: Record<string, AttachedMaterial>; missing: Material[] }> {
    const materials = item.guide.materials ?? [];
    const files = caseId ? await repo.filesOf(tx, caseId) : [];
    const certs = materials.some((m) => m.certType) ? await repo.validCertificatesOf(tx, holderId, this.today()) : [];
    const attached: Record<string, AttachedMaterial> = {};
    const missing: Material[] = [];
    for (const m of materials) {
      const f = [...files].reverse().find((x) => x.material === m.key);
      if (f) {
        attached[m.key] = { source: 'upload', fileId: f.id, name: f.name };
        continue;
      }
      const c = m.certType ? certs.find((x) => x.cert_type === m.certType) : undefined;
      if (c) {
        attached[m.key] = { source: 'certificate', certificateId: c.id, number: c.number, certType: c.cert_type };
        continue;
      }
      if (m.required) missing.push(m);
    }
    return { attached, missing };
  }

  private caseNo(id: number): string {
    return `YW${this.today().replace(/-/g, '')}${String(id).padStart(7, '0')}`;
  }

  /**
   * Saves a draft (creating it on the first save, identified by the client token). Values are checked for form but
   * required fields may be missing. Returns the draft.
   */
  async saveDraft(p: Principal, code: string, input: { clientToken: string; data: Record<string, unknown> }): Promise<Result<CaseRow>> {
    const auth = authorizeSvc(p, 'svc.case.apply');
    if (!auth.ok) return auth;
    if (p.kind !== 'citizen') return commonError('FORBIDDEN');
    const item = await this.onlineItem(p, code);
    if (!item.ok) return item;
    if (!TOKEN_RE.test(input.clientToken)) return commonError('VALIDATION_FAILED', [{ field: 'clientToken', message: 'clientToken 须为 8–64 位字母、数字、_ 或 -。', messageEn: 'clientToken: 8–64 letters, digits, _ or -.' }]);
    const v = validateFormData(item.value.form, input.data, { partial: true, today: this.today() });
    const data = v.value;
    const existing = await repo.findCaseByToken(this.db, p.id, input.clientToken);
    if (existing) {
      if (existing.item_id !== item.value.id) return commonError('VALIDATION_FAILED', [{ field: 'clientToken', message: '该 clientToken 已用于其他事项。', messageEn: 'This clientToken was used for another service.' }]);
      return this.updateDraft(p, existing, data);
    }
    try {
      return await inTransaction(this.db, async (tx) => {
        const c = await this.createCase(tx, p, item.value, input.clientToken, data);
        return ok(c);
      });
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      const again = await repo.findCaseByToken(this.db, p.id, input.clientToken);
      if (!again) throw e;
      return this.updateDraft(p, again, data);
    }
  }

  private async updateDraft(p: Principal & { kind: 'citizen' }, c: CaseRow, data: Record<string, unknown>): Promise<Result<CaseRow>> {
    if (c.applicant_id !== p.id) return commonError('FORBIDDEN');
    if (!EDITABLE.includes(c.status as CaseStatus)) return onestopError('ACTION_NOT_ALLOWED');
    return inTransaction(this.db, async (tx) => {
      const after = await repo.updateCase(tx, c.id, c.version, { data: JSON.stringify(data) });
      if (!after) return commonError('CONFLICT');
      // Saving a draft is not a case action (the log keeps steps, not keystrokes), but it is audited.
      await this.audit.record(tx, { actor: actorOf(p), action: 'case.save', entity: 'svc_case', entityId: c.id, after: data, detail: { status: c.status } });
      return ok(after);
    });
  }

  private async createCase(tx: Tx, p: Principal & { kind: 'citizen' }, item: ServiceItem, token: string, data: Record<string, unknown>): Promise<CaseRow> {
    const id = await repo.nextCaseId(tx);
    const row = await repo.insertCase(tx, {
      id,
      case_no: this.caseNo(id),
      item_id: item.id,
      applicant_id: p.id,
      department_id: item.department_id,
      status: 'draft',
      version: 0,
      data: JSON.stringify(data),
      materials: '{}',
      client_token: token,
    } as never);
    const created = await this.appendAction(tx, p, row, item, 'create', null, {}, {});
    await this.audit.record(tx, { actor: actorOf(p), action: 'case.create', entity: 'svc_case', entityId: id, after: data, detail: { item: item.code, caseNo: row.case_no } });
    return created;
  }

  /**
   * Submits an application: validates the form, attaches the citizen's electronic certificates for the materials
   * they replace, and checks that every required material is there. Idempotent on the client token: the same
   * submission twice yields one case (the second call returns it with `created: false`).
   */
  async submit(p: Principal, code: string, input: { clientToken: string; data: Record<string, unknown> }): Promise<Result<{ case: CaseRow; created: boolean }>> {
    const auth = authorizeSvc(p, 'svc.case.apply');
    if (!auth.ok) return auth;
    if (p.kind !== 'citizen') return commonError('FORBIDDEN');
    if (typeof input.clientToken !== 'string' || !TOKEN_RE.test(input.clientToken)) return commonError('VALIDATION_FAILED', [{ field: 'clientToken', message: 'clientToken 须为 8–64 位字母、数字、_ 或 -。', messageEn: 'clientToken: 8–64 letters, digits, _ or -.' }]);
    const existing = await repo.findCaseByToken(this.db, p.id, input.clientToken);
    if (existing && existing.status !== 'draft') return ok({ case: existing, created: false });
    const item = await this.onlineItem(p, code);
    if (!item.ok) return item;
    if (existing && existing.item_id !== item.value.id) return commonError('VALIDATION_FAILED', [{ field: 'clientToken', message: '该 clientToken 已用于其他事项。', messageEn: 'This clientToken was used for another service.' }]);
    const v = validateFormData(item.value.form, input.data, { today: this.today() });
    if (!v.ok) return commonError('VALIDATION_FAILED', v.fields);
    try {
      return await inTransaction(this.db, async (tx) => {
        if (!existing) {
          // A new case goes straight to `submitted`: one insert for the case and one for its first two log rows.
          const fresh = await this.resolveMaterials(tx, item.value, p.id, null);
          if (fresh.missing.length) return onestopError('MATERIALS_MISSING', fresh.missing.map((m) => ({ field: `material_${m.key}`, message: `请上传：${m.name}`, messageEn: `Upload: ${m.name}` })));
          const created = await this.insertSubmitted(tx, p, item.value, input.clientToken, v.value, fresh.attached);
          await this.audit.record(tx, { actor: actorOf(p), action: 'case.submit', entity: 'svc_case', entityId: created.id, after: v.value, detail: { item: item.value.code, caseNo: created.case_no, reused: Object.values(fresh.attached).filter((m) => m.source === 'certificate').length } });
          return ok({ case: created, created: true });
        }
        let c = existing;
        const mats = await this.resolveMaterials(tx, item.value, p.id, c.id);
        if (mats.missing.length) return onestopError('MATERIALS_MISSING', mats.missing.map((m) => ({ field: `material_${m.key}`, message: `请上传：${m.name}`, messageEn: `Upload: ${m.name}` })));
        c = await this.appendAction(tx, p, c, item.value, 'submit', null, { materials: Object.keys(mats.attached) }, { data: JSON.stringify(v.value), materials: JSON.stringify(mats.attached), submitted_at: this.now() });
        await this.audit.record(tx, { actor: actorOf(p), action: 'case.submit', entity: 'svc_case', entityId: c.id, after: v.value, detail: { item: item.value.code, reused: Object.values(mats.attached).filter((m) => m.source === 'certificate').length } });
        return ok({ case: c, created: true });
      });
    } catch (e) {
      if (e instanceof ConflictSignal) return commonError('CONFLICT');
      if (!isUniqueViolation(e)) throw e;
      const again = await repo.findCaseByToken(this.db, p.id, input.clientToken);
      if (again && again.status !== 'draft') return ok({ case: again, created: false });
      return commonError('CONFLICT');
    }
  }

  private async insertSubmitted(tx: Tx, p: Principal & { kind: 'citizen' }, item: ServiceItem, token: string, data: Record<string, unknown>, attached: Record<string, AttachedMaterial>): Promise<CaseRow> {
    const created = transition(null, 'create')!;
    const submitted = transition(created.to, 'submit')!;
    const id = await repo.nextCaseId(tx);
    const today = this.today();
    const cal = await this.calendar();
    const row = await repo.insertCase(tx, {
      id, case_no: this.caseNo(id), item_id: item.id, applicant_id: p.id, department_id: item.department_id, status: submitted.to, version: 2,
      accept_due: cal.addWorkingDays(today, ACCEPT_WITHIN_WORKING_DAYS),
      data: JSON.stringify(data), materials: JSON.stringify(attached), client_token: token, submitted_at: this.now(),
    } as never);
    const actor = actorOf(p);
    await repo.insertActions(tx, [
      { case_id: id, seq: 1, action: 'create', from_status: null, to_status: created.to, actor_id: actor.id, actor_label: actor.label, comment: null, detail: '{}', on_date: today },
      { case_id: id, seq: 2, action: 'submit', from_status: created.to, to_status: submitted.to, actor_id: actor.id, actor_label: actor.label, comment: null, detail: JSON.stringify({ materials: Object.keys(attached) }), on_date: today },
    ]);
    await repo.insertOutbox(tx, { user_id: p.id, case_id: id, channel: 'inbox', subject: `您的办件 ${row.case_no}：${STATUS_SUBJECT[submitted.to]}`, body: `${item.name}（办件编号 ${row.case_no}）当前状态：${STATUS_SUBJECT[submitted.to]}。` });
    return row;
  }

  /**
   * Appends one action to the case log and moves the status by the state machine, with a compare-and-set on the
   * case's version (throws ConflictSignal when another writer was first). Recomputes the statutory clock.
   */
  private async appendAction(
    tx: Tx, p: Principal, c: CaseRow, item: ServiceItem, action: CaseAction, comment: string | null,
    detail: Record<string, unknown>, patch: Record<string, unknown>,
  ): Promise<CaseRow> {
    const from = action === 'create' ? null : (c.status as CaseStatus);
    const t = transition(from, action);
    if (!t) throw new Error(`forbidden transition ${String(from)} -> ${action}`);
    const today = this.today();
    const prior = action === 'create' ? [] : await repo.actions(tx, c.id);
    const log = [...prior.map((a) => ({ action: a.action, to_status: a.to_status, on_date: a.on_date })), { action, to_status: t.to, on_date: today }];
    const cal = await this.calendar();
    const clocks = caseClocks(cal, log, item.legal_days, item.promised_days, today);
    const updated = await repo.updateCase(tx, c.id, c.version, {
      ...patch,
      status: t.to,
      ...(t.to === 'submitted' ? { accept_due: cal.addWorkingDays(today, ACCEPT_WITHIN_WORKING_DAYS) } : {}),
      accepted_on: clocks.acceptedOn,
      legal_deadline: clocks.legal?.deadline ?? null,
      promised_deadline: clocks.promised?.deadline ?? null,
      paused: clocks.paused,
    });
    if (!updated) throw new ConflictSignal();
    const actor = actorOf(p);
    await repo.insertAction(tx, {
      case_id: c.id, seq: c.version + 1, action, from_status: from, to_status: t.to, actor_id: actor.id, actor_label: actor.label,
      comment, detail: JSON.stringify(detail), on_date: today,
    });
    if (action !== 'create') {
      await repo.insertOutbox(tx, {
        user_id: c.applicant_id, case_id: c.id, channel: 'inbox',
        subject: `您的办件 ${c.case_no}：${STATUS_SUBJECT[t.to]}`,
        body: `${item.name}（办件编号 ${c.case_no}）当前状态：${STATUS_SUBJECT[t.to]}。${comment ? `说明：${comment}` : ''}`,
      });
    }
    return updated;
  }

  /**
   * Takes a step in the case flow. Staff actions need `svc.case.handle` in the case's department; citizen actions
   * are the applicant's own. `version` (the number of actions the caller saw) guards against two people acting at
   * once: a stale version gets CONFLICT and changes nothing.
   */
  async act(p: Principal, caseId: number, input: { action: string; version?: number | undefined; comment?: string | undefined; data?: Record<string, unknown> | undefined }): Promise<Result<CaseRow>> {
    if (p.kind === 'anonymous') return commonError('UNAUTHENTICATED');
    const c = await repo.findCase(this.db, caseId);
    if (!c) return onestopError('CASE_NOT_FOUND');
    if (!isCaseAction(input.action) || input.action === 'create') return commonError('VALIDATION_FAILED', [{ field: 'action', message: '未知的操作。' }]);
    const action = input.action;
    const t = transition(c.status as CaseStatus, action);
    if (p.kind === 'citizen' && c.applicant_id !== p.id) return onestopError('CASE_NOT_FOUND');
    const party = ACTION_PARTY[action];
    const auth = party === 'citizen' ? authorizeSvc(p, 'svc.case.apply', { ownerId: c.applicant_id }) : authorizeSvc(p, 'svc.case.handle', { departmentId: c.department_id });
    if (!auth.ok) return auth;
    if (input.version !== undefined && input.version !== c.version) return commonError('CONFLICT');
    if (!t) return onestopError('ACTION_NOT_ALLOWED');
    const comment = typeof input.comment === 'string' ? input.comment.trim().slice(0, 2000) : '';
    if (NEEDS_COMMENT.includes(action) && !comment) return commonError('VALIDATION_FAILED', [{ field: 'comment', message: action === 'request_correction' ? '请一次性写明需要补正的全部内容。' : '请写明理由和依据。' }]);
    const item = await repo.findItemById(this.db, c.item_id);
    if (!item) return onestopError('ITEM_NOT_FOUND');
    let patch: Record<string, unknown> = {};
    let data = c.data;
    if ((action === 'resubmit' || action === 'submit') && item.form) {
      if (input.data) {
        const v = validateFormData(item.form, input.data, { today: this.today() });
        if (!v.ok) return commonError('VALIDATION_FAILED', v.fields);
        data = v.value;
      } else {
        const v = validateFormData(item.form, c.data, { today: this.today() });
        if (!v.ok) return commonError('VALIDATION_FAILED', v.fields);
      }
      patch = { data: JSON.stringify(data) };
    }
    try {
      return await inTransaction(this.db, async (tx) => {
        if (action === 'resubmit' || action === 'submit') {
          const mats = await this.resolveMaterials(tx, item, c.applicant_id, c.id);
          if (mats.missing.length) return onestopError('MATERIALS_MISSING', mats.missing.map((m) => ({ field: `material_${m.key}`, message: `请上传：${m.name}`, messageEn: `Upload: ${m.name}` })));
          patch.materials = JSON.stringify(mats.attached);
          if (action === 'submit') patch.submitted_at = this.now();
        }
        const after = await this.appendAction(tx, p, c, item, action, comment || null, {}, patch);
        let certificate: string | undefined;
        if (action === 'approve' && item.issues_cert) {
          const dept = c.department_id ? await tx.selectFrom('departments').select(['id', 'name']).where('id', '=', c.department_id).executeTakeFirst() : undefined;
          const cert = await this.issueCertificate(tx, { holderId: c.applicant_id, certType: item.issues_cert, departmentId: dept?.id ?? null, departmentName: dept?.name ?? item.department_name, caseId: c.id, validYears: 5, data: { item: item.name, caseNo: c.case_no } });
          certificate = cert.number;
        }
        await this.audit.record(tx, { actor: actorOf(p), action: `case.${action}`, entity: 'svc_case', entityId: c.id, detail: { from: c.status, to: after.status, seq: after.version, ...(certificate ? { certificate } : {}) } });
        return ok(after);
      });
    } catch (e) {
      if (e instanceof ConflictSignal) return commonError('CONFLICT');
      throw e;
    }
  }

  /** A case with its log, files and clock, for the applicant or staff who may see it (staff views are audited). */
  async getCase(p: Principal, caseId: number): Promise<Result<CaseDetail>> {
    if (p.kind === 'anonymous') return commonError('UNAUTHENTICATED');
    const c = await repo.findCase(this.db, caseId);
    if (!c) return onestopError('CASE_NOT_FOUND');
    let viewer: Party | 'other';
    if (p.kind === 'citizen') {
      if (c.applicant_id !== p.id) return onestopError('CASE_NOT_FOUND');
      viewer = 'citizen';
    } else {
      const auth = authorizeSvc(p, 'svc.case.view', { departmentId: c.department_id });
      if (!auth.ok) return auth;
      viewer = authorizeSvc(p, 'svc.case.handle', { departmentId: c.department_id }).ok ? 'staff' : 'other';
      await inTransaction(this.db, (tx) => this.audit.record(tx, { actor: actorOf(p), action: 'case.view', entity: 'svc_case', entityId: c.id }));
    }
    const [item, actions, files] = await Promise.all([repo.findItemById(this.db, c.item_id), repo.actions(this.db, c.id), repo.filesOf(this.db, c.id)]);
    if (!item) return onestopError('ITEM_NOT_FOUND');
    const clocks = caseClocks(await this.calendar(), actions, item.legal_days, item.promised_days, this.today());
    const allowed = viewer === 'other' ? [] : allowedActions(c.status as CaseStatus, viewer);
    const materialsNow = viewer === 'citizen' && EDITABLE.includes(c.status as CaseStatus) ? await this.resolveMaterials(this.db, item, c.applicant_id, c.id) : undefined;
    return ok({ case: c, item, actions, files, clocks, allowed, viewer, statusCode: this.statusCode(c.case_no), ...(materialsNow ? { materialsNow } : {}) });
  }

  /** The public status of a case from its number (the QR code on receipts): status and dates only, no personal data. */
  /**
   * The case's query code (查询码), printed on its receipt and notices and in their status link: eight characters of
   * an HMAC of the case number under the signing secret, so only who holds a notice can look the case up.
   */
  statusCode(caseNo: string): string {
    const mac = createHmac('sha256', this.opts.signingSecret).update(`onestop.status:${caseNo}`).digest();
    let out = '';
    for (let i = 0; i < STATUS_CODE_LENGTH; i++) out += STATUS_CODE_ALPHABET[mac[i]! % STATUS_CODE_ALPHABET.length];
    return out;
  }

  /**
   * The public status of a case for whoever holds its number and query code (`statusCode`). A wrong or missing code
   * answers CASE_NOT_FOUND like a number that does not exist (compared in constant time, before the database is
   * read), so the sequential case numbers cannot be walked.
   */
  async publicStatus(caseNo: string, code: string | undefined): Promise<Result<{ caseNo: string; item: string; status: string; submittedAt: Date | null; acceptedOn: string | null; legalDeadline: string | null; promisedDeadline: string | null; updatedAt: Date }>> {
    if (typeof caseNo !== 'string' || !/^YW\d{15,20}$/.test(caseNo)) return onestopError('CASE_NOT_FOUND');
    const given = Buffer.from(normalizeStatusCode(code).padEnd(STATUS_CODE_LENGTH, '.').slice(0, 64));
    const expected = Buffer.from(this.statusCode(caseNo));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return onestopError('CASE_NOT_FOUND');
    const c = await repo.findCaseByNo(this.db, caseNo);
    if (!c || c.status === 'draft') return onestopError('CASE_NOT_FOUND');
    const item = await repo.findItemById(this.db, c.item_id);
    return ok({ caseNo: c.case_no, item: item?.name ?? '', status: c.status, submittedAt: c.submitted_at, acceptedOn: c.accepted_on, legalDeadline: c.legal_deadline, promisedDeadline: c.promised_deadline, updatedAt: c.updated_at });
  }

  /**
   * Stores an uploaded material for the applicant's own case (draft or awaiting 补正). The type is sniffed from the
   * content (PDF, JPEG, PNG); at most 5 MB. Files are kept under the data directory by their SHA-256.
   */
  async upload(p: Principal, caseId: number, material: string, file: { name: string; bytes: Buffer; truncated?: boolean }): Promise<Result<FileRow>> {
    const auth = authorizeSvc(p, 'svc.case.apply');
    if (!auth.ok) return auth;
    const c = await repo.findCase(this.db, caseId);
    if (!c || p.kind !== 'citizen' || c.applicant_id !== p.id) return onestopError('CASE_NOT_FOUND');
    if (!EDITABLE.includes(c.status as CaseStatus)) return onestopError('ACTION_NOT_ALLOWED');
    const item = await repo.findItemById(this.db, c.item_id);
    const m = item?.guide.materials?.find((x) => x.key === material);
    if (!m) return commonError('VALIDATION_FAILED', [{ field: 'material', message: '没有这项申请材料。', messageEn: 'This service asks for no such material.' }]);
    if (file.truncated || file.bytes.length > MAX_FILE_BYTES) return commonError('FILE_TOO_LARGE', [{ field: `material_${material}`, message: '文件过大，单个文件不能超过 5 MB。', messageEn: 'The file is too large (5 MB at most).' }]);
    const mime = sniffMime(file.bytes);
    // A photo takes JPG or PNG only: the material's own types, as its row on the page says.
    const types = materialTypes(m);
    if (!mime || file.bytes.length === 0 || !typeAllowed(types, mime)) {
      return commonError('FILE_TYPE_NOT_ALLOWED', [{ field: `material_${material}`, message: `这项材料只能上传 ${typesText(types, 'zh')} 文件。`, messageEn: `This material takes ${typesText(types, 'en')} files only.` }]);
    }
    const sha = createHash('sha256').update(file.bytes).digest('hex');
    const dir = join(this.opts.dataDir, 'onestop-files', sha.slice(0, 2));
    mkdirSync(dir, { recursive: true });
    const path = join(dir, sha);
    if (!existsSync(path)) writeFileSync(path, file.bytes, { mode: 0o600 });
    return inTransaction(this.db, async (tx) => {
      const row = await repo.insertFile(tx, { owner_id: p.id, case_id: c.id, material, name: safeFileName(file.name), mime, size: file.bytes.length, sha256: sha });
      await this.audit.record(tx, { actor: actorOf(p), action: 'case.file', entity: 'svc_case', entityId: c.id, detail: { material, mime, size: file.bytes.length } });
      return ok(row);
    });
  }

  /** A stored file for its owner or the handling department's staff. */
  async readFile(p: Principal, fileId: number): Promise<Result<{ row: FileRow; bytes: Buffer }>> {
    const row = await repo.findFile(this.db, fileId);
    if (!row || !row.case_id) return commonError('NOT_FOUND');
    const c = await repo.findCase(this.db, row.case_id);
    if (!c) return commonError('NOT_FOUND');
    if (p.kind === 'citizen') {
      if (row.owner_id !== p.id) return commonError('NOT_FOUND');
    } else {
      const auth = authorizeSvc(p, 'svc.case.view', { departmentId: c.department_id });
      if (!auth.ok) return auth;
    }
    return ok({ row, bytes: readFileSync(join(this.opts.dataDir, 'onestop-files', row.sha256.slice(0, 2), row.sha256)) });
  }

  private light(cal: Calendar, today: string, r: QueueRow): { light: QueueEntry['light']; remainingWorkingDays: number | null } {
    if (r.status === 'submitted' && r.accept_due) {
      const left = cal.workingDaysBetween(today, r.accept_due);
      return { light: r.accept_due < today ? 'red' : left <= 1 ? 'amber' : 'green', remainingWorkingDays: Math.max(left, 0) };
    }
    const dls = [r.promised_deadline, r.legal_deadline].filter((d): d is string => !!d);
    if (!dls.length || !['accepted', 'under_review', 'review_correction'].includes(r.status)) return { light: null, remainingWorkingDays: null };
    const nearest = dls.sort()[0]!;
    const remaining = cal.workingDaysBetween(today, nearest);
    if (r.paused) return { light: remaining <= 3 ? 'amber' : 'green', remainingWorkingDays: remaining };
    const red = dls.some((d) => d < today);
    return { light: red ? 'red' : remaining <= 3 ? 'amber' : 'green', remainingWorkingDays: remaining };
  }

  /** The department's open cases, nearest deadline first (clerks and heads: their department). */
  async queue(p: Principal, limit = 200): Promise<Result<QueueEntry[]>> {
    const auth = authorizeSvc(p, 'svc.case.view');
    if (!auth.ok) return auth;
    const rows = await repo.queue(this.db, departmentScope(p), OPEN_STATUSES, { limit: Math.min(Math.max(limit, 1), 500) });
    const cal = await this.calendar();
    const today = this.today();
    return ok(rows.map((r) => ({ ...r, ...this.light(cal, today, r) })));
  }

  /** Cases past a legal or promised deadline (supervisors, leaders: all departments; heads: their own). */
  async overdue(p: Principal, limit = 200): Promise<Result<QueueEntry[]>> {
    const auth = authorizeSvc(p, 'svc.case.overdue');
    if (!auth.ok) return auth;
    const rows = await repo.queue(this.db, departmentScope(p), ['accepted', 'under_review'], { overdueOn: this.today(), limit: Math.min(Math.max(limit, 1), 500) });
    const cal = await this.calendar();
    const today = this.today();
    return ok(rows.map((r) => ({ ...r, ...this.light(cal, today, r) })));
  }

  /**
   * Aggregates for the leaders' overview, all departments, no personal data: cases submitted this month (China time)
   * and in the last 30 days, finished (approved, refused or completed), not accepted, in progress, overdue (accepted or
   * under review, clock running, promised or legal deadline before today: the cases `overdue()` lists) and of those
   * the ones past the legal time limit, and the median number of
   * working days from acceptance to decision over the cases decided in the last 365 days (null when none).
   */
  async overview(p: Principal): Promise<Result<{
    month: number; received30: number; finished: number; notAccepted: number; inProgress: number; overdue: number; overdueLegal: number; withdrawn: number;
    medianWorkingDays: number | null; decided: number; monthStart: string; since: string;
  }>> {
    const auth = authorizeSvc(p, 'svc.case.overview');
    if (!auth.ok) return auth;
    const today = this.today();
    const monthStart = `${today.slice(0, 8)}01`;
    const since = addDays(today, -29);
    const [o, decisions, cal] = await Promise.all([
      repo.overview(this.db, today, monthStart, since), repo.decisions(this.db, addDays(today, -364), 5000), this.calendar(),
    ]);
    const days = decisions.map((d) => cal.workingDaysBetween(d.accepted_on, d.decided_on)).sort((a, b) => a - b);
    const mid = days.length >> 1;
    const median = !days.length ? null : days.length % 2 ? days[mid]! : (days[mid - 1]! + days[mid]!) / 2;
    return ok({
      month: o.month, received30: o.recent, finished: o.finished, notAccepted: o.not_accepted, inProgress: o.in_progress, overdue: o.overdue,
      overdueLegal: o.overdue_legal, withdrawn: o.withdrawn, medianWorkingDays: median, decided: days.length, monthStart, since,
    });
  }

  /** Marks newly overdue cases as escalated and notifies the supervisors (督办); returns how many. */
  async escalateOverdue(): Promise<number> {
    const rows = (await repo.queue(this.db, 'all', ['accepted', 'under_review'], { overdueOn: this.today(), limit: 500 })).filter((r) => !r.escalated);
    if (!rows.length) return 0;
    await inTransaction(this.db, async (tx) => {
      await repo.markEscalated(tx, rows.map((r) => r.id));
      for (const r of rows) {
        await repo.insertOutbox(tx, { user_id: null, case_id: r.id, channel: 'supervisor', subject: `督办：${r.case_no} 已超期`, body: `${r.item_name}（${r.case_no}）已超过办理时限（法定 ${r.legal_deadline ?? '—'}，承诺 ${r.promised_deadline ?? '—'}）。` });
      }
      await this.audit.record(tx, { actor: actorOf(SYSTEM), action: 'case.escalate', entity: 'svc_case', detail: { count: rows.length } });
    });
    return rows.length;
  }

  /** The citizen's own cases ("我的办件"). */
  async myCases(p: Principal): Promise<Result<QueueEntry[]>> {
    if (p.kind !== 'citizen') return p.kind === 'anonymous' ? commonError('UNAUTHENTICATED') : commonError('FORBIDDEN');
    const rows = await repo.casesOf(this.db, p.id, 200);
    const cal = await this.calendar();
    const today = this.today();
    return ok(rows.map((r) => ({ ...r, ...this.light(cal, today, r) })));
  }

  async outbox(p: Principal, limit = 50) {
    const auth = authorizeSvc(p, 'svc.outbox.view');
    if (!auth.ok) return auth;
    return ok(await repo.outbox(this.db, Math.min(Math.max(limit, 1), 200)));
  }

  // ---------------------------------------------------------------- certificates

  private async signingKey(tx: Tx, departmentId: number | null): Promise<{ id: number; privateEnc: string }> {
    const k = await keyRepository.active(tx, departmentId);
    if (k) return { id: k.id, privateEnc: k.private_enc };
    const pair = newKeyPair(this.opts.signingSecret);
    const row = await keyRepository.insert(tx, departmentId, pair.publicKeyPem, pair.privateEnc);
    await this.audit.record(tx, { actor: actorOf(SYSTEM), action: 'cert.key.create', entity: 'svc_dept_key', entityId: row.id, detail: { departmentId } });
    return { id: row.id, privateEnc: row.private_enc };
  }

  /** Issues a signed electronic certificate inside the caller's transaction. */
  private async issueCertificate(tx: Tx, o: { holderId: number; certType: string; departmentId: number | null; departmentName: string; caseId: number | null; validYears: number; data: Record<string, unknown> }): Promise<CertificateRow> {
    const holder = await accountReads.citizen(tx, o.holderId);
    const today = this.today();
    const validUntil = addDays(today, Math.round(o.validYears * 365.25));
    const number = `ZZ${today.replace(/-/g, '')}${randomBytes(5).toString('hex').toUpperCase()}`;
    const key = await this.signingKey(tx, o.departmentId);
    const payload: CertPayload = { v: 1, n: number, t: o.certType, k: key.id, h: maskName(holder?.real_name ?? ''), d: o.departmentName, i: today, u: validUntil };
    const { code, signature } = signPayload(openPrivateKey(this.opts.signingSecret, key.privateEnc), payload);
    const row = await repo.insertCertificate(tx, {
      number, cert_type: o.certType, holder_id: o.holderId, department_id: o.departmentId, case_id: o.caseId,
      title: o.certType, data: JSON.stringify({ ...o.data, code, issuer: o.departmentName }), key_id: key.id, signature, valid_until: validUntil,
    });
    await this.audit.record(tx, { actor: actorOf(SYSTEM), action: 'cert.issue', entity: 'svc_certificate', entityId: row.id, detail: { type: o.certType, keyId: key.id } });
    return row;
  }

  /** The citizen's certificates ("我的证照"). */
  async wallet(p: Principal): Promise<Result<CertificateRow[]>> {
    if (p.kind !== 'citizen') return p.kind === 'anonymous' ? commonError('UNAUTHENTICATED') : commonError('FORBIDDEN');
    return ok(await repo.certificatesOf(this.db, p.id));
  }

  /**
   * Verifies a certificate from its QR text alone (public): the signature with the issuing key, then revocation
   * and validity. A code that is not ours or whose signature fails is CERT_INVALID; a genuine but revoked or
   * expired certificate answers `valid: false` with the reason.
   */
  async verifyCertificate(code: string): Promise<Result<{ valid: boolean; reason: 'ok' | 'revoked' | 'expired'; number: string; type: string; holder: string; issuer: string; issuedOn: string; validUntil: string | null; revokedReason: string | null }>> {
    const parsed = parseCode(code);
    if (!parsed) return onestopError('CERT_INVALID');
    const key = await keyRepository.byId(this.db, parsed.payload.k);
    if (!key || !checkSignature(key.public_key, parsed.body, parsed.signature)) return onestopError('CERT_INVALID');
    const row = await repo.findCertificate(this.db, parsed.payload.n);
    if (!row || row.key_id !== key.id) return onestopError('CERT_INVALID');
    const p = parsed.payload;
    const expired = p.u !== null && p.u < this.today();
    const reason = row.status === 'revoked' ? 'revoked' : expired ? 'expired' : 'ok';
    return ok({ valid: reason === 'ok', reason, number: p.n, type: p.t, holder: p.h, issuer: p.d, issuedOn: p.i, validUntil: p.u, revokedReason: row.revoked_reason });
  }

  /** Revokes a certificate with a reason (department heads of the issuing department, administrators). */
  async revokeCertificate(p: Principal, number: string, reason: string): Promise<Result<CertificateRow>> {
    const row = await repo.findCertificate(this.db, number);
    if (!row) return onestopError('CERT_NOT_FOUND');
    const auth = authorizeSvc(p, 'svc.cert.revoke', { departmentId: row.department_id });
    if (!auth.ok) return auth;
    const why = typeof reason === 'string' ? reason.trim().slice(0, 500) : '';
    if (!why) return commonError('VALIDATION_FAILED', [{ field: 'reason', message: '请写明吊销（注销）理由。' }]);
    return inTransaction(this.db, async (tx) => {
      const after = await repo.revokeCertificate(tx, row.id, why);
      if (!after) return onestopError('ACTION_NOT_ALLOWED');
      await this.audit.record(tx, { actor: actorOf(p), action: 'cert.revoke', entity: 'svc_certificate', entityId: row.id, detail: { type: row.cert_type } });
      return ok(after);
    });
  }

  /** Replaces a department's signing key; certificates signed before keep verifying with the retired key. */
  async rotateKey(p: Principal, departmentId: number | null): Promise<Result<{ keyId: number }>> {
    const auth = authorizeSvc(p, 'svc.cert.keys');
    if (!auth.ok) return auth;
    return inTransaction(this.db, async (tx) => {
      await keyRepository.retire(tx, departmentId);
      const pair = newKeyPair(this.opts.signingSecret);
      const row = await keyRepository.insert(tx, departmentId, pair.publicKeyPem, pair.privateEnc);
      await this.audit.record(tx, { actor: actorOf(p), action: 'cert.key.rotate', entity: 'svc_dept_key', entityId: row.id, detail: { departmentId } });
      return ok({ keyId: row.id });
    });
  }

  /** A date check exported for pages. */
  isDate(s: string): boolean {
    return isValidDate(s);
  }
}

/** The one party that takes each action. */
const ACTION_PARTY = Object.fromEntries(TRANSITIONS.map((t) => [t.action, t.by])) as Record<CaseAction, Party>;

/** Thrown inside a transaction to roll it back when a compare-and-set lost the race. */
class ConflictSignal extends Error {
  constructor() {
    super('conflict');
  }
}

const STATUS_SUBJECT: Record<CaseStatus, string> = {
  draft: '草稿已保存',
  submitted: '已提交',
  correction_requested: '需要补正材料',
  accepted: '已受理',
  not_accepted: '不予受理',
  under_review: '审查中',
  review_correction: '需要补正材料',
  approved: '已准予',
  refused: '不予准予',
  completed: '已办结',
  withdrawn: '已撤回',
};
