/**
 * The web UI: the Vite build in `dist/web/`, served as a single-page app (paths the build does
 * not have get its `index.html`). Without a build, one line says how to make it.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveStatic } from '@hono/node-server/serve-static';
import type { OpenAPIHono } from '@hono/zod-openapi';

/** `dist/web/` of this package, from `src/interfaces/http/` or `dist/interfaces/http/`. */
export const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../../dist/web/', import.meta.url));

const NO_BUILD =
  '<!doctype html><meta charset="utf-8"><title>mmrag</title>' +
  '<p>The web UI is not built: run <code>npm run build:web</code>, then reload.</p>';

const UI_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
};

export function registerWebUi(app: OpenAPIHono, root: string = DEFAULT_WEB_ROOT): void {
  const index = join(root, 'index.html');

  app.use('*', async (c, next) => {
    await next();
    if (!c.req.path.startsWith('/v1/')) {
      for (const [name, value] of Object.entries(UI_HEADERS)) c.res.headers.set(name, value);
    }
  });

  app.get('*', async (c, next) => {
    if (c.req.path.startsWith('/v1/')) return next();
    if (!existsSync(index)) return c.html(NO_BUILD);
    return serveStatic({ root })(c, next);
  });

  // Client-side routes (/sources, /ask) are the app's own pages.
  app.get('*', async (c, next) => {
    if (c.req.path.startsWith('/v1/') || !existsSync(index)) return next();
    return c.html(await readFile(index, 'utf8'));
  });
}
