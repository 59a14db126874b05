import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import type { Caller } from '../../auth/admin-token.guard';
import { ROLES, type Role } from '../../auth/roles';

/** Who the token is: what a client needs to show only what the token may do. */
@ApiSchema({ name: 'Session' })
export class SessionResponse {
  @ApiProperty({ description: 'The token name (`admin` for ADMIN_TOKEN).' })
  name: string;

  @ApiProperty({ enum: ROLES })
  role: Role;

  @ApiProperty({ description: 'May see message headers, query strings and payloads.' })
  details: boolean;
}

export const toSessionResponse = (caller: Caller): SessionResponse => ({
  name: caller.name,
  role: caller.role,
  details: caller.details,
});
