import { validateEmail, validatePhone } from '../../lib/cn/index.ts';
import type { FieldError } from '../../lib/errors.ts';
import { MESSAGE_TYPES, type MessageType } from './messages.types.ts';

/** A validated message as the service stores it. */
export interface MessageInput {
  type: MessageType;
  title: string;
  content: string;
  district: string | null;
  address: string | null;
  lat: number | null;
  lng: number | null;
  contactName: string | null;
  contactPhone: string | null;
  contactEmail: string | null;
  publishConsent: boolean;
  anonymous: boolean;
}

/**
 * What the district field of a message names: a 区县 (`county`), or a 镇/街道 (`town`) in the prefecture-level cities
 * without 区县 (东莞、中山、儋州、嘉峪关).
 */
export type DistrictLevel = 'county' | 'town';

/** Longest content accepted from the web form and the API; imports allow more. */
export const MAX_CONTENT = 5000;
export const MAX_IMPORT_CONTENT = 20_000;

const str = (v: unknown): string => (typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '');

/** A checkbox or JSON boolean: true for true, 'on', '1', 'true', 'yes'. */
export function truthy(v: unknown): boolean {
  return v === true || v === 1 || (typeof v === 'string' && ['on', '1', 'true', 'yes', '是'].includes(v.trim().toLowerCase()));
}

/** English for the failure codes of validateEmail (its messages are Chinese). */
const EMAIL_EN: Record<string, string> = {
  EMPTY: 'Enter an e-mail address.',
  BAD_FORMAT: 'An e-mail address has exactly one @, as in name@example.com.',
  BAD_LOCAL_PART: 'The part before the @ of the e-mail address is not valid.',
  BAD_DOMAIN: 'The part after the @ of the e-mail address is not a valid domain.',
  TOO_LONG: 'The e-mail address is too long.',
};

function num(v: unknown, min: number, max: number): { ok: true; value: number | null } | { ok: false } {
  if (v === undefined || v === null || v === '') return { ok: true, value: null };
  const n = typeof v === 'number' ? v : Number(String(v).trim());
  if (!Number.isFinite(n) || n < min || n > max) return { ok: false };
  return { ok: true, value: n };
}

/**
 * Validates a message from a form, the JSON API, Open311 or an import. Every field error is returned at once.
 * `maxContent` is larger for imports of historic data. With `districts` (the city's 区县), a district given must be
 * one of them.
 */
export function parseMessage(
  raw: Record<string, unknown>,
  opts: { maxContent?: number; defaultType?: MessageType; districts?: readonly string[] | undefined; districtLevel?: DistrictLevel } = {},
): { ok: true; value: MessageInput } | { ok: false; fields: FieldError[] } {
  const fields: FieldError[] = [];
  const typeIn = str(raw.type);
  let type: MessageType = opts.defaultType ?? '咨询';
  if (typeIn) {
    if ((MESSAGE_TYPES as readonly string[]).includes(typeIn)) type = typeIn as MessageType;
    else fields.push({ field: 'type', message: `留言类型须为：${MESSAGE_TYPES.join('、')}。`, messageEn: `The type must be one of: ${MESSAGE_TYPES.join(', ')}.` });
  } else if (!opts.defaultType) fields.push({ field: 'type', message: '请选择留言类型。', messageEn: 'Choose the type of message.' });
  const title = str(raw.title).replace(/\s+/g, ' ');
  if (!title) fields.push({ field: 'title', message: '请填写留言标题。', messageEn: 'Enter a subject.' });
  else if (title.length > 200) fields.push({ field: 'title', message: '标题不能超过 200 字。', messageEn: `The subject can have at most 200 characters (now ${title.length}).` });
  const content = str(raw.content);
  const maxContent = opts.maxContent ?? MAX_CONTENT;
  if (!content) fields.push({ field: 'content', message: '请填写留言内容。', messageEn: 'Enter your message.' });
  else if (content.length > maxContent) fields.push({ field: 'content', message: `留言内容不能超过 ${maxContent} 字。`, messageEn: `The message can have at most ${maxContent} characters (now ${content.length}).` });
  const district = str(raw.district);
  const districtLabel = opts.districtLevel === 'town' ? '所在镇街' : '所在区县';
  const districtEn = opts.districtLevel === 'town' ? 'town or subdistrict' : 'district';
  if (district.length > 50) fields.push({ field: 'district', message: `${districtLabel}不能超过 50 字。`, messageEn: `The ${districtEn} can have at most 50 characters.` });
  else if (district && opts.districts?.length && !opts.districts.includes(district)) fields.push({ field: 'district', message: `请从列表中选择${districtLabel}。`, messageEn: `Choose the ${districtEn} from the list.` });
  const address = str(raw.address);
  if (address.length > 200) fields.push({ field: 'address', message: '地址不能超过 200 字。', messageEn: 'The address can have at most 200 characters.' });
  const lat = num(raw.lat, -90, 90);
  if (!lat.ok) fields.push({ field: 'lat', message: '纬度应为 -90 到 90 之间的数字。', messageEn: 'The latitude must be a number from -90 to 90.' });
  const lng = num(raw.lng ?? raw.long, -180, 180);
  if (!lng.ok) fields.push({ field: 'lng', message: '经度应为 -180 到 180 之间的数字。', messageEn: 'The longitude must be a number from -180 to 180.' });
  const contactName = str(raw.contactName);
  if (contactName.length > 50) fields.push({ field: 'contactName', message: '联系人姓名不能超过 50 字。', messageEn: 'Your name can have at most 50 characters.' });
  const phoneIn = str(raw.contactPhone);
  let contactPhone: string | null = null;
  if (phoneIn) {
    // A mobile, or a landline with its area code (6666666 alone cannot be called back from another city).
    const m = validatePhone(phoneIn);
    if (m.ok) contactPhone = m.normalized;
    else fields.push({ field: 'contactPhone', message: `联系电话应为手机号码或带区号的固定电话（如 0731-88886666）：${m.message}。`, messageEn: 'The phone number is not valid: enter a mainland mobile number (11 digits, starting with 1) or a landline with its area code (e.g. 0731-88886666).' });
  }
  const emailIn = str(raw.contactEmail);
  let contactEmail: string | null = null;
  if (emailIn) {
    const e = validateEmail(emailIn);
    if (e.ok) contactEmail = e.normalized;
    else fields.push({ field: 'contactEmail', message: e.message, messageEn: EMAIL_EN[e.code] ?? 'Enter an e-mail address such as name@example.com.' });
  }
  if (fields.length) return { ok: false, fields };
  return {
    ok: true,
    value: {
      type,
      title,
      content,
      district: district || null,
      address: address || null,
      lat: lat.ok ? lat.value : null,
      lng: lng.ok ? lng.value : null,
      contactName: contactName || null,
      contactPhone,
      contactEmail,
      publishConsent: truthy(raw.publishConsent),
      anonymous: truthy(raw.anonymous),
    },
  };
}
