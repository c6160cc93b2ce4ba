/**
 * `POST /v1/ingest` (uploads, or a path below an allowed root) queues a job; `GET /v1/jobs/:id`
 * and its event stream report on it.
 */
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import type { IngestProgressEvent, IngestReport } from '../../../ingest/report.js';
import { allowedFilesUnder, checkAllowedPath } from '../allowed-paths.js';
import { HttpError, notFound } from '../http-error.js';
import type { JobProgress, JobView } from '../job-queue.js';
import {
  ErrorSchema,
  IngestBodySchema,
  IngestFormSchema,
  JobAcceptedSchema,
  JobParamsSchema,
  JobSchema,
} from '../schemas.js';
import type { ServerContext } from '../server-context.js';
import { checkUpload, saveUpload } from '../uploads.js';

const error = (description: string) => ({
  description,
  content: { 'application/json': { schema: ErrorSchema } },
});

const postIngest = createRoute({
  method: 'post',
  path: '/v1/ingest',
  summary: 'Index uploaded files, or a path below an allowed root',
  request: {
    body: {
      required: false,
      content: {
        'application/json': { schema: IngestBodySchema },
        'multipart/form-data': { schema: IngestFormSchema },
      },
    },
  },
  responses: {
    202: { description: 'Queued', content: { 'application/json': { schema: JobAcceptedSchema } } },
    400: error('Bad request'),
    403: error('The path is outside the allowed roots'),
    409: error('Another process writes to the index'),
    413: error('Upload too large, or too many files'),
    415: error('A file type mmrag does not index, or a name that lies about it'),
  },
});

const getJob = createRoute({
  method: 'get',
  path: '/v1/jobs/{id}',
  summary: 'A job and its progress',
  request: { params: JobParamsSchema },
  responses: {
    200: { description: 'The job', content: { 'application/json': { schema: JobSchema } } },
    404: error('No such job'),
  },
});

const getJobEvents = createRoute({
  method: 'get',
  path: '/v1/jobs/{id}/events',
  summary: 'Server-sent events: `progress` on every change, then `done`',
  request: { params: JobParamsSchema },
  responses: {
    200: {
      description: 'An event stream',
      content: { 'text/event-stream': { schema: JobSchema } },
    },
    404: error('No such job'),
  },
});

export function registerIngestRoutes(app: OpenAPIHono, context: ServerContext): void {
  app.openapi(postIngest, async (c) => {
    if (!context.writable) throw lockedError();
    const form = c.req.valid('form') as { files?: File[] };
    const json = c.req.valid('json') as { path?: string };

    let paths: string[];
    let fromPath: string | undefined;
    if (form.files?.length) {
      paths = await acceptUploads(context, form.files);
    } else if (json.path) {
      await checkAllowedPath(json.path, context.allowRoots);
      fromPath = json.path;
      paths = [];
    } else {
      throw new HttpError(400, 'USAGE', 'Send files as multipart `files`, or JSON { path }.');
    }

    const job = context.jobs.enqueue((progress) => ingestJob(context, paths, fromPath, progress));
    return c.json({ jobId: job.id }, 202);
  });

  app.openapi(getJob, (c) => {
    const job = context.jobs.get(c.req.valid('param').id);
    if (!job) throw notFound('The job');
    return c.json(job, 200);
  });

  app.openapi(getJobEvents, (c) => {
    const { id } = c.req.valid('param');
    const first = context.jobs.get(id);
    if (!first) throw notFound('The job');

    return streamSSE(c, async (stream) => {
      const finished = (view: JobView) => view.status === 'done' || view.status === 'failed';
      const send = (view: JobView) =>
        stream.writeSSE({
          event: finished(view) ? 'done' : 'progress',
          data: JSON.stringify(view),
        });

      // Subscribe before the first write, so no change falls between the two.
      let wake: () => void = () => {};
      const pending: JobView[] = [];
      const unsubscribe = context.jobs.subscribe(id, (view) => {
        pending.push(view);
        wake();
      });
      stream.onAbort(() => {
        unsubscribe();
        wake();
      });

      try {
        let last = context.jobs.get(id) ?? first;
        await send(last);
        while (!finished(last) && !stream.aborted) {
          if (pending.length === 0) await new Promise<void>((resolve) => (wake = resolve));
          const next = pending.splice(0);
          if (next.length === 0) continue;
          // Only the newest state matters to a progress bar; the final one is always sent.
          last = next[next.length - 1]!;
          await send(last);
        }
      } finally {
        unsubscribe();
      }
    }) as unknown as Response;
  });
}

function lockedError(): HttpError {
  return new HttpError(
    409,
    'INDEX_LOCKED',
    'Another process writes to this index; the server is serving it read-only.',
  );
}

/** Checks every file before saving any, so a refused request leaves nothing behind. */
async function acceptUploads(context: ServerContext, files: File[]): Promise<string[]> {
  if (files.length > context.maxUploadFiles) {
    throw new HttpError(413, 'TOO_LARGE', `At most ${context.maxUploadFiles} files per request.`);
  }
  const checked: { name: string; bytes: Uint8Array }[] = [];
  for (const file of files) {
    const bytes = new Uint8Array(await file.arrayBuffer());
    await checkUpload(file.name, bytes);
    checked.push({ name: file.name, bytes });
  }
  const saved: string[] = [];
  for (const { name, bytes } of checked)
    saved.push(await saveUpload(context.uploadsDir, name, bytes));
  return saved;
}

async function ingestJob(
  context: ServerContext,
  uploads: string[],
  fromPath: string | undefined,
  progress: JobProgress,
): Promise<IngestReport> {
  // A folder is walked here first, so that files whose links lead out of the allowed roots are
  // left out before ingest opens them.
  let files = uploads;
  let refused: IngestReport['files'] = [];
  if (fromPath !== undefined) {
    ({ files, refused } = await allowedFilesUnder(fromPath, context.allowRoots, {}));
  }

  const onProgress = (event: IngestProgressEvent) => {
    if (event.type === 'discovered') progress.update({ total: event.total });
    else if (event.type === 'file-start') progress.update({ current: event.path });
    else progress.update({ done: event.index + 1, total: event.total });
  };
  const report: IngestReport =
    files.length > 0 ? await context.engine.ingest(files, { onProgress }) : emptyReport();

  report.files.push(...refused);
  report.counts.skipped += refused.length;
  return report;
}

function emptyReport(): IngestReport {
  return {
    files: [],
    counts: { indexed: 0, unchanged: 0, skipped: 0, failed: 0, removed: 0 },
    byModality: {},
    aborted: false,
    durationMs: 0,
  };
}
