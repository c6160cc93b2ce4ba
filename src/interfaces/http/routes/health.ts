/** `GET /v1/health`: the server is up, with its version, index folder and model set. */
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { HealthSchema } from '../schemas.js';
import type { ServerContext } from '../server-context.js';

const health = createRoute({
  method: 'get',
  path: '/v1/health',
  summary: 'Liveness, version, index and model set',
  responses: {
    200: { description: 'Up', content: { 'application/json': { schema: HealthSchema } } },
  },
});

export function registerHealthRoutes(app: OpenAPIHono, context: ServerContext): void {
  app.openapi(health, (c) =>
    c.json(
      {
        status: 'ok' as const,
        version: context.version,
        index: context.engine.indexDir,
        models: context.engine.models.name,
      },
      200,
    ),
  );
}
