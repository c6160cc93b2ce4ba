/**
 * Every failure leaves the server as JSON `{ error: { code, message } }` with a status that
 * says whose fault it was. Internal errors say only that they happened: no stack, no paths.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { type ErrorCode, MmragError } from '../../errors.js';

/** A refusal the server itself decides on (a missing key, an unknown segment, a big upload). */
export class HttpError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const STATUS_BY_CODE: Partial<Record<ErrorCode, ContentfulStatusCode>> = {
  USAGE: 400,
  CONFIG: 400,
  MODEL_MISSING: 503,
  MODEL_MISMATCH: 409,
  INDEX_LOCKED: 409,
  FILE_UNREADABLE: 400,
  FILE_EMPTY: 400,
  FILE_TOO_LARGE: 413,
  LIMIT_EXCEEDED: 413,
  FILE_UNSUPPORTED: 415,
  FILE_CORRUPT: 415,
  FILE_ENCRYPTED: 415,
  NO_SPEECH: 400,
  ABORTED: 503,
};

export interface ErrorBody {
  error: { code: string; message: string };
}

/** The status and body for any thrown value. */
export function describeError(error: unknown): { status: ContentfulStatusCode; body: ErrorBody } {
  if (error instanceof HttpError) {
    return { status: error.status, body: { error: { code: error.code, message: error.message } } };
  }
  if (MmragError.isInstance(error)) {
    const status = STATUS_BY_CODE[error.code] ?? 500;
    return { status, body: { error: { code: error.code, message: error.message } } };
  }
  if (error instanceof HTTPException) {
    // Hono's own refusals (malformed JSON or form data) are the client's doing.
    const status = error.status as ContentfulStatusCode;
    const code = status === 413 ? 'TOO_LARGE' : status < 500 ? 'USAGE' : 'INTERNAL';
    return { status, body: { error: { code, message: error.message || 'Bad request.' } } };
  }
  return { status: 500, body: { error: { code: 'INTERNAL', message: 'Internal server error.' } } };
}

export function errorResponse(c: Context, error: unknown): Response {
  const { status, body } = describeError(error);
  return c.json(body, status);
}

export function notFound(what: string): HttpError {
  return new HttpError(404, 'NOT_FOUND', `${what} was not found.`);
}
