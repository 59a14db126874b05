import type { DataSource, EntityManager } from 'typeorm';
import { ConfigStore } from '@hookline/persistence';
import { auditWriter, type AuditWriter } from './audit/audit-trail';

/**
 * Runs a change of providers or functions in one transaction that bumps the configuration
 * revision, so caches reload. The bump comes first: its row lock makes concurrent changes take
 * turns, which keeps `max(sequence) + 1` and the reorder checks free of races.
 */
export function changeConfig<T>(db: DataSource, work: (tx: EntityManager) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await ConfigStore.bump(tx);
    return work(tx);
  });
}

/**
 * changeConfig for a change made through the API by `tokenName`: `audit` writes its audit entry in
 * the same transaction, so a change that fails leaves no entry and an entry never lacks its change.
 */
export function changeConfigAudited<T>(
  db: DataSource,
  tokenName: string,
  work: (tx: EntityManager, audit: AuditWriter) => Promise<T>,
): Promise<T> {
  return changeConfig(db, (tx) => work(tx, auditWriter(tx, tokenName)));
}

/** True for PostgreSQL's unique_violation on the given constraint (pg and PGlite alike). */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  const details = error as {
    code?: unknown;
    constraint?: unknown;
    driverError?: { code?: unknown; constraint?: unknown };
  };
  const code = details?.driverError?.code ?? details?.code;
  const name = details?.driverError?.constraint ?? details?.constraint;
  return code === '23505' && name === constraint;
}

/** The fields a PATCH sent: a DTO instance may carry its other declared fields as undefined. */
export const sentFields = (dto: object): string[] =>
  Object.entries(dto)
    .filter(([, value]) => value !== undefined)
    .map(([key]) => key);
