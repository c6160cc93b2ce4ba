/** `GET /v1/search?q=` for the plain text case, `POST /v1/search` with JSON or an image upload. */
import { createRoute, type OpenAPIHono, type z } from '@hono/zod-openapi';
import type { SearchOptions } from '../../../retrieve/search.js';
import type { Modality, SearchResult } from '../../../types.js';
import { HttpError } from '../http-error.js';
import {
  ErrorSchema,
  SearchBodySchema,
  SearchFormSchema,
  SearchQuerySchema,
  SearchResponseSchema,
} from '../schemas.js';
import type { ServerContext } from '../server-context.js';

const errors = {
  400: { description: 'Bad query', content: { 'application/json': { schema: ErrorSchema } } },
};
const ok = {
  200: {
    description: 'Ranked results across modalities, as `mmrag search --json` prints them',
    content: { 'application/json': { schema: SearchResponseSchema } },
  },
};

const getSearch = createRoute({
  method: 'get',
  path: '/v1/search',
  summary: 'Search by words',
  request: { query: SearchQuerySchema },
  responses: { ...ok, ...errors },
});

const postSearch = createRoute({
  method: 'post',
  path: '/v1/search',
  summary: 'Search by words, by a picture, or both',
  request: {
    body: {
      required: false,
      content: {
        'application/json': { schema: SearchBodySchema },
        'multipart/form-data': { schema: SearchFormSchema },
      },
    },
  },
  responses: { ...ok, ...errors },
});

interface SearchFields {
  q?: string;
  k?: number;
  modalities?: string[];
  pathPrefixes?: string[];
  after?: string;
  before?: string;
}

export function registerSearchRoutes(app: OpenAPIHono, context: ServerContext): void {
  app.openapi(getSearch, async (c) => {
    const query = c.req.valid('query');
    const body = await runSearch(context, {
      q: query.q,
      k: query.k,
      modalities: query.modality,
      pathPrefixes: query.path,
      after: query.after,
      before: query.before,
    });
    return c.json(body, 200);
  });

  app.openapi(postSearch, async (c) => {
    const form = c.req.valid('form') as Partial<z.infer<typeof SearchFormSchema>>;
    const json = c.req.valid('json') as Partial<z.infer<typeof SearchBodySchema>>;
    const fields: SearchFields = Object.keys(form).length > 0 ? form : json;
    const image = form.image ? new Uint8Array(await form.image.arrayBuffer()) : undefined;
    return c.json(await runSearch(context, fields, image), 200);
  });
}

async function runSearch(context: ServerContext, fields: SearchFields, image?: Uint8Array) {
  const text = fields.q ?? '';
  if (!text.trim() && !image) {
    throw new HttpError(400, 'USAGE', 'The query is empty: give q, an image, or both.');
  }
  const options: SearchOptions = {
    k: fields.k,
    modalities: fields.modalities as Modality[] | undefined,
    pathPrefixes: fields.pathPrefixes,
    modifiedAfter: fields.after === undefined ? undefined : new Date(fields.after),
    modifiedBefore: fields.before === undefined ? undefined : new Date(fields.before),
  };
  const response = await context.engine.search({ text, image }, options);
  return {
    query: { text, image: image ? ('upload' as const) : null },
    ...response,
    results: response.results.map(withMedia),
  };
}

/** The URLs a client shows a hit with; all of them go through the segment id. */
export function withMedia(result: SearchResult) {
  const base = `/v1/media/${encodeURIComponent(result.segmentId)}`;
  return {
    ...result,
    media: {
      file: `${base}/file`,
      ...(result.kind === 'image' ? { thumbnail: `${base}/thumbnail` } : {}),
      ...(result.modality === 'pdf' && result.locator.page !== undefined
        ? { page: `${base}/page` }
        : {}),
    },
  };
}
