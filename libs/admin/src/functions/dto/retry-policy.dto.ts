import { ApiProperty } from '@nestjs/swagger';
import { IsInt } from 'class-validator';
import { RETRY_MAX_ATTEMPTS, RETRY_MAX_BACKOFF_MS, RETRY_MIN_BACKOFF_MS, type RetryPolicy } from '@hookline/contracts';
import { Between } from '../../validation/limits';
import { IsRequired } from '../../validation/validators';

/** A failed run (script error, timeout, sandbox limit) is tried again; each try is an execution. */
export class RetryPolicyDto implements RetryPolicy {
  @ApiProperty({ description: 'Tries in all, the first included.' })
  @Between(2, RETRY_MAX_ATTEMPTS)
  @IsInt()
  @IsRequired()
  maxAttempts: number;

  @ApiProperty({
    description: `Wait before the second try; it doubles before each further one, up to ${RETRY_MAX_BACKOFF_MS} ms.`,
  })
  @Between(RETRY_MIN_BACKOFF_MS, RETRY_MAX_BACKOFF_MS)
  @IsInt()
  @IsRequired()
  backoffMs: number;
}
