import type { PipeTransform } from '@nestjs/common';
import { validate as isUuid } from 'uuid';
import { NotFoundError } from '../errors/api-error';

/** An id in the path: one that cannot be a UUID names nothing, so it is answered 404 like an unknown one. */
export class ParseIdPipe implements PipeTransform<string, string> {
  constructor(private readonly kind: string) {}

  transform(value: string): string {
    if (!isUuid(value)) throw new NotFoundError(this.kind, value);
    return value.toLowerCase();
  }
}
