import { sql, type Kysely } from 'kysely';
import { GENESIS_HASH } from '../../../lib/hashchain.ts';

/**
 * The chain head exists from the first migration on: an unsigned genesis row (position 0, the genesis hash, an empty
 * MAC that the sealer replaces with a signed one at its first batch). So a missing head is always tampering, and
 * `verify` says so even when the entries and seals were deleted with it. An installation whose head already exists
 * keeps it (`on conflict do nothing`).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`insert into audit_head (id, last_seq, last_hash, mac, sealed_at)
    values (1, 0, ${GENESIS_HASH}, '', now()) on conflict (id) do nothing`.execute(db);
}
