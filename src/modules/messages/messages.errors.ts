import { defineErrors } from '../../lib/errors.ts';

/** Error codes of the messages module (documented in docs/messages.md). */
export const messagesError = defineErrors({
  MESSAGE_NOT_FOUND: { kind: 'not_found', message: '找不到该留言或工单。', en: 'Message or ticket not found.' },
  ANONYMOUS_NOT_ALLOWED: { kind: 'unauthenticated', message: '请先登录后再留言。', en: 'Please sign in to leave a message.' },
  TICKET_BAD_TRANSITION: { kind: 'conflict', message: '工单当前状态不允许此操作。', en: 'The ticket is not in a state that allows this.' },
  TICKET_SAME_DEPARTMENT: { kind: 'invalid', message: '工单已在该部门。', en: 'The ticket is already with that department.' },
  REOPEN_PERIOD_OVER: { kind: 'conflict', message: '已超过追问期限，请重新留言。', en: 'The follow-up period is over; please leave a new message.' },
  DEPARTMENT_UNKNOWN: { kind: 'invalid', message: '部门不存在。', en: 'Unknown department.' },
  WEBHOOK_SIGNATURE_INVALID: { kind: 'unauthenticated', message: '签名无效。', en: 'Invalid webhook signature.' },
  WEBHOOK_CHANNEL_UNKNOWN: { kind: 'not_found', message: '未登记的新媒体渠道。', en: 'Unknown webhook channel.' },
  MERGE_INVALID: { kind: 'invalid', message: '不能合并这两个工单。', en: 'These tickets cannot be merged.' },
  TOO_MANY_ATTACHMENTS: { kind: 'invalid', message: '附件过多，一条留言最多 3 个。', en: 'Too many attachments: 3 at most a message.' },
});
