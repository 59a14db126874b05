import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import type { AuditEntry } from '@hookline/persistence';

/** The actions written to the audit log. */
export const AUDIT_ACTIONS = [
  'provider.create',
  'provider.update',
  'provider.delete',
  'provider.reorder',
  'function.create',
  'function.update',
  'function.delete',
  'token.create',
  'token.delete',
  'message.resubmit',
  'resubmission.create',
  'resubmission.cancel',
  'deadletter.retry',
] as const;

@ApiSchema({ name: 'AuditEntry' })
export class AuditEntryResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'date-time' })
  at: string;

  @ApiProperty({ description: 'The name of the token that made the change (`admin` for ADMIN_TOKEN).' })
  tokenName: string;

  @ApiProperty({ enum: AUDIT_ACTIONS })
  action: string;

  @ApiProperty({ enum: ['provider', 'function', 'token', 'message', 'resubmission', 'deadletter'] })
  targetType: string;

  @ApiProperty({ type: String, nullable: true, description: 'Null for a reorder of every provider.' })
  targetId: string | null;

  @ApiProperty({ nullable: true, description: 'The target before the change, secrets masked; null for a creation.' })
  before: unknown;

  @ApiProperty({ nullable: true, description: 'The target after the change, secrets masked; null for a deletion.' })
  after: unknown;
}

@ApiSchema({ name: 'AuditPage' })
export class AuditPageResponse {
  @ApiProperty({ type: [AuditEntryResponse] })
  items: AuditEntryResponse[];

  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'Pass as `cursor` for the next (older) page; null on the last page.',
  })
  nextCursor: string | null;
}

export const toAuditEntryResponse = (entry: AuditEntry): AuditEntryResponse => ({
  id: entry.id,
  at: entry.at.toISOString(),
  tokenName: entry.tokenName,
  action: entry.action,
  targetType: entry.targetType,
  targetId: entry.targetId,
  before: entry.before,
  after: entry.after,
});
