/**
 * `POST /v1/ask`: the answer with numbered citations, as JSON, or streamed as server-sent
 * events (`token` per text delta, then `result`, or `error`) when the client accepts them.
 */
import { createRoute, type OpenAPIHono, type z } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import type { AskOptions } from '../../../answer/index.js';
import type { Modality } from '../../../types.js';
import { describeError } from '../http-error.js';
import { AskBodySchema, AskResultSchema, ErrorSchema } from '../schemas.js';
import type { ServerContext } from '../server-context.js';

const ask = createRoute({
  method: 'post',
  path: '/v1/ask',
  summary: 'Answer a question from the index, citing its evidence',
  request: { body: { required: true, content: { 'application/json': { schema: AskBodySchema } } } },
  responses: {
    200: {
      description: 'The answer (JSON), or an event stream with `Accept: text/event-stream`',
      content: {
        'application/json': { schema: AskResultSchema },
        'text/event-stream': { schema: AskResultSchema },
      },
    },
    400: { description: 'Bad request', content: { 'application/json': { schema: ErrorSchema } } },
  },
});

export function askOptions(body: z.infer<typeof AskBodySchema>, signal?: AbortSignal): AskOptions {
  return {
    k: body.k,
    modalities: body.modalities as Modality[] | undefined,
    pathPrefixes: body.pathPrefixes,
    modifiedAfter: body.after === undefined ? undefined : new Date(body.after),
    modifiedBefore: body.before === undefined ? undefined : new Date(body.before),
    signal,
  };
}

export function registerAskRoutes(app: OpenAPIHono, context: ServerContext): void {
  app.openapi(ask, async (c) => {
    const { engine } = context;
    const body = c.req.valid('json');

    if (!(c.req.header('accept') ?? '').includes('text/event-stream')) {
      const answer = engine.ask(body.q, { ...askOptions(body, c.req.raw.signal), stream: false });
      return c.json(await answer.result, 200);
    }

    return streamSSE(c, async (stream) => {
      const stop = new AbortController();
      stream.onAbort(() => stop.abort());
      try {
        const answer = engine.ask(body.q, askOptions(body, stop.signal));
        for await (const text of answer) {
          if (stream.aborted) break;
          await stream.writeSSE({ event: 'token', data: JSON.stringify({ text }) });
        }
        if (!stream.aborted) {
          await stream.writeSSE({ event: 'result', data: JSON.stringify(await answer.result) });
        }
      } catch (error) {
        const { body: failure } = describeError(error);
        await stream.writeSSE({ event: 'error', data: JSON.stringify(failure.error) });
      }
    }) as unknown as Response;
  });
}
