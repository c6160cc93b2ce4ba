/**
 * `POST /v1/ask`: the answer with numbered citations, as JSON, or streamed as server-sent
 * events (`token` per text delta, then `result`, or `error`) when the client accepts them.
 */
import { createRoute, type OpenAPIHono, type z } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import type { Engine } from '../../../engine.js';
import type { Modality } from '../../../types.js';
import { describeError, HttpError } from '../http-error.js';
import { AskBodySchema, AskResultSchema, ErrorSchema } from '../schemas.js';
import type { ServerContext } from '../server-context.js';

/** `engine.ask` as issue 4 defines it: text deltas, and the cited result when they end. */
export type AnswerStream = AsyncIterable<string> & { result: Promise<unknown> };
type AskingEngine = Engine & { ask(question: string, options?: object): AnswerStream };

export function askingEngine(engine: Engine): AskingEngine | undefined {
  const ask = (engine as Partial<AskingEngine>).ask;
  return typeof ask === 'function' ? (engine as AskingEngine) : undefined;
}

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
    501: {
      description: 'This build has no answer model',
      content: { 'application/json': { schema: ErrorSchema } },
    },
  },
});

export function askOptions(body: z.infer<typeof AskBodySchema>, signal?: AbortSignal) {
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
    const engine = askingEngine(context.engine);
    if (!engine) {
      throw new HttpError(501, 'NOT_IMPLEMENTED', 'This build of mmrag cannot answer questions.');
    }
    const body = c.req.valid('json');

    if (!(c.req.header('accept') ?? '').includes('text/event-stream')) {
      const answer = engine.ask(body.q, askOptions(body, c.req.raw.signal));
      // Drain the deltas; the result holds the whole answer.
      for await (const _ of answer);
      return c.json((await answer.result) as z.infer<typeof AskResultSchema>, 200);
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
