import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { RequestMethod } from '@nestjs/common';
import { AdminModule } from '../admin.module';
import { ADMIN_ROUTES } from '../testing/admin-routes';
import { createAdminTestApp, START_TIMEOUT_MS, type AdminTestApp } from '../testing/admin-test-app';

/** `/api/v1/providers/:id` as OpenAPI writes it: `/api/v1/providers/{id}`. */
const openApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');

/** Every route the admin module's controllers declare, from Nest's own metadata. */
function declaredRoutes(): string[] {
  const controllers: Array<new (...args: never[]) => object> = Reflect.getMetadata('controllers', AdminModule);
  return controllers.flatMap((controller) => {
    const base: string = Reflect.getMetadata(PATH_METADATA, controller);
    const prototype = controller.prototype as Record<string, unknown>;
    return Object.getOwnPropertyNames(prototype)
      .filter((name) => name !== 'constructor' && Reflect.hasMetadata(PATH_METADATA, prototype[name] as object))
      .map((name) => {
        const handler = prototype[name] as object;
        const path: string = Reflect.getMetadata(PATH_METADATA, handler);
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
        return `${method} ${path === '/' ? base : `${base}/${path}`}`;
      });
  });
}

describe('the OpenAPI document', () => {
  let t: AdminTestApp;
  let document: any;

  beforeAll(async () => {
    t = await createAdminTestApp({ openApi: true });
    const response = await t.request({ method: 'GET', url: '/api/docs-json', headers: { authorization: undefined } });
    expect(response.statusCode).toBe(200);
    document = response.json();
  }, START_TIMEOUT_MS);

  afterAll(async () => {
    await t.close();
  });

  const operation = (method: string, path: string) => document.paths[openApiPath(path)]?.[method.toLowerCase()];
  const schema = (ref: string) => document.components.schemas[ref.replace('#/components/schemas/', '')];

  it('is served without a token, as is Swagger UI', async () => {
    const ui = await t.request({ method: 'GET', url: '/api/docs', headers: { authorization: undefined } });

    expect(document.openapi).toMatch(/^3\./);
    expect(ui.statusCode).toBe(200);
    expect(ui.headers['content-type']).toMatch(/text\/html/);
  });

  it('lists every route of the admin API, and only those', () => {
    const documented = Object.entries(document.paths as Record<string, object>).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
    );
    const declared = declaredRoutes().map((route) => openApiPath(route));

    expect(documented.sort()).toEqual(declared.sort());
    expect(documented.every((route) => / \/api\/v1\//.test(route))).toBe(true);
  });

  it('has a row in the permission matrix for every route', () => {
    const inMatrix = ADMIN_ROUTES.map((route) => `${route.method} ${route.path}`);

    expect(inMatrix.sort()).toEqual(declaredRoutes().sort());
  });

  it('declares bearer auth on every operation, with the role it needs', () => {
    expect(document.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    for (const route of ADMIN_ROUTES) {
      const op = operation(route.method, route.path);

      expect({ route: route.path, security: op.security }).toEqual({ route: route.path, security: [{ bearer: [] }] });
      expect({ route: route.path, role: op['x-hookline-role'] }).toEqual({ route: route.path, role: route.role });
      expect(op.responses).toHaveProperty('401');
      expect(op.responses).toHaveProperty('403');
      expect(op.summary).toEqual(expect.any(String));
    }
    expect(operation('GET', '/api/v1/messages/:id/payload')['x-hookline-details']).toBe(true);
  });

  it('gives each body its schema', () => {
    const body = (method: string, path: string) =>
      schema(operation(method, path).requestBody.content['application/json'].schema.$ref);

    expect(body('POST', '/api/v1/providers').properties).toHaveProperty('matchScript');
    expect(body('POST', '/api/v1/providers').properties).toHaveProperty('dedupHeader');
    expect(body('PATCH', '/api/v1/providers/:id').properties).toHaveProperty('properties');
    expect(body('PUT', '/api/v1/providers/order').required).toEqual(['ids']);
    expect(body('POST', '/api/v1/functions').required).toEqual(
      expect.arrayContaining(['name', 'providerId', 'uri', 'script']),
    );
    expect(body('PATCH', '/api/v1/functions/:id').properties).toHaveProperty('script');
    expect(body('POST', '/api/v1/resubmissions').properties).toHaveProperty('ratePerSecond');
    // Updates derive from creations, but a PATCH has no defaults and requires nothing.
    expect(body('POST', '/api/v1/providers').properties.active.default).toBe(true);
    expect(body('PATCH', '/api/v1/providers/:id').properties.active).not.toHaveProperty('default');
    expect(body('PATCH', '/api/v1/providers/:id').properties.dedupHeader.description).toMatch(/Null stops/);
    expect(body('PATCH', '/api/v1/providers/:id').properties).not.toHaveProperty('template');
    expect(body('PATCH', '/api/v1/functions/:id')).not.toHaveProperty('required');
    expect(body('PATCH', '/api/v1/functions/:id').properties.active).not.toHaveProperty('default');
    expect(body('POST', '/api/v1/tokens').properties.role.enum).toEqual(['viewer', 'operator', 'admin']);
    for (const route of ADMIN_ROUTES.filter((r) => ['POST', 'PUT', 'PATCH'].includes(r.method))) {
      const op = operation(route.method, route.path);
      // Resubmit, cancel and retry take no body; every other write does.
      if (!/\/(resubmit|cancel|retry)$/.test(route.path))
        expect({ route: route.path, body: !!op.requestBody }).toEqual({ route: route.path, body: true });
    }
  });

  it('documents the limits the validator enforces', () => {
    const body = (method: string, path: string) =>
      schema(operation(method, path).requestBody.content['application/json'].schema.$ref).properties;
    const query = (path: string, name: string) =>
      operation('GET', path).parameters.find((p: { name: string }) => p.name === name).schema;

    expect(body('POST', '/api/v1/providers').name.maxLength).toBe(200);
    expect(body('PATCH', '/api/v1/providers/:id').description.maxLength).toBe(2000);
    expect(body('POST', '/api/v1/providers').dedupHeader.pattern).toBe("^[!#$%&'*+.^_`|~0-9A-Za-z-]+$");
    expect(body('PATCH', '/api/v1/providers/:id').dedupWindowSeconds).toMatchObject({ minimum: 1, maximum: 31536000 });
    expect(schema('#/components/schemas/RateLimitDto').properties.burst).toMatchObject({ minimum: 1 });
    expect(body('POST', '/api/v1/tokens').name.maxLength).toBe(100);
    expect(query('/api/v1/audit', 'action').maxLength).toBe(100);
    expect(query('/api/v1/messages', 'limit')).toMatchObject({ minimum: 1, maximum: 200 });
    expect(query('/api/v1/executions', 'status').enum).toContain('PENDING');
  });

  it('gives each parameter, path and query', () => {
    const parameters = (method: string, path: string) =>
      (operation(method, path).parameters ?? []).map((p: { name: string; in: string }) => `${p.in}:${p.name}`);

    expect(parameters('GET', '/api/v1/messages')).toEqual(
      expect.arrayContaining([
        'query:limit',
        'query:cursor',
        'query:status',
        'query:providerId',
        'query:q',
        'query:from',
      ]),
    );
    expect(parameters('GET', '/api/v1/executions')).toEqual(
      expect.arrayContaining(['query:functionId', 'query:status']),
    );
    expect(parameters('GET', '/api/v1/audit')).toEqual(
      expect.arrayContaining(['query:limit', 'query:cursor', 'query:action', 'query:targetId']),
    );
    expect(parameters('GET', '/api/v1/functions')).toEqual(['query:providerId']);
    for (const route of ADMIN_ROUTES.filter((r) => r.path.includes(':id'))) {
      expect({ route: route.path, parameters: parameters(route.method, route.path) }).toEqual({
        route: route.path,
        parameters: expect.arrayContaining(['path:id']),
      });
    }
  });

  it('describes responses, with headers and query as what only details tokens see', () => {
    const ok = (method: string, path: string, status = '200') =>
      operation(method, path).responses[status].content['application/json'].schema;

    expect(schema(ok('GET', '/api/v1/messages/:id').$ref).properties.headers.description).toMatch(/details/);
    expect(schema(ok('GET', '/api/v1/messages/:id').$ref).required).not.toContain('headers');
    expect(schema(ok('POST', '/api/v1/tokens', '201').$ref).properties).toHaveProperty('secret');
    expect(schema(ok('GET', '/api/v1/tokens').items.$ref).properties).not.toHaveProperty('secret');
    expect(ok('GET', '/api/v1/providers').items.$ref).toMatch(/\/Provider$/);
  });
});
