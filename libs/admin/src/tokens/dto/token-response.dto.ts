import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import type { ApiToken } from '@hookline/persistence';
import { ROLES, type Role } from '../../auth/roles';

/** A token as listed: never its secret. */
@ApiSchema({ name: 'Token' })
export class TokenResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  name: string;

  @ApiProperty({ enum: ROLES })
  role: Role;

  @ApiProperty({ description: 'May see message headers, query strings and payloads.' })
  details: boolean;

  @ApiProperty({ description: 'The name of the token that created it.' })
  createdBy: string;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'To the minute; null if never used.' })
  lastUsedAt: string | null;
}

/** The answer to creating a token: the only time its secret is shown. */
@ApiSchema({ name: 'CreatedToken' })
export class CreatedTokenResponse extends TokenResponse {
  @ApiProperty({
    description: 'Send as `Authorization: Bearer <secret>`. Shown this once: only its SHA-256 is stored.',
    example: 'hkl_3q2-8fJ0bqk1vZcV9nC0pS7yXy4r0Jq8m2QmHn6aW1E',
  })
  secret: string;
}

export const toTokenResponse = (token: ApiToken): TokenResponse => ({
  id: token.id,
  name: token.name,
  role: token.role,
  details: token.details,
  createdBy: token.createdBy,
  createdAt: token.createdAt.toISOString(),
  lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
});
