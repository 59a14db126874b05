import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';
import { RETRY_MAX_ATTEMPTS, RETRY_MAX_BACKOFF_MS, RETRY_MIN_BACKOFF_MS, type RetryPolicy } from '@hookline/contracts';
import { IsRequired } from '../../validation/validators';

/** A failed run (script error, timeout, sandbox limit) is tried again; each try is an execution. */
export class RetryPolicyDto implements RetryPolicy {
  @ApiProperty({ minimum: 2, maximum: RETRY_MAX_ATTEMPTS, description: 'Tries in all, the first included.' })
  @Max(RETRY_MAX_ATTEMPTS)
  @Min(2)
  @IsInt()
  @IsRequired()
  maxAttempts: number;

  @ApiProperty({
    minimum: RETRY_MIN_BACKOFF_MS,
    maximum: RETRY_MAX_BACKOFF_MS,
    description: `Wait before the second try; it doubles before each further one, up to ${RETRY_MAX_BACKOFF_MS} ms.`,
  })
  @Max(RETRY_MAX_BACKOFF_MS)
  @Min(RETRY_MIN_BACKOFF_MS)
  @IsInt()
  @IsRequired()
  backoffMs: number;
}
