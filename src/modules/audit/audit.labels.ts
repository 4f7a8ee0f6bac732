/**
 * Readable names of the audit trail's action codes and record kinds, for the administrator's audit page. The codes
 * themselves stay in the trail (they are part of each entry's hash); the page shows the name and keeps the code small.
 * test/staff-audit-labels.test.ts checks that every action the code base writes has a name here.
 */

type Label = { zh: string; en: string };

const L = (zh: string, en: string): Label => ({ zh, en });

/** The one-stop case steps (`case.<action>`, CASE_ACTIONS of src/modules/onestop/casemachine.ts). */
const CASE_STEPS: Record<string, Label> = {
  create: L('办件：创建', 'Case: created'),
  submit: L('办件：提交申请', 'Case: application submitted'),
  request_correction: L('办件：一次性告知补正', 'Case: correction requested'),
  resubmit: L('办件：补正后重新提交', 'Case: resubmitted after correction'),
  accept: L('办件：受理', 'Case: accepted'),
  reject: L('办件：不予受理', 'Case: not accepted'),
  start_review: L('办件：开始审查', 'Case: review started'),
  approve: L('办件：审批通过', 'Case: approved'),
  refuse: L('办件：审批不予许可', 'Case: refused'),
  complete: L('办件：办结', 'Case: completed'),
  withdraw: L('办件：申请人撤回', 'Case: withdrawn by the applicant'),
};

/** The message (网络问政) ticket steps (`message.<action>`, ActionKind of src/modules/messages/flow.ts). */
const MESSAGE_STEPS: Record<string, Label> = {
  receive: L('留言：登记', 'Message: received'),
  dispatch: L('留言：分派', 'Message: dispatched'),
  transfer: L('留言：转办', 'Message: transferred'),
  return: L('留言：退回', 'Message: returned'),
  accept: L('留言：签收', 'Message: accepted'),
  reply: L('留言：答复', 'Message: replied'),
  callback: L('留言：回访', 'Message: called back'),
  rate: L('留言：评价', 'Message: rated'),
  close: L('留言：办结', 'Message: closed'),
  reopen: L('留言：重新办理', 'Message: reopened'),
  merge: L('留言：合并', 'Message: merged'),
  merge_in: L('留言：并入其他留言', 'Message: absorbed another'),
  escalate: L('留言：超时督办', 'Message: escalated'),
  follow_up: L('留言：追问', 'Message: follow-up'),
};

const prefixed = (prefix: string, steps: Record<string, Label>): Record<string, Label> =>
  Object.fromEntries(Object.entries(steps).map(([k, v]) => [`${prefix}${k}`, v]));

/** Every action code written to the trail, with its name in Chinese and English. */
export const AUDIT_ACTION_LABELS: Readonly<Record<string, Label>> = {
  // accounts, sessions, departments
  'account.register': L('群众注册账号', 'Citizen account registered'),
  'account.register.oidc': L('统一身份认证注册账号', 'Account registered by single sign-on'),
  'account.create': L('新建工作人员账号', 'Staff account created'),
  'account.disable': L('停用账号', 'Account disabled'),
  'account.enable': L('启用账号', 'Account enabled'),
  'account.update': L('修改角色和部门', 'Roles and department changed'),
  'account.password': L('本人修改密码', 'Password changed by its owner'),
  'account.password.reset': L('重置初始密码', 'Initial password reset'),
  login: L('登录', 'Signed in'),
  'login.oidc': L('统一身份认证登录', 'Signed in by single sign-on'),
  'login.failed': L('登录失败（密码错误）', 'Sign-in failed (wrong password)'),
  logout: L('退出登录', 'Signed out'),
  'department.create': L('新建部门', 'Department created'),
  // one-stop services
  'holidays.set': L('设置节假日和调休', 'Holidays and make-up working days set'),
  'items.seed': L('导入事项目录', 'Service catalogue loaded'),
  'item.create': L('新建服务事项', 'Service item created'),
  'item.update': L('修改服务事项', 'Service item edited'),
  'item.publish': L('发布服务事项', 'Service item published'),
  'item.draft': L('服务事项转为草稿', 'Service item back to draft'),
  'item.retired': L('服务事项停用', 'Service item retired'),
  'case.save': L('办件：保存草稿', 'Case: draft saved'),
  ...prefixed('case.', CASE_STEPS),
  'case.view': L('办件：查看（含个人信息）', 'Case: viewed (personal data)'),
  'case.file': L('办件：上传材料', 'Case: material uploaded'),
  'case.escalate': L('办件：超期转督办', 'Cases: overdue, sent to the supervisors'),
  'cert.key.create': L('生成部门签章密钥', 'Department signing key created'),
  'cert.key.rotate': L('更换部门签章密钥', 'Department signing key rotated'),
  'cert.issue': L('签发电子证照', 'E-certificate issued'),
  'cert.revoke': L('注销电子证照', 'E-certificate revoked'),
  'rating.create': L('好差评：评价', 'Rating given'),
  'rating.appeal': L('好差评：申诉', 'Rating appealed'),
  'rating.appeal.decide': L('好差评：申诉处理', 'Rating appeal decided'),
  'rectification.close': L('差评整改：办结', 'Rectification closed'),
  // messages (网络问政)
  'message.submit': L('留言：提交', 'Message: submitted'),
  ...prefixed('message.', MESSAGE_STEPS),
  'message.configure': L('修改分派规则与时限', 'Dispatch rules and time limits changed'),
  'message.channel': L('配置留言渠道', 'Message channel configured'),
  // search and knowledge
  'search.publish': L('检索：收录内容', 'Search: documents published'),
  'search.withdraw': L('检索：撤下内容', 'Search: documents withdrawn'),
  'search.synonyms.replace': L('检索：更新同义词', 'Search: synonyms replaced'),
  'knowledge.create': L('知识库：新建条目', 'Knowledge: article created'),
  'knowledge.edit': L('知识库：修改条目', 'Knowledge: article edited'),
  'knowledge.review': L('知识库：审核', 'Knowledge: article reviewed'),
  'knowledge.publish': L('知识库：发布', 'Knowledge: article published'),
  'knowledge.archive': L('知识库：归档', 'Knowledge: article archived'),
  // information disclosure
  'disclosure.category.create': L('政务公开：新建栏目', 'Disclosure: category created'),
  'disclosure.doc.create': L('政务公开：新建信息', 'Disclosure: document created'),
  'disclosure.doc.update': L('政务公开：修改信息', 'Disclosure: document edited'),
  'disclosure.doc.submit': L('政务公开：送审', 'Disclosure: document sent for review'),
  'disclosure.doc.publish': L('政务公开：发布', 'Disclosure: document published'),
  'disclosure.doc.reject': L('政务公开：退回', 'Disclosure: document sent back'),
  'disclosure.doc.withdraw': L('政务公开：撤回', 'Disclosure: document withdrawn'),
  'disclosure.doc.validity': L('政务公开：标注有效性', 'Disclosure: validity marked'),
  'disclosure.request.apply': L('依申请公开：提出申请', 'Disclosure request: filed'),
  'disclosure.request.clarify': L('依申请公开：要求补正', 'Disclosure request: clarification asked'),
  'disclosure.request.clarified': L('依申请公开：申请人已补正', 'Disclosure request: clarified by the applicant'),
  'disclosure.request.extend': L('依申请公开：延期答复', 'Disclosure request: time limit extended'),
  'disclosure.request.answer': L('依申请公开：答复', 'Disclosure request: answered'),
  'disclosure.request.publish': L('依申请公开：主动公开答复', 'Disclosure request: answer published'),
  // public opinion
  'opinion.ingest': L('舆情：采集信息', 'Opinion: posts taken in'),
  'opinion.source': L('舆情：配置信息源', 'Opinion: source configured'),
  'opinion.cluster': L('舆情：热点聚类', 'Opinion: hot issues clustered'),
  'opinion.redact': L('舆情：已存信息重新脱敏', 'Opinion: stored posts redacted again'),
  'opinion.warning.raise': L('舆情：发出预警', 'Opinion: warning raised'),
  'opinion.warning.route': L('舆情：预警分送部门', 'Opinion: warning routed'),
  'opinion.warning.leaders': L('舆情：预警报送领导', 'Opinion: warning sent to the leaders'),
  'opinion.warning.assess': L('舆情：研判', 'Opinion: warning assessed'),
  'opinion.warning.respond': L('舆情：回应', 'Opinion: warning responded to'),
  'opinion.warning.close': L('舆情：办结预警', 'Opinion: warning closed'),
  'opinion.task.assign': L('舆情：交办任务', 'Opinion: task assigned'),
  'opinion.task.done': L('舆情：任务完成', 'Opinion: task done'),
  // data sharing and quality
  'datashare.resource.register': L('数据共享：登记资源', 'Data sharing: resource registered'),
  'datashare.records.load': L('数据共享：导入数据', 'Data sharing: records loaded'),
  'datashare.system.register': L('数据共享：登记接入系统', 'Data sharing: system registered'),
  'datashare.system.revoke': L('数据共享：注销接入系统', 'Data sharing: system revoked'),
  'datashare.request.create': L('数据共享：提出申请', 'Data sharing: request made'),
  'datashare.request.approve': L('数据共享：同意共享', 'Data sharing: request approved'),
  'datashare.request.refuse': L('数据共享：不予共享', 'Data sharing: request refused'),
  'datashare.request.revoke': L('数据共享：撤销授权', 'Data sharing: approval revoked'),
  'datashare.quality.run': L('数据质量：检查', 'Data quality: check run'),
  'datashare.quality.repair': L('数据质量：确认修复', 'Data quality: repair approved'),
  'datashare.quality.reject': L('数据质量：驳回建议', 'Data quality: proposal rejected'),
};

/** Kinds of action an administrator can filter the audit page by; each is the labelled codes its test accepts. */
export const AUDIT_GROUPS: readonly { key: string; zh: string; en: string; test: (code: string) => boolean }[] = [
  { key: 'accounts', zh: '账号、登录和部门', en: 'Accounts, sign-ins and departments', test: (c) => /^(account|login|logout|department)(\.|$)/.test(c) },
  { key: 'services', zh: '一网通办（事项、办件、证照、评价）', en: 'One-stop services (items, cases, certificates, ratings)', test: (c) => /^(holidays|items?|case|cert|rating|rectification)\./.test(c) },
  { key: 'messages', zh: '网络问政', en: 'Citizen messages', test: (c) => c.startsWith('message.') },
  { key: 'disclosure', zh: '政务公开', en: 'Information disclosure', test: (c) => c.startsWith('disclosure.') },
  { key: 'knowledge', zh: '知识库与检索', en: 'Knowledge base and search', test: (c) => c.startsWith('knowledge.') || c.startsWith('search.') },
  { key: 'opinion', zh: '舆情', en: 'Public opinion', test: (c) => c.startsWith('opinion.') },
  { key: 'datashare', zh: '数据共享与数据质量', en: 'Data sharing and quality', test: (c) => c.startsWith('datashare.') },
];

/** The action codes of a group (every labelled code its test accepts); undefined for an unknown group. */
export function auditGroupActions(key: string): string[] | undefined {
  const g = AUDIT_GROUPS.find((x) => x.key === key);
  return g ? Object.keys(AUDIT_ACTION_LABELS).filter((c) => g.test(c)) : undefined;
}

/** Readable names of the `entity` column (the kind of record an entry is about). */
export const AUDIT_ENTITY_LABELS: Readonly<Record<string, Label>> = {
  user: L('账号', 'account'),
  session: L('登录会话', 'session'),
  department: L('部门', 'department'),
  svc_holidays: L('节假日', 'holidays'),
  svc_items: L('事项目录', 'service catalogue'),
  svc_item: L('服务事项', 'service item'),
  svc_case: L('办件', 'case'),
  svc_dept_key: L('签章密钥', 'signing key'),
  svc_certificate: L('电子证照', 'e-certificate'),
  svc_rating: L('评价', 'rating'),
  svc_rectification: L('整改', 'rectification'),
  message_ticket: L('留言工单', 'message ticket'),
  message_settings: L('分派规则', 'dispatch rules'),
  message_channel: L('留言渠道', 'message channel'),
  search_documents: L('检索内容', 'search documents'),
  search_synonyms: L('同义词', 'synonyms'),
  knowledge_articles: L('知识条目', 'knowledge article'),
  disclosure_category: L('公开栏目', 'disclosure category'),
  disclosure_document: L('公开信息', 'disclosure document'),
  disclosure_request: L('公开申请', 'disclosure request'),
  opinion_items: L('舆情信息', 'opinion posts'),
  opinion_state: L('舆情处理进度', 'opinion processing state'),
  opinion_source: L('舆情信息源', 'opinion source'),
  opinion_issues: L('热点', 'hot issues'),
  opinion_warning: L('舆情预警', 'opinion warning'),
  opinion_task: L('舆情任务', 'opinion task'),
  ds_resource: L('数据资源', 'data resource'),
  ds_system: L('接入系统', 'connected system'),
  ds_request: L('共享申请', 'sharing request'),
  ds_quality_finding: L('质量问题', 'quality finding'),
  ds_record: L('数据记录', 'data record'),
};

/** The name of an action code in the page's language; undefined for a code without one (the page shows the code). */
export function auditActionLabel(code: string, lang: 'zh' | 'en'): string | undefined {
  return Object.hasOwn(AUDIT_ACTION_LABELS, code) ? AUDIT_ACTION_LABELS[code]![lang] : undefined;
}

/** The name of a record kind in the page's language; undefined when it has none. */
export function auditEntityLabel(entity: string, lang: 'zh' | 'en'): string | undefined {
  return Object.hasOwn(AUDIT_ENTITY_LABELS, entity) ? AUDIT_ENTITY_LABELS[entity]![lang] : undefined;
}
