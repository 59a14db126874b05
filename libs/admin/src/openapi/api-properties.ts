import { ApiProperty } from '@nestjs/swagger';

// How the response classes document the kinds of field they all have.

export const NullableString = (description?: string): PropertyDecorator =>
  ApiProperty({ type: String, nullable: true, description });

export const Time = (description?: string): PropertyDecorator =>
  ApiProperty({ type: String, format: 'date-time', description });

export const NullableTime = (description?: string): PropertyDecorator =>
  ApiProperty({ type: String, format: 'date-time', nullable: true, description });

export const Uuid = (description?: string): PropertyDecorator =>
  ApiProperty({ type: String, format: 'uuid', description });

export const NullableUuid = (description?: string): PropertyDecorator =>
  ApiProperty({ type: String, format: 'uuid', nullable: true, description });

/** The `nextCursor` of a page read newest first. */
export const NextCursor = (): PropertyDecorator =>
  ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'Pass as `cursor` for the next (older) page; null on the last page.',
  });
