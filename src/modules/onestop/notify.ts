import { sql } from 'kysely';
import type { Tx } from '../../db/tx.ts';
import { inTransaction } from '../../db/tx.ts';

/** One message for one person. */
export interface OutgoingMessage {
  to: string;
  subject: string;
  body: string;
}

/** A delivery channel; failures are values (the outbox retries them). */
export interface Channel {
  readonly name: 'email' | 'sms';
  send(msg: OutgoingMessage): Promise<{ ok: true } | { ok: false; error: string }>;
}

/** An SMS gateway adapter: implement `send` for the operator's gateway (Aliyun, Tencent Cloud, a carrier …). */
export interface SmsAdapter extends Channel {
  readonly name: 'sms';
}

export interface SmtpOptions {
  host: string;
  port: number;
  /** TLS from the start (465); otherwise STARTTLS when offered. */
  secure?: boolean;
  user?: string;
  pass?: string;
  from: string;
  /** Accept self-signed certificates (tests, internal relays). */
  allowSelfSigned?: boolean;
}

/** E-mail over SMTP with nodemailer. */
export async function smtpChannel(o: SmtpOptions): Promise<Channel> {
  const { createTransport } = await import('nodemailer');
  const transport = createTransport({
    host: o.host,
    port: o.port,
    secure: o.secure ?? false,
    ...(o.user ? { auth: { user: o.user, pass: o.pass ?? '' } } : {}),
    ...(o.allowSelfSigned ? { tls: { rejectUnauthorized: false } } : {}),
  });
  return {
    name: 'email',
    async send(msg) {
      try {
        await transport.sendMail({ from: o.from, to: msg.to, subject: msg.subject, text: msg.body });
        return { ok: true };
      } catch (e) {
        return { ok: false, error: (e as Error).message.slice(0, 200) };
      }
    },
  };
}

/** An SMS adapter that keeps messages in memory (demo and tests); production plugs in a gateway's adapter. */
export class MemorySms implements SmsAdapter {
  readonly name = 'sms' as const;
  readonly sent: OutgoingMessage[] = [];
  async send(msg: OutgoingMessage): Promise<{ ok: true }> {
    this.sent.push(msg);
    return { ok: true };
  }
}

const MAX_ATTEMPTS = 5;

/**
 * Delivers the outbox: every pending message addressed to a user goes out on each configured channel the user can
 * be reached by (e-mail address, mobile number). Rows are claimed with SKIP LOCKED, so several app servers can
 * deliver at once without sending twice. Messages without a user (department and supervisor notices) stay in the
 * outbox, which the staff pages show.
 */
export async function deliverOutbox(db: Tx, channels: readonly Channel[], limit = 50): Promise<{ sent: number; failed: number }> {
  if (!channels.length) return { sent: 0, failed: 0 };
  return inTransaction(db, async (tx) => {
    const rows = await sql<{ id: number; subject: string; body: string; attempts: number; email: string | null; mobile: string | null }>`
      select o.id, o.subject, o.body, o.attempts, u.email, u.mobile
      from svc_outbox o join users u on u.id = o.user_id
      where o.status = 'pending' and o.user_id is not null
      order by o.id
      limit ${limit}
      for update of o skip locked`.execute(tx);
    let sent = 0;
    let failed = 0;
    for (const r of rows.rows) {
      let any = false;
      let error = '';
      for (const ch of channels) {
        const to = ch.name === 'email' ? r.email : r.mobile;
        if (!to) continue;
        const res = await ch.send({ to, subject: r.subject, body: r.body });
        if (res.ok) any = true;
        else error = res.error;
      }
      const attempts = r.attempts + 1;
      const status = any || !error ? 'sent' : attempts >= MAX_ATTEMPTS ? 'failed' : 'pending';
      await tx.updateTable('svc_outbox').set({ status, attempts, ...(status === 'sent' ? { sent_at: new Date() } : {}) }).where('id', '=', r.id).execute();
      if (status === 'sent') sent++;
      else failed++;
    }
    return { sent, failed };
  });
}
