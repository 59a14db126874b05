import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension, ApiForbiddenResponse } from '@nestjs/swagger';
import { ApiErrorBody } from '../errors/api-error';
import type { Role } from './roles';

/** What a route needs of the token that calls it. */
export interface RoutePermission {
  role: Role;
  /** The route shows what only `details` tokens may see (a message's payload). */
  details: boolean;
}

export const ROUTE_PERMISSION = 'hookline:route-permission';

/**
 * The least role a route needs; every admin route must name one (a route without it answers 500,
 * never lets a request through). `details: true` also requires the details permission.
 */
export const RequireRole = (role: Role, options: { details?: boolean } = {}): MethodDecorator & ClassDecorator => {
  const permission: RoutePermission = { role, details: options.details ?? false };
  return applyDecorators(
    SetMetadata(ROUTE_PERMISSION, permission),
    ApiExtension('x-hookline-role', role),
    ...(permission.details ? [ApiExtension('x-hookline-details', true)] : []),
    ApiForbiddenResponse({
      description: `The token's role is below \`${role}\`${permission.details ? ', or it lacks the `details` permission' : ''}.`,
      type: ApiErrorBody,
    }),
  );
};
