import { createHash, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { HOOKLINE_CONFIG, type HooklineConfig } from '@hookline/config';
import { ApiTokenStore } from '@hookline/persistence';
import { ForbiddenError, UnauthorizedError } from '../errors/api-error';
import { ROUTE_PERMISSION, type RoutePermission } from './require-role.decorator';
import { roleAllows, type Role } from './roles';
import { secretSha256, TOKEN_PREFIX } from './token-secret';

/** The name recorded for what the holder of ADMIN_TOKEN does (e.g. as `resubmittedBy`). */
export const ADMIN_TOKEN_NAME = 'admin';

/** The token a request authenticated with. ADMIN_TOKEN has no id: it is not stored. */
export interface Caller {
  id: string | null;
  name: string;
  role: Role;
  details: boolean;
}

/** A request the guard let through, with the token that authenticated it. */
export type AdminRequest = FastifyRequest & { adminTokenName?: string; adminToken?: Caller };

const ONLY_API_TOKENS = 'ADMIN_TOKEN is not set: only tokens created with POST /api/v1/tokens are accepted';

const BOOTSTRAP: Caller = { id: null, name: ADMIN_TOKEN_NAME, role: 'admin', details: true };

/**
 * Lets a request through with `Authorization: Bearer <token>` when the token is ADMIN_TOKEN (an
 * admin that may see details) or one created with `POST /api/v1/tokens`, and its role is at least
 * what the route's `@RequireRole` asks: 401 for no token or an unknown one, 403 for too small a role.
 * Stored tokens are looked up on every request, so a deleted one stops working at once.
 */
@Injectable()
export class AdminTokenGuard implements CanActivate {
  /** Digests have a fixed length, so comparing them reveals nothing about the token's length. */
  private readonly expected: Buffer | null;

  constructor(
    @Inject(HOOKLINE_CONFIG) config: HooklineConfig,
    private readonly tokens: ApiTokenStore,
    private readonly reflector: Reflector,
  ) {
    this.expected = config.adminToken ? digest(config.adminToken) : null;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const permission = this.reflector.getAllAndOverride<RoutePermission | undefined>(ROUTE_PERMISSION, [
      context.getHandler(),
      context.getClass(),
    ]);
    // Fail closed: a route nobody gave a role to is nobody's.
    if (!permission) {
      throw new Error(`${context.getClass().name}.${context.getHandler().name} has no @RequireRole`);
    }
    const request = context.switchToHttp().getRequest<AdminRequest>();
    const caller = await this.authenticate(request.headers.authorization);
    request.adminToken = caller;
    request.adminTokenName = caller.name;
    if (!roleAllows(caller.role, permission.role)) {
      throw new ForbiddenError(`token '${caller.name}' has role ${caller.role}; this needs role ${permission.role}`);
    }
    if (permission.details && !caller.details) {
      throw new ForbiddenError(
        `token '${caller.name}' may not see message details (headers, query strings and payloads): it has no details permission`,
      );
    }
    return true;
  }

  private async authenticate(header: string | undefined): Promise<Caller> {
    const token = bearerToken(header);
    if (token === null) {
      throw new UnauthorizedError(
        this.expected
          ? 'send the admin token as an "Authorization: Bearer <token>" header'
          : `send a token as an "Authorization: Bearer <token>" header (${ONLY_API_TOKENS})`,
      );
    }
    if (this.expected && timingSafeEqual(digest(token), this.expected)) return BOOTSTRAP;
    // Anything else is looked up by its digest: only API tokens have this shape, so no query for the rest.
    const grant = token.startsWith(TOKEN_PREFIX) ? await this.tokens.authenticate(secretSha256(token)) : null;
    if (grant) return grant;
    throw new UnauthorizedError(
      this.expected ? 'the admin token is not valid' : `the token is not valid (${ONLY_API_TOKENS})`,
    );
  }
}

function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer +(\S+) *$/i.exec(header ?? '');
  return match ? match[1] : null;
}

const digest = (token: string): Buffer => createHash('sha256').update(token, 'utf8').digest();
