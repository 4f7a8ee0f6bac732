import type { Generated, Selectable } from 'kysely';
import type { GeneratedTimestamp, Json, NullableTimestamp } from '../../db/types.ts';

export type DocStatus = 'draft' | 'review' | 'published' | 'withdrawn';
export type Validity = 'valid' | 'amended' | 'repealed' | 'expired';
export interface Attachment {
  name: string;
  url: string;
}
export interface PauseRow {
  from: string;
  to?: string;
  reason: string;
  /** The applicant's clarification, when given online. */
  answer?: string;
}

/** 依申请公开 outcomes (政府信息公开条例 2019, 第三十六条). */
export const OUTCOMES = {
  disclosed: { zh: '予以公开', en: 'Disclosed', needsGround: false },
  partial: { zh: '部分公开', en: 'Partly disclosed', needsGround: true },
  refused: { zh: '不予公开', en: 'Refused', needsGround: true },
  not_held: { zh: '本机关不掌握相关政府信息（信息不存在）', en: 'Not held', needsGround: false },
  not_ours: { zh: '非本机关负责公开', en: 'Another body is responsible', needsGround: false },
  already_public: { zh: '已主动公开，告知获取方式', en: 'Already published', needsGround: false },
  not_information: { zh: '不属于政府信息公开范围', en: 'Not government information', needsGround: true },
  repeat: { zh: '重复申请', en: 'Repeated request', needsGround: false },
  unclear_withdrawn: { zh: '逾期未补正，视为放弃申请', en: 'Not clarified in time; treated as withdrawn', needsGround: false },
} as const;
export type Outcome = keyof typeof OUTCOMES;

/** Legal grounds for refusing (in whole or in part), 条例 第十四、十五、十六条 and 第三十六条. */
export const LEGAL_GROUNDS = {
  state_secret: '依法确定为国家秘密的政府信息（第十四条）',
  law_forbids: '法律、行政法规禁止公开的政府信息（第十四条）',
  security_stability: '公开后可能危及国家安全、公共安全、经济安全、社会稳定的政府信息（第十四条）',
  third_party: '涉及商业秘密、个人隐私等公开会对第三方合法权益造成损害的政府信息（第十五条）',
  internal_affairs: '行政机关的内部事务信息（第十六条第一款）',
  process_info: '行政机关在履行行政管理职能过程中形成的过程性信息（第十六条第二款）',
  enforcement_file: '行政执法案卷信息（第十六条第二款）',
  other_law: '法律、行政法规另有规定（第三十六条第七项）',
} as const;
export type LegalGround = keyof typeof LEGAL_GROUNDS;

export interface DisclosureCategoriesTable {
  id: Generated<number>;
  code: string;
  parent_id: number | null;
  name: string;
  name_en: string | null;
  sort: Generated<number>;
}

export interface DisclosureDocumentsTable {
  id: Generated<number>;
  index_no: string;
  category_id: number;
  department_id: number;
  title: string;
  issuer: string;
  doc_number: string | null;
  issued_on: string;
  valid_from: string | null;
  valid_until: string | null;
  validity: Generated<Validity>;
  body: string;
  attachments: Json<Attachment[]>;
  keywords: Generated<string>;
  status: Generated<DocStatus>;
  review_note: string | null;
  withdrawn_reason: string | null;
  published_at: NullableTimestamp;
  withdrawn_at: NullableTimestamp;
  created_by: number | null;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

export interface DisclosureRequestsTable {
  id: Generated<number>;
  ref_no: string;
  applicant_user_id: number;
  applicant_kind: 'citizen' | 'company';
  applicant_name: string;
  applicant_code: string;
  contact_phone: string | null;
  department_id: number;
  description: string;
  purpose: string | null;
  delivery: Generated<'online' | 'post' | 'pickup'>;
  /** Where to post the answer (delivery `post`); null otherwise. */
  postal_address: string | null;
  postcode: string | null;
  status: Generated<'received' | 'clarifying' | 'answered'>;
  received_on: string;
  pauses: Json<PauseRow[]>;
  extended: Generated<boolean>;
  extension_reason: string | null;
  outcome: Outcome | null;
  legal_ground: string | null;
  answer_text: string | null;
  answered_on: string | null;
  answer_published: Generated<boolean>;
  published_answer: string | null;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

declare module '../../db/types.ts' {
  interface DB {
    disclosure_categories: DisclosureCategoriesTable;
    disclosure_documents: DisclosureDocumentsTable;
    disclosure_requests: DisclosureRequestsTable;
  }
}

export type Category = Selectable<DisclosureCategoriesTable>;
export type DocumentRow = Selectable<DisclosureDocumentsTable>;
export type RequestRow = Selectable<DisclosureRequestsTable>;
