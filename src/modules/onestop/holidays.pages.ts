import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { chinaDateTime, toDayNumber, weekdayOf, type CalendarCoverage, type HolidayRow } from '../../lib/calendar/index.ts';
import { HTTP_STATUS, type DomainError, type FieldError } from '../../lib/errors.ts';
import { decodeTextFile } from '../../lib/text/decodeTextFile.ts';
import type { Services } from '../../services.ts';
import { sendErrorPage, sendPage } from '../../web/context.ts';
import { html, type Html } from '../../web/html.ts';
import { csrfField, errorMessage, field, type PageContext } from '../../web/layout.ts';
import { fieldMessage } from '../../lib/errors.ts';
import { SYSTEM, type Principal } from '../identity/permissions.ts';
import { workbenchSections, type TodoItem } from '../identity/workbench.ts';
import { authorizeSvc } from './onestop.permissions.ts';
import { withUploads } from '../../web/uploads.ts';
import type { HolidayPreview, HolidayYearView } from './onestop.service.ts';

/**
 * The working-day calendar's page for administrators (supervisors read it): the years covered, one year's rows, and
 * adding or replacing a year from the official notice pasted or uploaded as CSV (`date,kind,holiday`), checked first.
 * Also the workbench warning when the calendar runs out (`calendarCoverageTodo`) and the start-up log line.
 */

type Form = Record<string, string | string[] | undefined>;

export const HOLIDAYS_PAGE = '/staff/admin/holidays';

const T = (ctx: PageContext, zh: string, en: string): string => (ctx.lang === 'en' ? en : zh);
const one = (v: string | string[] | undefined): string => (Array.isArray(v) ? (v[0] ?? '') : (v ?? ''));
const WEEKDAYS = { zh: ['周日', '周一', '周二', '周三', '周四', '周五', '周六'], en: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] };

/** What a missing year means, in one sentence. */
function missingText(ctx: PageContext, years: readonly number[]): string {
  const y = years.join(ctx.lang === 'en' ? ', ' : '、');
  return T(ctx,
    `${y} 年的节假日和调休安排尚未录入：这一年的办理时限（办件、留言、依申请公开、舆情任务）只按周末计算，春节、国庆等法定节假日会被当作工作日。`,
    `The holidays and make-up working days of ${y} are not in the calendar: time limits in that year (cases, messages, disclosure requests, opinion tasks) count weekends only, so the Spring Festival, National Day and other public holidays count as working days.`);
}

function coverageNotice(ctx: PageContext, c: CalendarCoverage, canAdd: boolean): Html {
  if (!c.missing.length) return html``;
  return html`<div class="notice" role="status" id="coverage"><p><strong class="tag amber">${T(ctx, '注意', 'Warning')}</strong> ${missingText(ctx, c.missing)}</p>
<p>${canAdd
    ? T(ctx, '国务院办公厅公布安排后，请在下方按通知录入（不要自行推测）。', 'Once the State Council’s General Office publishes the schedule, enter it below as published (never guess it).')
    : T(ctx, '请系统管理员在国务院办公厅公布安排后录入。', 'A system administrator enters it once the State Council’s General Office publishes it.')}</p></div>`;
}

function yearsTable(ctx: PageContext, years: readonly HolidayYearView[]): Html {
  const source = (y: HolidayYearView) => y.source === 'shipped'
    ? T(ctx, '随系统发布', 'Shipped')
    : y.replacesShipped ? T(ctx, '管理员录入（替换随系统发布的数据）', 'Added by an administrator (replaces the shipped table)') : T(ctx, '管理员录入', 'Added by an administrator');
  return html`<div class="table-wrap"><table class="stack-on-phone"><thead><tr><th scope="col">${T(ctx, '年份', 'Year')}</th><th scope="col">${T(ctx, '来源', 'Source')}</th><th scope="col">${T(ctx, '放假（休）', 'Days off (休)')}</th><th scope="col">${T(ctx, '调休上班（班）', 'Make-up working days (班)')}</th><th scope="col">${T(ctx, '录入', 'Entered')}</th></tr></thead><tbody>
${years.map((y) => html`<tr><td><a href="${HOLIDAYS_PAGE}/${y.year}">${T(ctx, `${y.year} 年`, String(y.year))}</a></td><td data-label="${T(ctx, '来源', 'Source')}">${source(y)}</td><td data-label="${T(ctx, '放假（休）', 'Days off (休)')}">${y.off}${y.off === 0 ? html` <span class="tag amber">${T(ctx, '没有放假日', 'no day off')}</span>` : ''}</td><td data-label="${T(ctx, '调休上班（班）', 'Make-up working days (班)')}">${y.work}</td><td data-label="${T(ctx, '录入', 'Entered')}">${y.addedBy ? html`${y.addedBy}<br>${y.addedAt ? chinaDateTime(y.addedAt) : ''}` : y.source === 'shipped' ? T(ctx, '—', '—') : T(ctx, '不详', 'unknown')}</td></tr>`)}
</tbody></table></div>`;
}

function rowsTable(ctx: PageContext, rows: readonly HolidayRow[]): Html {
  const kind = (r: HolidayRow) => (r.kind === 'off' ? html`<span class="tag green">${T(ctx, '休', 'off')}</span>` : html`<span class="tag amber">${T(ctx, '班', 'work')}</span>`);
  return html`<div class="table-wrap"><table class="stack-on-phone"><thead><tr><th scope="col">${T(ctx, '日期', 'Date')}</th><th scope="col">${T(ctx, '星期', 'Day')}</th><th scope="col">${T(ctx, '类型', 'Kind')}</th><th scope="col">${T(ctx, '节日', 'Holiday')}</th></tr></thead><tbody>
${rows.map((r) => html`<tr><td>${r.date}</td><td data-label="${T(ctx, '星期', 'Day')}">${WEEKDAYS[ctx.lang === 'en' ? 'en' : 'zh'][weekdayOf(toDayNumber(r.date))] ?? ''}</td><td data-label="${T(ctx, '类型', 'Kind')}">${kind(r)}</td><td data-label="${T(ctx, '节日', 'Holiday')}">${r.holiday ?? ''}</td></tr>`)}
</tbody></table></div>`;
}

function previewSection(ctx: PageContext, p: HolidayPreview): Html {
  const replaces = p.replaces === 'shipped' ? T(ctx, '保存后将替换随系统发布的该年数据。', 'Saving replaces the shipped table of the year.')
    : p.replaces === 'added' ? T(ctx, '保存后将替换此前录入的该年数据。', 'Saving replaces the table entered before.') : '';
  return html`<section class="card" aria-labelledby="preview-title" id="preview">
  <h2 id="preview-title">${T(ctx, `检查通过：${p.year} 年（尚未保存）`, `Checked: ${p.year} (not saved yet)`)}</h2>
  <p>${ctx.lang === 'en' ? `${p.rows.length} rows: ${p.off} days off, ${p.work} make-up working days.` : `共 ${p.rows.length} 行：放假 ${p.off} 天，调休上班 ${p.work} 天。`} ${replaces}</p>
  ${p.warnings.map((w) => html`<p><strong class="tag amber">${T(ctx, '请核对', 'Check')}</strong> ${fieldMessage(w, ctx.lang)}</p>`)}
  <p>${T(ctx, '确认无误后，点击下方表单中的“保存”。', 'If it is right, press “Save” in the form below.')}</p>
  ${rowsTable(ctx, p.rows)}
</section>`;
}

const CSV_EXAMPLE = 'date,kind,holiday\n2027-01-01,off,元旦\n…';

function addForm(ctx: PageContext, values: Form, errors?: readonly FieldError[]): Html {
  const csvErrors = errors?.filter((e) => e.field === 'csv') ?? [];
  const replaceErr = errors?.find((e) => e.field === 'replace');
  const described = ['csv-hint', ...csvErrors.map((_, i) => `csv-error-${i}`)].join(' ');
  return html`<h2 id="add-title">${T(ctx, '录入或替换一年', 'Add or replace a year')}</h2>
<form method="post" action="${HOLIDAYS_PAGE}" enctype="multipart/form-data" novalidate class="card" aria-labelledby="add-title">
  ${csrfField(ctx)}
  ${field({ lang: ctx.lang, name: 'year', label: T(ctx, '年份', 'Year'), value: one(values.year), inputmode: 'numeric', autocomplete: 'off', required: true, errors })}
  <div class="field${csvErrors.length ? ' field-error' : ''}">
    <label for="csv">${T(ctx, '节假日表（CSV）', 'Holiday table (CSV)')}</label>
    <p class="hint" id="csv-hint">${T(ctx,
      '与随系统发布的表格式相同：第 1 行为表头 date,kind,holiday；之后每行一天：日期（YYYY-MM-DD）、off（放假）或 work（调休上班，只能是周六或周日）、节日名称。普通周末不用列出。',
      'The same format as the shipped table: line 1 is the header date,kind,holiday; then one day a line: the date (YYYY-MM-DD), off (day off) or work (make-up working day, a Saturday or Sunday only), the holiday’s name. Ordinary weekends are not listed.')}</p>
    ${csvErrors.map((e, i) => errorMessage(ctx.lang, `csv-error-${i}`, e))}
    <textarea id="csv" name="csv" rows="12" spellcheck="false" placeholder="${CSV_EXAMPLE}" aria-describedby="${described}"${csvErrors.length ? html` aria-invalid="true"` : ''}>${one(values.csv)}</textarea>
  </div>
  <div class="field">
    <label for="file">${T(ctx, '或选择 .csv 文件（UTF-8 或 GBK）', 'Or choose a .csv file (UTF-8 or GBK)')}</label>
    <input id="file" name="file" type="file" accept=".csv,text/csv">
  </div>
  <div class="field checkbox${replaceErr ? ' field-error' : ''}">
    ${replaceErr ? errorMessage(ctx.lang, 'replace-error', replaceErr) : ''}
    <input id="replace" name="replace" type="checkbox" value="1"${one(values.replace) === '1' ? html` checked` : ''}${replaceErr ? html` aria-invalid="true" aria-describedby="replace-error"` : ''}>
    <label for="replace">${T(ctx, '替换该年（该年已在日历中时须勾选）', 'Replace this year (needed when the year is already in the calendar)')}</label>
  </div>
  <p class="hint">${T(ctx, '“检查”只核对不保存；有任何一行有误时不会保存任何数据。', '“Check” saves nothing; if any line is wrong, nothing is saved.')}</p>
  <button type="submit" name="action" value="preview">${T(ctx, '检查', 'Check')}</button>
  <button type="submit" name="action" value="save">${T(ctx, '保存', 'Save')}</button>
</form>`;
}

function listPage(ctx: PageContext, o: { years: readonly HolidayYearView[]; coverage: CalendarCoverage; canAdd: boolean; values: Form; errors?: readonly FieldError[]; preview?: HolidayPreview }): Html {
  return html`<h1>${T(ctx, '工作日历（节假日与调休）', 'Working-day calendar (holidays and make-up days)')}</h1>
<p><a href="/workbench">${T(ctx, '返回工作台', 'Back to the workbench')}</a></p>
${coverageNotice(ctx, o.coverage, o.canAdd)}
<p>${T(ctx,
    '所有法定办理时限都按这一本日历计算工作日。未录入的年份只按周末计算。请按国务院办公厅公布的当年放假安排录入，不要自行推测。',
    'Every legal time limit counts working days on this one calendar. A year that is not in it counts weekends only. Enter each year as the State Council’s General Office publishes it; never guess.')}</p>
<section class="card" aria-labelledby="years-title">
  <h2 id="years-title">${T(ctx, '已覆盖的年份', 'Years covered')}</h2>
  ${yearsTable(ctx, o.years)}
</section>
${o.preview ? previewSection(ctx, o.preview) : ''}
${o.canAdd ? addForm(ctx, o.values, o.errors) : ''}`;
}

/** Registers the calendar pages under /staff/admin/holidays. */
export async function holidaysPages(app: FastifyInstance): Promise<void> {
  const svc = app.services.onestop;
  const title = (req: FastifyRequest) => (req.ctx.lang === 'en' ? 'Working-day calendar' : '工作日历');
  const failed = (req: FastifyRequest, reply: FastifyReply, e: DomainError) => sendErrorPage(req, reply, e);

  const show = async (req: FastifyRequest, reply: FastifyReply, o: { values: Form; errors?: FieldError[]; preview?: HolidayPreview; status?: number; notice?: string }) => {
    const r = await svc.holidayYears(req.ctx.principal);
    if (!r.ok) return failed(req, reply, r.error);
    const canAdd = authorizeSvc(req.ctx.principal, 'svc.holiday.add').ok;
    // The audit trail names a staff actor `staff:<id>`: show the account's name and username instead.
    for (const y of r.value.years) {
      const id = /^staff:(\d+)$/.exec(y.addedBy ?? '')?.[1];
      if (!id) continue;
      const a = await app.services.identity.staffAccount(SYSTEM, Number(id));
      if (a.ok) y.addedBy = `${a.value.account.displayName}（${a.value.account.username ?? id}）`;
    }
    return sendPage(req, reply, {
      title: title(req),
      ...(o.status ? { status: o.status } : {}),
      ...(o.errors ? { errors: o.errors } : {}),
      ...(o.notice ? { notice: o.notice } : {}),
      body: (ctx) => listPage(ctx, { ...r.value, canAdd, values: o.values, ...(o.errors ? { errors: o.errors } : {}), ...(o.preview ? { preview: o.preview } : {}) }),
    });
  };

  app.get(HOLIDAYS_PAGE, async (req, reply) => {
    // The year to enter is usually the first missing one, else next year.
    const missing = svc.calendarCoverage().missing;
    return show(req, reply, { values: { year: String(missing[0] ?? Number(svc.today().slice(0, 4)) + 1) } });
  });

  app.get<{ Params: { year: string }; Querystring: { saved?: string } }>(`${HOLIDAYS_PAGE}/:year`, async (req, reply) => {
    if (!/^\d{4}$/.test(req.params.year)) return reply.callNotFound();
    const year = Number(req.params.year);
    const r = await svc.holidayYearRows(req.ctx.principal, year);
    if (!r.ok) return failed(req, reply, r.error);
    const saved = req.query.saved === '1';
    return sendPage(req, reply, {
      title: req.ctx.lang === 'en' ? `Working-day calendar ${year}` : `${year} 年工作日历`,
      ...(saved ? { notice: req.ctx.lang === 'en' ? `${year} saved: time limits count on it from now on.` : `${year} 年已保存，办理时限即起按此计算。` } : {}),
      body: (ctx) => html`<h1>${T(ctx, `${year} 年工作日历`, `Working-day calendar ${year}`)}</h1>
<p><a href="${HOLIDAYS_PAGE}">${T(ctx, '返回工作日历', 'Back to the calendar')}</a></p>
${r.value.length
    ? html`<p>${T(ctx, '表中未列出的周一至周五为工作日，周六、周日休息。', 'Weekdays not listed are working days; Saturdays and Sundays not listed are off.')}</p>${rowsTable(ctx, r.value)}`
    : html`<p>${missingText(ctx, [year])}</p>`}`,
    });
  });

  await withUploads(app, (sub) => {
    sub.post<{ Body: Form }>(HOLIDAYS_PAGE, async (req, reply) => {
      const b = req.body ?? {};
      const file = req.uploads?.find((u) => u.field === 'file' && u.bytes.length > 0);
      const values: Form = { ...b };
      if (file?.truncated) {
        const tooLarge: FieldError[] = [{ field: 'csv', message: '文件超过 5 MB，不是节假日表。', messageEn: 'The file is over 5 MB: not a holiday table.' }];
        return show(req, reply, { values: { ...values, csv: '' }, errors: tooLarge, status: 413 });
      }
      if (file) values.csv = decodeTextFile(file.bytes);
      const yearText = one(values.year).trim();
      const year = /^\d{4}$/.test(yearText) ? Number(yearText) : Number.NaN;
      const opts = { replace: one(values.replace) === '1' };
      const save = one(values.action) === 'save';
      const r = save ? await svc.importHolidayCsv(req.ctx.principal, year, one(values.csv), opts) : await svc.previewHolidayCsv(req.ctx.principal, year, one(values.csv), opts);
      if (!r.ok) {
        if (!r.error.fields) return failed(req, reply, r.error);
        return show(req, reply, { values, errors: r.error.fields, status: HTTP_STATUS[r.error.kind] });
      }
      if (save) return reply.redirect(`${HOLIDAYS_PAGE}/${year}?saved=1`, 303);
      return show(req, reply, { values, preview: r.value });
    });
  });
}

/**
 * The workbench warning when the calendar runs out (administrators and supervisors, `svc.holiday.view`): one to-do
 * line a missing year (see `calendarCoverage`), linking to the calendar page. `today` defaults to the one-stop
 * service's day in China (tests move `services.onestop.now`).
 */
export function calendarCoverageTodo(services: Services, p: Principal, today = services.onestop.today()): TodoItem[] {
  if (!authorizeSvc(p, 'svc.holiday.view').ok) return [];
  const admin = authorizeSvc(p, 'svc.holiday.add').ok;
  const c = services.calendar.current().coverage(today);
  return c.missing.map((y) => ({
    title: `${y} 年工作日历未录入：${y} 年的办理时限只按周末计算（春节、国庆等法定节假日算作工作日）。${admin ? '请按国务院办公厅通知录入。' : '请系统管理员按国务院办公厅通知录入。'}`,
    titleEn: `The ${y} calendar is missing: time limits in ${y} count weekends only (public holidays count as working days). ${admin ? 'Enter it from the State Council’s notice.' : 'A system administrator should enter it from the State Council’s notice.'}`,
    href: HOLIDAYS_PAGE,
    module: '工作日历',
    moduleEn: 'Calendar',
    due: `${y}-01-01`,
    status: y <= c.year ? 'red' : 'amber',
  }));
}

/** Logs once (at start) when the calendar does not cover the current year, or from 1 November next year. */
export function logCalendarCoverage(services: Services): void {
  const c = services.calendar.current().coverage(services.onestop.today());
  if (!c.missing.length) return;
  services.log.warn(
    { missingYears: c.missing },
    `holiday calendar: no holiday table for ${c.missing.join(', ')}; time limits in ${c.missing.length > 1 ? 'those years' : 'that year'} count weekends only until an administrator adds it at ${HOLIDAYS_PAGE} or with \`yiwang calendar import\``,
  );
}

workbenchSections.todo.push({ items: (services, p) => Promise.resolve(calendarCoverageTodo(services, p)) });
workbenchSections.staff.push({
  render: (ctx, p) => authorizeSvc(p, 'svc.holiday.view').ok
    ? html`<section class="card"><h2>${T(ctx, '工作日历', 'Working-day calendar')}</h2><ul><li><a href="${HOLIDAYS_PAGE}">${T(ctx, '节假日与调休（办理时限按此计算）', 'Holidays and make-up working days (time limits count on them)')}</a></li></ul></section>`
    : html``,
});
