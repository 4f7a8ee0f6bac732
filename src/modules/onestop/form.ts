import { chinaDate, isValidDate } from '../../lib/calendar/date.ts';
import { validateEmail, validateIdNumber, validateMobile, validateUscc } from '../../lib/cn/index.ts';
import { fieldMessage, type FieldError } from '../../lib/errors.ts';
import { html, type Html } from '../../web/html.ts';
import type { Lang } from '../../web/i18n.ts';

/**
 * Online forms as data: a JSON Schema subset (one flat object of string, integer, number and boolean properties with
 * enum, length, pattern, range and a few Chinese formats) plus a layout (sections, labels, widgets). The server
 * validates with `validateFormData` and renders accessible HTML with `renderForm`; nothing runs in the browser.
 */
export type FieldFormat = 'date' | 'cn-id' | 'cn-mobile' | 'email' | 'cn-uscc';

export interface FieldSchema {
  type: 'string' | 'integer' | 'number' | 'boolean';
  enum?: string[];
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: FieldFormat;
  minimum?: number;
  maximum?: number;
  /**
   * Which detail of the signed-in citizen's account fills this field when the apply form is first shown: 'name' (the
   * real name), 'idNumber' (the citizen ID number, in full) or 'phone' (the account's mobile number). Only string
   * fields; the citizen can change the value before submitting.
   */
  'x-prefill'?: PrefillSource;
  /**
   * Only for `format: 'date'`: the date may not be later than today in China (UTC+8), e.g. a date of birth or the
   * day a residence was registered. A later date is refused with 不能晚于今天 / cannot be later than today.
   */
  'x-not-after-today'?: boolean;
}

export type PrefillSource = 'name' | 'idNumber' | 'phone';
const PREFILL_SOURCES: readonly string[] = ['name', 'idNumber', 'phone'] satisfies PrefillSource[];

/** What the platform holds about the applicant, for `prefillValues` (null when the account has no such detail). */
export interface ApplicantProfile {
  name: string | null;
  idNumber: string | null;
  phone: string | null;
}

export interface FormSchema {
  type: 'object';
  properties: Record<string, FieldSchema>;
  required?: string[];
  additionalProperties?: false;
}

export type Widget = 'text' | 'textarea' | 'select' | 'radio' | 'date' | 'checkbox' | 'tel' | 'number';

export interface LayoutField {
  key: string;
  label: string;
  labelEn?: string;
  hint?: string;
  hintEn?: string;
  widget?: Widget;
  /** Labels for enum values, in the schema's order. */
  options?: string[];
  /** English labels for enum values, in the schema's order (English pages; without them the Chinese `options`). */
  optionsEn?: string[];
  autocomplete?: string;
}

export interface LayoutSection {
  title: string;
  titleEn?: string;
  fields: LayoutField[];
}

export interface FormDefinition {
  schema: FormSchema;
  layout: LayoutSection[];
}

export type FormValue = string | number | boolean;

const KEY_RE = /^[a-zA-Z][a-zA-Z0-9_]{0,39}$/;

const TYPES = ['string', 'integer', 'number', 'boolean'];
const FORMATS = ['date', 'cn-id', 'cn-mobile', 'email', 'cn-uscc'];

/**
 * Structural problems of a form definition (empty when usable): every layout key in the schema and vice versa. The
 * messages are Chinese (staff see them on the item-edit page and in the API's field errors) and keep the JSON names
 * (schema, layout, required, the field keys) so the definition can be found and corrected.
 */
export function checkFormDefinition(def: unknown): string[] {
  const problems: string[] = [];
  if (!def || typeof def !== 'object' || Array.isArray(def)) return ['表单定义应为包含 schema 和 layout 的 JSON 对象。'];
  const d = def as Partial<FormDefinition>;
  const props = d.schema?.properties;
  if (!d.schema || d.schema.type !== 'object' || !props || typeof props !== 'object' || Array.isArray(props)) return ['schema 应为 {"type": "object", "properties": {…}}。'];
  if (!Array.isArray(d.layout)) return ['layout 应为分组（section）的数组。'];
  const keys = Object.keys(props);
  if (keys.length > 80) problems.push(`表单最多 80 个字段（现有 ${keys.length} 个）。`);
  for (const k of keys) {
    const f = props[k] as FieldSchema | null | undefined;
    if (!KEY_RE.test(k)) problems.push(`字段名 ${k} 不合规：须以字母开头，由字母、数字或下划线组成，最多 40 位。`);
    if (!f || typeof f !== 'object') {
      problems.push(`字段 ${k}：定义应为对象，如 {"type": "string"}。`);
      continue;
    }
    if (!TYPES.includes(f.type)) problems.push(`字段 ${k}：不支持的类型 ${String(f.type)}（可用 string、integer、number、boolean）。`);
    if (f.pattern !== undefined) {
      try {
        new RegExp(f.pattern, 'u');
      } catch {
        problems.push(`字段 ${k}：pattern 不是有效的正则表达式。`);
      }
    }
    if (f.format !== undefined && !FORMATS.includes(f.format)) problems.push(`字段 ${k}：未知的格式 ${String(f.format)}（可用 ${FORMATS.join('、')}）。`);
    const pre = f['x-prefill'];
    if (pre !== undefined && (!PREFILL_SOURCES.includes(pre) || f.type !== 'string' || f.enum)) {
      problems.push(`字段 ${k}：x-prefill 只能用于无 enum 的 string 字段，取值为 ${PREFILL_SOURCES.join('、')}。`);
    }
    const past = f['x-not-after-today'];
    if (past !== undefined && (typeof past !== 'boolean' || f.format !== 'date')) {
      problems.push(`字段 ${k}：x-not-after-today 只能用于 format 为 date 的字段，取值为 true 或 false。`);
    }
  }
  const required: unknown = d.schema.required ?? [];
  if (!Array.isArray(required)) problems.push('required 应为字段名的数组。');
  else for (const r of required) if (typeof r !== 'string' || !Object.hasOwn(props, r)) problems.push(`required 中的字段 ${String(r)} 不在 schema 的 properties 中。`);
  const placed = new Set<string>();
  for (const s of d.layout) {
    if (!s || typeof s.title !== 'string' || !Array.isArray(s.fields)) {
      problems.push('layout 的每个分组都须有 title 和 fields。');
      continue;
    }
    for (const f of s.fields as (LayoutField | null | undefined)[]) {
      if (!f || typeof f !== 'object' || typeof f.key !== 'string') {
        problems.push(`分组“${s.title}”中有字段缺少 key。`);
        continue;
      }
      if (!Object.hasOwn(props, f.key)) problems.push(`layout 中的字段 ${f.key} 不在 schema 中。`);
      if (placed.has(f.key)) problems.push(`layout 中字段 ${f.key} 出现了两次。`);
      placed.add(f.key);
      if (typeof f.label !== 'string' || !f.label) problems.push(`字段 ${f.key}：缺少 label（显示名称）。`);
      const enumLen = Object.hasOwn(props, f.key) ? props[f.key]?.enum?.length : undefined;
      if (f.options && enumLen !== f.options.length) problems.push(`字段 ${f.key}：options 须为 enum 的每个取值各给一个名称。`);
      if (f.optionsEn !== undefined && (!Array.isArray(f.optionsEn) || enumLen !== f.optionsEn.length || !f.optionsEn.every((o) => typeof o === 'string' && o !== ''))) problems.push(`字段 ${f.key}：optionsEn 须为 enum 的每个取值各给一个英文名称。`);
    }
  }
  for (const k of keys) if (!placed.has(k)) problems.push(`schema 中的字段 ${k} 不在 layout 中。`);
  return problems;
}

function layoutOf(def: FormDefinition, key: string): LayoutField | undefined {
  for (const s of def.layout) for (const f of s.fields) if (f.key === key) return f;
  return undefined;
}

/**
 * The values a new application starts with: each field annotated with `x-prefill` gets that detail of the applicant's
 * account (fields whose detail the account lacks stay empty). Only for the first showing of the form; a form shown
 * again after a failed submission keeps what the citizen typed.
 */
export function prefillValues(def: FormDefinition, profile: ApplicantProfile): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, f] of Object.entries(def.schema.properties)) {
    const src = f['x-prefill'];
    if (src === undefined || f.type !== 'string' || !PREFILL_SOURCES.includes(src)) continue;
    const v = profile[src];
    if (v) out[key] = v;
  }
  return out;
}

/**
 * Validates and coerces submitted values (HTML form strings or JSON values). With `partial` (saving a draft) missing
 * required fields are allowed but present values must still be well formed. Unknown keys are dropped. Returns every
 * field error at once, in layout order, each with a Chinese message naming the field by its label and an English one
 * (`messageEn`) naming it by `labelEn` (the Chinese label where the definition has no English one).
 */
export function validateFormData(
  def: FormDefinition,
  raw: Record<string, unknown>,
  opts: { partial?: boolean; today?: string } = {},
): { ok: true; value: Record<string, FormValue> } | { ok: false; fields: FieldError[]; value: Record<string, FormValue> } {
  const fields: FieldError[] = [];
  const value: Record<string, FormValue> = {};
  const required = new Set(def.schema.required ?? []);
  for (const [key, f] of Object.entries(def.schema.properties)) {
    const lf = layoutOf(def, key);
    const label = lf?.label ?? key;
    // English messages name the field by its English label; a definition without one gives the Chinese label (the
    // English page shows that label too).
    const en = lf?.labelEn || label;
    const fail = (zh: string, english: string) => fields.push({ field: key, message: zh, messageEn: english });
    let v = raw[key];
    if (Array.isArray(v)) v = v[v.length - 1];
    if (typeof v === 'string') v = v.trim();
    if (f.type === 'boolean') {
      const b = v === true || v === 'true' || v === 'on' || v === '1';
      if (v !== undefined && v !== '' && !b && v !== false && v !== 'false' && v !== '0') {
        fail(`${label}：请选择是或否。`, `${en}: choose yes or no.`);
        continue;
      }
      if (!b && required.has(key) && !opts.partial) fail(`请确认：${label}`, `Please confirm: ${en}`);
      value[key] = b;
      continue;
    }
    if (v === undefined || v === null || v === '') {
      // A choice (select or radio group) is chosen, not typed.
      const choice = !!f.enum || lf?.widget === 'select' || lf?.widget === 'radio';
      if (required.has(key) && !opts.partial) fail(`${choice ? '请选择' : '请填写'}${label}。`, `${choice ? 'Choose' : 'Enter'} ${en}.`);
      continue;
    }
    if (typeof v === 'object') {
      fail(`${label}格式不正确。`, `${en}: not in the right form.`);
      continue;
    }
    const s = String(v);
    if (f.type === 'integer' || f.type === 'number') {
      const n = Number(s);
      if (s.length > 30 || !Number.isFinite(n) || (f.type === 'integer' && !Number.isInteger(n))) {
        fail(`${label}应为${f.type === 'integer' ? '整数' : '数字'}。`, `${en}: enter a ${f.type === 'integer' ? 'whole number' : 'number'}.`);
        continue;
      }
      if (f.minimum !== undefined && n < f.minimum) fail(`${label}不能小于 ${f.minimum}。`, `${en}: at least ${f.minimum}.`);
      else if (f.maximum !== undefined && n > f.maximum) fail(`${label}不能大于 ${f.maximum}。`, `${en}: at most ${f.maximum}.`);
      else value[key] = n;
      continue;
    }
    const len = [...s].length;
    if (f.enum && !f.enum.includes(s)) {
      fail(`请从列表中选择${label}。`, `${en}: choose one from the list.`);
      continue;
    }
    if (f.maxLength !== undefined && len > f.maxLength) {
      fail(`${label}不能超过 ${f.maxLength} 个字。`, `${en}: at most ${f.maxLength} characters.`);
      continue;
    }
    if (f.minLength !== undefined && len < f.minLength) {
      fail(`${label}至少 ${f.minLength} 个字。`, `${en}: at least ${f.minLength} characters.`);
      continue;
    }
    if (f.pattern !== undefined && !new RegExp(f.pattern, 'u').test(s)) {
      fail(`${label}格式不正确。`, `${en}: not in the right form.`);
      continue;
    }
    let normalized = s;
    if (f.format === 'date') {
      if (!isValidDate(s)) {
        fail(`${label}应为有效日期（如 2026-01-31）。`, `${en}: enter a real date (e.g. 2026-01-31).`);
        continue;
      }
      if (f['x-not-after-today'] === true && s > (opts.today ?? chinaDate(new Date()))) {
        fail(`${label}不能晚于今天。`, `${en}: cannot be later than today.`);
        continue;
      }
    } else if (f.format === 'cn-id') {
      const r = validateIdNumber(s, { today: opts.today ?? chinaDate(new Date()) });
      if (!r.ok) {
        fail(`${label}：${r.message}`, `${en}: not a valid resident ID number (18 characters, the last may be X).`);
        continue;
      }
      normalized = r.normalized;
    } else if (f.format === 'cn-mobile') {
      const r = validateMobile(s);
      if (!r.ok) {
        fail(`${label}：${r.message}`, `${en}: not a mainland mobile number (11 digits, starting with 1).`);
        continue;
      }
      normalized = r.normalized;
    } else if (f.format === 'email') {
      const r = validateEmail(s);
      if (!r.ok) {
        fail(`${label}：${r.message}`, `${en}: not a valid e-mail address.`);
        continue;
      }
      normalized = r.normalized;
    } else if (f.format === 'cn-uscc') {
      const r = validateUscc(s);
      if (!r.ok) {
        fail(`${label}：${r.message}`, `${en}: not a valid unified social credit code (18 characters).`);
        continue;
      }
      normalized = r.normalized;
    }
    value[key] = normalized;
  }
  if (fields.length) return { ok: false, fields, value };
  return { ok: true, value };
}

const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

/**
 * The label of the i-th enum value in the reader's language: `optionsEn` on English pages where the definition has
 * it, else the Chinese `options`; the stored code only when the definition names the value in neither.
 */
export function optionLabel(lf: LayoutField, i: number, code: string, lang: Lang): string {
  return (lang === 'en' ? lf.optionsEn?.[i] : undefined) || lf.options?.[i] || code;
}

/** Renders the form's fields as labelled, accessible controls (hint and error wired with aria-describedby). */
export function renderForm(def: FormDefinition, values: Record<string, unknown>, errors: readonly FieldError[] | undefined, lang: Lang): Html {
  const en = lang === 'en';
  const required = new Set(def.schema.required ?? []);
  return html`${def.layout.map(
    (s) => html`<fieldset class="card"><legend>${en && s.titleEn ? s.titleEn : s.title}</legend>
${s.fields.map((lf) => {
  const f = def.schema.properties[lf.key];
  if (!f) return '';
  const id = `f_${lf.key}`;
  const label = en && lf.labelEn ? lf.labelEn : lf.label;
  const hint = en && lf.hintEn ? lf.hintEn : lf.hint;
  const err = errors?.find((e) => e.field === lf.key);
  const req = required.has(lf.key);
  const describedBy = [hint ? `${id}-hint` : '', err ? `${id}-error` : ''].filter(Boolean).join(' ');
  const aria = html`${describedBy ? html` aria-describedby="${describedBy}"` : ''}${err ? html` aria-invalid="true"` : ''}${req ? html` required aria-required="true"` : ''}`;
  const widget: Widget = lf.widget ?? (f.type === 'boolean' ? 'checkbox' : f.enum ? 'select' : f.format === 'date' ? 'date' : f.format === 'cn-mobile' ? 'tel' : f.type === 'string' ? 'text' : 'number');
  const value = str(values[lf.key]);
  const reqMark = req ? html`<span class="req" aria-hidden="true"> *</span>` : '';
  const hintHtml = hint ? html`<p class="hint" id="${id}-hint">${hint}</p>` : '';
  const errHtml = err ? html`<p class="error-message" id="${id}-error"><span class="visually-hidden">${en ? 'Error: ' : '错误：'}</span>${fieldMessage(err, lang)}</p>` : '';
  if (widget === 'radio' && f.enum) {
    const groupAria = html`${describedBy ? html` aria-describedby="${describedBy}"` : ''}${err ? html` aria-invalid="true"` : ''}`;
    // The first radio carries the field's id: the error summary's link (#key) focuses it, as for any other field.
    return html`<div class="field${err ? ' field-error' : ''}"><fieldset${groupAria}><legend>${label}${reqMark}</legend>${hintHtml}${errHtml}
${f.enum.map((opt, i) => html`<label class="choice"><input type="radio"${i === 0 ? html` id="${lf.key}"` : ''} name="${lf.key}" value="${opt}"${value === opt ? html` checked` : ''}${req && i === 0 ? html` required` : ''}> ${optionLabel(lf, i, opt, lang)}</label>`)}
</fieldset></div>`;
  }
  if (widget === 'checkbox') {
    return html`<div class="field${err ? ' field-error' : ''}">${hintHtml}${errHtml}<label class="choice" for="${lf.key}"><input type="checkbox" id="${lf.key}" name="${lf.key}" value="true"${value === 'true' ? html` checked` : ''}${aria}> ${label}${reqMark}</label></div>`;
  }
  let control: Html;
  if (widget === 'select' && f.enum) {
    control = html`<select id="${lf.key}" name="${lf.key}"${aria}><option value="">${en ? '— choose —' : '— 请选择 —'}</option>${f.enum.map((opt, i) => html`<option value="${opt}"${value === opt ? html` selected` : ''}>${optionLabel(lf, i, opt, lang)}</option>`)}</select>`;
  } else if (widget === 'textarea') {
    control = html`<textarea id="${lf.key}" name="${lf.key}" rows="4"${f.maxLength ? html` maxlength="${f.maxLength}"` : ''}${aria}>${value}</textarea>`;
  } else {
    const type = widget === 'date' ? 'date' : widget === 'tel' ? 'tel' : widget === 'number' ? 'text' : 'text';
    const inputmode = widget === 'tel' ? 'tel' : widget === 'number' ? 'numeric' : '';
    control = html`<input id="${lf.key}" name="${lf.key}" type="${type}" value="${value}"${inputmode ? html` inputmode="${inputmode}"` : ''}${f.maxLength ? html` maxlength="${f.maxLength}"` : ''}${lf.autocomplete ? html` autocomplete="${lf.autocomplete}"` : ''}${aria}>`;
  }
  return html`<div class="field${err ? ' field-error' : ''}"><label for="${lf.key}">${label}${reqMark}</label>${hintHtml}${errHtml}${control}</div>`;
})}
</fieldset>`,
  )}`;
}

/** The display text of a stored value (enum labels, 是/否). */
export function displayValue(def: FormDefinition, key: string, v: unknown, lang: Lang): string {
  const f = def.schema.properties[key];
  if (v === undefined || v === null || v === '') return '—';
  if (f?.type === 'boolean') return v === true ? (lang === 'en' ? 'Yes' : '是') : lang === 'en' ? 'No' : '否';
  if (f?.enum) {
    const i = f.enum.indexOf(String(v));
    for (const s of def.layout) for (const lf of s.fields) if (lf.key === key && i >= 0) return optionLabel(lf, i, String(v), lang);
  }
  return String(v);
}

/** Layout labels by key (for showing a case's data). */
export function formLabels(def: FormDefinition, lang: Lang): { key: string; label: string }[] {
  return def.layout.flatMap((s) => s.fields.map((f) => ({ key: f.key, label: lang === 'en' && f.labelEn ? f.labelEn : f.label })));
}
