import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import type { FunctionEntity } from '@hookline/persistence';
import { NullableString, Time, Uuid } from '../../openapi/api-properties';
import { RetryPolicyDto } from './retry-policy.dto';

@ApiSchema({ name: 'Function' })
export class FunctionResponse {
  @Uuid()
  id: string;

  @ApiProperty()
  name: string;

  @NullableString()
  description: string | null;

  @Uuid()
  providerId: string;

  @ApiProperty({ example: 'git/push' })
  uri: string;

  @ApiProperty()
  active: boolean;

  @ApiProperty()
  script: string;

  @ApiProperty({ type: RetryPolicyDto, nullable: true, description: 'Null: a failed run is not tried again.' })
  retry: RetryPolicyDto | null;

  @Time()
  createdAt: string;

  @Time()
  updatedAt: string;
}

export const toFunctionResponse = (fn: FunctionEntity): FunctionResponse => ({
  id: fn.id,
  name: fn.name,
  description: fn.description,
  providerId: fn.providerId,
  uri: fn.uri,
  active: fn.active,
  script: fn.script,
  retry: fn.retry ?? null,
  createdAt: fn.createdAt.toISOString(),
  updatedAt: fn.updatedAt.toISOString(),
});
