/** `GET /v1/sources` lists what is indexed; `DELETE /v1/sources?path=` removes from the index. */
import { unlink } from 'node:fs/promises';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { isWithin } from '../allowed-paths.js';
import { HttpError } from '../http-error.js';
import {
  ErrorSchema,
  RemoveQuerySchema,
  RemoveResponseSchema,
  SourcesResponseSchema,
} from '../schemas.js';
import type { ServerContext } from '../server-context.js';

const listSources = createRoute({
  method: 'get',
  path: '/v1/sources',
  summary: 'Every known path, files per modality, failures and skips with reasons',
  responses: {
    200: {
      description: 'The sources',
      content: { 'application/json': { schema: SourcesResponseSchema } },
    },
  },
});

const removeSources = createRoute({
  method: 'delete',
  path: '/v1/sources',
  summary: 'Remove a file, or everything under a folder, from the index',
  request: { query: RemoveQuerySchema },
  responses: {
    200: {
      description: 'What was removed',
      content: { 'application/json': { schema: RemoveResponseSchema } },
    },
    409: {
      description: 'Another process writes to the index',
      content: { 'application/json': { schema: ErrorSchema } },
    },
  },
});

export function registerSourceRoutes(app: OpenAPIHono, context: ServerContext): void {
  app.openapi(listSources, async (c) => {
    const [records, status] = await Promise.all([
      context.engine.listSources(),
      context.engine.status(),
    ]);
    const sources = records.map(({ pipelineKey: _, ...source }) => source);
    return c.json(
      { sources, files: status.files, failed: status.failed, skipped: status.skipped },
      200,
    );
  });

  app.openapi(removeSources, async (c) => {
    if (!context.writable) {
      throw new HttpError(409, 'INDEX_LOCKED', 'Another process writes to this index.');
    }
    const { path } = c.req.valid('query');

    // Removal waits its turn behind running ingest jobs: the store has one writer.
    const job = context.jobs.enqueue(() => context.engine.remove([path]));
    const finished = await context.jobs.finished(job.id);
    if (finished?.status === 'failed') {
      throw new HttpError(500, finished.error?.code ?? 'INTERNAL', finished.error?.message ?? '');
    }
    const removed = (finished?.report ?? []) as { path: string; status: string; reason?: string }[];

    // Uploaded copies belong to the server; once out of the index they are deleted too.
    for (const outcome of removed) {
      if (isWithin(outcome.path, context.uploadsDir)) await unlink(outcome.path).catch(() => {});
    }
    return c.json(
      { removed: removed.map(({ path, status, reason }) => ({ path, status, reason })) },
      200,
    );
  });
}
