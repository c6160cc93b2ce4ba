/**
 * A `Generator` on any OpenAI-compatible chat-completions server: llama.cpp's `llama-server`,
 * Ollama, vLLM, TGI, or a hosted endpoint. Node's fetch, Server-Sent Events parsed by
 * `eventsource-parser`, a timeout on the first byte and between chunks, retries with backoff on
 * 429, 5xx and dropped connections (honouring Retry-After), and errors that name the server.
 *
 * The protocol: https://platform.openai.com/docs/api-reference/chat/create
 */
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { MmragError } from '../../errors.js';
import type { ChatMessage, GenerateOptions, Generation, Generator } from '../roles.js';

export interface OpenAiChatGeneratorOptions {
  /** Up to and including `/v1`, e.g. `http://127.0.0.1:8080/v1`. */
  baseUrl: string;
  /** The model name the server expects. */
  model: string;
  /** Sent as a bearer token when present. */
  apiKey?: string;
  /** The server's context window in tokens. @default 4096 */
  contextTokens?: number;
  /** Send image parts as `image_url` data URLs (the server runs a vision model). @default false */
  images?: boolean;
  /** Longest wait for response headers, and between two chunks of a stream. @default 120000 */
  timeoutMs?: number;
  /** Retries on 429, 5xx and dropped connections. @default 3 */
  maxRetries?: number;
  /** First backoff delay; each retry doubles it, up to 30 s. @default 500 */
  retryDelayMs?: number;
}

const MAX_RETRY_DELAY_MS = 30_000;
const ERROR_EXCERPT_CHARS = 300;

// Without the server's tokenizer, lengths are estimated from UTF-8 bytes. Three bytes a token is
// below what BPE tokenizers average on English (about four), so the estimate errs long and a
// packed prompt does not overflow the server's window.
const BYTES_PER_TOKEN = 3;
const TOKENS_PER_MESSAGE = 8;
// Vision servers charge very different amounts per picture; this covers a tile-based encoder's
// one picture at low detail (llava 576, OpenAI low detail 85, Qwen2-VL at 448 px ≈ 256).
const IMAGE_TOKENS = 600;

export function createOpenAiChatGenerator(options: OpenAiChatGeneratorOptions): Generator {
  const {
    baseUrl,
    model,
    apiKey,
    contextTokens = 4096,
    images = false,
    timeoutMs = 120_000,
    maxRetries = 3,
    retryDelayMs = 500,
  } = options;
  const url = `${baseUrl.replace(/\/+$/, '')}/chat/completions`;

  const countTokens = async (text: string) =>
    Math.ceil(Buffer.byteLength(text, 'utf8') / BYTES_PER_TOKEN);

  return {
    id: `${model} @ ${baseUrl}`,
    contextTokens,
    acceptsImages: images,
    imageTokens: images ? IMAGE_TOKENS : 0,
    countTokens,

    async countPromptTokens(messages) {
      let total = 0;
      for (const message of messages) {
        total += TOKENS_PER_MESSAGE;
        const parts =
          typeof message.content === 'string'
            ? [{ type: 'text' as const, text: message.content }]
            : message.content;
        for (const part of parts) {
          total += part.type === 'text' ? await countTokens(part.text) : IMAGE_TOKENS;
        }
      }
      return total;
    },

    async generate(messages, generateOptions) {
      const body = {
        model,
        messages: messages.map(toWireMessage),
        max_tokens: generateOptions.maxTokens,
        temperature: 0,
        stream: generateOptions.stream ?? true,
        ...(generateOptions.stream === false ? {} : { stream_options: { include_usage: true } }),
      };
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        accept: body.stream ? 'text/event-stream' : 'application/json',
      };
      if (apiKey) headers.authorization = `Bearer ${apiKey}`;

      const request = { url, headers, body: JSON.stringify(body), timeoutMs };
      for (let attempt = 0; ; attempt += 1) {
        const outcome = await attemptOnce(request, generateOptions);
        if (outcome.kind === 'done') return outcome.generation;
        if (attempt >= maxRetries) throw outcome.error;
        const backoff = Math.min(retryDelayMs * 2 ** attempt, MAX_RETRY_DELAY_MS);
        await sleep(outcome.retryAfterMs ?? backoff, generateOptions.signal, url);
      }
    },

    async dispose() {},
  };
}

interface WireRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
}

type Outcome =
  | { kind: 'done'; generation: Generation }
  | { kind: 'retry'; error: MmragError; retryAfterMs?: number };

/**
 * One HTTP exchange. Failures that a later try may not repeat (429, 5xx, a dropped connection
 * before any text arrived) come back as `retry`; everything else throws.
 */
async function attemptOnce(request: WireRequest, options: GenerateOptions): Promise<Outcome> {
  const { url } = request;
  const watch = watchdog(request.timeoutMs, options.signal);

  try {
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: request.headers,
        body: request.body,
        signal: watch.signal,
      });
    } catch (error) {
      watch.rethrowIfStopped(url, error);
      return { kind: 'retry', error: unreachable(url, error) };
    }

    if (!response.ok) {
      const excerpt = (await response.text().catch(() => '')).slice(0, ERROR_EXCERPT_CHARS);
      const error = new MmragError(
        'REMOTE_FAILED',
        `The chat server ${url} answered ${response.status} ${response.statusText}` +
          `${excerpt ? `: ${excerpt.trim()}` : ''}.`,
        { subject: url, hint: hintForStatus(response.status) },
      );
      if (response.status === 429 || response.status >= 500) {
        return { kind: 'retry', error, retryAfterMs: retryAfter(response.headers) };
      }
      throw error;
    }

    // Some servers ignore `stream: true` and answer with one JSON body; both are read.
    const type = response.headers.get('content-type') ?? '';
    const generation = type.includes('text/event-stream')
      ? await readEventStream(response, options, watch, url)
      : await readJsonBody(response, options, url);
    return { kind: 'done', generation };
  } catch (error) {
    watch.rethrowIfStopped(url, error);
    throw error;
  } finally {
    watch.clear();
  }
}

interface ChatChunk {
  choices?: {
    delta?: { content?: string | null };
    message?: { content?: string | null };
    finish_reason?: string | null;
  }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
  error?: { message?: string } | string;
}

async function readEventStream(
  response: Response,
  options: GenerateOptions,
  watch: Watchdog,
  url: string,
): Promise<Generation> {
  let text = '';
  let finishReason: string | undefined;
  let usage: ChatChunk['usage'];
  let done = false;
  let failure: MmragError | undefined;

  const onEvent = (event: EventSourceMessage) => {
    if (done || failure) return;
    if (event.data.trim() === '[DONE]') {
      done = true;
      return;
    }
    const chunk = parseJson(event.data, url);
    if (chunk.error) {
      const message = typeof chunk.error === 'string' ? chunk.error : chunk.error.message;
      failure = new MmragError(
        'REMOTE_FAILED',
        `The chat server ${url} reported an error mid-answer: ${message ?? 'unknown'}.`,
        { subject: url },
      );
      return;
    }
    const choice = chunk.choices?.[0];
    const delta = choice?.delta?.content;
    if (delta) {
      text += delta;
      options.onText?.(delta);
    }
    if (choice?.finish_reason) finishReason = choice.finish_reason;
    if (chunk.usage) usage = chunk.usage;
  };
  const parser = createParser({ onEvent });

  const reader = response.body?.getReader();
  if (!reader) throw malformed(url, 'an empty body');
  const decoder = new TextDecoder();
  for (;;) {
    let read: ReadableStreamReadResult<Uint8Array>;
    try {
      read = await reader.read();
    } catch (error) {
      watch.rethrowIfStopped(url, error);
      throw new MmragError('REMOTE_FAILED', `The chat server ${url} dropped the connection.`, {
        subject: url,
        cause: error,
      });
    }
    const { value, done: ended } = read;
    if (ended) break;
    watch.touch();
    parser.feed(decoder.decode(value, { stream: true }));
    if (failure) throw failure;
    if (done) break;
  }
  await reader.cancel().catch(() => {});
  if (failure) throw failure;
  if (!done && !finishReason) {
    throw malformed(url, 'a stream that ended before the answer did (no [DONE])');
  }
  return finish(text, finishReason, usage);
}

async function readJsonBody(
  response: Response,
  options: GenerateOptions,
  url: string,
): Promise<Generation> {
  const chunk = parseJson(await response.text(), url);
  const choice = chunk.choices?.[0];
  const text = choice?.message?.content ?? choice?.delta?.content;
  if (typeof text !== 'string') throw malformed(url, 'an answer with no choices[0].message');
  options.onText?.(text);
  return finish(text, choice?.finish_reason ?? undefined, chunk.usage);
}

function finish(
  text: string,
  finishReason: string | undefined,
  usage: ChatChunk['usage'],
): Generation {
  return {
    text,
    finishReason: finishReason === 'length' ? 'length' : 'stop',
    usage: {
      promptTokens: usage?.prompt_tokens ?? 0,
      completionTokens: usage?.completion_tokens ?? 0,
    },
  };
}

function parseJson(data: string, url: string): ChatChunk {
  try {
    const value = JSON.parse(data) as unknown;
    if (typeof value !== 'object' || value === null) throw new Error('not an object');
    return value as ChatChunk;
  } catch {
    throw malformed(url, `unreadable JSON (${JSON.stringify(data.slice(0, 80))})`);
  }
}

function malformed(url: string, what: string): MmragError {
  return new MmragError('REMOTE_FAILED', `The chat server ${url} sent ${what}.`, {
    subject: url,
    hint: 'Check that the URL points at an OpenAI-compatible /v1 endpoint.',
  });
}

function unreachable(url: string, error: unknown): MmragError {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  const reason = cause?.code ?? cause?.message ?? (error as Error)?.message ?? String(error);
  return new MmragError('REMOTE_FAILED', `Cannot reach the chat server ${url} (${reason}).`, {
    subject: url,
    hint: 'Start the server (llama-server, ollama serve), or fix the generator baseUrl.',
    cause: error,
  });
}

function hintForStatus(status: number): string | undefined {
  if (status === 401 || status === 403) {
    return 'Set the API key in the environment variable named by the generator apiKeyEnv.';
  }
  if (status === 404) return 'Check the base URL (it usually ends in /v1) and the model name.';
  return undefined;
}

/** Retry-After in seconds or as an HTTP date; undefined when absent or unreadable. */
function retryAfter(headers: Headers): number | undefined {
  const value = headers.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - Date.now();
  return Number.isFinite(ms) ? Math.min(Math.max(ms, 0), MAX_RETRY_DELAY_MS) : undefined;
}

interface Watchdog {
  signal: AbortSignal;
  /** Restarts the idle timer: a chunk arrived. */
  touch(): void;
  clear(): void;
  /** Turns a failure caused by the caller's abort or by the timeout into the right error. */
  rethrowIfStopped(url: string, error: unknown): void;
}

/** One abort signal for a try: the caller's signal, or silence for longer than `timeoutMs`. */
function watchdog(timeoutMs: number, outer: AbortSignal | undefined): Watchdog {
  const controller = new AbortController();
  let timedOut = false;
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new Error('timeout'));
    }, timeoutMs);
  };
  const onAbort = () => controller.abort(outer?.reason);
  if (outer?.aborted) onAbort();
  outer?.addEventListener('abort', onAbort, { once: true });
  arm();

  return {
    signal: controller.signal,
    touch: arm,
    clear() {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onAbort);
    },
    rethrowIfStopped(url, error) {
      if (outer?.aborted) {
        throw new MmragError('ABORTED', 'Stopped before the chat server finished its answer.', {
          subject: url,
          cause: error,
        });
      }
      if (timedOut) {
        throw new MmragError(
          'REMOTE_FAILED',
          `The chat server ${url} sent nothing for ${Math.round(timeoutMs / 1000)} s.`,
          {
            subject: url,
            hint: 'Raise the generator timeoutMs for a slow model, or check the server.',
            cause: error,
          },
        );
      }
    },
  };
}

function sleep(ms: number, signal: AbortSignal | undefined, url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const stop = () => {
      clearTimeout(timer);
      reject(new MmragError('ABORTED', 'Stopped while waiting to retry.', { subject: url }));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', stop);
      resolve();
    }, ms);
    if (signal?.aborted) stop();
    signal?.addEventListener('abort', stop, { once: true });
  });
}

type WirePart = { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string } };

/** Plain strings where a message is text only: some servers accept nothing else. */
function toWireMessage(message: ChatMessage): { role: string; content: string | WirePart[] } {
  if (typeof message.content === 'string') return { role: message.role, content: message.content };
  const parts = message.content.map((part): WirePart => {
    if (part.type === 'text') return part;
    const data = Buffer.from(part.image).toString('base64');
    return { type: 'image_url', image_url: { url: `data:${part.mimeType};base64,${data}` } };
  });
  const textOnly = parts.every((part) => part.type === 'text');
  return {
    role: message.role,
    content: textOnly ? parts.map((part) => (part as { text: string }).text).join('') : parts,
  };
}
