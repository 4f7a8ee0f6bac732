/**
 * Text kept for statistics with the numbers that could name a person hidden: every run of 6 or more digits
 * (full-width too; spaces or hyphens between digit groups count, a final X of an ID number too) becomes `***`, every
 * e-mail address `***@***`. For text typed by anyone that staff later read in bulk, like the searches without a
 * result: citizens type their ID number, phone number or case number into a search box. Kept apart from
 * `redactPersonalData` (src/lib/text), which must leave dates and amounts readable in published text.
 */
export function maskNumbersInText(text: string): string {
  return text
    .replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, '***@***')
    .replace(/\d(?:[\s-]?\d){5,}[Xx]?/g, '***');
}
