import { describe, expect, it } from 'vitest';
import { checkFormDefinition, displayValue, prefillValues, renderForm, validateFormData, type FormDefinition } from './form.ts';
import { GUIDES } from './guides.ts';
import { parseMaterialLines } from './manage.pages.ts';
import { safeFileName, sniffMime } from '../../lib/files.ts';
import { materialTypes, parseTypes, typesText } from './uploads.ts';

const def: FormDefinition = {
  schema: {
    type: 'object',
    properties: {
      name: { type: 'string', minLength: 2, maxLength: 5 },
      id: { type: 'string', format: 'cn-id' },
      kind: { type: 'string', enum: ['a', 'b'] },
      n: { type: 'integer', minimum: 1, maximum: 9 },
      day: { type: 'string', format: 'date' },
      ok: { type: 'boolean' },
      code: { type: 'string', pattern: '^\\d{3}$' },
    },
    required: ['name', 'id', 'kind', 'ok'],
  },
  layout: [{ title: '信息', fields: [
    { key: 'name', label: '姓名' }, { key: 'id', label: '身份证号', hint: '18 位' }, { key: 'kind', label: '类别', widget: 'radio', options: ['甲', '乙'] },
    { key: 'n', label: '人数' }, { key: 'day', label: '日期' }, { key: 'ok', label: '同意' }, { key: 'code', label: '代码' },
  ] }],
};

describe('form definitions', () => {
  it('accepts the ten shipped guides, with at least three in A-HRSS', () => {
    expect(GUIDES).toHaveLength(10);
    for (const g of GUIDES) expect(checkFormDefinition(g.form), g.name).toEqual([]);
    expect(GUIDES.filter((g) => g.departmentCode === 'A-HRSS').length).toBeGreaterThanOrEqual(3);
    expect(new Set(GUIDES.map((g) => g.code)).size).toBe(10);
  });

  it('finds layout and schema disagreements', () => {
    const bad = { schema: { type: 'object', properties: { a: { type: 'string' }, b: { type: 'date' } }, required: ['c'] }, layout: [{ title: 'x', fields: [{ key: 'a', label: 'A' }, { key: 'z', label: 'Z' }] }] };
    const problems = checkFormDefinition(bad);
    expect(problems).toEqual([
      '字段 b：不支持的类型 date（可用 string、integer、number、boolean）。',
      'required 中的字段 c 不在 schema 的 properties 中。',
      'layout 中的字段 z 不在 schema 中。',
      'schema 中的字段 b 不在 layout 中。',
    ]);
  });

  it('says every problem in Chinese, naming the JSON key, and does not throw on null entries', () => {
    expect(checkFormDefinition(null)).toEqual(['表单定义应为包含 schema 和 layout 的 JSON 对象。']);
    expect(checkFormDefinition({ schema: { type: 'array' }, layout: [] })).toEqual(['schema 应为 {"type": "object", "properties": {…}}。']);
    expect(checkFormDefinition({ schema: { type: 'object', properties: {} }, layout: {} })).toEqual(['layout 应为分组（section）的数组。']);
    const bad = {
      schema: { type: 'object', properties: { '1x': { type: 'string' }, n: null, p: { type: 'string', pattern: '(' }, e: { type: 'string', format: 'phone', enum: ['a', 'b'] } }, required: ['toString'] },
      layout: [{ title: '信息', fields: [null, { key: 'p', label: '' }, { key: 'p', label: 'P' }, { key: 'e', label: 'E', options: ['甲'] }] }, { fields: [] }],
    };
    const problems = checkFormDefinition(bad);
    expect(problems).toEqual([
      '字段名 1x 不合规：须以字母开头，由字母、数字或下划线组成，最多 40 位。',
      '字段 n：定义应为对象，如 {"type": "string"}。',
      '字段 p：pattern 不是有效的正则表达式。',
      '字段 e：未知的格式 phone（可用 date、cn-id、cn-mobile、email、cn-uscc）。',
      'required 中的字段 toString 不在 schema 的 properties 中。',
      '分组“信息”中有字段缺少 key。',
      '字段 p：缺少 label（显示名称）。',
      'layout 中字段 p 出现了两次。',
      '字段 e：options 须为 enum 的每个取值各给一个名称。',
      'layout 的每个分组都须有 title 和 fields。',
      'schema 中的字段 1x 不在 layout 中。',
      'schema 中的字段 n 不在 layout 中。',
    ]);
    for (const m of problems) expect(m).not.toMatch(/\b(is not|must|bad|missing|twice|unsupported|unknown)\b/);
  });
});

describe('validateFormData', () => {
  it('coerces HTML strings and reports every error at once, by field', () => {
    const r = validateFormData(def, { name: 'x', id: '110101199003070012', kind: 'c', n: '1.5', day: '2025-02-30', code: '12a' }, { today: '2026-01-01' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.fields.map((f) => f.field)).toEqual(['name', 'id', 'kind', 'n', 'day', 'ok', 'code']);
  });

  it('returns typed values for good input', () => {
    const r = validateFormData(def, { name: ' 张三 ', id: '110101199003070011', kind: 'b', n: '3', day: '2026-01-31', ok: 'true', extra: 'dropped' }, { today: '2026-02-01' });
    expect(r).toEqual({ ok: true, value: { name: '张三', id: '110101199003070011', kind: 'b', n: 3, day: '2026-01-31', ok: true } });
  });

  it('asks to choose (请选择) a missing radio group or select, and to fill in (请填写) a missing text field', () => {
    const withSelect: FormDefinition = {
      schema: { type: 'object', properties: { sel: { type: 'string', enum: ['x', 'y'] }, ...def.schema.properties }, required: ['sel', ...(def.schema.required ?? [])] },
      layout: [{ title: '信息', fields: [{ key: 'sel', label: '方式', widget: 'select', options: ['X', 'Y'] }, ...def.layout[0]!.fields] }],
    };
    const r = validateFormData(withSelect, { ok: 'true' }, { today: '2026-01-01' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.fields.map(({ field, message }) => ({ field, message }))).toEqual([
      { field: 'sel', message: '请选择方式。' },
      { field: 'name', message: '请填写姓名。' },
      { field: 'id', message: '请填写身份证号。' },
      { field: 'kind', message: '请选择类别。' },
    ]);
  });

  it('gives every message an English form naming the field by labelEn, or by its Chinese label when it has none', () => {
    const bilingual: FormDefinition = {
      schema: def.schema,
      layout: [{ title: '信息', titleEn: 'Details', fields: def.layout[0]!.fields.map((f) => (f.key === 'name' ? { ...f, labelEn: 'Full name' } : f.key === 'code' ? { ...f, labelEn: 'Code' } : f)) }],
    };
    const missing = validateFormData(bilingual, {}, { today: '2026-01-01' });
    if (missing.ok) throw new Error('should fail');
    expect(missing.fields).toEqual([
      { field: 'name', message: '请填写姓名。', messageEn: 'Enter Full name.' },
      { field: 'id', message: '请填写身份证号。', messageEn: 'Enter 身份证号.' }, // no labelEn: the Chinese label
      { field: 'kind', message: '请选择类别。', messageEn: 'Choose 类别.' },
      { field: 'ok', message: '请确认：同意', messageEn: 'Please confirm: 同意' },
    ]);
    const bad = validateFormData(bilingual, { name: 'x', id: '110101199003070012', kind: 'c', n: '1.5', day: '2025-02-30', ok: 'maybe', code: '12a' }, { today: '2026-01-01' });
    if (bad.ok) throw new Error('should fail');
    expect(Object.fromEntries(bad.fields.map((f) => [f.field, f.messageEn]))).toEqual({
      name: 'Full name: at least 2 characters.',
      id: '身份证号: not a valid resident ID number (18 characters, the last may be X).',
      kind: '类别: choose one from the list.',
      n: '人数: enter a whole number.',
      day: '日期: enter a real date (e.g. 2026-01-31).',
      ok: '同意: choose yes or no.',
      code: 'Code: not in the right form.',
    });
    // No Chinese in an English message whose field has an English label.
    for (const f of bad.fields.filter((x) => ['name', 'code'].includes(x.field))) expect(f.messageEn).not.toMatch(/\p{Script=Han}/u);
  });

  it('lets drafts miss required fields but not break formats', () => {
    expect(validateFormData(def, { name: '张三' }, { partial: true }).ok).toBe(true);
    expect(validateFormData(def, { n: '99' }, { partial: true }).ok).toBe(false);
  });

  it('refuses a date later than today (China day) on a field marked x-not-after-today, drafts too', () => {
    const past: FormDefinition = {
      schema: { type: 'object', properties: { born: { type: 'string', format: 'date', 'x-not-after-today': true }, any: { type: 'string', format: 'date' } } },
      layout: [{ title: '信息', fields: [{ key: 'born', label: '出生日期', labelEn: 'Date of birth' }, { key: 'any', label: '预约日期' }] }],
    };
    expect(validateFormData(past, { born: '2026-03-01', any: '2030-01-01' }, { today: '2026-03-01' }).ok).toBe(true);
    for (const partial of [false, true]) {
      const r = validateFormData(past, { born: '2026-03-02', any: '2030-01-01' }, { today: '2026-03-01', partial });
      expect(r.ok ? [] : r.fields).toEqual([{ field: 'born', message: '出生日期不能晚于今天。', messageEn: 'Date of birth: cannot be later than today.' }]);
    }
  });

  it('marks the date of birth and the residence registration day of the shipped guides x-not-after-today, and only on date fields', () => {
    const marked = GUIDES.flatMap((g) => Object.entries(g.form.schema.properties).filter(([, f]) => f['x-not-after-today']).map(([k]) => `${g.code}.${k}`));
    expect(marked).toEqual(expect.arrayContaining(['A-512B0011200070.since', 'A-YJS-BIRTH.birthDate']));
    const bad = { schema: { type: 'object', properties: { a: { type: 'string', 'x-not-after-today': true } } }, layout: [{ title: 'x', fields: [{ key: 'a', label: 'A' }] }] };
    expect(checkFormDefinition(bad)).toEqual(['字段 a：x-not-after-today 只能用于 format 为 date 的字段，取值为 true 或 false。']);
  });
});

describe('renderForm', () => {
  it('labels every control and wires hints and errors for screen readers, escaping values', () => {
    const out = renderForm(def, { name: '<b>x</b>', kind: 'b' }, [{ field: 'name', message: '太短' }], 'zh-CN').value;
    expect(out).toContain('<label for="name">姓名');
    expect(out).toContain('aria-describedby="f_name-error"');
    expect(out).toContain('aria-invalid="true"');
    expect(out).toContain('&lt;b&gt;x&lt;/b&gt;');
    expect(out).toMatch(/<legend>类别/);
    expect(out).toMatch(/value="b" checked/);
    expect(out).toContain('id="f_id-hint"');
  });

  it('shows a field error in the reader\'s language: English where there is one, else the Chinese', () => {
    const errors = [{ field: 'name', message: '请填写姓名。', messageEn: 'Enter Full name.' }, { field: 'code', message: '代码格式不正确。' }];
    const en = renderForm(def, {}, errors, 'en').value;
    expect(en).toContain('<span class="visually-hidden">Error: </span>Enter Full name.</p>');
    expect(en).toContain('<span class="visually-hidden">Error: </span>代码格式不正确。</p>');
    const zh = renderForm(def, {}, errors, 'zh-CN').value;
    expect(zh).toContain('<span class="visually-hidden">错误：</span>请填写姓名。</p>');
    expect(zh).not.toContain('Enter Full name.');
  });
});

describe('option labels in the reader\'s language', () => {
  const opts: FormDefinition = {
    schema: { type: 'object', properties: { sex: { type: 'string', enum: ['M', 'F'] }, grade: { type: 'string', enum: ['1', '2'] }, raw: { type: 'string', enum: ['x1', 'x2'] } } },
    layout: [{ title: '信息', fields: [
      { key: 'sex', label: '性别', widget: 'radio', options: ['男', '女'], optionsEn: ['Male', 'Female'] },
      { key: 'grade', label: '等级', widget: 'select', options: ['一级', '二级'] },
      { key: 'raw', label: '代码', widget: 'select' },
    ] }],
  };
  it('English labels on English pages, the Chinese ones where the definition has no English, the code only when it names neither', () => {
    const en = renderForm(opts, { sex: 'F' }, undefined, 'en').value;
    expect(en).toContain('<input type="radio" name="sex" value="F" checked> Female</label>');
    expect(en).toContain('<option value="1">一级</option>');
    expect(en).toContain('<option value="x1">x1</option>');
    const zh = renderForm(opts, {}, undefined, 'zh-CN').value;
    expect(zh).toContain('value="M"> 男</label>');
    expect(zh).not.toContain('Male');
    expect(displayValue(opts, 'sex', 'M', 'en')).toBe('Male');
    expect(displayValue(opts, 'sex', 'M', 'zh-CN')).toBe('男');
    expect(displayValue(opts, 'grade', '2', 'en')).toBe('二级');
    expect(displayValue(opts, 'raw', 'x2', 'en')).toBe('x2');
  });
  it('every shipped enum field has English labels, one per value, and a definition with a wrong count is refused', () => {
    for (const g of GUIDES) for (const s of g.form.layout) for (const f of s.fields) {
      const e = g.form.schema.properties[f.key]?.enum;
      if (e && f.options?.some((o) => /\p{Script=Han}/u.test(o))) expect(f.optionsEn, `${g.name} ${f.key}`).toHaveLength(e.length);
    }
    const bad = { ...opts, layout: [{ title: '信息', fields: [{ ...opts.layout[0]!.fields[0]!, optionsEn: ['Male'] }, opts.layout[0]!.fields[1]!, opts.layout[0]!.fields[2]!] }] };
    expect(checkFormDefinition(bad)).toEqual(['字段 sex：optionsEn 须为 enum 的每个取值各给一个英文名称。']);
  });
});

describe('prefillValues', () => {
  const flexible = GUIDES.find((g) => g.code === 'A-512B0369200000')!.form;
  const me = { name: '张三', idNumber: '110101199003070011', phone: '13800138000' };

  it('fills the fields annotated x-prefill from the account, and nothing else', () => {
    expect(prefillValues(flexible, me)).toEqual({ applicantName: '张三', applicantId: '110101199003070011', mobile: '13800138000' });
    expect(prefillValues(def, me)).toEqual({});
  });

  it('leaves a field empty when the account lacks the detail (an e-mail-only account has no phone)', () => {
    expect(prefillValues(flexible, { ...me, phone: null })).toEqual({ applicantName: '张三', applicantId: '110101199003070011' });
  });

  it('annotates name, ID number and mobile of every shipped guide', () => {
    for (const g of GUIDES) expect(Object.keys(prefillValues(g.form, me)).sort(), g.name).toEqual(['applicantId', 'applicantName', 'mobile']);
  });

  it('rejects x-prefill on a field it cannot fill', () => {
    const bad = {
      schema: { type: 'object', properties: { a: { type: 'string', 'x-prefill': 'address' }, b: { type: 'integer', 'x-prefill': 'phone' }, c: { type: 'string', 'x-prefill': 'name' } } },
      layout: [{ title: '信息', fields: [{ key: 'a', label: 'A' }, { key: 'b', label: 'B' }, { key: 'c', label: 'C' }] }],
    };
    expect(checkFormDefinition(bad)).toEqual([
      '字段 a：x-prefill 只能用于无 enum 的 string 字段，取值为 name、idNumber、phone。',
      '字段 b：x-prefill 只能用于无 enum 的 string 字段，取值为 name、idNumber、phone。',
    ]);
  });
});

describe('uploads', () => {
  it('sniffs PDF, JPEG and PNG by content only', () => {
    expect(sniffMime(Buffer.from('%PDF-1.7\n'))).toBe('application/pdf');
    expect(sniffMime(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0]))).toBe('image/jpeg');
    expect(sniffMime(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe('image/png');
    expect(sniffMime(Buffer.from([0x89, 0x50, 0x4e, 0x47]))).toBeUndefined();
    expect(sniffMime(Buffer.from('GIF89a'))).toBeUndefined();
    expect(sniffMime(Buffer.from('<html>%PDF-'))).toBeUndefined();
  });
  it('keeps only a safe base name', () => {
    expect(safeFileName('..\\..\\a/b/证明"<x>.pdf')).toBe('证明x.pdf');
    expect(safeFileName('')).toBe('file');
  });
});

describe('file types of a material', () => {
  it('defaults to PDF, JPG and PNG, and says a material\'s own types in Chinese and English', () => {
    expect(materialTypes({})).toEqual(['pdf', 'jpg', 'png']);
    expect(materialTypes({ types: ['png', 'jpg'] })).toEqual(['jpg', 'png']);
    expect(typesText(materialTypes({ types: ['jpg', 'png'] }), 'zh')).toBe('JPG、PNG');
    expect(typesText(materialTypes({}), 'en')).toBe('PDF, JPG or PNG');
    expect(typesText(['pdf'], 'en')).toBe('PDF');
  });

  it('reads staff\'s formats and keeps them through the item-edit lines', () => {
    expect(parseTypes('JPG/PNG')).toEqual({ ok: true, value: ['jpg', 'png'] });
    expect(parseTypes('jpeg、pdf')).toEqual({ ok: true, value: ['pdf', 'jpg'] });
    expect(parseTypes('')).toEqual({ ok: true, value: [] });
    expect(parseTypes('JPG/GIF')).toMatchObject({ ok: false, message: '不认识的文件格式“GIF”（可用 PDF、JPG、PNG）' });
    expect(parseMaterialLines('idCard|居民身份证|是|居民身份证\nphoto|证件照|是||JPG/PNG\nall|其他|否||PDF/JPG/PNG')).toEqual({
      ok: true,
      value: [
        { key: 'idCard', name: '居民身份证', required: true, certType: '居民身份证' },
        { key: 'photo', name: '证件照', required: true, types: ['jpg', 'png'] },
        { key: 'all', name: '其他', required: false },
      ],
    });
    // A material's note is the sixth part, the rest of the line (it was dropped when the edit lines were saved).
    expect(parseMaterialLines('residence|居住证明|是|不动产权证书||有电子证书的免提交\nx|其他|否|||甲|乙')).toEqual({
      ok: true,
      value: [
        { key: 'residence', name: '居住证明', required: true, certType: '不动产权证书', note: '有电子证书的免提交' },
        { key: 'x', name: '其他', required: false, note: '甲|乙' },
      ],
    });
    expect(parseMaterialLines('photo|证件照|是||GIF')).toEqual({ ok: false, message: '第 1 行：不认识的文件格式“GIF”（可用 PDF、JPG、PNG）', messageEn: 'Line 1: unknown file format “GIF” (PDF, JPG or PNG).' });
  });
});
