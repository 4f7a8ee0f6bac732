import { sql } from 'kysely';
import type { Tx } from '../../db/tx.ts';
import { inTransaction } from '../../db/tx.ts';
import type { Calendar } from '../../lib/calendar/index.ts';
import { commonError, ok, type FieldError, type Result } from '../../lib/errors.ts';
import type { AuditLog } from '../audit/audit.service.ts';
import { actorOf, departmentScope, type Principal } from '../identity/permissions.ts';
import { onestopError } from './onestop.errors.ts';
import { authorizeSvc } from './onestop.permissions.ts';
import type { RatingRow, RectificationRow } from './onestop.types.ts';

/** The five national levels of 好差评, 5 = 非常满意 … 1 = 非常不满意. */
export const RATING_LEVELS: Record<number, { zh: string; en: string }> = {
  5: { zh: '非常满意', en: 'Very satisfied' },
  4: { zh: '满意', en: 'Satisfied' },
  3: { zh: '基本满意', en: 'Fairly satisfied' },
  2: { zh: '不满意', en: 'Dissatisfied' },
  1: { zh: '非常不满意', en: 'Very dissatisfied' },
};

/** The online indicators rated alongside the overall level. */
export const INDICATORS: Record<string, { zh: string; en: string }> = {
  overall: { zh: '整体满意度', en: 'Overall' },
  efficiency: { zh: '办事效率', en: 'Efficiency' },
  guideAccuracy: { zh: '办事指南准确性', en: 'Accuracy of the guide' },
  convenience: { zh: '办理便捷程度', en: 'Convenience' },
  easeOfUse: { zh: '网站易用性', en: 'Ease of use' },
};

/** A bad rating (不满意 or worse) opens a rectification task due in this many working days. */
export const RECTIFY_WORKING_DAYS = 15;

export interface SatisfactionRow {
  key: string;
  name: string;
  ratings: number;
  average: number;
  satisfiedShare: number;
  bad: number;
}

/**
 * 好差评 for completed cases: one rating per case by its applicant; a bad rating opens a rectification task for the
 * department (15 working days, closed with a call-back note); staff may appeal a malicious rating, a supervisor
 * upholds (the rating is then excluded from the figures) or rejects the appeal.
 */
export class RatingsService {
  constructor(
    private readonly db: Tx,
    private readonly audit: AuditLog,
    private readonly clock: { today(): string; calendar(): Promise<Calendar> },
  ) {}

  async rate(p: Principal, caseId: number, raw: { level: unknown; indicators?: unknown; comment?: unknown }): Promise<Result<{ rating: RatingRow; rectification: RectificationRow | null }>> {
    const auth = authorizeSvc(p, 'svc.case.apply');
    if (!auth.ok) return auth;
    if (p.kind !== 'citizen') return commonError('FORBIDDEN');
    const c = await this.db.selectFrom('svc_cases').select(['id', 'applicant_id', 'status', 'item_id', 'department_id', 'case_no']).where('id', '=', caseId).executeTakeFirst();
    if (!c || c.applicant_id !== p.id) return onestopError('CASE_NOT_FOUND');
    if (c.status !== 'completed') return onestopError('RATING_NOT_ALLOWED');
    const fields: FieldError[] = [];
    const level = Number(raw.level);
    if (!Number.isInteger(level) || !RATING_LEVELS[level]) fields.push({ field: 'level', message: '请选择评价等级（1–5）。', messageEn: 'Choose how satisfied you are (1–5).' });
    const indicators: Record<string, number> = {};
    const rawInd = (raw.indicators ?? {}) as Record<string, unknown>;
    if (typeof rawInd !== 'object' || Array.isArray(rawInd)) fields.push({ field: 'indicators', message: '指标评分格式不正确。', messageEn: 'The indicator scores are not in the right form.' });
    else {
      for (const [k, v] of Object.entries(rawInd)) {
        const n = Number(v);
        if (!INDICATORS[k]) fields.push({ field: `indicators.${k}`, message: `未知指标 ${k}。`, messageEn: `Unknown indicator ${k}.` });
        else if (v !== '' && v !== undefined && (!Number.isInteger(n) || n < 1 || n > 5)) fields.push({ field: `indicators.${k}`, message: `${INDICATORS[k]!.zh}评分为 1–5。`, messageEn: `${INDICATORS[k]!.en}: score 1 to 5.` });
        else if (v !== '' && v !== undefined) indicators[k] = n;
      }
    }
    const comment = typeof raw.comment === 'string' ? raw.comment.trim().slice(0, 1000) : '';
    if (level <= 2 && !comment) fields.push({ field: 'comment', message: '差评请写明原因，便于部门整改。', messageEn: 'For a bad rating, say what went wrong, so that the department can put it right.' });
    if (fields.length) return commonError('VALIDATION_FAILED', fields);
    const cal = await this.clock.calendar();
    const today = this.clock.today();
    try {
      return await inTransaction(this.db, async (tx) => {
        const rating = await tx.insertInto('svc_ratings').values({ case_id: c.id, item_id: c.item_id, department_id: c.department_id, rater_id: p.id, level, indicators: JSON.stringify(indicators), comment: comment || null }).returningAll().executeTakeFirstOrThrow();
        let rectification: RectificationRow | null = null;
        if (level <= 2) {
          rectification = await tx.insertInto('svc_rectifications').values({ rating_id: rating.id, department_id: c.department_id, due_on: cal.addWorkingDays(today, RECTIFY_WORKING_DAYS) }).returningAll().executeTakeFirstOrThrow();
          await tx.insertInto('svc_outbox').values({ user_id: null, case_id: c.id, channel: 'department', subject: `差评整改：${c.case_no}`, body: `办件 ${c.case_no} 收到“${RATING_LEVELS[level]!.zh}”评价，请在 ${rectification.due_on} 前整改并回访。` }).execute();
        }
        await this.audit.record(tx, { actor: actorOf(p), action: 'rating.create', entity: 'svc_case', entityId: c.id, detail: { level, rectification: rectification?.id ?? null } });
        return ok({ rating, rectification });
      });
    } catch (e) {
      if ((e as { code?: string }).code === '23505') return onestopError('RATING_NOT_ALLOWED');
      throw e;
    }
  }

  /** Staff of the rated department appeal a malicious rating to the supervisors. */
  async appeal(p: Principal, ratingId: number, reason: unknown): Promise<Result<RatingRow>> {
    const r = await this.db.selectFrom('svc_ratings').selectAll().where('id', '=', ratingId).executeTakeFirst();
    if (!r) return commonError('NOT_FOUND');
    const auth = authorizeSvc(p, 'svc.case.handle', { departmentId: r.department_id });
    if (!auth.ok) return auth;
    const why = typeof reason === 'string' ? reason.trim().slice(0, 1000) : '';
    if (!why) return commonError('VALIDATION_FAILED', [{ field: 'reason', message: '请写明申诉理由。', messageEn: 'Give the reason for the appeal.' }]);
    if (r.appeal_status !== 'none') return onestopError('ACTION_NOT_ALLOWED');
    return inTransaction(this.db, async (tx) => {
      const after = await tx.updateTable('svc_ratings').set({ appeal_status: 'appealed', appeal_reason: why }).where('id', '=', r.id).where('appeal_status', '=', 'none').returningAll().executeTakeFirst();
      if (!after) return commonError('CONFLICT');
      await this.audit.record(tx, { actor: actorOf(p), action: 'rating.appeal', entity: 'svc_rating', entityId: r.id });
      return ok(after);
    });
  }

  /** A supervisor decides an appeal: upheld ratings no longer count. */
  async decideAppeal(p: Principal, ratingId: number, uphold: boolean): Promise<Result<RatingRow>> {
    const auth = authorizeSvc(p, 'svc.case.overdue');
    if (!auth.ok) return auth;
    if (p.kind === 'staff' && !p.roles.some((x) => x === 'supervisor' || x === 'leader')) return commonError('FORBIDDEN');
    return inTransaction(this.db, async (tx) => {
      const after = await tx.updateTable('svc_ratings').set({ appeal_status: uphold ? 'upheld' : 'rejected', excluded: uphold }).where('id', '=', ratingId).where('appeal_status', '=', 'appealed').returningAll().executeTakeFirst();
      if (!after) return onestopError('ACTION_NOT_ALLOWED');
      await this.audit.record(tx, { actor: actorOf(p), action: 'rating.appeal.decide', entity: 'svc_rating', entityId: ratingId, detail: { uphold } });
      return ok(after);
    });
  }

  /** Closes a rectification task with the call-back note (staff of the department). */
  async closeRectification(p: Principal, id: number, note: unknown): Promise<Result<RectificationRow>> {
    const r = await this.db.selectFrom('svc_rectifications').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r) return commonError('NOT_FOUND');
    const auth = authorizeSvc(p, 'svc.case.handle', { departmentId: r.department_id });
    if (!auth.ok) return auth;
    const text = typeof note === 'string' ? note.trim().slice(0, 1000) : '';
    if (!text) return commonError('VALIDATION_FAILED', [{ field: 'note', message: '请填写整改情况和回访结果。', messageEn: 'Say what was put right and what the call-back found.' }]);
    return inTransaction(this.db, async (tx) => {
      const after = await tx.updateTable('svc_rectifications').set({ status: 'done', callback_note: text, closed_at: new Date() }).where('id', '=', id).where('status', '=', 'open').returningAll().executeTakeFirst();
      if (!after) return onestopError('ACTION_NOT_ALLOWED');
      await this.audit.record(tx, { actor: actorOf(p), action: 'rectification.close', entity: 'svc_rectification', entityId: id });
      return ok(after);
    });
  }

  /** Open rectification tasks the caller's department must handle, earliest due first. */
  async openRectifications(p: Principal): Promise<Result<(RectificationRow & { case_no: string })[]>> {
    const auth = authorizeSvc(p, 'svc.case.view');
    if (!auth.ok) return auth;
    const scope = departmentScope(p);
    let q = this.db.selectFrom('svc_rectifications as r').innerJoin('svc_ratings as g', 'g.id', 'r.rating_id').innerJoin('svc_cases as c', 'c.id', 'g.case_id').selectAll('r').select('c.case_no').where('r.status', '=', 'open');
    if (scope !== 'all') {
      if (!scope.length) return ok([]);
      q = q.where('r.department_id', 'in', scope);
    }
    return ok(await q.orderBy('r.due_on').limit(200).execute());
  }

  /** Appeals waiting for a supervisor. */
  async pendingAppeals(p: Principal): Promise<Result<RatingRow[]>> {
    const auth = authorizeSvc(p, 'svc.case.overdue');
    if (!auth.ok) return auth;
    return ok(await this.db.selectFrom('svc_ratings').selectAll().where('appeal_status', '=', 'appealed').orderBy('id').limit(200).execute());
  }

  /** Satisfaction per department and per service (public): count, mean level, share rated 4–5, bad ratings. */
  async summary(): Promise<{ departments: SatisfactionRow[]; services: SatisfactionRow[] }> {
    const agg = (key: 'department_name' | 'item_name') =>
      this.db
        .selectFrom('svc_ratings as g')
        .innerJoin('svc_items as i', 'i.id', 'g.item_id')
        .where('g.excluded', '=', false)
        .select([
          key === 'department_name' ? 'i.department_name as name' : 'i.name as name',
          key === 'department_name' ? 'i.department_name as key' : 'i.code as key',
          sql<number>`count(*)::int`.as('ratings'),
          sql<number>`round(avg(g.level)::numeric, 2)`.as('average'),
          sql<number>`round(avg(case when g.level >= 4 then 1.0 else 0.0 end)::numeric, 4)`.as('satisfiedShare'),
          sql<number>`sum(case when g.level <= 2 then 1 else 0 end)::int`.as('bad'),
        ])
        .groupBy(key === 'department_name' ? ['i.department_name'] : ['i.name', 'i.code'])
        .orderBy(sql`count(*)`, 'desc')
        .limit(200)
        .execute();
    const [departments, services] = await Promise.all([agg('department_name'), agg('item_name')]);
    const num = (rows: SatisfactionRow[]) => rows.map((r) => ({ ...r, average: Number(r.average), satisfiedShare: Number(r.satisfiedShare) }));
    return { departments: num(departments), services: num(services) };
  }

  async ratingOf(caseId: number): Promise<RatingRow | undefined> {
    return this.db.selectFrom('svc_ratings').selectAll().where('case_id', '=', caseId).executeTakeFirst();
  }
}
