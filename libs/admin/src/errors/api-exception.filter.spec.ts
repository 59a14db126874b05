import { createAdminTestApp, START_TIMEOUT_MS, type AdminTestApp } from '../testing/admin-test-app';
import { BadRequestException, Body, Controller, Get, Module, Post } from '@nestjs/common';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { RpcExceptionsHandler } from '@nestjs/microservices/exceptions/rpc-exceptions-handler';
import { ApiExceptionFilter } from './api-exception.filter';

@Controller('elsewhere')
class ElsewhereController {
  @Get('bad')
  bad(): never {
    throw new BadRequestException('not an admin error');
  }

  @Get('broken')
  broken(): never {
    throw new Error('secret internals');
  }

  @Post('echo')
  echo(@Body() body: unknown): unknown {
    return body;
  }
}

@Module({ controllers: [ElsewhereController] })
class ElsewhereModule {}

describe('admin API errors', () => {
  let t: AdminTestApp;

  beforeAll(async () => {
    t = await createAdminTestApp({ extraModules: [ElsewhereModule] });
  }, START_TIMEOUT_MS);

  afterAll(async () => {
    await t.close();
  });

  describe('on admin routes', () => {
    it('answers an unknown route with a JSON 404', async () => {
      const response = await t.request({ method: 'GET', url: '/api/v1/nothing-here' });

      expect(response.statusCode).toBe(404);
      expect(response.json()).toEqual({ error: 'not_found', message: 'Cannot GET /api/v1/nothing-here' });
    });

    it('answers a body that is not JSON with a JSON 400', async () => {
      const response = await t.request({
        method: 'PATCH',
        url: '/api/v1/providers/01a2258a-38e3-716c-a7fa-a6740525ddd7',
        headers: { 'content-type': 'application/json' },
        payload: "{ name: 'x' }",
      });

      expect(response.statusCode).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.json()).toEqual({
        error: 'invalid_request',
        message: expect.stringMatching(/^the request could not be read: .*JSON/),
      });
    });

    it('answers an empty JSON body with a JSON 400', async () => {
      const response = await t.request({
        method: 'POST',
        url: '/api/v1/providers',
        headers: { 'content-type': 'application/json' },
        payload: '',
      });

      expect(response.statusCode).toBe(400);
      expect(response.json().error).toBe('invalid_request');
    });

    it('answers a content type that cannot be read with a JSON 415', async () => {
      const response = await t.request({
        method: 'POST',
        url: '/api/v1/providers',
        headers: { 'content-type': 'application/octet-stream' },
        payload: Buffer.from('name=x'),
      });

      expect(response.statusCode).toBe(415);
      expect(response.json()).toEqual({ error: 'unsupported_media_type', message: expect.any(String) });
    });

    it('answers a body that is not a JSON object with a JSON 400', async () => {
      for (const [contentType, payload] of [
        ['text/plain', 'name=x'],
        ['application/json', '"name"'],
        ['application/json', '[]'],
        ['application/json', 'null'],
      ]) {
        const response = await t.request({
          method: 'POST',
          url: '/api/v1/providers',
          headers: { 'content-type': contentType },
          payload,
        });

        expect([payload, response.statusCode, response.json()]).toEqual([
          payload,
          400,
          { error: 'validation_failed', message: 'the request body must be a JSON object' },
        ]);
      }
    });
  });

  describe('on other routes', () => {
    it('leaves Nest’s own error bodies alone', async () => {
      const response = await t.request({ method: 'GET', url: '/elsewhere/bad' });

      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({ statusCode: 400, error: 'Bad Request', message: 'not an admin error' });
    });

    it('leaves unexpected errors to Nest', async () => {
      const response = await t.request({ method: 'GET', url: '/elsewhere/broken' });

      expect(response.statusCode).toBe(500);
      expect(response.json()).toEqual({ statusCode: 500, message: 'Internal server error' });
    });

    it('leaves unknown routes and unreadable bodies to Nest', async () => {
      const unknown = await t.request({ method: 'GET', url: '/nowhere' });
      const unreadable = await t.request({
        method: 'POST',
        url: '/elsewhere/echo',
        headers: { 'content-type': 'application/json' },
        payload: '{',
      });

      expect(unknown.statusCode).toBe(404);
      expect(unknown.json()).toMatchObject({ statusCode: 404, message: 'Cannot GET /nowhere' });
      expect(unreadable.statusCode).toBe(400);
      expect(unreadable.json()).toMatchObject({ statusCode: 400 });
      expect(unreadable.json().error).not.toBe('invalid_request');
    });

    it('runs without the admin token guard', async () => {
      const response = await t.request({
        method: 'POST',
        url: '/elsewhere/echo',
        headers: { authorization: undefined },
        payload: { a: 1 },
      });

      expect(response.statusCode).toBe(201);
      expect(response.json()).toEqual({ a: 1 });
    });
  });
});

describe('ApiExceptionFilter outside HTTP', () => {
  it('hands the errors of bus consumers back to the transport, so the record is redelivered', () => {
    const handler = new RpcExceptionsHandler();
    const filter = new ApiExceptionFilter();
    handler.setCustomFilters([{ func: (e, h) => filter.catch(e, h) as never, exceptionMetatypes: [] }]);
    const host = new ExecutionContextHost([{ messageId: 'm' }, {}]);
    host.setType('rpc');
    const failure = new Error('handler failed');

    expect(() => handler.handle(failure, host)).toThrow(failure);
  });
});
