/**
 * The case state machine (办件流程), pure. A case's status is never stored on its own authority: it is the fold of
 * its append-only action log through `TRANSITIONS`. The table lists every allowed (status, action) pair; any pair not
 * in it is forbidden.
 *
 *   draft → submitted → correction_requested (补正) ⇄ submitted → accepted (受理) | not_accepted (不予受理)
 *   accepted → under_review → approved | refused → completed
 *   under_review → review_correction (补正 during review; the statutory clock pauses) → under_review
 *   withdrawn by the citizen from any open status before a decision.
 */
export const CASE_STATUSES = [
  'draft', 'submitted', 'correction_requested', 'accepted', 'not_accepted', 'under_review', 'review_correction',
  'approved', 'refused', 'completed', 'withdrawn',
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const CASE_ACTIONS = [
  'create', 'submit', 'request_correction', 'resubmit', 'accept', 'reject', 'start_review', 'approve', 'refuse', 'complete', 'withdraw',
] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

/** Who performs an action: the applicant or department staff. */
export type Party = 'citizen' | 'staff';

export interface Transition {
  from: CaseStatus | null;
  action: CaseAction;
  to: CaseStatus;
  by: Party;
}

/** Every allowed transition. */
export const TRANSITIONS: readonly Transition[] = [
  { from: null, action: 'create', to: 'draft', by: 'citizen' },
  { from: 'draft', action: 'submit', to: 'submitted', by: 'citizen' },
  { from: 'submitted', action: 'request_correction', to: 'correction_requested', by: 'staff' },
  { from: 'correction_requested', action: 'resubmit', to: 'submitted', by: 'citizen' },
  { from: 'submitted', action: 'accept', to: 'accepted', by: 'staff' },
  { from: 'submitted', action: 'reject', to: 'not_accepted', by: 'staff' },
  { from: 'accepted', action: 'start_review', to: 'under_review', by: 'staff' },
  { from: 'under_review', action: 'request_correction', to: 'review_correction', by: 'staff' },
  { from: 'review_correction', action: 'resubmit', to: 'under_review', by: 'citizen' },
  { from: 'under_review', action: 'approve', to: 'approved', by: 'staff' },
  { from: 'under_review', action: 'refuse', to: 'refused', by: 'staff' },
  { from: 'approved', action: 'complete', to: 'completed', by: 'staff' },
  { from: 'refused', action: 'complete', to: 'completed', by: 'staff' },
  { from: 'draft', action: 'withdraw', to: 'withdrawn', by: 'citizen' },
  { from: 'submitted', action: 'withdraw', to: 'withdrawn', by: 'citizen' },
  { from: 'correction_requested', action: 'withdraw', to: 'withdrawn', by: 'citizen' },
  { from: 'accepted', action: 'withdraw', to: 'withdrawn', by: 'citizen' },
  { from: 'under_review', action: 'withdraw', to: 'withdrawn', by: 'citizen' },
  { from: 'review_correction', action: 'withdraw', to: 'withdrawn', by: 'citizen' },
];

const index = new Map<string, Transition>(TRANSITIONS.map((t) => [`${t.from ?? ''}|${t.action}`, t]));

/** The transition for `action` from `from`, or undefined when forbidden. */
export function transition(from: CaseStatus | null, action: CaseAction): Transition | undefined {
  return index.get(`${from ?? ''}|${action}`);
}

/** Actions `party` may take in `status` (for buttons and the "next step" text). */
export function allowedActions(status: CaseStatus, party: Party): CaseAction[] {
  return TRANSITIONS.filter((t) => t.from === status && t.by === party).map((t) => t.action);
}

export type FoldResult = { ok: true; status: CaseStatus } | { ok: false; index: number; from: CaseStatus | null; action: string };

/** Derives the status from the action log; names the first action that the table forbids. */
export function foldStatus(actions: readonly string[]): FoldResult {
  let s: CaseStatus | null = null;
  for (let i = 0; i < actions.length; i++) {
    const a = actions[i]!;
    const t: Transition | undefined = (CASE_ACTIONS as readonly string[]).includes(a) ? transition(s, a as CaseAction) : undefined;
    if (!t) return { ok: false, index: i, from: s, action: a };
    s = t.to;
  }
  if (s === null) return { ok: false, index: 0, from: null, action: '' };
  return { ok: true, status: s };
}

export function isCaseAction(a: unknown): a is CaseAction {
  return typeof a === 'string' && (CASE_ACTIONS as readonly string[]).includes(a);
}

/** Statuses in which the statutory clock runs or is paused (after acceptance, before a decision). */
export const CLOCK_STATUSES: readonly CaseStatus[] = ['accepted', 'under_review', 'review_correction'];
/** Final statuses. */
export const FINAL_STATUSES: readonly CaseStatus[] = ['not_accepted', 'completed', 'withdrawn'];

export const STATUS_NAMES: Record<CaseStatus, { zh: string; en: string }> = {
  draft: { zh: '草稿', en: 'Draft' },
  submitted: { zh: '已提交，待受理', en: 'Submitted' },
  correction_requested: { zh: '待补正材料', en: 'Corrections requested' },
  accepted: { zh: '已受理', en: 'Accepted' },
  not_accepted: { zh: '不予受理', en: 'Not accepted' },
  under_review: { zh: '审查中', en: 'Under review' },
  review_correction: { zh: '审查中待补正', en: 'Corrections requested (review)' },
  approved: { zh: '准予许可/办理', en: 'Approved' },
  refused: { zh: '不予许可/办理', en: 'Refused' },
  completed: { zh: '已办结', en: 'Completed' },
  withdrawn: { zh: '已撤回', en: 'Withdrawn' },
};

export const ACTION_NAMES: Record<CaseAction, { zh: string; en: string }> = {
  create: { zh: '创建草稿', en: 'Draft created' },
  submit: { zh: '提交申请', en: 'Submit' },
  request_correction: { zh: '一次性告知补正', en: 'Request corrections' },
  resubmit: { zh: '补正后重新提交', en: 'Resubmit' },
  accept: { zh: '受理', en: 'Accept' },
  reject: { zh: '不予受理', en: 'Do not accept' },
  start_review: { zh: '开始审查', en: 'Start review' },
  approve: { zh: '准予', en: 'Approve' },
  refuse: { zh: '不予准予', en: 'Refuse' },
  complete: { zh: '办结', en: 'Complete' },
  withdraw: { zh: '撤回申请', en: 'Withdraw' },
};

/** What happens next, for the citizen's "我的办件" page. */
export function nextStep(status: CaseStatus, lang: 'zh-CN' | 'en'): string {
  const zh: Record<CaseStatus, string> = {
    draft: '继续填写并提交申请',
    submitted: '等待部门受理（一般 5 个工作日内）',
    correction_requested: '按补正告知补充材料后重新提交',
    accepted: '部门已受理，等待审查',
    not_accepted: '查看不予受理通知',
    under_review: '部门审查中，请留意通知',
    review_correction: '按补正告知补充材料后重新提交（期限暂停计算）',
    approved: '已准予，等待办结和领取结果',
    refused: '查看决定书，可依法申请复议或诉讼',
    completed: '已办结，欢迎评价',
    withdrawn: '申请已撤回',
  };
  const en: Record<CaseStatus, string> = {
    draft: 'Finish and submit the application',
    submitted: 'Waiting for the department to accept it',
    correction_requested: 'Supply the missing materials and resubmit',
    accepted: 'Accepted; waiting for review',
    not_accepted: 'Read the notice of non-acceptance',
    under_review: 'Under review; watch for notices',
    review_correction: 'Supply the missing materials and resubmit (the clock is paused)',
    approved: 'Approved; waiting for completion',
    refused: 'Read the decision; you may appeal',
    completed: 'Done; please rate the service',
    withdrawn: 'Withdrawn',
  };
  return lang === 'en' ? en[status] : zh[status];
}
