/**
 * Starts the HTTP server on an engine. Safe by default: loopback only unless an API key is set,
 * no CORS, bounded uploads. The server takes the index's writer lock for its life when it can
 * (ingest jobs then run beside searches on one store); when another process holds it, the
 * server still searches, read-only.
 */
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import type { Engine } from '../../engine.js';
import { MmragError } from '../../errors.js';
import { isLoopback } from './access.js';
import { resolveRoots } from './allowed-paths.js';
import { createApp } from './app.js';
import { JobQueue } from './job-queue.js';
import { packageVersion } from './package-version.js';
import type { ServerContext } from './server-context.js';

export interface ServeOptions {
  engine: Engine;
  /** @default '127.0.0.1' */
  host?: string;
  /** 0 picks a free port. @default 7700 */
  port?: number;
  /** Required on every API request when set; required to listen beyond loopback. */
  apiKey?: string;
  /** Folders below which clients may ask for paths to be ingested. @default none */
  allowRoots?: string[];
  /** Browser origins allowed to call the API. @default none */
  corsOrigins?: string[];
  /** @default 100 */
  maxUploadMb?: number;
  /** @default 100 */
  maxUploadFiles?: number;
  log?: (line: string) => void;
  webRoot?: string;
}

export interface RunningServer {
  url: string;
  /** False when another process holds the writer lock. */
  writable: boolean;
  /** Stops listening and lets queued jobs finish; the engine stays open (the caller owns it). */
  close(): Promise<void>;
}

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 7700;
  if (!isLoopback(host) && !options.apiKey) {
    throw new MmragError('USAGE', `Refusing to listen on ${host} without an API key.`, {
      subject: host,
      hint: 'Set --api-key (or MMRAG_API_KEY), or keep the default --host 127.0.0.1.',
    });
  }
  if (options.apiKey !== undefined && options.apiKey.length < 12) {
    throw new MmragError('USAGE', 'The API key is too short: use at least 12 characters.');
  }

  const { engine } = options;
  const writable = await takeWriter(engine);
  const context: ServerContext = {
    engine,
    jobs: new JobQueue(),
    writable,
    allowRoots: await resolveRoots(options.allowRoots ?? []).catch((cause) => {
      throw new MmragError('USAGE', 'An --allow-root folder cannot be read.', { cause });
    }),
    uploadsDir: join(engine.indexDir, 'uploads'),
    maxUploadBytes: (options.maxUploadMb ?? 100) * 2 ** 20,
    maxUploadFiles: options.maxUploadFiles ?? 100,
    version: packageVersion(),
  };
  const app = createApp({
    context,
    host,
    apiKey: options.apiKey,
    corsOrigins: options.corsOrigins,
    log: options.log,
    webRoot: options.webRoot,
  });

  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const started = serve({ fetch: app.fetch, hostname: host, port }, () => resolve(started));
    started.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new MmragError('USAGE', `Cannot listen on ${host}:${port} (${error.code}).`, {
          subject: `${host}:${port}`,
          hint: 'Pick another --port, or stop what is using this one.',
          cause: error,
        }),
      ),
    );
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `http://${shownHost}:${address.port}`,
    writable,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Event streams stay open; they end with the server.
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
      await context.jobs.drain();
    },
  };
}

async function takeWriter(engine: Engine): Promise<boolean> {
  try {
    await engine.openForWriting();
    return true;
  } catch (error) {
    if (MmragError.isInstance(error) && error.code === 'INDEX_LOCKED') return false;
    throw error;
  }
}
