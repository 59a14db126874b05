import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsNumber, Max, Min } from 'class-validator';
import {
  RATE_LIMIT_MAX_BURST,
  RATE_LIMIT_MAX_PER_SECOND,
  RATE_LIMIT_MIN_PER_SECOND,
  type RateLimit,
} from '@hookline/contracts';
import { IsRequired } from '../../validation/validators';

/** A token bucket per ingress replica for the webhooks sent to the URIs of the provider's functions. */
export class RateLimitDto implements RateLimit {
  @ApiProperty({
    minimum: RATE_LIMIT_MIN_PER_SECOND,
    maximum: RATE_LIMIT_MAX_PER_SECOND,
    description: 'Sustained webhooks per second, per ingress replica.',
  })
  @Max(RATE_LIMIT_MAX_PER_SECOND)
  @Min(RATE_LIMIT_MIN_PER_SECOND)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @IsRequired()
  perSecond: number;

  @ApiProperty({ minimum: 1, maximum: RATE_LIMIT_MAX_BURST, description: 'Webhooks accepted at once above the rate.' })
  @Max(RATE_LIMIT_MAX_BURST)
  @Min(1)
  @IsInt()
  @IsRequired()
  burst: number;
}
