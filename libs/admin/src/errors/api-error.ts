import { HttpException, HttpStatus } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';

/** The JSON body of every admin API error: a stable `error` code and a human `message`. */
@ApiSchema({ name: 'ApiError' })
export class ApiErrorBody {
  [detail: string]: unknown;

  @ApiProperty({ description: 'A stable code: `validation_failed`, `unauthorized`, `forbidden`, `not_found`…' })
  error: string;

  @ApiProperty({ description: 'What went wrong, for people.' })
  message: string;

  @ApiPropertyOptional({ description: 'The request field at fault, as a path: `properties[1].name`.' })
  field?: string;
}

/**
 * An error the admin API answers as it is. It is an HttpException, so even a filter other than
 * ours sends the same status and body.
 */
export class ApiError extends HttpException {
  constructor(
    status: number,
    readonly body: ApiErrorBody,
    readonly headers: Record<string, string> = {},
  ) {
    super(body, status);
  }
}

export class ValidationFailedError extends ApiError {
  constructor(field: string | undefined, message: string) {
    super(HttpStatus.BAD_REQUEST, { error: 'validation_failed', message, ...(field ? { field } : {}) });
  }
}

/** Line and column are 1-based, in the script as the user wrote it. */
export class ScriptSyntaxError extends ApiError {
  constructor(field: string, line: number, column: number, reason: string) {
    super(HttpStatus.BAD_REQUEST, {
      error: 'script_syntax_error',
      message: `${field} has a syntax error at line ${line}, column ${column}: ${reason}`,
      field,
      line,
      column,
    });
  }
}

/** A secret was sent to be stored, but this server has no key to encrypt it with. */
export class SecretsKeyMissingApiError extends ApiError {
  constructor(field: string, property: string) {
    super(HttpStatus.INTERNAL_SERVER_ERROR, {
      error: 'secrets_key_missing',
      message: `secret property '${property}' cannot be stored: no secrets key is configured on the server (set SECRETS_KEYS)`,
      field,
    });
  }
}

export class NotFoundError extends ApiError {
  constructor(kind: string, id: string) {
    super(HttpStatus.NOT_FOUND, { error: 'not_found', message: `${kind} '${id}' not found` });
  }
}

export class ConflictError extends ApiError {
  constructor(error: string, message: string, field?: string) {
    super(HttpStatus.CONFLICT, { error, message, ...(field ? { field } : {}) });
  }
}

export class UnauthorizedError extends ApiError {
  constructor(message: string) {
    super(
      HttpStatus.UNAUTHORIZED,
      { error: 'unauthorized', message },
      { 'www-authenticate': 'Bearer realm="hookline-admin"' },
    );
  }
}

/** A known token whose role (or missing details permission) does not allow the route. */
export class ForbiddenError extends ApiError {
  constructor(message: string) {
    super(HttpStatus.FORBIDDEN, { error: 'forbidden', message });
  }
}

/** A service the route needs could not be reached (503); nothing was done. */
export class ServiceUnavailableError extends ApiError {
  constructor(error: string, message: string) {
    super(HttpStatus.SERVICE_UNAVAILABLE, { error, message });
  }
}

/** What the route waited for did not come in time (504). */
export class GatewayTimeoutError extends ApiError {
  constructor(error: string, message: string) {
    super(HttpStatus.GATEWAY_TIMEOUT, { error, message });
  }
}
