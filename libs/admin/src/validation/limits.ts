import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsIn, Matches, Max, MaxLength, Min } from 'class-validator';

// A limit written once, for the validator and the OpenAPI document: each decorator registers the
// class-validator constraint (checked where the decorator stands among the others) and adds the
// schema keyword to the field's @ApiProperty, which it merges with whichever comes first.

/** At most `max` characters. */
export const MaxChars = (max: number): PropertyDecorator =>
  applyDecorators(MaxLength(max), ApiProperty({ maxLength: max }));

/** A number from `min` to `max`, both included. */
export const Between = (min: number, max: number): PropertyDecorator =>
  applyDecorators(Min(min), Max(max), ApiProperty({ minimum: min, maximum: max }));

/** One of `values`, named in the message. */
export const OneOf = (values: readonly string[]): PropertyDecorator =>
  applyDecorators(
    IsIn([...values], { message: `$property must be one of ${values.join(', ')}` }),
    ApiProperty({ enum: [...values] }),
  );

/** A string matching `pattern`; the message says what that means to a person. */
export const MatchesPattern = (pattern: RegExp, message: string): PropertyDecorator =>
  applyDecorators(Matches(pattern, { message }), ApiProperty({ pattern: pattern.source }));
