import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsNumber } from 'class-validator';
import {
  RATE_LIMIT_MAX_BURST,
  RATE_LIMIT_MAX_PER_SECOND,
  RATE_LIMIT_MIN_PER_SECOND,
  type RateLimit,
} from '@hookline/contracts';
import { Between } from '../../validation/limits';
import { IsRequired } from '../../validation/validators';

/** A token bucket per ingress replica for the webhooks sent to the URIs of the provider's functions. */
export class RateLimitDto implements RateLimit {
  @ApiProperty({ description: 'Sustained webhooks per second, per ingress replica.' })
  @Between(RATE_LIMIT_MIN_PER_SECOND, RATE_LIMIT_MAX_PER_SECOND)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @IsRequired()
  perSecond: number;

  @ApiProperty({ description: 'Webhooks accepted at once above the rate.' })
  @Between(1, RATE_LIMIT_MAX_BURST)
  @IsInt()
  @IsRequired()
  burst: number;
}
