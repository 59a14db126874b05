import { createHash, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { HOOKLINE_CONFIG, type HooklineConfig } from '@hookline/config';
import { UnauthorizedError } from '../errors/api-error';

/** The name recorded for what the holder of ADMIN_TOKEN does (e.g. as `resubmittedBy`). */
export const ADMIN_TOKEN_NAME = 'admin';

/** A request the guard let through, with the name of the token that authenticated it. */
export type AdminRequest = FastifyRequest & { adminTokenName?: string };

/** Lets a request through only with `Authorization: Bearer <ADMIN_TOKEN>`. */
@Injectable()
export class AdminTokenGuard implements CanActivate {
  /** Digests have a fixed length, so comparing them reveals nothing about the token's length. */
  private readonly expected: Buffer | null;

  constructor(@Inject(HOOKLINE_CONFIG) config: HooklineConfig) {
    this.expected = config.adminToken ? digest(config.adminToken) : null;
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<AdminRequest>();
    if (!this.expected) {
      throw new UnauthorizedError('the admin API is disabled because ADMIN_TOKEN is not set');
    }
    const token = bearerToken(request.headers.authorization);
    if (token === null) {
      throw new UnauthorizedError('send the admin token as an "Authorization: Bearer <token>" header');
    }
    if (!timingSafeEqual(digest(token), this.expected)) {
      throw new UnauthorizedError('the admin token is not valid');
    }
    request.adminTokenName = ADMIN_TOKEN_NAME;
    return true;
  }
}

function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer +(\S+) *$/i.exec(header ?? '');
  return match ? match[1] : null;
}

const digest = (token: string): Buffer => createHash('sha256').update(token, 'utf8').digest();
