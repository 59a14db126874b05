import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsNotEmpty, IsString, Matches } from 'class-validator';
import { normaliseUri } from '@hookline/contracts';

/** A function URI as messages carry it: `/git/push/` is stored as `git/push`. */
export const IsFunctionUri = (): PropertyDecorator =>
  applyDecorators(
    // Applied in this order, so checked in this order.
    Transform(({ value }) => (typeof value === 'string' ? normaliseUri(value) : value)),
    IsString(),
    IsNotEmpty({ message: '$property must not be empty (slashes at either end are removed)' }),
    Matches(/^[^?]*$/, { message: '$property must not contain "?": the query string is not part of a URI' }),
  );
