/**
 * Who may talk to the server. Without an API key the server only listens on loopback, and it
 * also refuses requests whose Host header names another site: a web page elsewhere could
 * otherwise point a DNS name at 127.0.0.1 and read the API from the user's browser.
 * With a key, every API request must carry it.
 */
import { timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { errorResponse, HttpError } from './http-error.js';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

export function isLoopback(host: string): boolean {
  return LOOPBACK_HOSTS.has(host) || /^127(?:\.\d{1,3}){3}$/.test(host);
}

export interface AccessOptions {
  apiKey?: string;
  /** The address the server listens on, which a Host header may also name. */
  host: string;
}

export function accessControl(options: AccessOptions): MiddlewareHandler {
  const expected = options.apiKey ? Buffer.from(options.apiKey) : undefined;

  return async function checkAccess(c, next) {
    if (!expected) {
      const hostname = hostOf(c.req.header('host') ?? '');
      if (!isLoopback(hostname) && hostname !== options.host) {
        return errorResponse(c, new HttpError(403, 'FORBIDDEN', 'Unexpected Host header.'));
      }
      return next();
    }

    // The web UI's own files load without the key, so that it can ask for it.
    if (!c.req.path.startsWith('/v1/')) return next();

    // A key in the URL ends up in logs and history, so only media URLs (used in <img> and
    // <audio>, which cannot send headers) may carry one.
    const query = c.req.path.startsWith('/v1/media/') ? c.req.query() : {};
    const given = keyOf(c.req.header('authorization'), c.req.header('x-api-key'), query);
    if (given === undefined) {
      return errorResponse(c, new HttpError(401, 'UNAUTHORIZED', 'An API key is required.'));
    }
    const bytes = Buffer.from(given);
    if (bytes.length !== expected.length || !timingSafeEqual(bytes, expected)) {
      return errorResponse(c, new HttpError(401, 'UNAUTHORIZED', 'The API key is wrong.'));
    }
    return next();
  };
}

/** `Authorization: Bearer KEY`, `X-API-Key: KEY`, or `?key=KEY` for media URLs in tags. */
function keyOf(
  authorization: string | undefined,
  header: string | undefined,
  query: Record<string, string>,
): string | undefined {
  const bearer = authorization?.match(/^Bearer\s+(.+)$/i)?.[1];
  return bearer ?? header ?? query.key;
}

function hostOf(header: string): string {
  if (header.startsWith('[')) return header.slice(0, header.indexOf(']') + 1);
  return header.split(':')[0] ?? '';
}
