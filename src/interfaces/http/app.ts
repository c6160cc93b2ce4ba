/**
 * The HTTP API on Hono with zod-validated routes (@hono/zod-openapi), the OpenAPI document
 * generated from the same schemas, and the web UI. Handlers throw; one place turns what they
 * throw into JSON errors.
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { logger } from 'hono/logger';
import { accessControl } from './access.js';
import { errorResponse, HttpError } from './http-error.js';
import { registerAskRoutes } from './routes/ask.js';
import { registerHealthRoutes } from './routes/health.js';
import { registerIngestRoutes } from './routes/ingest.js';
import { registerMediaRoutes } from './routes/media.js';
import { registerSearchRoutes } from './routes/search.js';
import { registerSourceRoutes } from './routes/sources.js';
import type { ServerContext } from './server-context.js';
import { registerWebUi } from './static-ui.js';

export interface AppOptions {
  context: ServerContext;
  host: string;
  apiKey?: string;
  /** Origins allowed to call the API from a browser; none by default. */
  corsOrigins?: string[];
  /** Where each request is logged; nothing is logged by default. */
  log?: (line: string) => void;
  /** The web UI's build folder. @default dist/web of this package */
  webRoot?: string;
}

export function createApp(options: AppOptions): OpenAPIHono {
  const { context } = options;
  const app = new OpenAPIHono({
    defaultHook: (result, c) => {
      if (result.success) return;
      const issues = result.error.issues.map(
        (issue) => `${issue.path.join('.') || 'request'}: ${issue.message}`,
      );
      return errorResponse(c, new HttpError(400, 'USAGE', issues.join('; ')));
    },
  });

  if (options.log) {
    const log = options.log;
    app.use(
      '*',
      logger((line) => log(line)),
    );
  }
  if (options.corsOrigins?.length) {
    app.use('/v1/*', cors({ origin: options.corsOrigins, maxAge: 600 }));
  }
  app.use('*', accessControl({ apiKey: options.apiKey, host: options.host }));

  // Request bodies are bounded before anything reads them.
  const limit = bodyLimit({
    maxSize: context.maxUploadBytes,
    onError: (c) => {
      // The rest of the body is never read, so the connection cannot carry another request.
      c.header('Connection', 'close');
      const megabytes = Math.round(context.maxUploadBytes / 2 ** 20);
      return errorResponse(
        c,
        new HttpError(413, 'TOO_LARGE', `The request is larger than ${megabytes} MB.`),
      );
    },
  });
  app.use('/v1/*', async (c, next) => (c.req.method === 'GET' ? next() : limit(c, next)));

  registerHealthRoutes(app, context);
  registerSearchRoutes(app, context);
  registerAskRoutes(app, context);
  registerIngestRoutes(app, context);
  registerSourceRoutes(app, context);
  registerMediaRoutes(app, context);

  app.doc('/v1/openapi.json', {
    openapi: '3.0.3',
    info: {
      title: 'mmrag',
      version: context.version,
      description: 'Multimodal retrieval over local files: search, ask, ingest, media.',
    },
  });

  registerWebUi(app, options.webRoot);

  app.notFound((c) => errorResponse(c, new HttpError(404, 'NOT_FOUND', 'No such endpoint.')));
  app.onError((error, c) => errorResponse(c, error));
  return app;
}
