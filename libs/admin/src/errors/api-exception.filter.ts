import { HttpStatus, type ArgumentsHost, Catch, HttpException } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createLogger } from '@hookline/config';
import { ADMIN_API_PREFIX } from '../admin-api.constants';
import { ApiError, type ApiErrorBody } from './api-error';

const CODES: Record<number, string> = {
  [HttpStatus.BAD_REQUEST]: 'invalid_request',
  [HttpStatus.UNAUTHORIZED]: 'unauthorized',
  [HttpStatus.FORBIDDEN]: 'forbidden',
  [HttpStatus.NOT_FOUND]: 'not_found',
  [HttpStatus.METHOD_NOT_ALLOWED]: 'method_not_allowed',
  [HttpStatus.PAYLOAD_TOO_LARGE]: 'payload_too_large',
  [HttpStatus.UNSUPPORTED_MEDIA_TYPE]: 'unsupported_media_type',
};

/**
 * Answers every error of an admin request as `{ error, message, field? }` JSON. The admin
 * controllers use it directly; it is also registered globally because errors raised before Nest
 * reaches a controller (an unparsable JSON body, an unknown admin route) only meet global filters.
 * Requests outside the admin API get Nest's default handling, unchanged; errors outside HTTP are
 * rethrown.
 */
@Catch()
export class ApiExceptionFilter extends BaseExceptionFilter {
  private readonly log = createLogger('admin-api');

  override catch(exception: unknown, host: ArgumentsHost): void {
    // Bus consumers share the application: their failures must reach the transport (to be retried).
    if (host.getType() !== 'http') throw exception;
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    if (!isAdminRequest(request)) return super.catch(exception, host);
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const { status, body, headers } = this.describe(exception, request);
    if (reply.sent) return;
    void reply.code(status).headers(headers).send(body);
  }

  private describe(
    exception: unknown,
    request: FastifyRequest,
  ): { status: number; body: ApiErrorBody; headers: Record<string, string> } {
    if (exception instanceof ApiError) {
      // A server-side problem with a code of its own (a missing secrets key): the operator must see it too.
      if (exception.getStatus() >= 500) {
        this.log.error({ method: request.method, url: request.url, ...exception.body }, 'admin request refused');
      }
      return { status: exception.getStatus(), body: exception.body, headers: exception.headers };
    }
    if (exception instanceof HttpException && exception.getStatus() < 500) {
      // Raised by Fastify or Nest before our code ran: a body that is not JSON, an unknown route...
      const status = exception.getStatus();
      const message =
        status === HttpStatus.BAD_REQUEST ? `the request could not be read: ${exception.message}` : exception.message;
      return { status, body: { error: CODES[status] ?? 'http_error', message }, headers: {} };
    }
    this.log.error({ err: exception, method: request.method, url: request.url }, 'admin request failed');
    return {
      status: HttpStatus.INTERNAL_SERVER_ERROR,
      body: { error: 'internal_error', message: 'the admin API failed to handle the request; see the server log' },
      headers: {},
    };
  }
}

function isAdminRequest(request: FastifyRequest): boolean {
  const path = request.url.split('?', 1)[0];
  return path === ADMIN_API_PREFIX || path.startsWith(`${ADMIN_API_PREFIX}/`);
}
