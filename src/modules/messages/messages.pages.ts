import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FieldError } from '../../lib/errors.ts';
import { chinaDateTime } from '../../lib/calendar/index.ts';
import { sendErrorPage, sendPage } from '../../web/context.ts';
import { idInPath } from '../../web/ids.ts';
import { html, type Html } from '../../web/html.ts';
import type { Lang } from '../../web/i18n.ts';
import { csrfField, errorMessage, field, pager, type PageContext } from '../../web/layout.ts';
import { OPEN_STATUSES, type ActionKind, type TicketStatus } from './flow.ts';
import { messagesError } from './messages.errors.ts';
import { authorizeMessages } from './messages.permissions.ts';
import { INTAKE_LIMIT } from './messages.routes.ts';
import type { TicketView } from './messages.service.ts';
import type { DistrictLevel } from './messages.schema.ts';
import { MESSAGE_TYPES } from './messages.types.ts';
import { redactPersonalData } from './redact.ts';
import type { ReplyHints } from './reply-hints.ts';
import { appendToDraft, type ReusableAnswer } from './reuse.ts';
import { withUploads } from '../../web/uploads.ts';
import { MAX_ATTACHMENTS, tooManyFiles } from './messages.service.ts';

type Form = Record<string, string | undefined>;

export const STATUS_LABELS: Record<TicketStatus, { zh: string; en: string }> = {
  received: { zh: '已受理，待分派', en: 'Received, awaiting dispatch' },
  dispatched: { zh: '已派发至承办部门', en: 'Sent to the department' },
  transferred: { zh: '已转办', en: 'Transferred' },
  returned: { zh: '已退回，待重新分派', en: 'Returned for redispatch' },
  in_progress: { zh: '办理中', en: 'In progress' },
  replied: { zh: '已答复', en: 'Replied' },
  closed: { zh: '已办结', en: 'Closed' },
  merged: { zh: '已合并办理', en: 'Merged' },
};

const ACTION_LABELS: Record<string, { zh: string; en: string }> = {
  receive: { zh: '受理', en: 'Received' },
  dispatch: { zh: '派发', en: 'Dispatched' },
  transfer: { zh: '转办', en: 'Transferred' },
  return: { zh: '退回', en: 'Returned' },
  accept: { zh: '签收', en: 'Accepted' },
  reply: { zh: '答复', en: 'Replied' },
  callback: { zh: '回访', en: 'Called back' },
  rate: { zh: '评价', en: 'Rated' },
  close: { zh: '办结', en: 'Closed' },
  reopen: { zh: '追问/重办', en: 'Reopened' },
  merge: { zh: '合并至其他工单', en: 'Merged into another ticket' },
  merge_in: { zh: '并入其他留言', en: 'Absorbed another ticket' },
  escalate: { zh: '超期督办', en: 'Escalated (late)' },
};

const CHANNEL_LABELS: Record<string, { zh: string; en: string }> = {
  web: { zh: '网站', en: 'web' },
  api: { zh: '接口', en: 'API' },
  hotline: { zh: '热线', en: 'hotline' },
  open311: { zh: 'Open311 接口', en: 'Open311' },
  webhook: { zh: '新媒体', en: 'new media' },
  import: { zh: '批量导入', en: 'import' },
};

/** Rows per page of the staff ticket list. */
export const STAFF_PAGE_SIZE = 50;

/** Rows per page of 我的留言. */
export const MINE_PAGE_SIZE = 50;

/** The `page` query value: a whole number, capped at 100000 (past the end is an empty page); anything else (absent, 0, -1, abc, 1.5) is page 1. */
export function pageNumber(v: unknown): number {
  const n = typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v.trim()) : 1;
  return Math.min(Math.max(n, 1), 100_000);
}

/** An ISO instant as China time (UTC+8, no daylight saving), `YYYY-MM-DD HH:MM`. */
const chinaTime = (iso: string): string => chinaDateTime(new Date(iso));

const RATING_LABELS: Record<number, { zh: string; en: string }> = {
  5: { zh: '5 非常满意', en: '5 Very satisfied' }, 4: { zh: '4 满意', en: '4 Satisfied' }, 3: { zh: '3 基本满意', en: '3 Fairly satisfied' },
  2: { zh: '2 不满意', en: '2 Dissatisfied' }, 1: { zh: '1 非常不满意', en: '1 Very dissatisfied' },
};
const ratingName = (lang: Lang, n: number): string => (lang === 'en' ? RATING_LABELS[n]?.en : RATING_LABELS[n]?.zh) ?? String(n);

/**
 * English names of the message types and routing categories, for English pages: the stored values stay Chinese (an
 * English page showed 咨询 / 交通运输 alone), so the English name comes first and the Chinese one in brackets.
 */
const TYPE_EN: Record<string, string> = { 咨询: 'Enquiry', 求助: 'Request for help', 投诉: 'Complaint', 建议: 'Suggestion', 举报: 'Report of wrongdoing' };
const CATEGORY_EN: Record<string, string> = {
  城乡建设: 'Urban and rural construction', 环境保护: 'Environmental protection', 交通运输: 'Transport', 教育文体: 'Education, culture and sports',
  劳动和社会保障: 'Labour and social security', 商贸旅游: 'Commerce and tourism', 卫生计生: 'Health and family planning',
};
const inEnglish = (names: Record<string, string>) => (lang: Lang, v: string): string => (lang === 'en' && names[v] ? `${names[v]} (${v})` : v);
const typeName = inEnglish(TYPE_EN);
const categoryName = inEnglish(CATEGORY_EN);

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&#x27;': "'" };

/**
 * A search snippet (HTML-escaped text with `<mark>` around matches) rendered without trusting it as HTML: the text
 * between the marks is unescaped and escaped again by the template; only the marks become elements.
 */
function markedSnippet(snippet: string): Html {
  const parts = snippet.split(/<\/?mark>/);
  const text = (s: string) => s.replace(/<[^>]*>/g, '').replace(/&(?:amp|lt|gt|quot|#39|#x27);/g, (e) => ENTITIES[e] ?? e);
  return html`${parts.map((s, i) => (i % 2 ? html`<mark>${text(s)}</mark>` : text(s)))}`;
}

/**
 * With the hints, the draft as it will be published when it differs (redactPersonalData): an office's 咨询电话
 * 0731-8888 6666 is masked like a citizen's phone, which the clerk only learnt after sending.
 */
function publishedDraft(lang: Lang, draft: string | undefined): Html {
  const shown = draft === undefined ? '' : redactPersonalData(draft.trim()).text;
  if (!draft || shown === draft.trim()) return html``;
  return html`<p>${lang === 'en' ? 'Published with personal data hidden, as: ' : '公开时将隐去个人信息，显示为：'}</p><blockquote class="published-preview">${shown}</blockquote>`;
}

/** The reply screen's panel of knowledge articles and answers to reuse; each button puts one into the draft. */
function reusePanel(ctx: PageContext, ticketId: number, items: readonly ReusableAnswer[]): Html {
  if (!items.length) return html``;
  const en = ctx.lang === 'en';
  return html`<section class="card reuse" aria-labelledby="reuse-title"><h2 id="reuse-title">${en ? 'Knowledge and answers to reuse' : '可参考的知识和答复'}</h2>
<p class="hint">${en ? 'Insert puts the text at the end of your draft (what you typed is kept); check and adapt it before sending.' : '“插入答复”把全文添加到草稿末尾（已填写的内容保留），发送前请核对修改。'}</p>
<ul>${items.map((a) => html`<li><a href="${a.url}">${a.titleHtml ? markedSnippet(a.titleHtml) : a.title}</a> <span class="tag">${a.kind === 'knowledge' ? (en ? 'knowledge' : '知识库') : (en ? 'published answer' : '已公开答复')}</span>${a.staffOnly ? html` <span class="tag">${en ? 'staff only' : '仅内部'}</span>` : ''}
  <p class="hint">${markedSnippet(a.snippet)}</p>
  <button type="submit" form="reply-form" formaction="/staff/messages/${ticketId}/act" name="use" value="${a.ref}" class="secondary">${en ? 'Insert into the reply' : '插入答复'}</button></li>`)}</ul></section>`;
}

const lbl = (ctx: PageContext, m: { zh: string; en: string } | undefined, fallback: string) => (m ? (ctx.lang === 'en' ? m.en : m.zh) : fallback);

function textarea(o: { lang: Lang; name: string; label: string; value?: string | undefined; hint?: string; required?: boolean; errors?: readonly FieldError[] | undefined; rows?: number }): Html {
  const err = o.errors?.find((e) => e.field === o.name);
  const describedBy = [o.hint ? `${o.name}-hint` : '', err ? `${o.name}-error` : ''].filter(Boolean).join(' ');
  return html`<div class="field${err ? ' field-error' : ''}">
  <label for="${o.name}">${o.label}${o.required ? html`<span class="req" aria-hidden="true"> *</span>` : ''}</label>
  ${o.hint ? html`<p class="hint" id="${o.name}-hint">${o.hint}</p>` : ''}
  ${err ? errorMessage(o.lang, `${o.name}-error`, err) : ''}
  <textarea id="${o.name}" name="${o.name}" rows="${o.rows ?? 6}"${o.required ? html` required aria-required="true"` : ''}${describedBy ? html` aria-describedby="${describedBy}"` : ''}${err ? html` aria-invalid="true"` : ''}>${o.value ?? ''}</textarea>
</div>`;
}

/** The citizen's rating of an answer: one tap per level (radio buttons), none chosen in advance. */
function ratingChoices(lang: Lang, errors: readonly FieldError[] | undefined): Html {
  const en = lang === 'en';
  const err = errors?.find((e) => e.field === 'rating');
  // The first level carries the id the error summary links to (#rating), so following the link focuses it.
  return html`<div class="field${err ? ' field-error' : ''}"><fieldset${err ? html` aria-describedby="rating-error" aria-invalid="true"` : ''}>
  <legend>${en ? 'Satisfaction' : '满意度'}<span class="req" aria-hidden="true"> *</span></legend>
  ${err ? errorMessage(lang, 'rating-error', err) : ''}
  ${[5, 4, 3, 2, 1].map((v) => html`<label class="choice"><input type="radio"${v === 5 ? html` id="rating"` : ''} name="rating" value="${v}"> ${ratingName(lang, v)}</label>`)}
</fieldset></div>`;
}

function select(o: { lang: Lang; name: string; label: string; options: { value: string; label: string }[]; value?: string | undefined; required?: boolean; errors?: readonly FieldError[] | undefined }): Html {
  const err = o.errors?.find((e) => e.field === o.name);
  return html`<div class="field${err ? ' field-error' : ''}">
  <label for="${o.name}">${o.label}${o.required ? html`<span class="req" aria-hidden="true"> *</span>` : ''}</label>
  ${err ? errorMessage(o.lang, `${o.name}-error`, err) : ''}
  <select id="${o.name}" name="${o.name}"${err ? html` aria-invalid="true" aria-describedby="${o.name}-error"` : ''}>
    ${o.options.map((x) => html`<option value="${x.value}"${x.value === o.value ? html` selected` : ''}>${x.label}</option>`)}
  </select>
</div>`;
}

function checkbox(name: string, label: string, checked: boolean, hint?: string): Html {
  return html`<div class="field checkbox">
  <input type="checkbox" id="${name}" name="${name}" value="1"${checked ? html` checked` : ''}${hint ? html` aria-describedby="${name}-hint"` : ''}>
  <label for="${name}">${label}</label>
  ${hint ? html`<p class="hint" id="${name}-hint">${hint}</p>` : ''}
</div>`;
}

function messageForm(ctx: PageContext, values: Form, errors: readonly FieldError[] | undefined, signedIn: boolean, districts: readonly string[], districtLevel: DistrictLevel): Html {
  const en = ctx.lang === 'en';
  const districtLabel = districtLevel === 'town' ? (en ? 'Town or subdistrict' : '所在镇街') : en ? 'District' : '所在区县';
  return html`<h1>${en ? 'Leave a message' : '我要留言'}</h1>
<p>${en ? 'Your message is sent to the responsible department and answered within the time limit (3 working days for questions and requests for help, 13 for complaints, suggestions and reports).' : '您的留言将自动转交主管部门，在规定时限内答复（咨询、求助 3 个工作日，投诉、建议、举报 13 个工作日）。'}</p>
<form method="post" action="/messages/new" novalidate class="card" enctype="multipart/form-data">
  ${csrfField(ctx)}
  ${select({ lang: ctx.lang, name: 'type', label: en ? 'Type' : '留言类型', required: true, value: values.type ?? '咨询', errors, options: MESSAGE_TYPES.map((t) => ({ value: t, label: typeName(ctx.lang, t) })) })}
  ${field({ lang: ctx.lang, name: 'title', label: en ? 'Subject' : '标题', value: values.title, required: true, errors })}
  ${textarea({ lang: ctx.lang, name: 'content', label: en ? 'Your message' : '留言内容', value: values.content, required: true, errors, hint: en ? 'What happened, where and since when. Do not include ID numbers.' : '请写明事情经过、地点和时间，不要填写身份证号等个人敏感信息。' })}
  ${districts.length
    ? select({ lang: ctx.lang, name: 'district', label: districtLabel, value: values.district ?? '', errors, options: [{ value: '', label: en ? '(not given)' : '（不填）' }, ...districts.map((d) => ({ value: d, label: d }))] })
    : field({ lang: ctx.lang, name: 'district', label: districtLabel, value: values.district, errors, ...(districtLevel === 'town' ? { hint: en ? 'The name of the town (镇) or subdistrict (街道).' : '填写所在镇或街道的名称。' } : {}) })}
  ${field({ lang: ctx.lang, name: 'address', label: en ? 'Address or place' : '详细地址或地点', value: values.address, errors })}
  ${field({ lang: ctx.lang, name: 'contactName', label: en ? 'Your name' : '联系人', value: values.contactName, autocomplete: 'name', errors })}
  ${field({ lang: ctx.lang, name: 'contactPhone', label: en ? 'Phone' : '联系电话', type: 'tel', inputmode: 'tel', value: values.contactPhone, autocomplete: 'tel', errors, hint: en ? 'A mobile number, or a landline with its area code (e.g. 0731-88886666); for the call-back, never published.' : '手机号码，或带区号的固定电话（如 0731-88886666）；用于回访，不会公开。' })}
  ${fileField(ctx.lang, errors)}
  ${checkbox('publishConsent', en ? 'My message and its answer may be published (personal data removed)' : '同意公开我的留言及答复（个人信息将被隐去）', values.publishConsent === '1')}
  ${signedIn ? checkbox('anonymous', en ? 'Hide my identity from staff (no call-back possible)' : '匿名留言（工作人员看不到您的身份，将无法回访）', values.anonymous === '1') : ''}
  <button type="submit">${en ? 'Send' : '提交留言'}</button>
</form>
<p>${en ? 'Already sent one?' : '已经留过言？'} <a href="${ctx.user?.kind === 'citizen' ? '/messages/mine' : '/messages/track'}">${en ? 'Follow its progress' : '查询办理进度'}</a> · <a href="/messages/public">${en ? 'Published answers' : '已公开的留言答复'}</a></p>`;
}

/**
 * The form's file input: photos or PDFs; after a refused post the browser has dropped them, so the hint says so (its
 * 44-px touch target is site.css's rule for every file input).
 */
function fileField(lang: Lang, errors: readonly FieldError[] | undefined): Html {
  const en = lang === 'en';
  const err = errors?.find((e) => e.field === 'files');
  const again = errors?.length ? (en ? ' Files chosen before must be chosen again.' : '之前选择的附件需要重新选择。') : '';
  return html`<div class="field${err ? ' field-error' : ''}">
  <label for="files">${en ? 'Photos or documents (optional)' : '附件（照片或文件，可不传）'}</label>
  <p class="hint" id="files-hint">${en ? `Up to ${MAX_ATTACHMENTS} JPG, PNG or PDF files, 5 MB each; seen by the staff handling it, never published.` : `最多 ${MAX_ATTACHMENTS} 个 JPG、PNG 或 PDF 文件，每个不超过 5 MB；仅办理人员可见，不会公开。`}${again}</p>
  ${err ? errorMessage(lang, 'files-error', err) : ''}
  <input type="file" id="files" name="files" multiple accept=".jpg,.jpeg,.png,.pdf,image/jpeg,image/png,application/pdf" aria-describedby="files-hint${err ? ' files-error' : ''}"${err ? html` aria-invalid="true"` : ''}>
</div>`;
}

/** Links to a message's attachments (the download answers only its author and staff who see the ticket). */
function attachmentList(lang: Lang, files: readonly { id: number; name: string; size: number }[]): Html {
  if (!files.length) return html``;
  const kb = (n: number) => (n < 1024 * 1024 ? `${Math.max(1, Math.round(n / 1024))} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`);
  return html`<p>${lang === 'en' ? 'Attachments:' : '附件：'}</p><ul class="attachments">${files.map((f) => html`<li><a href="/messages/attachments/${f.id}">${f.name}</a> (${kb(f.size)})</li>`)}</ul>`;
}

/**
 * An Open311 client's `media_url` (checked http(s) when received, never fetched by the platform) as an outside link:
 * new tab (said in the link, WCAG G201), no opener, no referrer (the ticket's address must not reach that site), with a
 * warning.
 */
function mediaLink(lang: Lang, url: string | null | undefined): Html {
  if (!url) return html``;
  const en = lang === 'en';
  return html`<p>${en ? 'Media sent by the client: ' : '来件附带的图片或视频链接：'}<a href="${url}" rel="noopener noreferrer" target="_blank">${url}<span class="hint">${en ? ' (opens in a new window)' : '（在新窗口打开）'}</span></a></p>
<p class="hint">${en ? 'An outside address, not checked by the platform: open it with care.' : '这是外部网站地址，平台未作检查，请谨慎打开。'}</p>`;
}

function timeline(ctx: PageContext, t: TicketView): Html {
  return html`<ol class="timeline">${t.actions.map((a) => html`<li><time datetime="${a.at}">${chinaTime(a.at)}</time> ${lbl(ctx, ACTION_LABELS[a.action], a.action)}${a.note ? html` — ${a.note}` : ''}</li>`)}</ol>`;
}

const clockTag = (ctx: PageContext, t: TicketView): Html =>
  html`<span class="tag ${t.clock ?? ''}">${t.deadline}${t.clock === 'red' ? (ctx.lang === 'en' ? ' (late)' : '（已超期）') : ''}</span>`;

/** Pages: the citizen form, tracking, 我的留言; the staff list, ticket page with its actions, and settings. */
export async function messagesPages(app: FastifyInstance): Promise<void> {
  // Every `:id` of these pages is a record id: anything else answers 400/404 before a handler runs.
  app.addHook('preValidation', idInPath);
  const { messages, config } = app.services;

  app.get('/messages/new', async (req, reply) => {
    if (req.ctx.principal.kind === 'anonymous' && !config.allowAnonymousMessages) return reply.redirect('/login?next=/messages/new');
    return sendPage(req, reply, { title: req.ctx.lang === 'en' ? 'Leave a message' : '我要留言', body: (ctx) => messageForm(ctx, {}, undefined, !!req.ctx.user, messages.districts(), messages.districtLevel()) });
  });

  // The form is multipart (its files); a plain form post (no files) is still taken.
  // More than 5 files stop the multipart reader (FST_FILES_LIMIT): say too many attachments, not 提交的内容过大.
  const filesLimit = (err: Error & { code?: string }, req: FastifyRequest, reply: FastifyReply) => {
    if (err.code === 'FST_FILES_LIMIT') return sendErrorPage(req, reply, tooManyFiles().error);
    throw err;
  };
  await withUploads(app, (sub) => sub.post<{ Body: Form }>('/messages/new', { config: INTAKE_LIMIT, errorHandler: filesLimit }, async (req, reply) => {
    const body = req.body ?? {};
    const files = (req.uploads ?? []).filter((u) => u.field === 'files');
    const r = await messages.submit(req.ctx.principal, body, { channel: req.ctx.principal.kind === 'staff' ? 'hotline' : 'web', attachments: files });
    if (!r.ok) {
      if (!r.error.fields) return sendErrorPage(req, reply, r.error);
      return sendPage(req, reply, { title: req.ctx.lang === 'en' ? 'Leave a message' : '我要留言', status: 400, errors: r.error.fields, body: (ctx) => messageForm(ctx, body, r.error.fields, !!req.ctx.user, messages.districts(), messages.districtLevel()) });
    }
    return reply.redirect(`/messages/track/${encodeURIComponent(r.value.token)}?new=1`, 303);
  }));

  app.get<{ Params: { id: string } }>('/messages/attachments/:id', async (req, reply) => {
    const r = await messages.attachment(req.ctx.principal, Number(req.params.id));
    if (!r.ok) return sendErrorPage(req, reply, r.error);
    // Pictures open in the browser; a PDF is downloaded. nosniff: the stored type (checked by content) is the type.
    const disposition = r.value.mime === 'application/pdf' ? 'attachment' : 'inline';
    return reply.type(r.value.mime).header('content-disposition', `${disposition}; filename*=UTF-8''${encodeURIComponent(r.value.name)}`)
      .header('x-content-type-options', 'nosniff').header('cache-control', 'private, no-store').send(r.value.bytes);
  });

  /** The tracking form, again with what was entered and why it was not found when it comes back. */
  const trackForm = (req: FastifyRequest, reply: FastifyReply, code: string | undefined, errors: FieldError[] | undefined, status?: number) => {
    const en = req.ctx.lang === 'en';
    return sendPage(req, reply, {
      title: en ? 'Follow a message' : '留言查询',
      ...(errors ? { errors, status: status ?? 400 } : {}),
      body: () => html`<h1>${en ? 'Follow a message' : '留言查询'}</h1>
<form method="get" action="/messages/track" class="card" novalidate>
  ${field({ lang: req.ctx.lang, name: 'code', label: en ? 'Tracking code' : '查询码', required: true, errors, ...(code !== undefined ? { value: code } : {}), hint: en ? 'Shown after you send a message. Signed in? Your messages are listed under My messages.' : '提交留言后页面上会显示查询码。已登录的，可以在“我的留言”里查看全部留言。', autocomplete: 'off' })}
  <button type="submit">${en ? 'Look up' : '查询'}</button>
</form>
<p><a href="/messages/mine">${en ? 'My messages' : '我的留言'}</a> · <a href="/messages/new">${en ? 'Leave a message' : '我要留言'}</a></p>`,
    });
  };

  app.get<{ Querystring: { code?: string | string[] } }>('/messages/track', async (req, reply) => {
    // A hand-made link may repeat the parameter (an array): the last one counts, as in the forms.
    const code = Array.isArray(req.query.code) ? req.query.code[req.query.code.length - 1] : req.query.code;
    if (code?.trim()) return reply.redirect(`/messages/track/${encodeURIComponent(code.trim())}`);
    // Sent empty (the form has no browser validation, so the message is ours, in the page's language).
    const errors = code !== undefined ? [{ field: 'code', message: '请填写查询码（提交留言后页面上显示的一串字母和数字）。', messageEn: 'Enter the tracking code shown after you sent the message.' }] : undefined;
    // Sent blank: a 400, like the other forms that fail validation, with the form again (the entry kept).
    return trackForm(req, reply, code, errors);
  });

  const trackPage = async (req: FastifyRequest, reply: FastifyReply, token: string, notice?: string, errors?: FieldError[]) => {
    const r = await messages.track(req.ctx.principal, token);
    // A mistyped code: the form again with the code as typed, to correct it (was a dead-end error page).
    if (!r.ok && r.error.code === 'MESSAGE_NOT_FOUND' && req.method === 'GET') {
      return trackForm(req, reply, token, [{ field: 'code', message: '没有找到这个查询码对应的留言，请逐字核对（区分大小写）后重新输入。', messageEn: 'No message has this tracking code. Check it letter by letter (capitals count) and try again.' }], 404);
    }
    if (!r.ok) return sendErrorPage(req, reply, r.error);
    // `own`: the signed-in author, as the service decided from the message's row (a look in the first 200 of 我的留言
    // missed older messages of busy accounts).
    const { message: m, ticket: t, own: isOwner } = r.value;
    const en = req.ctx.lang === 'en';
    // The service lists the files only for the signed-in author (never for the code alone).
    const ownFiles = isOwner ? m.attachments ?? [] : [];
    const depts = await messages.departments();
    return sendPage(req, reply, {
      title: m.title,
      ...(notice ? { notice } : {}),
      ...(errors ? { errors, status: 400 } : {}),
      body: (ctx) => html`${isOwner ? html`<p><a href="/messages/mine">${en ? '← My messages' : '← 我的留言'}</a></p>` : ''}<h1>${m.title}</h1>
<dl class="summary">
  <dt>${en ? 'Tracking code' : '查询码'}</dt><dd><code>${token}</code></dd>
  <dt>${en ? 'Type' : '类型'}</dt><dd>${typeName(ctx.lang, m.type)}</dd>
  <dt>${en ? 'Status' : '状态'}</dt><dd>${lbl(ctx, STATUS_LABELS[t.status], t.status)}</dd>
  <dt>${en ? 'Department' : '承办部门'}</dt><dd>${t.departmentId === null ? (en ? 'awaiting dispatch' : '待分派') : depts.find((d) => d.id === t.departmentId)?.name ?? ''}</dd>
  <dt>${en ? 'Answer due' : '答复期限'}</dt><dd>${clockTag(ctx, t)}</dd>
  ${isOwner && t.rating !== null ? html`<dt>${en ? 'Your rating' : '您的评价'}</dt><dd>${ratingName(ctx.lang, t.rating)}</dd>` : ''}
</dl>
<section class="card"><h2>${en ? 'Your message' : '留言内容'}</h2><p>${m.content}</p>${isOwner ? attachmentList(ctx.lang, ownFiles) : ''}
${isOwner ? '' : html`<p class="hint">${en ? 'Anyone with the tracking code can open this page, so ID numbers, phone numbers and other personal data are hidden here. A message sent while signed in is shown in full under My messages.' : '凭查询码即可打开本页，身份证号、电话号码等个人信息已隐去。登录后提交的留言，可在“我的留言”中查看完整内容。'}</p>`}</section>
${t.reply ? html`<section class="card" aria-labelledby="reply-title"><h2 id="reply-title">${en ? 'Answer' : '答复意见'}</h2><p>${t.reply}</p></section>` : ''}
<section class="card"><h2>${en ? 'Progress' : '办理进度'}</h2>${timeline(ctx, t)}</section>
${isOwner && (t.status === 'replied' || t.status === 'closed') ? html`<section class="card msg-actions">
  <h2>${t.rating === null ? (en ? 'Rate the answer' : '评价答复') : (en ? 'Follow up' : '追问')}</h2>
  ${t.rating === null ? html`<form method="post" action="/messages/track/${token}/rate">${csrfField(ctx)}
    ${ratingChoices(ctx.lang, errors)}
    <button type="submit">${en ? 'Rate' : '提交评价'}</button>
  </form>` : ''}
  <form method="post" action="/messages/track/${token}/followup">${csrfField(ctx)}
    ${textarea({ lang: ctx.lang, name: 'note', label: en ? 'Not solved? Follow up' : '问题未解决？追问', errors, rows: 3 })}
    <button type="submit">${en ? 'Follow up' : '追问'}</button>
  </form>
</section>` : ''}`,
    });
  };

  app.get<{ Params: { token: string }; Querystring: { new?: string; rated?: string } }>('/messages/track/:token', async (req, reply) =>
    trackPage(req, reply, req.params.token, req.query.new ? (req.ctx.lang === 'en' ? 'Thank you. Keep the tracking code to follow your message.' : '留言已提交，请保存查询码以便查询办理进度。')
      : req.query.rated ? (req.ctx.lang === 'en' ? 'Thank you for your rating.' : '感谢您的评价。') : undefined));

  const citizenAct = (action: ActionKind) => async (req: FastifyRequest<{ Params: { token: string }; Body: Form }>, reply: FastifyReply) => {
    const m = await messages.byToken(req.params.token);
    if (!m) return sendErrorPage(req, reply, messagesError('MESSAGE_NOT_FOUND').error);
    const b = req.body ?? {};
    const r = await messages.act(req.ctx.principal, m.ticket_id, action, { rating: Number(b.rating), note: b.note ?? null });
    if (!r.ok) {
      if (r.error.fields) return trackPage(req, reply, req.params.token, undefined, r.error.fields);
      return sendErrorPage(req, reply, r.error);
    }
    return reply.redirect(`/messages/track/${encodeURIComponent(req.params.token)}${action === 'rate' ? '?rated=1' : ''}`, 303);
  };
  app.post<{ Params: { token: string }; Body: Form }>('/messages/track/:token/rate', citizenAct('rate'));
  app.post<{ Params: { token: string }; Body: Form }>('/messages/track/:token/followup', citizenAct('reopen'));

  app.get('/messages/public', async (req, reply) => {
    const rows = await messages.publicTickets({ statuses: ['replied', 'closed'], limit: 50 });
    const en = req.ctx.lang === 'en';
    return sendPage(req, reply, {
      title: en ? 'Published answers' : '留言答复公开',
      body: () => html`<h1>${en ? 'Published answers' : '留言答复公开'}</h1>
<p class="hint">${en ? 'Messages whose authors agreed to publication; personal data removed.' : '仅公开留言人同意公开的留言，个人信息已隐去。'}</p>
${rows.length ? rows.map(({ ticket: tk, message: m }) => html`<article class="card"><h2>${tk.title}</h2>
  ${m ? html`<p>${redactPersonalData(m.content).text}</p>` : ''}
  <h3>${en ? 'Answer' : '答复'}</h3><p>${tk.reply_public ?? ''}</p></article>`) : html`<p>${en ? 'Nothing published yet.' : '暂无公开内容。'} <a href="/messages/new">${en ? 'Leave a message' : '我要留言'}</a></p>`}`,
    });
  });

  app.get<{ Querystring: { page?: string } }>('/messages/mine', async (req, reply) => {
    const page = pageNumber(req.query.page);
    const r = await messages.minePage(req.ctx.principal, { limit: MINE_PAGE_SIZE, offset: (page - 1) * MINE_PAGE_SIZE });
    if (!r.ok) return sendErrorPage(req, reply, r.error);
    const { messages: mine, total } = r.value;
    const pages = Math.max(1, Math.ceil(total / MINE_PAGE_SIZE));
    const en = req.ctx.lang === 'en';
    return sendPage(req, reply, {
      title: en ? 'My messages' : '我的留言',
      body: (ctx) => html`<h1>${en ? 'My messages' : '我的留言'}</h1>
<p><a href="/messages/new">${en ? 'Leave a message' : '我要留言'}</a></p>
${mine.length
  ? html`<div class="table-wrap" tabindex="0" role="region" aria-label="${en ? 'My messages' : '我的留言'}"><table class="msg-table stack-on-phone"><thead><tr><th>${en ? 'Subject' : '标题'}</th><th>${en ? 'Due' : '答复期限'}</th><th>${en ? 'Status' : '状态'}</th><th>${en ? 'Department' : '承办部门'}</th><th>${en ? 'Type' : '类型'}</th></tr></thead><tbody>
    ${mine.map((x) => html`<tr><td class="msg-title"><a href="/messages/track/${x.token}">${x.title}</a></td><td data-label="${en ? 'Due' : '答复期限'}">${x.deadline}</td><td class="msg-status" data-label="${en ? 'Status' : '状态'}">${lbl(ctx, STATUS_LABELS[x.status], x.status)}</td><td data-label="${en ? 'Department' : '承办部门'}">${x.department ?? (en ? 'awaiting dispatch' : '待分派')}</td><td data-label="${en ? 'Type' : '类型'}">${typeName(ctx.lang, x.type)}</td></tr>`)}
  </tbody></table></div>`
  : html`<p>${en ? 'No messages here.' : '暂无留言。'}</p>`}
${total > MINE_PAGE_SIZE || page > 1 ? pager(ctx.lang, { page, pages, href: (n) => `/messages/mine?page=${n}`, count: { zh: `共 ${total} 条`, en: `${total} messages` } }) : ''}`,
    });
  });

  // ---- staff ----

  app.get<{ Querystring: { view?: string; page?: string } }>('/staff/messages', async (req, reply) => {
    // open: not yet answered, the leaders' 办理中 figure; the default adds the answered ones awaiting call-back.
    const view = req.query.view === 'queue' ? 'queue' : req.query.view === 'open' ? 'open' : 'current';
    const page = pageNumber(req.query.page);
    const p = req.ctx.principal;
    const r = await messages.listPage(p, {
      ...(view === 'queue' ? { queue: true } : { statuses: view === 'open' ? [...OPEN_STATUSES] : [...OPEN_STATUSES, 'replied'] }),
      limit: STAFF_PAGE_SIZE, offset: (page - 1) * STAFF_PAGE_SIZE,
    });
    if (!r.ok) return sendErrorPage(req, reply, r.error);
    const { tickets, total } = r.value;
    const pages = Math.max(1, Math.ceil(total / STAFF_PAGE_SIZE));
    const pageHref = (n: number) => `/staff/messages?${view === 'current' ? '' : `view=${view}&`}page=${n}`;
    const en = req.ctx.lang === 'en';
    const depts = new Map((await messages.departments()).map((d) => [d.id, d.name]));
    return sendPage(req, reply, {
      title: en ? 'Citizen messages' : '网络问政工单',
      body: (ctx) => html`<h1>${en ? 'Citizen messages' : '网络问政工单'}</h1>
<p><a href="/staff/messages"${view === 'current' ? html` aria-current="page"` : ''}>${en ? 'Open tickets' : '在办工单'}</a> · <a href="/staff/messages?view=open"${view === 'open' ? html` aria-current="page"` : ''}>${en ? 'Not yet answered' : '办理中（未答复）'}</a>${authorizeMessages(p, 'message.dispatch').ok ? html` · <a href="/staff/messages?view=queue"${view === 'queue' ? html` aria-current="page"` : ''}>${en ? 'Manual dispatch queue' : '人工分派队列'}</a>` : ''}${authorizeMessages(p, 'message.settings').ok ? html` · <a href="/staff/messages/settings">${en ? 'Routing and time limits' : '分派规则与时限'}</a>` : ''}</p>
${tickets.length ? '' : html`<p>${en ? 'No tickets here.' : '暂无工单。'}</p>`}
<div class="table-wrap" tabindex="0" role="region" aria-label="${en ? 'Tickets' : '工单列表'}"><table class="msg-table stack-on-phone"><thead><tr><th>#</th><th>${en ? 'Subject' : '标题'}</th><th>${en ? 'Due' : '期限'}</th><th>${en ? 'Status' : '状态'}</th><th>${en ? 'Held by' : '承办'}</th><th>${en ? 'Category' : '分类'}</th><th>${en ? 'Type' : '类型'}</th></tr></thead><tbody>
${tickets.map((t) => html`<tr><td data-label="${en ? 'No.' : '编号'}">${t.id}</td><td class="msg-title"><a href="/staff/messages/${t.id}">${t.title}</a>${t.escalated ? html` <span class="tag red">${en ? 'escalated' : '督办'}</span>` : ''}</td><td data-label="${en ? 'Due' : '期限'}">${clockTag(ctx, t)}</td><td class="msg-status" data-label="${en ? 'Status' : '状态'}">${lbl(ctx, STATUS_LABELS[t.status], t.status)}</td><td data-label="${en ? 'Held by' : '承办'}">${t.departmentId === null ? (en ? 'queue' : '待分派') : depts.get(t.departmentId) ?? t.departmentId}</td><td data-label="${en ? 'Category' : '分类'}">${t.category === null ? '—' : categoryName(ctx.lang, t.category)}</td><td data-label="${en ? 'Type' : '类型'}">${typeName(ctx.lang, t.type)}</td></tr>`)}
</tbody></table></div>
${pager(ctx.lang, { page, pages, href: pageHref, count: { zh: `共 ${total} 件`, en: `${total} tickets` } })}`,
    });
  });

  const ticketPage = async (req: FastifyRequest, reply: FastifyReply, id: number, extra: { draft?: string; hints?: ReplyHints; errors?: FieldError[]; notice?: string } = {}) => {
    const r = await messages.ticket(req.ctx.principal, id);
    if (!r.ok) return sendErrorPage(req, reply, r.error);
    const t = r.value;
    const en = req.ctx.lang === 'en';
    const replying = ['dispatched', 'transferred', 'in_progress'].includes(t.status);
    const reuse = replying ? await messages.reusableAnswers(req.ctx.principal, t) : [];
    const depts = await messages.departments();
    const cfg = await messages.configuration(req.ctx.principal);
    const cats = cfg.ok ? cfg.value.routes.map((x) => x.category) : [];
    const sim = t.status !== 'merged' ? await messages.similar(req.ctx.principal, id) : undefined;
    // No department is chosen for the user: the first in the list (A市人民政府) was preselected, so 派发 or 转办 pressed
    // without a look sent the ticket there. Dispatch offers the department routing suggests for the category.
    const suggested = cfg.ok && t.category ? cfg.value.routes.find((x) => x.category === t.category)?.department_id ?? null : null;
    const choose = { value: '', label: en ? '— choose —' : '请选择' };
    const dispatchOptions = [choose, ...depts.map((d) => ({ value: String(d.id), label: d.id === suggested ? `${d.name}${en ? ' (suggested)' : '（建议）'}` : d.name }))];
    const transferOptions = [choose, ...depts.filter((d) => d.id !== t.departmentId).map((d) => ({ value: String(d.id), label: d.name }))];
    const open = ['received', 'dispatched', 'transferred', 'returned', 'in_progress'].includes(t.status);
    // A reopened ticket (citizen's 追问 or supervisor's 重办) still open: its reason above the old reply, not only at the
    // end of the log, where the clerk did not see what to answer.
    const lastReopen = t.reopenCount > 0 ? [...t.actions].reverse().find((a) => a.action === 'reopen' || a.action === 'follow_up') : undefined;
    const followUp = open && lastReopen?.note ? { note: lastReopen.note, at: lastReopen.at } : undefined;
    // Only what this user may do here (role and holding department, as the service checks): a clerk saw 转办, 合并,
    // 记录回访 and 办结, a supervisor 签收 and 提交答复, and each answered 403.
    const may = (a: ActionKind | 'merge') => messages.mayAct(req.ctx.principal, t, a);
    const offers = {
      dispatch: t.inQueue && may('dispatch'),
      accept: (t.status === 'dispatched' || t.status === 'transferred') && may('accept'),
      reply: replying && may('reply'),
      return: replying && may('return'),
      transfer: replying && may('transfer'),
      callback: t.status === 'replied' && may('callback'),
      close: t.status === 'replied' && may('close'),
      reopen: (t.status === 'replied' || t.status === 'closed') && may('reopen'),
    };
    const form = (ctx: PageContext, action: string, label: string, inner: Html = html``) =>
      html`<form method="post" action="/staff/messages/${t.id}/act" class="inline-form">${csrfField(ctx)}<input type="hidden" name="action" value="${action}"><input type="hidden" name="version" value="${String(t.version)}">${inner}<button type="submit">${label}</button></form>`;
    return sendPage(req, reply, {
      title: t.title,
      ...(extra.notice ? { notice: extra.notice } : {}),
      ...(extra.errors ? { errors: extra.errors, status: 400 } : {}),
      body: (ctx) => html`<p><a href="/staff/messages">${en ? '← Open tickets' : '← 在办工单'}</a> · <a href="/workbench">${en ? 'Workbench' : '工作台'}</a></p><h1>#${t.id} ${t.title}</h1>
<dl class="summary">
  <dt>${en ? 'Type' : '类型'}</dt><dd>${typeName(ctx.lang, t.type)}</dd>
  <dt>${en ? 'Category' : '分类'}</dt><dd>${t.category === null ? '—' : categoryName(ctx.lang, t.category)}${t.confidence !== null ? ` (${Math.round(t.confidence * 100)}%)` : ''}</dd>
  <dt>${en ? 'Status' : '状态'}</dt><dd>${lbl(ctx, STATUS_LABELS[t.status], t.status)}${t.escalated ? html` <span class="tag red">${en ? 'escalated' : '督办'}</span>` : ''}</dd>
  <dt>${en ? 'Held by' : '承办'}</dt><dd>${t.departmentId === null ? (en ? 'manual dispatch queue' : '人工分派队列') : depts.find((d) => d.id === t.departmentId)?.name ?? t.departmentId}</dd>
  <dt>${en ? 'Due' : '期限'}</dt><dd>${clockTag(ctx, t)} (${t.limitDays} ${en ? 'working days' : '个工作日'})</dd>
  ${t.rating === null ? '' : html`<dt>${en ? 'Satisfaction' : '满意度'}</dt><dd>${ratingName(ctx.lang, t.rating)}</dd>`}
</dl>
${t.messages.map((m) => html`<section class="card"><h2>${m.title}</h2><p>${m.content}</p>${attachmentList(ctx.lang, m.attachments ?? [])}${mediaLink(ctx.lang, m.mediaUrl)}
<p class="hint">${[m.district, m.address].filter(Boolean).join(' ')}${m.district || m.address ? ' · ' : ''}${chinaTime(m.submittedAt).slice(0, 10)} · ${lbl(ctx, CHANNEL_LABELS[m.channel], m.channel)}${m.contactName || m.contactPhone ? html` · ${en ? 'contact: ' : '联系人：'}${m.contactName ?? ''} ${m.contactPhone ?? ''}` : ''}${m.anonymous ? (en ? ' · anonymous' : ' · 匿名') : ''}</p></section>`)}
${followUp ? html`<section class="card" aria-labelledby="followup-title"><h2 id="followup-title">${en ? 'Reopened: what is still wrong' : '追问 / 重办：仍未解决的问题'}</h2><p>${followUp.note}</p><p class="hint">${chinaTime(followUp.at)} · ${en ? 'answer it with a new reply below' : '请在下方重新答复'}</p></section>` : ''}
${t.reply ? html`<section class="card"><h2>${en ? 'Reply' : '答复'}</h2><p>${t.reply}</p><h3>${en ? 'As published' : '公开版本（已隐去个人信息）'}</h3><p>${t.replyPublic}</p></section>` : ''}
<section class="card msg-actions" aria-labelledby="actions-title"><h2 id="actions-title">${en ? 'Actions' : '办理'}</h2>
${Object.values(offers).some(Boolean) ? '' : html`<p>${en ? 'Nothing on this ticket is for you to do.' : '本工单暂无您可办理的操作。'}</p>`}
${offers.dispatch ? form(ctx, 'dispatch', en ? 'Dispatch' : '派发', html`${select({ lang: ctx.lang, name: 'departmentId', label: en ? 'Department' : '承办部门', options: dispatchOptions, value: suggested === null ? '' : String(suggested), errors: extra.errors })}${select({ lang: ctx.lang, name: 'category', label: en ? 'Category' : '分类', options: [{ value: '', label: '—' }, ...cats.map((c) => ({ value: c, label: categoryName(ctx.lang, c) }))], value: t.category ?? '' })}`) : ''}
${offers.accept ? form(ctx, 'accept', en ? 'Accept' : '签收') : ''}
${offers.reply ? html`
  <form method="post" action="/staff/messages/${t.id}/act" class="card" id="reply-form">${csrfField(ctx)}<input type="hidden" name="version" value="${String(t.version)}">
    ${textarea({ lang: ctx.lang, name: 'reply', label: en ? 'Reply' : '答复意见', value: extra.draft, rows: 8, errors: extra.errors })}
    ${extra.hints ? html`<div class="hints" role="status"><p>${en ? 'Quality hints (advisory): ' : '答复质量提示（仅供参考）：'}${extra.hints.overall === null ? '' : `${Math.round(extra.hints.overall * 100)}/100`}</p><ul>${extra.hints.hints.map((h) => html`<li class="${h.ok ? 'ok' : 'warn'}">${h.ok ? '✓' : '!'} ${en ? h.en : h.zh}</li>`)}</ul>${publishedDraft(ctx.lang, extra.draft)}</div>` : ''}
    <button type="submit" name="action" value="hints" class="secondary">${en ? 'Check the draft' : '检查答复质量'}</button>
    <button type="submit" name="action" value="reply">${en ? 'Send reply' : '提交答复'}</button>
  </form>
  ${reusePanel(ctx, t.id, reuse)}` : ''}
${offers.return ? form(ctx, 'return', en ? 'Return for redispatch' : '退回', textarea({ lang: ctx.lang, name: 'note', label: en ? 'Reason' : '退回理由', rows: 2, errors: extra.errors })) : ''}
${offers.transfer ? form(ctx, 'transfer', en ? 'Transfer' : '转办', select({ lang: ctx.lang, name: 'departmentId', label: en ? 'To department' : '转至部门', options: transferOptions, value: '', errors: extra.errors })) : ''}
${offers.callback ? form(ctx, 'callback', en ? 'Record call-back' : '记录回访', html`${select({ lang: ctx.lang, name: 'rating', label: en ? 'Satisfaction' : '满意度', value: '5', options: [5, 4, 3, 2, 1].map((v) => ({ value: String(v), label: ratingName(ctx.lang, v) })) })}${textarea({ lang: ctx.lang, name: 'callbackNote', label: en ? 'Notes' : '回访记录', rows: 2 })}`) : ''}
${offers.close ? form(ctx, 'close', en ? 'Close' : '办结') : ''}
${offers.reopen ? form(ctx, 'reopen', en ? 'Reopen' : '重办', textarea({ lang: ctx.lang, name: 'note', label: en ? 'Why' : '重办原因', rows: 2, errors: extra.errors })) : ''}
</section>
${open && sim?.ok && sim.value.length ? html`<section class="card" aria-labelledby="sim-title"><h2 id="sim-title">${en ? 'Likely duplicates' : '疑似重复留言'}</h2><ul>
${sim.value.map((s) => html`<li><a href="/staff/messages/${s.ticketId}">#${s.ticketId} ${s.title}</a> (${Math.round(s.score * 100)}%)
  ${s.mayMerge ? html`<form method="post" action="/staff/messages/${t.id}/merge" class="inline">${csrfField(ctx)}<input type="hidden" name="sourceId" value="${String(s.ticketId)}"><button type="submit" class="link-button">${en ? 'Merge into this ticket' : '合并到本工单'}</button></form>` : ''}</li>`)}
</ul></section>` : ''}
<section class="card"><h2>${en ? 'Log' : '办理记录'}</h2>${timeline(ctx, t)}</section>`,
    });
  };

  /** The draft with a reused article or answer appended, or a notice when it cannot be used. */
  const withReuse = async (req: FastifyRequest, ref: string, draft: string): Promise<{ draft: string } | { draft: string; notice: string }> => {
    const text = await messages.reusableText(req.ctx.principal, ref);
    if (text !== undefined) return { draft: appendToDraft(draft, text) };
    return { draft, notice: req.ctx.lang === 'en' ? 'That article or answer cannot be inserted (not published, or no longer available).' : '该知识或答复无法插入（未发布或已不可用）。' };
  };

  // `?use=knowledge:<id>` (or `reply:<ticket id>`) opens the page with that text in the reply draft: a plain link works.
  app.get('/staff/messages/settings', async (req, reply) => settingsPage(req, reply));
  app.get<{ Params: { id: string }; Querystring: { use?: string } }>('/staff/messages/:id', async (req, reply) => {
    const id = Number(req.params.id);
    if (typeof req.query.use === 'string' && req.query.use) return ticketPage(req, reply, id, await withReuse(req, req.query.use, ''));
    return ticketPage(req, reply, id);
  });

  app.post<{ Params: { id: string }; Body: Form }>('/staff/messages/:id/act', async (req, reply) => {
    const id = Number(req.params.id);
    const b = req.body ?? {};
    // An 插入答复 button of the reuse panel: the same form, re-rendered with the text added to what was typed.
    if (b.use && !b.action) return ticketPage(req, reply, id, await withReuse(req, b.use, b.reply ?? ''));
    if (b.action === 'hints') {
      const h = await messages.hintsFor(req.ctx.principal, id, b.reply ?? '');
      // An empty draft: the page again with 请先写答复内容 at the reply box, and no score.
      if (!h.ok && h.error.fields) return ticketPage(req, reply, id, { draft: b.reply ?? '', errors: h.error.fields.map((f) => (f.field === 'draft' ? { ...f, field: 'reply' } : f)) });
      if (!h.ok) return sendErrorPage(req, reply, h.error);
      return ticketPage(req, reply, id, { draft: b.reply ?? '', hints: h.value });
    }
    const allowed: ActionKind[] = ['dispatch', 'transfer', 'return', 'accept', 'reply', 'callback', 'close', 'reopen'];
    if (!allowed.includes(b.action as ActionKind)) return reply.callNotFound();
    const r = await messages.act(req.ctx.principal, id, b.action as ActionKind, {
      ...(b.departmentId ? { departmentId: Number(b.departmentId) } : {}),
      ...(b.category ? { category: b.category } : {}),
      // 记录回访 and 重办 are offered side by side on a replied ticket: the call-back notes have their own field name, so
      // that the page has one id="note" (重办's, where its error is shown) and the summary's #note link lands there.
      note: (b.action === 'callback' ? b.callbackNote ?? b.note : b.note) ?? null,
      reply: b.reply ?? null,
      ...(b.rating ? { rating: Number(b.rating) } : {}),
      ...(b.version ? { version: Number(b.version) } : {}),
    });
    if (!r.ok) {
      if (r.error.fields) return ticketPage(req, reply, id, { errors: r.error.fields, ...(b.reply ? { draft: b.reply } : {}) });
      return sendErrorPage(req, reply, r.error);
    }
    // After a redispatch or return the caller may no longer see the ticket: back to the list then.
    const visible = await messages.ticket(req.ctx.principal, id);
    return reply.redirect(visible.ok ? `/staff/messages/${id}` : '/staff/messages', 303);
  });

  app.post<{ Params: { id: string }; Body: Form }>('/staff/messages/:id/merge', async (req, reply) => {
    const id = Number(req.params.id);
    const r = await messages.merge(req.ctx.principal, id, Number(req.body?.sourceId));
    if (!r.ok) return sendErrorPage(req, reply, r.error);
    return reply.redirect(`/staff/messages/${id}`, 303);
  });

  /** The settings form: the stored values, or after a refused save what was sent (nothing typed is lost). */
  const settingsPage = async (req: FastifyRequest, reply: FastifyReply, errors?: FieldError[], notice?: string, sent?: Form) => {
    const r = await messages.configuration(req.ctx.principal);
    if (!r.ok) return sendErrorPage(req, reply, r.error);
    const en = req.ctx.lang === 'en';
    const depts = await messages.departments();
    const c = r.value;
    const v = (name: string, stored: string | number) => sent?.[name] ?? String(stored);
    return sendPage(req, reply, {
      title: en ? 'Routing and time limits' : '分派规则与办理时限',
      ...(errors ? { errors, status: 400 } : {}),
      ...(notice ? { notice } : {}),
      body: (ctx) => html`<h1>${en ? 'Routing and time limits' : '分派规则与办理时限'}</h1>
<form method="post" action="/staff/messages/settings" class="card">${csrfField(ctx)}
  <h2>${en ? 'Category → department' : '分类 → 承办部门'}</h2>
  ${c.routes.map((x) => select({ lang: ctx.lang, name: `route.${x.category}`, label: categoryName(ctx.lang, x.category), value: v(`route.${x.category}`, x.department_code), options: [...(x.department_id === null ? [{ value: x.department_code, label: `${x.department_code} (?)` }] : []), ...depts.map((d) => ({ value: d.code, label: d.name }))], errors }))}
  <h2>${en ? 'Time limits (working days)' : '办理时限（工作日）'}</h2>
  ${c.limits.map((x) => field({ lang: ctx.lang, name: `limit.${x.type}`, label: typeName(ctx.lang, x.type), type: 'number', inputmode: 'numeric', value: v(`limit.${x.type}`, x.working_days), errors }))}
  <h2>${en ? 'Settings' : '其他设置'}</h2>
  ${field({ lang: ctx.lang, name: 'autoThreshold', label: en ? 'Auto-dispatch confidence threshold (0–1)' : '自动分派置信度阈值（0–1）', value: v('autoThreshold', c.autoThreshold), inputmode: 'decimal', errors })}
  ${field({ lang: ctx.lang, name: 'reopenDays', label: en ? 'Follow-up period after the reply (days)' : '答复后可追问天数', value: v('reopenDays', c.reopenDays), inputmode: 'numeric', errors })}
  <button type="submit">${en ? 'Save' : '保存'}</button>
</form>`,
    });
  };

  app.post<{ Body: Form }>('/staff/messages/settings', async (req, reply) => {
    const b = req.body ?? {};
    const routes: Record<string, string> = {};
    const limits: Record<string, string> = {};
    for (const [k, v] of Object.entries(b)) {
      if (k.startsWith('route.') && v) routes[k.slice(6)] = v;
      if (k.startsWith('limit.') && v) limits[k.slice(6)] = v;
    }
    const r = await messages.configure(req.ctx.principal, { routes, limits, autoThreshold: b.autoThreshold, reopenDays: b.reopenDays });
    if (!r.ok) {
      if (r.error.fields) return settingsPage(req, reply, r.error.fields.map((f) => ({ ...f, field: f.field.replace(/^routes\./, 'route.').replace(/^limits\./, 'limit.') })), undefined, b);
      return sendErrorPage(req, reply, r.error);
    }
    return settingsPage(req, reply, undefined, req.ctx.lang === 'en' ? 'Saved.' : '已保存。');
  });
}
