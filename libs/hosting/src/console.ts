import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply } from 'fastify';
import type { Logger } from '@hookline/config';

/**
 * Only the console's own files: it loads nothing from elsewhere, so nothing else may run in it.
 * Inline styles are allowed because the script editor (CodeMirror) writes its theme into <style>.
 */
const CONSOLE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; " +
  "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/**
 * Where the console's build is, seen from an app's folder: `apps/console/dist` beside the app's
 * sources (`apps/<app>/src`), or at the repository root when the app runs compiled from
 * `dist/apps/<app>/src`.
 */
export function consoleDir(appDir: string): string {
  const candidates = [join(appDir, '../../console/dist'), join(appDir, '../../../../apps/console/dist')];
  return candidates.find((dir) => existsSync(join(dir, 'index.html'))) ?? candidates[0];
}

/**
 * Serves the operators' console (the static build of `apps/console`) at `/`. Its routes live in the
 * URL fragment, so the files found at start are the only routes added and the API's 404s stay its
 * own. Without a build, `/` says how to make one instead.
 */
export function mountConsole(app: NestFastifyApplication, dir: string, log: Logger): void {
  if (!existsSync(join(dir, 'index.html'))) {
    log.warn({ dir }, 'the console is not built (npm run build:console): / will say so');
    app
      .getHttpAdapter()
      .getInstance()
      .get('/', async (_request, reply) =>
        reply
          .type('text/plain; charset=utf-8')
          .send('The Hookline console is not built: run `npm run build:console`, then restart.\n'),
      );
    return;
  }
  app.useStaticAssets({
    root: dir,
    prefix: '/',
    wildcard: false,
    setHeaders: (raw, path) => {
      // @fastify/static 10 passes the reply; Nest's types still describe the raw response of older ones.
      const response = raw as unknown as FastifyReply;
      // Vite names assets by their content hash; index.html must be fetched again to find new ones.
      response.header(
        'cache-control',
        path.includes(`${join(dir, 'assets')}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
      response.header('content-security-policy', CONSOLE_CSP);
      response.header('x-content-type-options', 'nosniff');
    },
  });
}
