/**
 * Keeps the search table in step with the modules that publish content, by polling their services (no module
 * needs to know about search):
 * - disclosure: `services.disclosure.changesSince(cursor)` (documents published or changed, and withdrawals), cursor
 *   kept in `search_sync_state`;
 * - one-stop services: the published catalogue (`services.onestop.listItems`, all pages), compared with what is
 *   indexed by the item's `updated_at`; items no longer published are withdrawn;
 * - message replies: `services.messages.publicTickets` (replied or closed, author consented), redacted; replies no
 *   longer published are withdrawn (the newest 2,000 are kept in the index).
 * Any process may run it; writes are idempotent (unchanged versions are skipped).
 */
import type { Services } from '../../services.ts';
import { chinaDate } from '../../lib/calendar/date.ts';
import { SYSTEM } from '../identity/permissions.ts';
import type { PublishDoc } from './search.types.ts';
import { searchId } from './search.types.ts';

export interface SyncReport {
  disclosure: { written: number; withdrawn: number } | 'unavailable';
  services: { written: number; withdrawn: number } | 'unavailable';
  replies: { written: number; withdrawn: number } | 'unavailable';
}

const MAX_REPLIES = 2000;

/** One pass over every source; a source whose module is absent is reported 'unavailable'. */
export async function syncSources(services: Services): Promise<SyncReport> {
  return {
    disclosure: await syncDisclosure(services),
    services: await syncServices(services),
    replies: await syncReplies(services),
  };
}

async function departmentNames(services: Services): Promise<Map<number, string>> {
  const list = await services.identity.departments();
  return new Map(list.map((d) => [d.id, d.name]));
}

async function syncDisclosure(services: Services): Promise<SyncReport['disclosure']> {
  const disclosure = (services as Partial<Services>).disclosure;
  if (!disclosure) return 'unavailable';
  const search = services.search;
  const names = await departmentNames(services);
  let since = (await search.cursor('disclosure')) ?? '1970-01-01T00:00:00.000Z';
  let written = 0;
  let withdrawn = 0;
  for (let round = 0; round < 1000; round++) {
    const ch = await disclosure.changesSince(new Date(since), 500);
    if (!ch.documents.length && !ch.withdrawals.length) break;
    const docs: PublishDoc[] = ch.documents.map((d) => ({
      type: 'disclosure', sourceId: String(d.id), title: d.title, body: d.keywords ? `${d.body}\n${d.keywords}` : d.body,
      department: names.get(d.departmentId) ?? d.issuer, date: d.issuedOn, url: d.url, sourceVersion: d.changedAt,
    }));
    written += (await search.publish(SYSTEM, docs)).written;
    withdrawn += await search.withdraw(SYSTEM, ch.withdrawals.map((w) => ({ type: 'disclosure' as const, sourceId: String(w.id) })));
    if (ch.next === since) break;
    since = ch.next;
    await search.setCursor('disclosure', since);
    // changesSince returns rows changed strictly after `since`; a batch of the same timestamp would loop forever.
    if (ch.documents.length + ch.withdrawals.length < 500) break;
  }
  return { written, withdrawn };
}

async function syncServices(services: Services): Promise<SyncReport['services']> {
  const onestop = (services as Partial<Services>).onestop;
  if (!onestop) return 'unavailable';
  const search = services.search;
  const docs: PublishDoc[] = [];
  for (let page = 1; page <= 1000; page++) {
    const r = await onestop.listItems(SYSTEM, { page, pageSize: 100 });
    for (const it of r.items) {
      docs.push({
        type: 'service', sourceId: it.code, title: it.name,
        body: `${it.name}。实施主体：${it.department_name}。${it.online ? '可网上办理。' : ''}${it.legal_days != null ? `法定办结时限${it.legal_days}个工作日。` : ''}${it.promised_days != null ? `承诺办结时限${it.promised_days}个工作日。` : ''}`,
        department: it.department_name, date: chinaDate(it.updated_at), url: `/services/item/${encodeURIComponent(it.code)}`,
        sourceVersion: it.updated_at.toISOString(),
      });
    }
    if (page * r.pageSize >= r.total || !r.items.length) break;
  }
  const written = (await search.publish(SYSTEM, docs)).written;
  const keep = new Set(docs.map((d) => searchId('service', d.sourceId)));
  const gone = (await search.activeIds('service')).filter((id) => !keep.has(id));
  const withdrawn = await search.withdraw(SYSTEM, gone.map((id) => ({ type: 'service' as const, sourceId: id.slice('service:'.length) })));
  return { written, withdrawn };
}

async function syncReplies(services: Services): Promise<SyncReport['replies']> {
  const messages = (services as Partial<Services>).messages;
  if (!messages) return 'unavailable';
  const search = services.search;
  const { redactPersonalData } = await import('../../lib/text/redactPersonalData.ts');
  const names = await departmentNames(services);
  const rows = await messages.publicTickets({ statuses: ['replied', 'closed'], limit: MAX_REPLIES });
  const docs: PublishDoc[] = [];
  for (const { ticket: t, message: m } of rows) {
    if (!t.reply_public) continue;
    const question = m ? redactPersonalData(m.content).text : '';
    docs.push({
      type: 'reply', sourceId: String(t.id), title: redactPersonalData(t.title).text,
      body: `${question}\n答复：${redactPersonalData(t.reply_public).text}`,
      department: t.department_id != null ? names.get(t.department_id) ?? null : null,
      date: chinaDate(t.replied_at ?? t.updated_at), url: '/messages/public', sourceVersion: t.updated_at.toISOString(),
    });
  }
  const written = (await search.publish(SYSTEM, docs)).written;
  let withdrawn = 0;
  if (rows.length < MAX_REPLIES) {
    const keep = new Set(docs.map((d) => searchId('reply', d.sourceId)));
    const gone = (await search.activeIds('reply')).filter((id) => !keep.has(id));
    withdrawn = await search.withdraw(SYSTEM, gone.map((id) => ({ type: 'reply' as const, sourceId: id.slice('reply:'.length) })));
  }
  return { written, withdrawn };
}
