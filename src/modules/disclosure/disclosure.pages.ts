import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { DomainError, FieldError } from '../../lib/errors.ts';
import { sendErrorPage, sendPage } from '../../web/context.ts';
import { idInPath } from '../../web/ids.ts';
import { html, type Html } from '../../web/html.ts';
import { csrfField, errorMessage, field, pager, type PageContext } from '../../web/layout.ts';
import { PUBLIC_WRITE_LIMIT } from '../../web/limits.ts';
import type { Department } from '../../db/types.ts';
import { atomFeed, summarize } from './disclosure.pure.ts';
import type { CategoryNode, DocumentView, RequestView } from './disclosure.service.ts';
import { LEGAL_GROUNDS, OUTCOMES, type DocStatus } from './disclosure.types.ts';

type Form = Record<string, string | undefined>;
const en = (ctx: { lang: string }) => ctx.lang === 'en';
const T = (ctx: { lang: string }, zh: string, e: string) => (ctx.lang === 'en' ? e : zh);

export const STATUS_NAMES: Record<DocStatus, { zh: string; en: string; cls: string }> = {
  draft: { zh: '草稿', en: 'Draft', cls: '' },
  review: { zh: '待审核', en: 'In review', cls: 'amber' },
  published: { zh: '已发布', en: 'Published', cls: 'green' },
  withdrawn: { zh: '已撤回', en: 'Withdrawn', cls: 'red' },
};
const VALIDITY_NAMES = { valid: ['有效', 'In force'], amended: ['已修订', 'Amended'], repealed: ['已废止', 'Repealed'], expired: ['已失效', 'Expired'] } as const;
const REQ_STATUS = { received: ['办理中', 'In progress'], clarifying: ['待申请人补正', 'Waiting for the applicant'], answered: ['已答复', 'Answered'] } as const;
const CLOCK_NAMES = { green: ['正常', 'on time'], amber: ['临近期限', 'due soon'], red: ['已超期', 'overdue'] } as const;

function statusTag(ctx: PageContext, s: DocStatus): Html {
  const n = STATUS_NAMES[s];
  return html`<span class="tag ${n.cls}">${en(ctx) ? n.en : n.zh}</span>`;
}

function categoryTree(ctx: PageContext, nodes: CategoryNode[], current?: string): Html {
  return html`<ul class="category-tree">${nodes.map((n) => html`<li><a href="/disclosure/category/${n.code}"${n.code === current ? html` aria-current="page"` : ''}>${en(ctx) && n.name_en ? n.name_en : n.name}</a>${n.children.length ? categoryTree(ctx, n.children, current) : ''}</li>`)}</ul>`;
}

function docTable(ctx: PageContext, docs: DocumentView[], _depts: Map<number, Department>, staff = false): Html {
  if (!docs.length) return html`<p>${T(ctx, '暂无文件。', 'No documents.')}</p>`;
  return html`<div class="table-wrap"><table class="stack-on-phone">
<thead><tr><th scope="col">${T(ctx, '索引号', 'Index no.')}</th><th scope="col">${T(ctx, '标题', 'Title')}</th><th scope="col">${T(ctx, '发布机构', 'Issued by')}</th><th scope="col">${T(ctx, '成文日期', 'Date')}</th><th scope="col">${T(ctx, '状态', 'Status')}</th></tr></thead>
<tbody>${docs.map((d) => html`<tr>
<td data-label="${T(ctx, '索引号', 'Index no.')}">${d.indexNo}</td>
<td class="doc-title"><a href="${staff ? `/disclosure/manage/${d.id}` : `/disclosure/doc/${d.id}`}">${d.title}</a>${d.docNumber ? html`<br><small>${d.docNumber}</small>` : ''}</td>
<td data-label="${T(ctx, '发布机构', 'Issued by')}">${d.issuer}</td>
<td data-label="${T(ctx, '成文日期', 'Date')}">${d.issuedOn}</td>
<td data-label="${T(ctx, '状态', 'Status')}">${statusTag(ctx, d.status)}${d.status === 'published' && d.validity !== 'valid' ? html` <span class="tag">${VALIDITY_NAMES[d.validity][en(ctx) ? 1 : 0]}</span>` : ''}</td>
</tr>`)}</tbody></table></div>`;
}

function baseUrl(req: FastifyRequest, publicUrl: string | undefined): string {
  return (publicUrl ?? `${req.protocol}://${req.headers.host ?? 'localhost'}`).replace(/\/$/, '');
}

function fail(req: FastifyRequest, reply: FastifyReply, e: DomainError) {
  return sendErrorPage(req, reply, e);
}

/**
 * A document form post may carry the whole text the service allows (200,000 characters; a Chinese character is 9 bytes
 * form-encoded) and the other fields: the site's 256 KB for forms refused a text of about 28,000 characters with 413.
 */
const DOC_FORM_BODY_LIMIT = 200_000 * 9 + 256 * 1024;

function docForm(ctx: PageContext, cats: { id: number; name: string; depth: number }[], v: Form, errors?: FieldError[], action = '/disclosure/manage/new'): Html {
  const err = (n: string) => errors?.find((e) => e.field === n);
  return html`<form method="post" action="${action}" novalidate class="card">
${csrfField(ctx)}
<div class="field${err('categoryId') ? ' field-error' : ''}"><label for="categoryId">${T(ctx, '公开目录分类', 'Category')}<span class="req" aria-hidden="true"> *</span></label>
${err('categoryId') ? errorMessage(ctx.lang, 'categoryId-error', err('categoryId')!) : ''}
<select id="categoryId" name="categoryId" required aria-required="true">${cats.map((c) => html`<option value="${c.id}"${String(c.id) === v.categoryId ? html` selected` : ''}>${'　'.repeat(c.depth)}${c.name}</option>`)}</select></div>
${field({ lang: ctx.lang, name: 'title', label: T(ctx, '标题', 'Title'), value: v.title, required: true, errors })}
${field({ lang: ctx.lang, name: 'issuer', label: T(ctx, '发布机构', 'Issuing body'), value: v.issuer, required: true, errors })}
${field({ lang: ctx.lang, name: 'docNumber', label: T(ctx, '文号', 'Document number'), value: v.docNumber, hint: T(ctx, '如：A府办发〔2026〕3号；没有可不填。', 'e.g. A府办发〔2026〕3号; optional.'), errors })}
${field({ lang: ctx.lang, name: 'indexNo', label: T(ctx, '索引号', 'Index number'), value: v.indexNo, hint: T(ctx, '不填则自动生成：部门编码/年份-序号。', 'Leave empty to generate: dept code/year-sequence.'), errors })}
${field({ lang: ctx.lang, name: 'issuedOn', label: T(ctx, '成文日期', 'Date'), type: 'date', value: v.issuedOn, required: true, errors })}
${field({ lang: ctx.lang, name: 'validFrom', label: T(ctx, '生效日期', 'In force from'), type: 'date', value: v.validFrom, errors })}
${field({ lang: ctx.lang, name: 'validUntil', label: T(ctx, '失效日期', 'In force until'), type: 'date', value: v.validUntil, errors })}
${field({ lang: ctx.lang, name: 'keywords', label: T(ctx, '主题词', 'Keywords'), value: v.keywords, errors })}
<div class="field${err('body') ? ' field-error' : ''}"><label for="body">${T(ctx, '正文', 'Text')}<span class="req" aria-hidden="true"> *</span></label>
${err('body') ? errorMessage(ctx.lang, 'body-error', err('body')!) : ''}
<textarea id="body" name="body" rows="12" required aria-required="true">${v.body ?? ''}</textarea></div>
<div class="field${err('attachments') ? ' field-error' : ''}"><label for="attachments">${T(ctx, '附件', 'Attachments')}</label>
<p class="hint" id="attachments-hint">${T(ctx, '每行一个：名称 | 链接', 'One per line: name | link')}</p>
${err('attachments') ? errorMessage(ctx.lang, 'attachments-error', err('attachments')!) : ''}
<textarea id="attachments" name="attachments" rows="3" aria-describedby="attachments-hint">${v.attachments ?? ''}</textarea></div>
<button type="submit">${T(ctx, '保存草稿', 'Save draft')}</button>
</form>`;
}

function formValues(d: DocumentView): Form {
  return {
    categoryId: String(d.categoryId), title: d.title, issuer: d.issuer, docNumber: d.docNumber ?? '', indexNo: d.indexNo, issuedOn: d.issuedOn,
    validFrom: d.validFrom ?? '', validUntil: d.validUntil ?? '', keywords: d.keywords, body: d.body, attachments: d.attachments.map((a) => `${a.name} | ${a.url}`).join('\n'),
  };
}

function flatCats(nodes: CategoryNode[], depth = 0): { id: number; name: string; depth: number }[] {
  return nodes.flatMap((n) => [{ id: n.id, name: n.name, depth }, ...flatCats(n.children, depth + 1)]);
}

function clockTag(ctx: PageContext, r: RequestView): Html {
  if (!r.clock) return html`—`;
  if (r.clock.paused) return html`<span class="tag amber">${T(ctx, '计时暂停（待补正）', 'clock stopped (clarifying)')}</span>`;
  return html`<span class="tag ${r.clock.status}">${r.clock.due} · ${CLOCK_NAMES[r.clock.status][en(ctx) ? 1 : 0]}</span>`;
}

/** Public catalogue pages, the Atom feeds, the application form and the staff pages. */
export async function disclosurePages(app: FastifyInstance): Promise<void> {
  // Every `:id` of these pages is a record id: anything else answers 400/404 before a handler runs.
  app.addHook('preValidation', idInPath);
  const { disclosure: svc, identity, config } = app.services;
  const deptMap = async () => new Map((await identity.departments()).map((d) => [d.id, d]));
  const deptName = (ctx: PageContext, d: Department | undefined) => (d ? (en(ctx) && d.name_en ? d.name_en : d.name) : '—');

  app.get('/disclosure', async (req, reply) => {
    const [tree, recent, depts, answers] = await Promise.all([svc.categoryTree(), svc.listPublic({ pageSize: 10 }), identity.departments(), svc.publishedAnswers(5)]);
    const items = recent.ok ? recent.value.items : [];
    const dm = new Map(depts.map((d) => [d.id, d]));
    return sendPage(req, reply, {
      title: T(req.ctx, '政府信息公开', 'Government information disclosure'),
      body: (ctx) => html`<h1>${T(ctx, '政府信息公开目录', 'Government information disclosure catalogue')}</h1>
<p><a class="button" href="/disclosure/apply">${T(ctx, '申请政府信息公开（依申请公开）', 'Apply for disclosure')}</a></p>
<p><a href="/disclosure/answers">${T(ctx, '已公开的申请答复', 'Published answers')}</a></p>
<div class="grid-2">
<nav class="card" aria-labelledby="cat-title"><h2 id="cat-title">${T(ctx, '按分类浏览', 'By category')}</h2>${categoryTree(ctx, tree)}</nav>
<nav class="card" aria-labelledby="dept-title"><h2 id="dept-title">${T(ctx, '按部门浏览', 'By department')}</h2><ul>${depts.map((d) => html`<li><a href="/disclosure/department/${d.id}">${deptName(ctx, d)}</a></li>`)}</ul></nav>
</div>
<section aria-labelledby="recent-title"><h2 id="recent-title">${T(ctx, '最新公开', 'Latest')}</h2>${docTable(ctx, items, dm)}</section>
${answers.length ? html`<section aria-labelledby="ans-title"><h2 id="ans-title">${T(ctx, '依申请公开答复', 'Answers to requests')}</h2><ul>${answers.map((a) => html`<li><a href="/disclosure/answers#r${a.id}">${a.refNo}</a> · ${a.outcome ? OUTCOMES[a.outcome][en(ctx) ? 'en' : 'zh'] : ''} · ${deptName(ctx, dm.get(a.departmentId))}</li>`)}</ul></section>` : ''}`,
    });
  });

  app.get<{ Params: { code: string }; Querystring: { page?: string } }>('/disclosure/category/:code', async (req, reply) => {
    const page = Math.max(1, Number(req.query.page) || 1);
    const r = await svc.listPublic({ categoryCode: req.params.code, page });
    if (!r.ok) return fail(req, reply, r.error);
    const [tree, dm] = await Promise.all([svc.categoryTree(), deptMap()]);
    const cat = r.value.category!;
    const pages = Math.ceil(r.value.total / 20);
    return sendPage(req, reply, {
      title: cat.name,
      body: (ctx) => html`<p><a href="/disclosure">${T(ctx, '政府信息公开目录', 'Disclosure catalogue')}</a></p>
<h1>${en(ctx) && cat.name_en ? cat.name_en : cat.name}</h1>
<p><a href="/disclosure/category/${cat.code}/feed.atom" type="application/atom+xml">${T(ctx, '订阅本分类（Atom）', 'Subscribe (Atom feed)')}</a> · ${T(ctx, `共 ${r.value.total} 件`, `${r.value.total} documents`)}</p>
${docTable(ctx, r.value.items, dm)}
${pages > 1 ? pager(ctx.lang, { page, pages, href: (n) => `?page=${n}` }) : ''}
<nav class="card" aria-labelledby="cat-title"><h2 id="cat-title">${T(ctx, '其他分类', 'Other categories')}</h2>${categoryTree(ctx, tree, cat.code)}</nav>`,
    });
  });

  app.get<{ Params: { code: string } }>('/disclosure/category/:code/feed.atom', async (req, reply) => {
    const r = await svc.listPublic({ categoryCode: req.params.code, pageSize: 50 });
    if (!r.ok) return fail(req, reply, r.error);
    const base = baseUrl(req, config.publicUrl);
    const cat = r.value.category!;
    const items = r.value.items;
    const updated = items.reduce((m, d) => (d.updatedAt > m ? d.updatedAt : m), '1970-01-01T00:00:00.000Z');
    const xml = atomFeed({
      id: `${base}/disclosure/category/${cat.code}`, title: `A市政府信息公开 · ${cat.name}`,
      selfUrl: `${base}/disclosure/category/${cat.code}/feed.atom`, alternateUrl: `${base}/disclosure/category/${cat.code}`,
      updated: new Date(updated),
      entries: items.map((d) => ({
        id: `${base}/disclosure/doc/${d.id}`, title: d.title, link: `${base}/disclosure/doc/${d.id}`, updated: new Date(d.updatedAt),
        ...(d.publishedAt ? { published: new Date(d.publishedAt) } : {}), author: d.issuer,
        summary: d.status === 'withdrawn' ? `已撤回：${d.withdrawnReason ?? ''}` : `索引号 ${d.indexNo}。${summarize(d.body)}`, withdrawn: d.status === 'withdrawn',
      })),
    });
    return reply.type('application/atom+xml; charset=utf-8').send(xml);
  });

  app.get<{ Params: { id: string }; Querystring: { page?: string } }>('/disclosure/department/:id', async (req, reply) => {
    const id = Number(req.params.id);
    const dept = Number.isInteger(id) ? await identity.department(id) : undefined;
    if (!dept) return fail(req, reply, { kind: 'not_found', code: 'NOT_FOUND', message: '部门不存在。', messageEn: 'No such department.' });
    const r = await svc.listPublic({ departmentId: id, page: Math.max(1, Number(req.query.page) || 1) });
    if (!r.ok) return fail(req, reply, r.error);
    const dm = await deptMap();
    return sendPage(req, reply, {
      title: dept.name,
      body: (ctx) => html`<p><a href="/disclosure">${T(ctx, '政府信息公开目录', 'Disclosure catalogue')}</a></p>
<h1>${deptName(ctx, dept)} · ${T(ctx, '信息公开', 'disclosure')}</h1>${docTable(ctx, r.value.items, dm)}`,
    });
  });

  app.get<{ Params: { id: string } }>('/disclosure/doc/:id', async (req, reply) => {
    const r = await svc.publicDocument(Number(req.params.id) || 0);
    if (!r.ok) return fail(req, reply, r.error);
    const d = r.value;
    const [dept, cats] = await Promise.all([identity.department(d.departmentId), svc.categories()]);
    const cat = cats.find((c) => c.id === d.categoryId);
    return sendPage(req, reply, {
      title: d.title,
      body: (ctx) => html`<p><a href="/disclosure">${T(ctx, '政府信息公开目录', 'Disclosure catalogue')}</a>${cat ? html` › <a href="/disclosure/category/${cat.code}">${cat.name}</a>` : ''}</p>
<article>
<h1>${d.title}</h1>
${d.status === 'withdrawn' ? html`<div class="notice withdrawn" role="status"><strong>${T(ctx, '本文件已撤回', 'This document has been withdrawn')}</strong>（${d.withdrawnAt?.slice(0, 10)}）${d.withdrawnReason ? html`：${d.withdrawnReason}` : ''}</div>` : ''}
<dl class="summary">
<dt>${T(ctx, '索引号', 'Index number')}</dt><dd>${d.indexNo}</dd>
<dt>${T(ctx, '分类', 'Category')}</dt><dd>${cat?.name ?? '—'}</dd>
<dt>${T(ctx, '发布机构', 'Issued by')}</dt><dd>${d.issuer}${deptName(ctx, dept) !== d.issuer ? html`（${deptName(ctx, dept)}）` : ''}</dd>
${d.docNumber ? html`<dt>${T(ctx, '文号', 'Document number')}</dt><dd>${d.docNumber}</dd>` : ''}
<dt>${T(ctx, '成文日期', 'Date')}</dt><dd>${d.issuedOn}</dd>
${d.publishedAt ? html`<dt>${T(ctx, '发布日期', 'Published')}</dt><dd>${d.publishedAt.slice(0, 10)}</dd>` : ''}
<dt>${T(ctx, '有效性', 'Validity')}</dt><dd>${d.status === 'withdrawn' ? T(ctx, '已撤回', 'Withdrawn') : VALIDITY_NAMES[d.validity][en(ctx) ? 1 : 0]}${d.validFrom ? html`（${d.validFrom} ${T(ctx, '起', 'from')}${d.validUntil ? html`，${T(ctx, '至', 'until')} ${d.validUntil}` : ''}）` : ''}</dd>
${d.keywords ? html`<dt>${T(ctx, '主题词', 'Keywords')}</dt><dd>${d.keywords}</dd>` : ''}
</dl>
${d.status === 'published' ? html`<div class="doc-body">${d.body.split(/\n+/).map((para) => html`<p>${para}</p>`)}</div>
${d.attachments.length ? html`<h2>${T(ctx, '附件', 'Attachments')}</h2><ul>${d.attachments.map((a) => html`<li><a href="${a.url}">${a.name}</a></li>`)}</ul>` : ''}` : ''}
</article>`,
    });
  });

  // ------------------------------------------------------------ disclosure on request (citizens)

  const applyForm = (ctx: PageContext, depts: Department[], v: Form, errors?: FieldError[]) => {
    const err = (n: string) => errors?.find((e) => e.field === n);
    return html`<p><a href="/disclosure">${T(ctx, '← 政府信息公开', '← Government information')}</a></p><h1>${T(ctx, '申请政府信息公开', 'Apply for government information')}</h1>
<p>${T(ctx, '行政机关自收到申请之日起 20 个工作日内答复；需要延长的，经负责人同意可延长不超过 20 个工作日。需要您补正的，补正期间不计算在内。', 'The body answers within 20 working days of receipt, extendable once by up to 20; time you spend clarifying is not counted.')}</p>
<form method="post" action="/disclosure/apply" novalidate class="card">
${csrfField(ctx)}
<fieldset class="field${err('applicantKind') ? ' field-error' : ''}" id="applicantKind"${err('applicantKind') ? html` aria-describedby="applicantKind-error"` : ''}><legend>${T(ctx, '申请人类型', 'Applicant')}</legend>
${err('applicantKind') ? errorMessage(ctx.lang, 'applicantKind-error', err('applicantKind')!) : ''}
<label class="choice"><input type="radio" name="applicantKind" value="citizen"${v.applicantKind !== 'company' ? html` checked` : ''}> ${T(ctx, '公民（本人）', 'Myself')}</label>
<label class="choice"><input type="radio" name="applicantKind" value="company"${v.applicantKind === 'company' ? html` checked` : ''}> ${T(ctx, '法人或其他组织', 'A company or organisation')}</label></fieldset>
${field({ lang: ctx.lang, name: 'companyName', label: T(ctx, '法人或其他组织名称（以组织名义申请时填写）', 'Organisation name (if applying for one)'), autocomplete: 'organization', value: v.companyName, errors })}
${field({ lang: ctx.lang, name: 'uscc', label: T(ctx, '统一社会信用代码（以组织名义申请时填写）', 'Unified social credit code (if applying for one)'), value: v.uscc, errors })}
<div class="field${err('departmentId') ? ' field-error' : ''}"><label for="departmentId">${T(ctx, '受理机关', 'To')}<span class="req" aria-hidden="true"> *</span></label>
${err('departmentId') ? errorMessage(ctx.lang, 'departmentId-error', err('departmentId')!) : ''}
<select id="departmentId" name="departmentId" required aria-required="true"${err('departmentId') ? html` aria-invalid="true" aria-describedby="departmentId-error"` : ''}><option value="">${T(ctx, '请选择', 'Choose')}</option>${depts.map((d) => html`<option value="${d.id}"${String(d.id) === v.departmentId ? html` selected` : ''}>${d.name}</option>`)}</select></div>
<div class="field${err('description') ? ' field-error' : ''}"><label for="description">${T(ctx, '所需政府信息的名称、文号或便于查询的其他特征性描述', 'The information you ask for')}<span class="req" aria-hidden="true"> *</span></label>
${err('description') ? errorMessage(ctx.lang, 'description-error', err('description')!) : ''}
<textarea id="description" name="description" rows="6" required aria-required="true"${err('description') ? html` aria-invalid="true" aria-describedby="description-error"` : ''}>${v.description ?? ''}</textarea></div>
${field({ lang: ctx.lang, name: 'purpose', label: T(ctx, '用途（可不填）', 'Purpose (optional)'), value: v.purpose, errors })}
${field({ lang: ctx.lang, name: 'contactPhone', label: T(ctx, '联系电话（不填则用账号手机号）', 'Phone (optional)'), hint: T(ctx, '手机号码，或带区号的固定电话（如 0731-88886666）。', 'A mobile number, or a landline with its area code (e.g. 0731-88886666).'), type: 'tel', inputmode: 'tel', autocomplete: 'tel', value: v.contactPhone, errors })}
<fieldset class="field${err('delivery') ? ' field-error' : ''}" id="delivery"${err('delivery') ? html` aria-describedby="delivery-error"` : ''}><legend>${T(ctx, '获取信息的方式', 'Delivery')}</legend>
${err('delivery') ? errorMessage(ctx.lang, 'delivery-error', err('delivery')!) : ''}
<label class="choice"><input type="radio" name="delivery" value="online"${!v.delivery || v.delivery === 'online' ? html` checked` : ''}> ${T(ctx, '网上获取', 'Online')}</label>
<label class="choice"><input type="radio" name="delivery" value="post"${v.delivery === 'post' ? html` checked` : ''}> ${T(ctx, '邮寄', 'By post')}</label>
<label class="choice"><input type="radio" name="delivery" value="pickup"${v.delivery === 'pickup' ? html` checked` : ''}> ${T(ctx, '当面领取', 'Pick up')}</label></fieldset>
${field({ lang: ctx.lang, name: 'postalAddress', label: T(ctx, '收件地址（选择邮寄时必填）', 'Postal address (required by post)'), hint: T(ctx, '省、市、区县、街道和门牌号，邮寄答复用。', 'Province, city, district, street and number; the answer is posted there.'), autocomplete: 'street-address', value: v.postalAddress, errors })}
${field({ lang: ctx.lang, name: 'postcode', label: T(ctx, '邮政编码（选择邮寄时必填）', 'Postcode (required by post)'), inputmode: 'numeric', autocomplete: 'postal-code', value: v.postcode, errors })}
<button type="submit">${T(ctx, '提交申请', 'Apply')}</button>
</form>`;
  };

  app.get('/disclosure/apply', async (req, reply) => {
    if (req.ctx.principal.kind !== 'citizen') return req.ctx.principal.kind === 'anonymous' ? reply.redirect('/login?next=/disclosure/apply') : fail(req, reply, { kind: 'forbidden', code: 'FORBIDDEN', message: '依申请公开由公民或组织提出，请使用群众账号。', messageEn: 'Applications are made from a citizen account.' });
    const depts = await identity.departments();
    return sendPage(req, reply, { title: T(req.ctx, '申请政府信息公开', 'Apply for disclosure'), body: (ctx) => applyForm(ctx, depts, {}) });
  });

  app.post<{ Body: Form }>('/disclosure/apply', { config: PUBLIC_WRITE_LIMIT }, async (req, reply) => {
    const b = req.body ?? {};
    const r = await svc.apply(req.ctx.principal, b);
    if (!r.ok) {
      if (!r.error.fields) return fail(req, reply, r.error);
      const depts = await identity.departments();
      return sendPage(req, reply, { title: T(req.ctx, '申请政府信息公开', 'Apply for disclosure'), status: 400, errors: r.error.fields, body: (ctx) => applyForm(ctx, depts, b, r.error.fields) });
    }
    return reply.redirect(`/disclosure/requests/${r.value.id}?applied=1`, 303);
  });

  app.get('/disclosure/my', async (req, reply) => {
    const r = await svc.myRequests(req.ctx.principal);
    if (!r.ok) return fail(req, reply, r.error);
    const dm = await deptMap();
    return sendPage(req, reply, {
      title: T(req.ctx, '我的信息公开申请', 'My disclosure requests'),
      body: (ctx) => html`<h1>${T(ctx, '我的信息公开申请', 'My disclosure requests')}</h1>
<p><a class="button" href="/disclosure/apply">${T(ctx, '新的申请', 'New request')}</a></p>
${r.value.length ? html`<ul>${r.value.map((x) => html`<li><a href="/disclosure/requests/${x.id}">${x.refNo}</a> · ${deptName(ctx, dm.get(x.departmentId))} · ${REQ_STATUS[x.status][en(ctx) ? 1 : 0]} · ${x.clock ? clockTag(ctx, x) : x.answeredOn}</li>`)}</ul>` : html`<p>${T(ctx, '您还没有提交过申请。', 'You have not applied yet.')}</p>`}`,
    });
  });

  app.get('/disclosure/answers', async (req, reply) => {
    const [answers, dm] = await Promise.all([svc.publishedAnswers(100), deptMap()]);
    return sendPage(req, reply, {
      title: T(req.ctx, '依申请公开答复', 'Published answers'),
      body: (ctx) => html`<h1>${T(ctx, '已公开的依申请公开答复', 'Published answers to disclosure requests')}</h1>
<p class="hint">${T(ctx, '个人信息已隐去。', 'Personal data removed.')}</p>
${answers.length ? answers.map((a) => html`<section class="card" id="r${a.id}"><h2>${a.refNo} · ${deptName(ctx, dm.get(a.departmentId))}</h2><p>${a.answeredOn ?? ''}</p>${a.text.split(/\n+/).map((p) => html`<p>${p}</p>`)}</section>`) : html`<p>${T(ctx, '暂无。', 'None yet.')}</p>`}`,
    });
  });

  // ------------------------------------------------------------ requests: detail (applicant or staff) and staff list

  app.get<{ Querystring: { open?: string } }>('/disclosure/requests', async (req, reply) => {
    const r = await svc.listRequests(req.ctx.principal, { open: req.query.open !== '0' });
    if (!r.ok) return fail(req, reply, r.error);
    const dm = await deptMap();
    return sendPage(req, reply, {
      title: T(req.ctx, '依申请公开办理', 'Disclosure requests'),
      body: (ctx) => html`<h1>${T(ctx, '依申请公开办理', 'Disclosure requests')}</h1>
<p><a href="?open=${req.query.open === '0' ? '1' : '0'}">${req.query.open === '0' ? T(ctx, '只看未办结', 'Open only') : T(ctx, '包括已答复', 'Include answered')}</a> · <a href="/disclosure/manage">${T(ctx, '主动公开文件管理', 'Published documents')}</a></p>
${r.value.length ? html`<div class="table-wrap"><table><thead><tr><th scope="col">${T(ctx, '编号', 'Ref.')}</th><th scope="col">${T(ctx, '申请人', 'Applicant')}</th><th scope="col">${T(ctx, '受理机关', 'Body')}</th><th scope="col">${T(ctx, '收到日期', 'Received')}</th><th scope="col">${T(ctx, '状态', 'Status')}</th><th scope="col">${T(ctx, '答复期限', 'Due')}</th></tr></thead><tbody>
${r.value.map((x) => html`<tr><td><a href="/disclosure/requests/${x.id}">${x.refNo}</a></td><td>${x.applicantName}</td><td>${deptName(ctx, dm.get(x.departmentId))}</td><td>${x.receivedOn}</td><td>${REQ_STATUS[x.status][en(ctx) ? 1 : 0]}</td><td>${clockTag(ctx, x)}</td></tr>`)}
</tbody></table></div>` : html`<p>${T(ctx, '暂无申请。', 'No requests.')}</p>`}`,
    });
  });

  const DELIVERY: Record<string, [string, string]> = { online: ['网上获取', 'Online'], post: ['邮寄', 'By post'], pickup: ['当面领取', 'Pick up'] };

  const requestPage = (req: FastifyRequest, reply: FastifyReply, x: RequestView, dept: Department | undefined, opts: { errors?: FieldError[]; notice?: string; status?: number; values?: Form } = {}) => {
    const p = req.ctx.principal;
    // A refused form is shown again with what was typed and each message at its field.
    const v = opts.values ?? {};
    const fe = (n: string) => opts.errors?.find((e) => e.field === n);
    const errAttrs = (n: string) => (fe(n) ? html` aria-invalid="true" aria-describedby="${n}-error"` : '');
    const errAt = (n: string) => (fe(n) ? errorMessage(req.ctx.lang, `${n}-error`, fe(n)!) : '');
    const staff = p.kind === 'staff' || p.kind === 'system';
    const roles = p.kind === 'staff' ? p.roles : [];
    const open = x.status !== 'answered';
    return sendPage(req, reply, {
      title: `${T(req.ctx, '依申请公开', 'Disclosure request')} ${x.refNo}`,
      ...(opts.errors ? { errors: opts.errors } : {}), ...(opts.notice ? { notice: opts.notice } : {}), ...(opts.status ? { status: opts.status } : {}),
      body: (ctx) => html`<h1>${T(ctx, '依申请公开', 'Disclosure request')} ${x.refNo}</h1>
<dl class="summary">
<dt>${T(ctx, '申请人', 'Applicant')}</dt><dd>${x.applicantName}（${x.applicantKind === 'company' ? T(ctx, '法人或其他组织', 'organisation') : T(ctx, '公民', 'citizen')}）</dd>
<dt>${T(ctx, '受理机关', 'Body')}</dt><dd>${deptName(ctx, dept)}</dd>
<dt>${T(ctx, '收到日期', 'Received')}</dt><dd>${x.receivedOn}</dd>
<dt>${T(ctx, '状态', 'Status')}</dt><dd>${REQ_STATUS[x.status][en(ctx) ? 1 : 0]}</dd>
<dt>${T(ctx, '答复期限', 'Due')}</dt><dd>${x.clock ? clockTag(ctx, x) : x.answeredOn ?? '—'}${x.extended ? html`（${T(ctx, '已延期', 'extended')}：${x.extensionReason}）` : ''}</dd>
<dt>${T(ctx, '所需信息', 'Information asked for')}</dt><dd>${x.description}</dd>
<dt>${T(ctx, '获取方式', 'Delivery')}</dt><dd>${DELIVERY[x.delivery]?.[en(ctx) ? 1 : 0] ?? x.delivery}</dd>
${x.delivery === 'post' && x.postalAddress ? html`<dt>${T(ctx, '收件地址', 'Postal address')}</dt><dd>${x.postalAddress}${x.postcode ? html`（${T(ctx, '邮编', 'postcode')} ${x.postcode}）` : ''}</dd>` : ''}
${x.pauses.length ? html`<dt>${T(ctx, '补正', 'Clarifications')}</dt><dd><ul>${x.pauses.map((ps) => html`<li>${ps.from} – ${ps.to ?? T(ctx, '至今', 'now')}：${ps.reason}${ps.answer ? html`<br>${T(ctx, '申请人补正', 'Applicant')}：${ps.answer}` : ''}</li>`)}</ul></dd>` : ''}
${x.outcome ? html`<dt>${T(ctx, '答复结果', 'Outcome')}</dt><dd>${OUTCOMES[x.outcome][en(ctx) ? 'en' : 'zh']}${x.legalGround ? html`（${LEGAL_GROUNDS[x.legalGround as keyof typeof LEGAL_GROUNDS] ?? x.legalGround}）` : ''}</dd>
<dt>${T(ctx, '答复内容', 'Answer')}</dt><dd>${(x.answerText ?? '').split(/\n+/).map((t) => html`<p>${t}</p>`)}</dd>` : ''}
${x.answerPublished ? html`<dt>${T(ctx, '公开的答复', 'Published answer')}</dt><dd><a href="/disclosure/answers#r${x.id}">${T(ctx, '查看', 'view')}</a></dd>` : ''}
</dl>
${!staff && x.status === 'clarifying' ? html`<section class="card" aria-labelledby="act-answer-clarify"><h2 id="act-answer-clarify">${T(ctx, '提交补正', 'Send your clarification')}</h2>
<form method="post" action="/disclosure/requests/${x.id}/clarification" novalidate>${csrfField(ctx)}
<div class="field${fe('clarification') ? ' field-error' : ''}"><label for="clarification">${T(ctx, '补正内容', 'Your clarification')}</label>
${errAt('clarification')}
<textarea id="clarification" name="clarification" rows="5" maxlength="5000"${errAttrs('clarification')}>${v.clarification ?? ''}</textarea></div>
<button type="submit">${T(ctx, '提交补正', 'Send')}</button></form></section>` : ''}
${staff && open ? html`
<section class="card" aria-labelledby="act-clarify"><h2 id="act-clarify">${x.status === 'clarifying' ? T(ctx, '申请人已补正', 'The applicant has clarified') : T(ctx, '要求申请人补正', 'Ask the applicant to clarify')}</h2>
<form method="post" action="/disclosure/requests/${x.id}/${x.status === 'clarifying' ? 'clarified' : 'clarify'}">${csrfField(ctx)}
${x.status === 'clarifying' ? '' : field({ lang: ctx.lang, name: 'reason', label: T(ctx, '需要补正的内容', 'What needs clarifying'), value: v.reason, errors: opts.errors })}
<button type="submit" class="secondary">${x.status === 'clarifying' ? T(ctx, '记录补正已收到，恢复计时', 'Record it and restart the clock') : T(ctx, '发出补正通知，暂停计时', 'Send and stop the clock')}</button></form></section>
${!x.extended && roles.includes('dept_head') || p.kind === 'system' ? html`<section class="card" aria-labelledby="act-extend"><h2 id="act-extend">${T(ctx, '延长答复期限（20 个工作日，仅一次）', 'Extend by 20 working days (once)')}</h2>
<form method="post" action="/disclosure/requests/${x.id}/extend">${csrfField(ctx)}${field({ lang: ctx.lang, name: 'extendReason', label: T(ctx, '延期理由', 'Reason'), value: v.extendReason, errors: opts.errors })}<button type="submit" class="secondary">${T(ctx, '延期', 'Extend')}</button></form></section>` : ''}
<section class="card" aria-labelledby="act-answer"><h2 id="act-answer">${T(ctx, '答复', 'Answer')}</h2>
<form method="post" action="/disclosure/requests/${x.id}/answer">${csrfField(ctx)}
<div class="field${fe('outcome') ? ' field-error' : ''}"><label for="outcome">${T(ctx, '答复结果', 'Outcome')}</label>${errAt('outcome')}<select id="outcome" name="outcome"${errAttrs('outcome')}>${Object.entries(OUTCOMES).map(([k, o]) => html`<option value="${k}"${v.outcome === k ? html` selected` : ''}>${en(ctx) ? o.en : o.zh}</option>`)}</select></div>
<div class="field${fe('legalGround') ? ' field-error' : ''}"><label for="legalGround">${T(ctx, '法律依据（不予公开、部分公开时必填）', 'Legal ground (for refusals)')}</label>${errAt('legalGround')}<select id="legalGround" name="legalGround"${errAttrs('legalGround')}><option value="">—</option>${Object.entries(LEGAL_GROUNDS).map(([k, g]) => html`<option value="${k}"${v.legalGround === k ? html` selected` : ''}>${g}</option>`)}</select></div>
<div class="field${fe('answerText') ? ' field-error' : ''}"><label for="answerText">${T(ctx, '答复内容', 'Answer')}</label>${errAt('answerText')}<textarea id="answerText" name="answerText" rows="6" maxlength="20000"${errAttrs('answerText')}>${v.answerText ?? ''}</textarea></div>
<button type="submit">${T(ctx, '答复并办结', 'Answer and close')}</button></form></section>` : ''}
${staff && x.status === 'answered' && !x.answerPublished && (roles.includes('dept_head') || p.kind === 'system') ? html`<form method="post" action="/disclosure/requests/${x.id}/publish" class="card">${csrfField(ctx)}<p>${T(ctx, '公开答复时自动隐去姓名、身份证号、电话和邮箱。', 'Names, ID numbers, phones and e-mails are removed when published.')}</p><button type="submit">${T(ctx, '公开答复', 'Publish the answer')}</button></form>` : ''}
<p><a href="${staff ? '/disclosure/requests' : '/me'}">${T(ctx, '返回', 'Back')}</a></p>`,
    });
  };

  app.get<{ Params: { id: string }; Querystring: { applied?: string; done?: string } }>('/disclosure/requests/:id', async (req, reply) => {
    const r = await svc.request(req.ctx.principal, Number(req.params.id) || 0);
    if (!r.ok) return fail(req, reply, r.error);
    const notice = req.query.applied ? T(req.ctx, `申请已提交，编号 ${r.value.refNo}。`, `Submitted: ${r.value.refNo}.`) : req.query.done ? T(req.ctx, '已保存。', 'Saved.') : undefined;
    return requestPage(req, reply, r.value, await identity.department(r.value.departmentId), notice ? { notice } : {});
  });

  app.post<{ Params: { id: string; action: string }; Body: Form }>('/disclosure/requests/:id/:action', async (req, reply) => {
    const id = Number(req.params.id) || 0;
    const p = req.ctx.principal;
    const b = req.body ?? {};
    const a = req.params.action;
    const r = a === 'clarify' ? await svc.askClarification(p, id, b.reason ?? '')
      : a === 'clarification' ? await svc.submitClarification(p, id, b.clarification ?? '')
      : a === 'clarified' ? await svc.clarificationReceived(p, id)
      : a === 'extend' ? await svc.extend(p, id, b.extendReason ?? '')
      : a === 'answer' ? await svc.answer(p, id, b)
      : a === 'publish' ? await svc.publishAnswer(p, id)
      : undefined;
    if (!r) return fail(req, reply, { kind: 'not_found', code: 'NOT_FOUND', message: '找不到该页面或记录。', messageEn: 'Not found.' });
    if (!r.ok) {
      if (!r.error.fields) return fail(req, reply, r.error);
      const cur = await svc.request(p, id);
      if (!cur.ok) return fail(req, reply, cur.error);
      const errors = r.error.fields.map((f) => (a === 'extend' && f.field === 'reason' ? { ...f, field: 'extendReason' } : f));
      return requestPage(req, reply, cur.value, await identity.department(cur.value.departmentId), { errors, status: 400, values: b });
    }
    return reply.redirect(`/disclosure/requests/${id}?done=1`, 303);
  });

  // ------------------------------------------------------------ staff: documents

  app.get<{ Querystring: { status?: string } }>('/disclosure/manage', async (req, reply) => {
    const status = (['draft', 'review', 'published', 'withdrawn'] as const).filter((s) => s === req.query.status);
    const r = await svc.listForStaff(req.ctx.principal, status.length ? { status } : {});
    if (!r.ok) return fail(req, reply, r.error);
    const dm = await deptMap();
    return sendPage(req, reply, {
      title: T(req.ctx, '公开文件管理', 'Disclosure documents'),
      body: (ctx) => html`<h1>${T(ctx, '公开文件管理', 'Disclosure documents')}</h1>
<p><a class="button" href="/disclosure/manage/new">${T(ctx, '新建文件', 'New document')}</a> <a href="/disclosure/requests">${T(ctx, '依申请公开办理', 'Requests')}</a></p>
<p>${(['', 'draft', 'review', 'published', 'withdrawn'] as const).map((s) => html`<a href="/disclosure/manage${s ? `?status=${s}` : ''}"${(req.query.status ?? '') === s ? html` aria-current="page"` : ''}>${s ? STATUS_NAMES[s][en(ctx) ? 'en' : 'zh'] : T(ctx, '全部', 'All')}</a> `)}</p>
${docTable(ctx, r.value, dm, true)}`,
    });
  });

  app.get('/disclosure/manage/new', async (req, reply) => {
    const p = req.ctx.principal;
    if (p.kind === 'anonymous') return reply.redirect('/login?next=/disclosure/manage/new');
    if (p.kind !== 'staff' || !p.roles.some((r) => r === 'clerk' || r === 'dept_head')) return fail(req, reply, { kind: 'forbidden', code: 'FORBIDDEN', message: '您没有权限进行此操作。', messageEn: 'You are not allowed to do this.' });
    const cats = flatCats(await svc.categoryTree());
    return sendPage(req, reply, { title: T(req.ctx, '新建公开文件', 'New document'), body: (ctx) => html`<h1>${T(ctx, '新建公开文件', 'New document')}</h1>${docForm(ctx, cats, {})}` });
  });

  app.post<{ Body: Form }>('/disclosure/manage/new', { bodyLimit: DOC_FORM_BODY_LIMIT }, async (req, reply) => {
    const b = req.body ?? {};
    const r = await svc.createDocument(req.ctx.principal, { ...b, departmentId: undefined });
    if (!r.ok) {
      if (!r.error.fields) return fail(req, reply, r.error);
      const cats = flatCats(await svc.categoryTree());
      return sendPage(req, reply, { title: T(req.ctx, '新建公开文件', 'New document'), status: 400, errors: r.error.fields, body: (ctx) => html`<h1>${T(ctx, '新建公开文件', 'New document')}</h1>${docForm(ctx, cats, b, r.error.fields)}` });
    }
    return reply.redirect(`/disclosure/manage/${r.value.id}?done=1`, 303);
  });

  app.get<{ Params: { id: string }; Querystring: { done?: string } }>('/disclosure/manage/:id', async (req, reply) => {
    const r = await svc.staffDocument(req.ctx.principal, Number(req.params.id) || 0);
    if (!r.ok) return fail(req, reply, r.error);
    const d = r.value;
    const p = req.ctx.principal;
    const head = p.kind === 'system' || (p.kind === 'staff' && p.roles.includes('dept_head'));
    const editor = head || (p.kind === 'staff' && p.roles.includes('clerk'));
    const cats = d.status === 'draft' ? flatCats(await svc.categoryTree()) : [];
    return sendPage(req, reply, {
      title: d.title, ...(req.query.done ? { notice: T(req.ctx, '已保存。', 'Saved.') } : {}),
      body: (ctx) => html`<p><a href="/disclosure/manage">${T(ctx, '公开文件管理', 'Documents')}</a></p>
<h1>${d.title} ${statusTag(ctx, d.status)}</h1>
<dl class="summary"><dt>${T(ctx, '索引号', 'Index number')}</dt><dd>${d.indexNo}</dd><dt>${T(ctx, '发布机构', 'Issued by')}</dt><dd>${d.issuer}</dd><dt>${T(ctx, '成文日期', 'Date')}</dt><dd>${d.issuedOn}</dd>
${d.reviewNote ? html`<dt>${T(ctx, '审核意见', 'Review note')}</dt><dd>${d.reviewNote}</dd>` : ''}${d.withdrawnReason ? html`<dt>${T(ctx, '撤回理由', 'Withdrawal reason')}</dt><dd>${d.withdrawnReason}</dd>` : ''}</dl>
<div class="doc-body">${d.body.split(/\n+/).map((para) => html`<p>${para}</p>`)}</div>
${d.status === 'draft' && editor ? html`<form method="post" action="/disclosure/manage/${d.id}/submit" class="card">${csrfField(ctx)}<button type="submit">${T(ctx, '提交审核', 'Send for review')}</button></form>
<details><summary>${T(ctx, '修改草稿', 'Edit the draft')}</summary>${docForm(ctx, cats, formValues(d), undefined, `/disclosure/manage/${d.id}/edit`)}</details>` : ''}
${d.status === 'review' && head ? html`<form method="post" action="/disclosure/manage/${d.id}/publish" class="card">${csrfField(ctx)}<button type="submit">${T(ctx, '审核通过并发布', 'Approve and publish')}</button></form>
<form method="post" action="/disclosure/manage/${d.id}/reject" class="card">${csrfField(ctx)}${field({ lang: ctx.lang, name: 'reason', label: T(ctx, '退回理由', 'Reason for sending back') })}<button type="submit" class="secondary">${T(ctx, '退回修改', 'Send back')}</button></form>` : ''}
${d.status === 'published' && head ? html`<form method="post" action="/disclosure/manage/${d.id}/withdraw" class="card">${csrfField(ctx)}${field({ lang: ctx.lang, name: 'reason', label: T(ctx, '撤回理由（将公开显示）', 'Reason for withdrawal (shown publicly)') })}<button type="submit" class="secondary">${T(ctx, '撤回', 'Withdraw')}</button></form>` : ''}
${d.status === 'published' || d.status === 'withdrawn' ? html`<p><a href="/disclosure/doc/${d.id}">${T(ctx, '查看公开页面', 'Public page')}</a></p>` : ''}`,
    });
  });

  app.post<{ Params: { id: string; action: string }; Body: Form }>('/disclosure/manage/:id/:action', { bodyLimit: DOC_FORM_BODY_LIMIT }, async (req, reply) => {
    const id = Number(req.params.id) || 0;
    const p = req.ctx.principal;
    const reason = req.body?.reason ?? '';
    const a = req.params.action;
    if (a === 'edit') {
      const b = req.body ?? {};
      const u = await svc.updateDocument(p, id, b);
      if (u.ok) return reply.redirect(`/disclosure/manage/${id}?done=1`, 303);
      if (!u.error.fields) return fail(req, reply, u.error);
      const cats = flatCats(await svc.categoryTree());
      return sendPage(req, reply, { title: T(req.ctx, '修改草稿', 'Edit the draft'), status: 400, errors: u.error.fields, body: (ctx) => html`<h1>${T(ctx, '修改草稿', 'Edit the draft')}</h1>${docForm(ctx, cats, b, u.error.fields, `/disclosure/manage/${id}/edit`)}` });
    }
    const r = a === 'submit' ? await svc.submit(p, id) : a === 'publish' ? await svc.publish(p, id) : a === 'reject' ? await svc.reject(p, id, reason) : a === 'withdraw' ? await svc.withdraw(p, id, reason) : undefined;
    if (!r) return fail(req, reply, { kind: 'not_found', code: 'NOT_FOUND', message: '找不到该页面或记录。', messageEn: 'Not found.' });
    if (!r.ok) {
      const e = r.error.fields?.[0];
      return fail(req, reply, e ? { ...r.error, message: e.message, messageEn: e.messageEn ?? r.error.messageEn } : r.error);
    }
    return reply.redirect(`/disclosure/manage/${id}?done=1`, 303);
  });
}
