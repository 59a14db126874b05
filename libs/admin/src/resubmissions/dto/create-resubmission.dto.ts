import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsObject, ValidateBy, ValidateNested } from 'class-validator';
import { MessageFilterDto } from '../../messages/dto/history-filter.dto';
import { Between } from '../../validation/limits';
import { IsOmittable, IsRequired } from '../../validation/validators';

export const DEFAULT_RATE_PER_SECOND = 20;
export const MAX_RATE_PER_SECOND = 500;

const FILTER_FIELDS = ['status', 'providerId', 'functionId', 'uri', 'from', 'to', 'q'] as const;

/** Resubmitting every stored message is never what a typo should do. */
const NamesACriterion = (): PropertyDecorator =>
  ValidateBy({
    name: 'namesACriterion',
    validator: {
      validate: (value) =>
        typeof value === 'object' &&
        value !== null &&
        FILTER_FIELDS.some((field) => (value as any)[field] !== undefined),
      defaultMessage: () => `$property must name at least one of ${FILTER_FIELDS.join(', ')}`,
    },
  });

export class CreateResubmissionDto {
  /** The messages to resubmit, as the message list filters them. */
  @ApiProperty({
    type: MessageFilterDto,
    description: 'The messages to resubmit, as the message list filters them; at least one criterion.',
  })
  @NamesACriterion()
  @ValidateNested()
  @IsObject({ message: '$property must be an object' })
  @IsRequired()
  @Type(() => MessageFilterDto)
  filter: MessageFilterDto;

  @ApiPropertyOptional({
    default: DEFAULT_RATE_PER_SECOND,
    description: 'Messages resubmitted per second at most.',
  })
  @Between(1, MAX_RATE_PER_SECOND)
  @IsInt()
  @IsOmittable()
  ratePerSecond?: number;
}
