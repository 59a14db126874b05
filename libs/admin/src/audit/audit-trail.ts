import type { EntityManager } from 'typeorm';
import { AuditStore, type AuditRecord } from '@hookline/persistence';
import { SECRET_MASK } from '../providers/provider-properties';

/** An audit entry without its author: the writer it goes through knows who that is. */
export type AuditChange = Omit<AuditRecord, 'tokenName'>;

/** Writes the audit entry of a change, in the change's own transaction. */
export type AuditWriter = (change: AuditChange) => Promise<void>;

/**
 * Writes what `tokenName` changed with `tx`, so the entry exists exactly when the change does.
 * Secret values are masked once more here, whatever the caller passed: a `{ secret: true, value }`
 * anywhere in before or after is written with `"****"`.
 */
export const writeAudit = (tx: EntityManager, tokenName: string, change: AuditChange): Promise<void> =>
  AuditStore.write(tx, {
    ...change,
    tokenName,
    before: maskSecretValues(change.before),
    after: maskSecretValues(change.after),
  });

export const auditWriter =
  (tx: EntityManager, tokenName: string): AuditWriter =>
  (change) =>
    writeAudit(tx, tokenName, change);

export function maskSecretValues(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskSecretValues);
  if (value === null || typeof value !== 'object') return value;
  const masked = Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, maskSecretValues(inner)]));
  if (masked.secret === true && 'value' in masked) masked.value = SECRET_MASK;
  return masked;
}
