/**
 * An HTTP server in the test process: a fixture-model engine on a temp index, on 127.0.0.1 and
 * a free port. Requests go through real sockets with fetch.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine, type Engine } from '../../src/engine.js';
import { type ServeOptions, startServer } from '../../src/interfaces/http/index.js';
import { fixtureEngineOptions } from './e2e-fixture-models.js';

export interface TestServer {
  url: string;
  engine: Engine;
  indexDir: string;
  writable: boolean;
  /** fetch against the server, by path. */
  request(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

export async function startTestServer(
  options: Omit<ServeOptions, 'engine'> & { indexDir?: string } = {},
): Promise<TestServer> {
  const indexDir = options.indexDir ?? join(await mkdtemp(join(tmpdir(), 'mmrag-http-')), 'index');
  const engine = await createEngine(await fixtureEngineOptions(indexDir));
  const server = await startServer({ port: 0, ...options, engine });
  return {
    url: server.url,
    engine,
    indexDir,
    writable: server.writable,
    request: (path, init) => fetch(`${server.url}${path}`, init),
    async close() {
      await server.close();
      await engine.close();
    },
  };
}

export interface JobEvent {
  event: string;
  data: { status: string; done: number; total: number; report?: IngestReportLike };
}

export interface IngestReportLike {
  files: { path: string; status: string; reason?: string }[];
  counts: Record<string, number>;
}

/** Reads a job's event stream to its end (the server closes it after `done`). */
export async function jobEvents(server: TestServer, jobId: string): Promise<JobEvent[]> {
  const response = await server.request(`/v1/jobs/${jobId}/events`);
  if (response.status !== 200) throw new Error(`events: ${response.status}`);
  return parseEventStream(await response.text()) as unknown as JobEvent[];
}

/** `event:` / `data:` blocks of a server-sent event stream, data parsed as JSON. */
export function parseEventStream(text: string): { event: string; data: unknown }[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const lines = block.split('\n');
      const event =
        lines
          .find((line) => line.startsWith('event:'))
          ?.slice(6)
          .trim() ?? 'message';
      const data = lines
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).trimStart())
        .join('\n');
      return { event, data: JSON.parse(data) };
    });
}

/** Waits for a job to finish by polling, as a client without SSE would. */
export async function waitForJob(server: TestServer, jobId: string) {
  for (let attempt = 0; attempt < 600; attempt++) {
    const job = (await (await server.request(`/v1/jobs/${jobId}`)).json()) as JobEvent['data'];
    if (job.status === 'done' || job.status === 'failed') return job;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`job ${jobId} did not finish`);
}

export function postJson(server: TestServer, path: string, body: unknown, headers = {}) {
  return server.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}
