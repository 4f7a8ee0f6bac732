/**
 * The redaction of personal data lives in src/lib/text/redactPersonalData.ts (pure, shared: opinion, search and
 * disclosure use it from there); re-exported for the messages module's own files.
 */
export { redactPersonalData, type Redaction } from '../../lib/text/redactPersonalData.ts';
