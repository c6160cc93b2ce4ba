/** `GET /v1/media/:segmentId/{thumbnail,file,page}`: media of indexed segments only. */
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { notFound } from '../http-error.js';
import { fileResponse, pageResponse, thumbnailResponse } from '../media.js';
import { ErrorSchema, MediaParamsSchema, PageQuerySchema } from '../schemas.js';
import type { ServerContext } from '../server-context.js';

const missing = {
  404: {
    description: 'No such segment, or it has no such media',
    content: { 'application/json': { schema: ErrorSchema } },
  },
};

const thumbnail = createRoute({
  method: 'get',
  path: '/v1/media/{segmentId}/thumbnail',
  summary: 'The stored thumbnail of an image segment',
  request: { params: MediaParamsSchema },
  responses: { 200: { description: 'image/webp' }, ...missing },
});

const file = createRoute({
  method: 'get',
  path: '/v1/media/{segmentId}/file',
  summary: 'The original file of an indexed segment, with HTTP Range',
  request: { params: MediaParamsSchema },
  responses: {
    200: { description: 'The whole file; Content-Type sniffed from its bytes' },
    206: { description: 'The requested byte range' },
    416: { description: 'The range is outside the file' },
    ...missing,
  },
});

const page = createRoute({
  method: 'get',
  path: '/v1/media/{segmentId}/page',
  summary: 'The PDF page of a segment, rendered as PNG',
  request: { params: MediaParamsSchema, query: PageQuerySchema },
  responses: { 200: { description: 'image/png' }, ...missing },
});

export function registerMediaRoutes(app: OpenAPIHono, context: ServerContext): void {
  const indexed = async (segmentId: string) => {
    const found = await context.engine.getSegment(segmentId);
    if (!found || found.paths.length === 0) throw notFound('The segment');
    return found;
  };

  app.openapi(thumbnail, async (c) => {
    const bytes = await context.engine.getThumbnail(c.req.valid('param').segmentId);
    if (!bytes) throw notFound('The thumbnail');
    return thumbnailResponse(bytes);
  });

  app.openapi(file, async (c) => {
    const found = await indexed(c.req.valid('param').segmentId);
    return fileResponse(found, c.req.header('range'));
  });

  app.openapi(page, async (c) => {
    const found = await indexed(c.req.valid('param').segmentId);
    return pageResponse(found, c.req.valid('query').width);
  });
}
