import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { Services } from '../../services.ts';
import { identityRepository } from '../identity/identity.repository.ts';
import { principalOf } from '../identity/identity.service.ts';
import { SYSTEM, type Principal } from '../identity/permissions.ts';
import type { TicketStatus } from './flow.ts';
import type { MessageType } from './messages.types.ts';
import { MessagesService } from './messages.service.ts';

const here = dirname(fileURLToPath(import.meta.url));
/** Real messages of the 2020 TipDM Cup (datasets/hot-issue-messages/PROVENANCE.md). */
const SOURCE = join(here, '..', '..', '..', 'datasets', 'hot-issue-messages', 'messages_with_votes.jsonl.gz');

/** Where the demo staff take a ticket: `queue` leaves it where routing put it (queue or a department). */
type Goal = 'as_routed' | 'dispatched' | 'in_progress' | 'replied' | 'closed';

interface DemoTicket {
  /** 留言编号 in the source file; also the external id (`demo-seed:N`) that makes the seed idempotent. */
  id: number;
  type: MessageType;
  district: string;
  goal: Goal;
  /** Submitted by the demo citizen 张三 on the web (else entered from the 12345 hotline import). */
  citizen?: boolean;
  /** Received this many days ago (the service's clock set back): past its time limit, so escalated (督办). */
  daysAgo?: number;
  reply?: string;
}

/**
 * The sample tickets: housing/property, noise, transport, education, labour and social security, health, consultations;
 * two of them (190802, 203393) are the same complaint about a mixing plant (a likely duplicate).
 */
export const DEMO_TICKETS: readonly DemoTicket[] = [
  // Low confidence: the manual dispatch queue.
  { id: 205483, type: '投诉', district: 'A2区', goal: 'as_routed' },
  { id: 216414, type: '咨询', district: 'A1区', goal: 'as_routed', citizen: true },
  // Routed automatically to their departments.
  { id: 195528, type: '投诉', district: 'A3区', goal: 'as_routed' },
  { id: 196797, type: '投诉', district: 'A5区', goal: 'as_routed' },
  { id: 190802, type: '投诉', district: 'A2区', goal: 'as_routed' },
  { id: 203393, type: '投诉', district: 'A2区', goal: 'as_routed' },
  { id: 287448, type: '建议', district: 'A7县', goal: 'as_routed' },
  { id: 206733, type: '咨询', district: 'A3区', goal: 'as_routed' },
  { id: 231442, type: '求助', district: 'A6区', goal: 'as_routed' },
  // 人社局, where the demo clerk and head work.
  { id: 213168, type: '咨询', district: 'A4区', goal: 'dispatched' },
  { id: 213178, type: '投诉', district: 'A9市', goal: 'dispatched' },
  { id: 197153, type: '投诉', district: 'A1区', goal: 'in_progress' },
  { id: 200353, type: '咨询', district: 'A1区', goal: 'in_progress', citizen: true },
  { id: 204313, type: '咨询', district: 'A3区', goal: 'replied', citizen: true, reply: '您好！退休年龄以档案中最早记载的出生时间为准。请携带身份证和人事档案到A市社会保险服务中心一楼窗口申请认定，咨询电话0731-88886666。感谢您的来信。' },
  { id: 211328, type: '投诉', district: 'A4区', goal: 'closed', reply: '您好！经A市劳动保障监察支队调查，该医院已于本月补发所欠工资并办理解除劳动合同手续。如仍有争议，可向A市劳动人事争议仲裁院申请仲裁。' },
  { id: 215205, type: '投诉', district: 'A7县', goal: 'in_progress', daysAgo: 40 },
];

interface SourceRow { message_id: number; title: string; detail: string }

function sourceRows(): Map<number, SourceRow> {
  const want = new Set(DEMO_TICKETS.map((t) => t.id));
  const out = new Map<number, SourceRow>();
  for (const line of gunzipSync(readFileSync(SOURCE)).toString('utf8').split('\n')) {
    if (!line.trim()) continue;
    const r = JSON.parse(line) as SourceRow;
    if (want.has(r.message_id)) out.set(r.message_id, r);
  }
  return out;
}

const ORDER: Record<Goal, number> = { as_routed: 0, dispatched: 1, in_progress: 2, replied: 3, closed: 4 };
const REACHED: Partial<Record<TicketStatus, number>> = { dispatched: 1, transferred: 1, in_progress: 2, replied: 3, closed: 4 };

/**
 * Seeds the demo city's 网络问政 with real messages, submitted and moved along the flow through the service by the
 * demo staff (routing, working-day deadlines and the audit trail all apply). Idempotent: each message has an external
 * id, and each step is taken only when the ticket is not yet there, so a second run (or one after a restart midway)
 * adds nothing twice. Only with `config.demo`, and after the demo city (departments, accounts); else does nothing.
 */
export async function seedMessagesDemo(services: Services): Promise<{ created: number; steps: number }> {
  // Demo installations only: never sample tickets in production.
  if (!services.config.demo) return { created: 0, steps: 0 };
  const db = services.database.db;
  const user = async (login: { username?: string; mobile?: string }): Promise<Principal | undefined> => {
    const u = await identityRepository.findUserByLogin(db, login);
    return u ? principalOf(u) : undefined;
  };
  const [clerk, supervisor, citizen] = [await user({ username: 'clerk' }), await user({ username: 'supervisor' }), await user({ mobile: '13800138000' })];
  const hrss = await identityRepository.findDepartmentByCode(db, 'A-HRSS');
  if (!clerk || !supervisor || !citizen || !hrss) return { created: 0, steps: 0 };
  const m = services.messages;
  await m.warmUp();
  const rows = sourceRows();
  let created = 0;
  let steps = 0;
  const must = <T>(r: { ok: true; value: T } | { ok: false; error: { code: string } }, what: string): T => {
    if (!r.ok) throw new Error(`messages demo seed: ${what}: ${r.error.code}`);
    return r.value;
  };
  for (const d of DEMO_TICKETS) {
    const src = rows.get(d.id);
    if (!src) continue;
    // The service whose clock says when the message came in (set back for the late one).
    const intake = d.daysAgo
      ? new MessagesService(db, services.audit, {
          allowAnonymous: false,
          classifier: { classify: (x) => m.classify(x.title, x.content) },
          now: () => new Date(Date.now() - (d.daysAgo ?? 0) * 86_400_000),
        })
      : m;
    const raw = {
      type: d.type, title: src.title.trim(), content: src.detail.replace(/\s+/g, ''), district: d.district, publishConsent: true,
      ...(d.citizen ? { contactName: '张三', contactPhone: '13800138000' } : {}),
    };
    const out = must(await intake.submit(d.citizen ? citizen : SYSTEM, raw, { channel: d.citizen ? 'web' : 'import', externalId: `demo-seed:${d.id}` }), `message ${d.id}`);
    if (!out.replayed) created++;
    // Move it along until it has reached its goal; each step only when the ticket is before it.
    for (let guard = 0; guard < 8; guard++) {
      const t = must(await m.ticket(SYSTEM, out.ticketId), `ticket ${d.id}`);
      const at = t.departmentId === null ? 0 : REACHED[t.status] ?? 0;
      const wanted = ORDER[d.goal];
      if (d.goal === 'as_routed' || (at >= wanted && (t.departmentId === hrss.id || at >= 3))) break;
      let r;
      if (t.status === 'received' || t.status === 'returned') r = await m.act(supervisor, t.id, 'dispatch', { departmentId: hrss.id, note: '属人社局职责，请办理（演示数据）。' });
      else if (t.departmentId !== hrss.id && at <= 2) r = await m.act(supervisor, t.id, 'transfer', { departmentId: hrss.id, note: '属人社局职责，转人社局办理（演示数据）。' });
      else if (t.status === 'dispatched' || t.status === 'transferred') r = await m.act(clerk, t.id, 'accept');
      else if (t.status === 'in_progress') r = await m.act(clerk, t.id, 'reply', { reply: d.reply ?? '您好！已收悉，正在核实办理。' });
      else if (t.status === 'replied') r = await m.act(supervisor, t.id, 'callback', { rating: 5, note: '电话回访，来信人对办理结果表示满意（演示数据）。' });
      else break;
      must(r, `ticket ${d.id} from ${t.status}`);
      steps++;
    }
  }
  // The late one is past its time limit: escalate it now rather than at the next 10-minute tick.
  await m.escalateOverdue();
  return { created, steps };
}
