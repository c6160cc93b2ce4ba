/**
 * The HTTP API as a client uses it: ingest a folder as a job and follow its events, search by
 * words and by a picture, open each hit's media, upload files, list and remove sources.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { textPng } from './helpers/docs-visual-images.js';
import { textPdf } from './helpers/docs-visual-pdfs.js';
import {
  jobEvents,
  parseEventStream,
  postJson,
  startTestServer,
  type TestServer,
  waitForJob,
} from './helpers/http-server.js';
import { silence, synthesizeSpeech, writeWav } from './helpers/speech-tones.js';

async function solidPng(rgb: [number, number, number]): Promise<Buffer> {
  const [r, g, b] = rgb;
  const background = { r, g, b };
  return sharp({ create: { width: 96, height: 64, channels: 3, background } })
    .png()
    .toBuffer();
}

async function makeLibrary(root: string): Promise<string> {
  const dir = join(root, 'library');
  await mkdir(dir, { recursive: true });
  await writeFile(
    join(dir, 'garden.md'),
    '# Garden\n\n## Watering\n\nThe tomatoes need water every evening.\n',
  );
  await writeFile(
    join(dir, 'report.pdf'),
    await textPdf([
      ['Quarterly report', 'Revenue grew.'],
      ['Outlook', 'Umbrella sales rise.'],
    ]),
  );
  await writeFile(join(dir, 'parking.png'), await textPng({ lines: ['Parking permit'] }));
  await writeFile(join(dir, 'red.png'), await solidPng([220, 30, 30]));
  await writeFile(join(dir, 'blue.png'), await solidPng([30, 40, 220]));
  const speech = Float32Array.from([
    ...silence(1),
    ...synthesizeSpeech(['budget', 'meeting', 'tuesday']),
    ...silence(1),
  ]);
  await writeWav(join(dir, 'standup.wav'), [speech], 16000, 16);
  return dir;
}

interface Hit {
  path: string;
  modality: string;
  kind: string;
  locator: { page?: number; start?: number; bbox?: number[] };
  segmentId: string;
  media: { file: string; thumbnail?: string; page?: string };
}

describe('HTTP API', () => {
  let server: TestServer;
  let library: string;

  const search = async (query: string) => {
    const response = await server.request(`/v1/search?${query}`);
    assert.equal(response.status, 200, await response.clone().text());
    return (await response.json()) as { results: Hit[]; retrievers: object };
  };

  before(async () => {
    const root = await mkdtemp(join(tmpdir(), 'mmrag-http-api-'));
    library = await makeLibrary(root);
    server = await startTestServer({ allowRoots: [root], indexDir: join(root, 'index') });
  });

  after(async () => {
    await server?.close();
  });

  test('health names the version, index and model set', async () => {
    const response = await server.request('/v1/health');
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), {
      status: 'ok',
      version: '0.1.0',
      index: server.indexDir,
      models: 'fixtures',
    });
  });

  test('a folder below an allowed root is ingested as a job, with progress events', async () => {
    const accepted = await postJson(server, '/v1/ingest', { path: library });
    assert.equal(accepted.status, 202);
    const { jobId } = (await accepted.json()) as { jobId: string };

    const events = await jobEvents(server, jobId);
    const last = events.at(-1)!;
    assert.equal(last.event, 'done');
    assert.equal(last.data.status, 'done');
    assert.equal(last.data.done, 6);
    assert.equal(last.data.total, 6);
    assert.equal(last.data.report?.counts.indexed, 6, JSON.stringify(last.data.report));
    assert.ok(events.some((event) => event.event === 'progress' && event.data.done > 0));

    // Polling gives the same final state.
    const polled = await waitForJob(server, jobId);
    assert.equal(polled.status, 'done');
  });

  test('GET search answers in the CLI shape, with media links per hit', async () => {
    const { results, retrievers } = await search('q=tomatoes+water&k=3');
    assert.ok(results.length >= 1 && results.length <= 3);
    const top = results[0]!;
    assert.equal(top.path, join(library, 'garden.md'));
    assert.deepEqual(Object.keys(top).sort(), [
      'kind',
      'locator',
      'matchedBy',
      'media',
      'modality',
      'path',
      'paths',
      'score',
      'segmentId',
      'snippet',
    ]);
    assert.ok('keyword' in retrievers);

    const file = await server.request(top.media.file);
    assert.equal(file.status, 200);
    assert.equal(file.headers.get('content-type'), 'text/plain; charset=utf-8');
    assert.match(await file.text(), /tomatoes need water/);
  });

  test('filters: modality and path prefix', async () => {
    const pdfOnly = await search('q=umbrella+sales&modality=pdf');
    assert.ok(pdfOnly.results.length > 0);
    assert.ok(pdfOnly.results.every((hit) => hit.modality === 'pdf'));
    assert.equal(pdfOnly.results[0]!.locator.page, 2);

    const elsewhere = await search(`q=tomatoes&path=${encodeURIComponent('/nowhere')}`);
    assert.deepEqual(elsewhere.results, []);

    const bad = await server.request('/v1/search?q=x&modality=video');
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as { error: { code: string } }).error.code, 'USAGE');
  });

  test('a PDF hit links its page, rendered as PNG', async () => {
    const { results } = await search('q=umbrella+sales&modality=pdf');
    const page = results[0]!.media.page!;
    assert.ok(page);
    const response = await server.request(`${page}?width=400`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'image/png');
    const meta = await sharp(Buffer.from(await response.arrayBuffer())).metadata();
    assert.equal(Math.max(meta.width!, meta.height!), 400);
  });

  test('a picture query (multipart) finds the same colour, with a WebP thumbnail', async () => {
    const form = new FormData();
    form.append('image', new Blob([new Uint8Array(await solidPng([200, 20, 20]))]), 'query.png');
    form.append('modalities', 'image');
    const response = await server.request('/v1/search', { method: 'POST', body: form });
    assert.equal(response.status, 200, await response.clone().text());
    const body = (await response.json()) as { query: { image: string }; results: Hit[] };
    assert.equal(body.query.image, 'upload');
    const top = body.results[0]!;
    assert.equal(top.path, join(library, 'red.png'));
    assert.equal(top.kind, 'image');

    const thumbnail = await server.request(top.media.thumbnail!);
    assert.equal(thumbnail.headers.get('content-type'), 'image/webp');
    const meta = await sharp(Buffer.from(await thumbnail.arrayBuffer())).metadata();
    assert.equal(meta.format, 'webp');
  });

  test('POST search with JSON takes the same filters', async () => {
    const response = await postJson(server, '/v1/search', {
      q: 'parking permit',
      k: 2,
      modalities: ['image'],
    });
    assert.equal(response.status, 200);
    const { results } = (await response.json()) as { results: Hit[] };
    assert.equal(results[0]!.path, join(library, 'parking.png'));
    assert.equal(results[0]!.kind, 'ocr');
    assert.equal(results[0]!.locator.bbox?.length, 4);
  });

  test('audio is served with HTTP Range, so a player can seek to the hit', async () => {
    const { results } = await search('q=budget+meeting&modality=audio');
    const top = results[0]!;
    assert.equal(top.path, join(library, 'standup.wav'));
    assert.ok(top.locator.start !== undefined && top.locator.start < 2);

    const whole = await server.request(top.media.file);
    assert.equal(whole.headers.get('content-type'), 'audio/wav');
    assert.equal(whole.headers.get('accept-ranges'), 'bytes');
    const size = (await whole.arrayBuffer()).byteLength;

    const part = await server.request(top.media.file, { headers: { range: 'bytes=100-199' } });
    assert.equal(part.status, 206);
    assert.equal(part.headers.get('content-range'), `bytes 100-199/${size}`);
    assert.equal((await part.arrayBuffer()).byteLength, 100);

    const tail = await server.request(top.media.file, { headers: { range: 'bytes=-10' } });
    assert.equal(tail.status, 206);
    assert.equal((await tail.arrayBuffer()).byteLength, 10);

    const beyond = await server.request(top.media.file, { headers: { range: `bytes=${size}-` } });
    assert.equal(beyond.status, 416);
    assert.equal(beyond.headers.get('content-range'), `bytes */${size}`);
  });

  test('uploads are indexed under the index folder, listed, and removed with their copy', async () => {
    const form = new FormData();
    form.append(
      'files',
      new Blob(['# Recipes\n\nBake the lemon cake for forty minutes.\n']),
      'cake.md',
    );
    form.append('files', new Blob([new Uint8Array(await solidPng([30, 200, 40]))]), 'green.png');
    const accepted = await server.request('/v1/ingest', { method: 'POST', body: form });
    assert.equal(accepted.status, 202, await accepted.clone().text());
    const { jobId } = (await accepted.json()) as { jobId: string };
    const job = await waitForJob(server, jobId);
    assert.equal(job.status, 'done');
    assert.equal(job.report?.counts.indexed, 2);

    const uploaded = join(server.indexDir, 'uploads', 'cake.md');
    const { results } = await search('q=lemon+cake');
    assert.equal(results[0]!.path, uploaded);

    const sources = (await (await server.request('/v1/sources')).json()) as {
      sources: { path: string; status: string }[];
      files: Record<string, number>;
      failed: unknown[];
    };
    assert.ok(sources.sources.some((source) => source.path === uploaded));
    assert.equal(sources.files.text, 2);
    assert.equal(sources.files.image, 4);
    assert.deepEqual(sources.failed, []);

    const removed = await server.request(`/v1/sources?path=${encodeURIComponent(uploaded)}`, {
      method: 'DELETE',
    });
    assert.equal(removed.status, 200);
    const body = (await removed.json()) as { removed: { path: string }[] };
    assert.deepEqual(
      body.removed.map((outcome) => outcome.path),
      [uploaded],
    );
    assert.equal(existsSync(uploaded), false);
    const after = await search('q=lemon+cake&modality=text');
    assert.ok(after.results.every((hit) => hit.path !== uploaded));
  });

  test('searches keep answering while an ingest job runs', async () => {
    const more = join(library, '..', 'more');
    await mkdir(more, { recursive: true });
    for (let i = 0; i < 8; i++) {
      await writeFile(join(more, `pic-${i}.png`), await textPng({ lines: [`Gate ${i} opens`] }));
    }
    const accepted = await postJson(server, '/v1/ingest', { path: more });
    const { jobId } = (await accepted.json()) as { jobId: string };

    // Searches issued while the job is queued or running all succeed.
    let answered = 0;
    let sawRunning = false;
    for (let i = 0; i < 200; i++) {
      const job = (await (await server.request(`/v1/jobs/${jobId}`)).json()) as { status: string };
      if (job.status === 'done' || job.status === 'failed') break;
      sawRunning ||= job.status === 'running';
      await search('q=tomatoes');
      answered++;
    }
    const job = await waitForJob(server, jobId);
    assert.equal(job.status, 'done');
    assert.ok(sawRunning && answered > 0, `answered ${answered} searches during the job`);
  });

  test('ask answers as JSON with citations that point at the evidence', async () => {
    const response = await postJson(server, '/v1/ask', { q: 'When do the tomatoes need water?' });
    assert.equal(response.status, 200, await response.clone().text());
    const result = (await response.json()) as {
      answer: string;
      citations: { n: number; path: string; segmentId: string }[];
      supported: boolean;
    };
    assert.ok(result.answer.length > 0);
    assert.ok(result.supported);
    const cite = result.citations.find((c) => c.path === join(library, 'garden.md'));
    assert.ok(cite, JSON.stringify(result.citations));
    assert.equal((await server.request(`/v1/media/${cite.segmentId}/file`)).status, 200);
  });

  test('ask streams tokens, then the cited result, as server-sent events', async () => {
    const response = await postJson(
      server,
      '/v1/ask',
      { q: 'When do the tomatoes need water?', modalities: ['text'] },
      { accept: 'text/event-stream' },
    );
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
    const events = parseEventStream(await response.text());
    const tokens = events.filter((event) => event.event === 'token');
    assert.ok(tokens.length >= 1);
    assert.ok(tokens.every((event) => typeof (event.data as { text: string }).text === 'string'));
    const last = events.at(-1)!;
    assert.equal(last.event, 'result');
    const result = last.data as { citations: { path: string }[] };
    assert.ok(result.citations.some((cite) => cite.path === join(library, 'garden.md')));
  });

  test('the OpenAPI document lists every endpoint', async () => {
    const response = await server.request('/v1/openapi.json');
    const doc = (await response.json()) as { openapi: string; paths: Record<string, object> };
    assert.match(doc.openapi, /^3\./);
    for (const path of [
      '/v1/health',
      '/v1/search',
      '/v1/ask',
      '/v1/ingest',
      '/v1/jobs/{id}',
      '/v1/jobs/{id}/events',
      '/v1/sources',
      '/v1/media/{segmentId}/file',
      '/v1/media/{segmentId}/thumbnail',
      '/v1/media/{segmentId}/page',
    ]) {
      assert.ok(doc.paths[path], `${path} is documented`);
    }
    assert.ok(Object.keys(doc.paths['/v1/search']!).includes('post'));
  });

  test('unknown endpoints and segments are JSON 404s', async () => {
    const endpoint = await server.request('/v1/nothing');
    assert.equal(endpoint.status, 404);
    assert.equal(((await endpoint.json()) as { error: { code: string } }).error.code, 'NOT_FOUND');
    const media = await server.request('/v1/media/0000-0/file');
    assert.equal(media.status, 404);
    const job = await server.request('/v1/jobs/nope');
    assert.equal(job.status, 404);
  });
});
