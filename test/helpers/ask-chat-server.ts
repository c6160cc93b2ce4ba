/**
 * A loopback server that speaks the OpenAI chat-completions protocol, for the remote generator
 * tests. The request's `model` picks a behaviour; every request body is recorded. It binds
 * 127.0.0.1 only and refuses to serve more than a bounded number of requests.
 *
 * Behaviours: `echo` quotes the first evidence line and cites [1] and a made-up [9]; `pirate`
 * answers "Arr" when any system message mentions a pirate (a model that obeys system turns),
 * else echoes; `flaky` answers 429 (Retry-After: 0) once, then echoes; `down` always 503;
 * `bad` 400; `slow` sends headers, then nothing; `malformed` sends an event that is not JSON;
 * `truncated` closes the stream mid-answer; `json` ignores `stream` and answers one body;
 * `drip` streams a word every 50 ms, 200 words.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  path: string;
  headers: IncomingMessage['headers'];
  body: {
    model: string;
    stream?: boolean;
    max_tokens?: number;
    messages: { role: string; content: string | { type: string; [key: string]: unknown }[] }[];
  };
}

export interface ChatServer {
  baseUrl: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

const MAX_REQUESTS = 200;

export async function startChatServer(): Promise<ChatServer> {
  const requests: RecordedRequest[] = [];
  const seen = new Map<string, number>();
  const open = new Set<ServerResponse>();

  const server = createServer(async (request, response) => {
    open.add(response);
    response.on('close', () => open.delete(response));
    if (requests.length >= MAX_REQUESTS) {
      response.writeHead(503).end('request budget spent');
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as RecordedRequest['body'];
    requests.push({ path: request.url ?? '', headers: request.headers, body });
    const count = (seen.get(body.model) ?? 0) + 1;
    seen.set(body.model, count);
    await respond(body, count, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    async close() {
      for (const response of open) response.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function respond(
  body: RecordedRequest['body'],
  count: number,
  response: ServerResponse,
): Promise<void> {
  switch (body.model) {
    case 'flaky':
      if (count === 1) {
        response.writeHead(429, { 'retry-after': '0' }).end('{"error":"slow down"}');
        return;
      }
      return answer(body, echo(body), response);
    case 'down':
      response.writeHead(503).end('{"error":{"message":"model is loading"}}');
      return;
    case 'bad':
      response.writeHead(400).end('{"error":{"message":"unknown parameter"}}');
      return;
    case 'slow':
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.flushHeaders();
      return;
    case 'malformed':
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.end('data: {"choices":[{"delta":{"content":"Hi"}}]}\n\ndata: {oops\n\n');
      return;
    case 'truncated':
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.end('data: {"choices":[{"delta":{"content":"The wrist"}}]}\n\n');
      return;
    case 'json':
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          choices: [{ message: { role: 'assistant', content: echo(body) }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 11, completion_tokens: 7 },
        }),
      );
      return;
    case 'drip':
      return answer(
        body,
        Array.from({ length: 200 }, (_, i) => `word${i}`).join(' '),
        response,
        50,
      );
    case 'pirate': {
      const system = body.messages.filter((m) => m.role === 'system').map((m) => textOf(m.content));
      return answer(body, system.some((s) => /pirate/i.test(s)) ? 'Arr!' : echo(body), response);
    }
    default:
      return answer(body, echo(body), response);
  }
}

/** The first evidence line's text, cited, plus a citation of evidence that does not exist. */
function echo(body: RecordedRequest['body']): string {
  const user = body.messages.find((m) => m.role === 'user');
  const line = textOf(user?.content ?? '')
    .split('\n')
    .find((text) => text.startsWith('[1] '));
  return line ? `${line.slice(4)} [1] Also this [9].` : 'The files do not say.';
}

function textOf(content: RecordedRequest['body']['messages'][number]['content']): string {
  if (typeof content === 'string') return content;
  return content.map((part) => (part.type === 'text' ? String(part.text) : '')).join('');
}

async function answer(
  body: RecordedRequest['body'],
  text: string,
  response: ServerResponse,
  delayMs = 0,
): Promise<void> {
  const words = text.split(/(?<= )/);
  if (body.stream === false) {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify({
        choices: [{ message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 100, completion_tokens: words.length },
      }),
    );
    return;
  }
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const send = (value: unknown) => response.write(`data: ${JSON.stringify(value)}\n\n`);
  for (const word of words) {
    if (response.destroyed) return;
    send({ choices: [{ index: 0, delta: { content: word }, finish_reason: null }] });
    if (delayMs) await new Promise((resolve) => setTimeout(resolve, delayMs));
  }
  send({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] });
  send({ choices: [], usage: { prompt_tokens: 100, completion_tokens: words.length } });
  response.end('data: [DONE]\n\n');
}
