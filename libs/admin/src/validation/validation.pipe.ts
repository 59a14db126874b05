import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { ValidationFailedError } from '../errors/api-error';

/**
 * Validates bodies and queries against their DTO class: unknown fields are refused, and the first
 * problem is answered as `validation_failed` naming its field.
 */
export class AdminValidationPipe extends ValidationPipe {
  constructor() {
    super({
      transform: true,
      whitelist: true,
      forbidNonWhitelisted: true,
      stopAtFirstError: true,
      validationError: { target: false, value: false },
      exceptionFactory: (errors) => {
        const problem = firstProblem(errors);
        return new ValidationFailedError(problem?.field, problem?.message ?? 'the request is not valid');
      },
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // Otherwise a string or an array would be reported as an object with every field missing.
    if (metadata.type === 'body' && (typeof value !== 'object' || value === null || Array.isArray(value))) {
      throw new ValidationFailedError(undefined, 'the request body must be a JSON object');
    }
    return super.transform(value, metadata);
  }
}

/** The first failing constraint, depth first, with its field as a path: `properties[1].name`. */
export function firstProblem(errors: ValidationError[], parent = ''): { field: string; message: string } | null {
  for (const error of errors) {
    const field = fieldPath(parent, error.property);
    const messages = Object.values(error.constraints ?? {});
    if (messages.length > 0) {
      // class-validator starts its messages with the bare property name; show the whole path instead.
      const message = messages[0].startsWith(`${error.property} `)
        ? `${field}${messages[0].slice(error.property.length)}`
        : messages[0];
      return { field, message };
    }
    const nested = firstProblem(error.children ?? [], field);
    if (nested) return nested;
  }
  return null;
}

function fieldPath(parent: string, property: string): string {
  if (!parent) return property;
  return /^\d+$/.test(property) ? `${parent}[${property}]` : `${parent}.${property}`;
}
