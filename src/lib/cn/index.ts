/** Chinese identifier checks and masking (pure apart from the region table, read once on first lookup). */
export { validateIdNumber, idNumberCheckChar, upgradeIdNumber15, isCalendarDate } from './id-number.ts';
export type { IdNumberOk, IdNumberResult, IdNumberOptions } from './id-number.ts';
export { cityOf, countiesOf, isDirectlyAdministeredGroup, lookupRegion, parseRegionTable } from './region.ts';
export type { Region, RegionLookup } from './region.ts';
export { validateUscc, usccCheckChar, orgCodeCheckChar, USCC_ALPHABET } from './uscc.ts';
export type { UsccOk, UsccResult } from './uscc.ts';
export { validateOrgCode } from './org-code.ts';
export type { OrgCodeOk, OrgCodeResult } from './org-code.ts';
export { validateMobile } from './mobile.ts';
export type { MobileOk, MobileResult } from './mobile.ts';
export { validateEmail } from './email.ts';
export type { EmailOk, EmailResult } from './email.ts';
export { maskIdNumber } from './mask-id-number.ts';
export { maskPhone } from './mask-phone.ts';
export { maskName } from './mask-name.ts';
export { toHalfWidth, foldIdentifier } from './normalize.ts';
export type { CheckWarning, CheckFailure } from './types.ts';
