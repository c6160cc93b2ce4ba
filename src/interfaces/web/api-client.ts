/**
 * Talks to the server that served this page. Every call sends the API key when there is one,
 * asks for it on a 401, and turns the server's `{ error: { code, message } }` into an ApiError
 * whose message the UI shows as it is.
 */
import { getApiKey, promptForApiKey } from './api-key.js';
import { readEventStream, type StreamEvent } from './event-stream.js';

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** How many times a refused key is asked for again before the error is shown. */
const KEY_ATTEMPTS = 3;

export async function apiFetch(path: string, init: RequestInit = {}): Promise<Response> {
  for (let attempt = 0; ; attempt += 1) {
    const headers = new Headers(init.headers);
    const key = getApiKey();
    if (key) headers.set('Authorization', `Bearer ${key}`);

    let response: Response;
    try {
      response = await fetch(path, { ...init, headers });
    } catch (error) {
      if (init.signal?.aborted) throw error;
      throw new ApiError(
        'NETWORK',
        'The server cannot be reached. Is `mmrag serve` still running?',
        0,
      );
    }

    if (response.status === 401 && attempt < KEY_ATTEMPTS) {
      const entered = await promptForApiKey(key !== undefined);
      if (entered) continue;
    }
    if (!response.ok) throw await toApiError(response);
    return response;
  }
}

export async function apiJson<T>(path: string, init: RequestInit = {}): Promise<T> {
  const response = await apiFetch(path, init);
  return (await response.json()) as T;
}

export function jsonBody(value: unknown, init: RequestInit = {}): RequestInit {
  return {
    ...init,
    method: init.method ?? 'POST',
    headers: { 'Content-Type': 'application/json', ...init.headers },
    body: JSON.stringify(value),
  };
}

/** Opens an event stream (GET or POST) and yields its events. */
export async function* apiEvents(
  path: string,
  init: RequestInit = {},
): AsyncGenerator<StreamEvent> {
  const response = await apiFetch(path, {
    ...init,
    headers: { Accept: 'text/event-stream', ...init.headers },
  });
  if (!response.body) throw new ApiError('INTERNAL', 'The server sent an empty stream.', 500);
  yield* readEventStream(response.body);
}

/**
 * A media URL for `<img>` and `<audio>`, which cannot send headers: the key goes in the query,
 * as the API allows for media.
 */
export function mediaUrl(path: string, params: Record<string, string> = {}): string {
  const url = new URL(path, window.location.href);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  const key = getApiKey();
  if (key) url.searchParams.set('key', key);
  return url.pathname + url.search;
}

/**
 * Sends files with upload progress, which fetch cannot report; resolves to the parsed 2xx body.
 */
export async function uploadForm<T>(
  path: string,
  form: FormData,
  onProgress: (fraction: number) => void,
): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    const key = getApiKey();
    const reply = await sendForm(path, form, key, onProgress);
    if (reply.status === 401 && attempt < KEY_ATTEMPTS) {
      if (await promptForApiKey(key !== undefined)) continue;
    }
    const body = parseJson(reply.text);
    if (reply.status >= 200 && reply.status < 300) return body as T;
    throw errorFromBody(body, reply.status);
  }
}

function sendForm(
  path: string,
  form: FormData,
  key: string | undefined,
  onProgress: (fraction: number) => void,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', path);
    if (key) request.setRequestHeader('Authorization', `Bearer ${key}`);
    request.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    });
    request.addEventListener('load', () =>
      resolve({ status: request.status, text: request.responseText }),
    );
    request.addEventListener('error', () =>
      reject(new ApiError('NETWORK', 'The upload did not reach the server.', 0)),
    );
    request.send(form);
  });
}

async function toApiError(response: Response): Promise<ApiError> {
  return errorFromBody(parseJson(await response.text().catch(() => '')), response.status);
}

function errorFromBody(body: unknown, status: number): ApiError {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  if (error && typeof error.message === 'string') {
    return new ApiError(String(error.code ?? 'ERROR'), error.message, status);
  }
  return new ApiError(`HTTP_${status}`, `The server answered ${status} without a reason.`, status);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The message to show for anything thrown. */
export function describeError(error: unknown): { message: string; code?: string } {
  if (error instanceof ApiError) return { message: error.message, code: error.code };
  if (error instanceof Error) return { message: error.message };
  return { message: String(error) };
}
