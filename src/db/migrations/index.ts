import type { Migration } from 'kysely/migration';
import * as m0001 from './0001_platform.ts';

/** Ordered migrations. Names sort in the order they run; a released migration never changes. */
export const migrations: Record<string, Migration> = {
  '0001_platform': m0001,
};
