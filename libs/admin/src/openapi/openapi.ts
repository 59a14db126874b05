import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { AdminModule } from '../admin.module';

/** Swagger UI; the document itself is at `${OPENAPI_UI_PATH}-json`. Neither needs a token. */
export const OPENAPI_UI_PATH = '/api/docs';
export const OPENAPI_JSON_PATH = `${OPENAPI_UI_PATH}-json`;

/** The OpenAPI document of the admin API, from its controllers and DTOs. */
export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Hookline admin API')
    .setDescription(
      'Providers, functions, message history, resubmissions, API tokens and the audit log of Hookline. ' +
        'Every route needs `Authorization: Bearer <token>`: ADMIN_TOKEN, or a token created with ' +
        '`POST /api/v1/tokens`, whose role (`viewer` < `operator` < `admin`) must be at least the one ' +
        'the route names in `x-hookline-role`. Errors are `{ error, message, field? }`.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN or an API token (`hkl_…`)' })
    .build();
  return SwaggerModule.createDocument(app, config, { include: [AdminModule] });
}

/**
 * Serves the document at `/api/docs-json` and Swagger UI at `/api/docs`, without a token: they
 * describe the API, which is open source anyway, and hold no data. Call before the app starts.
 */
export function mountOpenApi(app: INestApplication): void {
  SwaggerModule.setup(OPENAPI_UI_PATH.slice(1), app, () => createOpenApiDocument(app), {
    jsonDocumentUrl: OPENAPI_JSON_PATH.slice(1),
    raw: ['json'],
  });
}
