import { ok, type Result } from '../../lib/errors.ts';
import type { Principal } from '../identity/permissions.ts';
import type { Services } from '../../services.ts';
import { authorizeLeader } from './leader.permissions.ts';

type Value<T> = T extends Promise<Result<infer V>> ? V : never;
export type CaseFigures = Value<ReturnType<Services['onestop']['overview']>>;
export type MessageFigures = Value<ReturnType<Services['messages']['overview']>>;
export type OpinionFigures = Value<ReturnType<Services['opinion']['overview']>>;

/** The figures of the overview page; a block is null when its module is not installed or refuses the viewer. */
export interface Overview {
  cases: CaseFigures | null;
  messages: MessageFigures | null;
  opinion: OpinionFigures | null;
}

/**
 * The leaders' overview: reads the aggregate figures that the owning modules compute (each module checks the
 * viewer again with its own `*.overview` permission). Owns no tables and no SQL.
 */
export class LeaderService {
  constructor(private readonly services: Partial<Services>) {}

  async overview(p: Principal): Promise<Result<Overview>> {
    const a = authorizeLeader(p, 'leader.overview');
    if (!a.ok) return a;
    const { onestop, messages, opinion } = this.services;
    const [c, m, o] = await Promise.all([onestop?.overview(p), messages?.overview(p), opinion?.overview(p, 5)]);
    return ok({
      cases: c?.ok ? c.value : null,
      messages: m?.ok ? m.value : null,
      opinion: o?.ok ? o.value : null,
    });
  }
}
