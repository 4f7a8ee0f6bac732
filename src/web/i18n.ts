export type Lang = 'zh-CN' | 'en';

const zh = {
  siteName: '一网通办',
  siteTagline: 'A市政务服务网',
  skip: '跳到主要内容',
  home: '首页',
  login: '登录',
  logout: '退出',
  register: '注册',
  me: '个人中心',
  workbench: '工作台',
  search: '搜索',
  searchPlaceholder: '事项、政策或问题，如：办居住证',
  searchPlaceholderShort: '事项、政策或问题',
  largeTextOn: '大字模式',
  largeTextOff: '标准字号',
  language: 'English',
  errorSummary: '提交的内容有问题',
  account: '账号（手机号、电子邮箱或工作人员用户名）',
  password: '密码',
  passwordConfirm: '再次输入密码',
  mobile: '手机号',
  email: '电子邮箱',
  realName: '真实姓名',
  idNumber: '居民身份证号码',
  submit: '提交',
  todo: '待办事项',
  notices: '通知公告',
  noTodo: '暂无待办事项。',
  changePassword: '修改密码',
  currentPassword: '当前密码',
  newPassword: '新密码',
  save: '保存',
  apiDocs: '开放接口',
  footer: '本网站由一网（yiwang）开源平台提供支持',
} as const;

export type MessageKey = keyof typeof zh;

const en: Record<MessageKey, string> = {
  siteName: 'One-stop Government Services',
  siteTagline: 'City A Government Services',
  skip: 'Skip to main content',
  home: 'Home',
  login: 'Sign in',
  logout: 'Sign out',
  register: 'Register',
  me: 'My account',
  workbench: 'Workbench',
  search: 'Search',
  searchPlaceholder: 'A service, policy or question',
  searchPlaceholderShort: 'Service or question',
  largeTextOn: 'Large text',
  largeTextOff: 'Standard text',
  language: '中文',
  errorSummary: 'There is a problem',
  account: 'Account (mobile, e-mail or staff username)',
  password: 'Password',
  passwordConfirm: 'Repeat password',
  mobile: 'Mobile number',
  email: 'E-mail',
  realName: 'Real name',
  idNumber: 'Citizen ID number',
  submit: 'Submit',
  todo: 'To do',
  notices: 'Notices',
  noTodo: 'Nothing to do.',
  changePassword: 'Change password',
  currentPassword: 'Current password',
  newPassword: 'New password',
  save: 'Save',
  apiDocs: 'Open API',
  footer: 'Powered by the yiwang open-source platform',
};

export function t(lang: Lang, key: MessageKey): string {
  return lang === 'en' ? en[key] : zh[key];
}

/** Picks the language: the `lang` cookie, else Accept-Language (Chinese unless English is preferred). */
export function pickLang(cookie: string | undefined, acceptLanguage: string | undefined): Lang {
  if (cookie === 'en' || cookie === 'zh-CN') return cookie;
  if (acceptLanguage && /^\s*en\b/i.test(acceptLanguage)) return 'en';
  return 'zh-CN';
}
